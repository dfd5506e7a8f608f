"""SpikeSourceArray: emits given spike times. The times are a per-PE region streamed from DRAM
(see mapping/programs.py); the emulator emits them, so the neuron block is empty."""

from __future__ import annotations

from pyNN.standardmodels import cells

from .base import NativeModel, no_step, read_block

MODEL = NativeModel(
    name="spike_source_array", pynn_class=cells.SpikeSourceArray, kind="array_source",
    parameters=(), state=(), recordable=(), receptors=(), receptor_signs=(),
    build_block=lambda params, initial, dt: {}, step=no_step, read=read_block)
