"""The carry-over between runs: a new emulation (the network changed after a run) continues
from the old one's state.

In:  the new Layout and its fresh RunState, the old Layout and RunState, the neurons that
     initialize() reset since the last run (population -> mask).
Out: the new RunState, changed in place: the old time, every model's state arrays (neuron by
     neuron, by population and index), the synaptic input still in flight (re-quantised to the
     new weight scales), the recordings (a variable recorded from now on has NaN before), the
     plastic synapse state where the layout allows, the STDP history and the current samples.
     The hardware trace starts afresh.
Raises: ValueError when the populations differ.
"""

from __future__ import annotations

import numpy as np

from ..neuron_models import NATIVE_MODELS
from .layout import Layout
from .matching import match_neurons
from .run_state import RunState


def carry_over(new: Layout, state: RunState, old: Layout, old_state: RunState,
               reinitialised: dict[int, np.ndarray] | None = None) -> None:
    """Continue ``state`` (of ``new``) from ``old_state`` (of ``old``); see the module
    docstring."""
    mapping = match_neurons(new, state.blocks, old, old_state.blocks)
    state.tick = old_state.tick
    pops, index = new.local(new.gid_pop), new.local(new.gid_index)
    for model, rng in new.model_range.items():
        keep = mapping[rng] >= 0
        for pop, mask in (reinitialised or {}).items():
            mine = pops[rng] == pop
            keep[mine] &= ~mask[index[rng][mine]]
        old_columns = mapping[rng][keep]
        if not len(old_columns):
            continue
        old_range = old.model_range[model]
        for key in NATIVE_MODELS[model].state_keys:
            state.blocks[model][key][keep] = old_state.blocks[model][key][
                old_columns - old_range.start]
    _carry_ring(new, state, old, old_state, mapping)
    state.recordings = old_state.recordings.continued_as(
        new.recorded_index, new.sample_every, lambda key: state.read(new, key))
    new.fabric.carry_state_from(old.fabric)
    state.post_history.copy_from(old_state.post_history, mapping)
    state.current_samples = old_state.current_samples


def _carry_ring(new: Layout, state: RunState, old: Layout, old_state: RunState,
                mapping: np.ndarray) -> None:
    """Pending input, as PyNN-unit values, into the new integer scale."""
    found, rows = mapping >= 0, min(len(new.input_scale), len(old.input_scale))
    mapping = np.where(found, mapping, 0)
    pending = old_state.ring[:, :rows, mapping] * np.abs(old.input_scale[None, :rows, mapping])
    scale = np.abs(new.input_scale[:rows])
    with np.errstate(divide="ignore", invalid="ignore"):
        scaled = np.where(scale != 0, pending * found / scale, 0.0)
    for offset in range(old.n_slots):
        tick = state.tick + offset
        state.ring[tick % new.n_slots, :rows] = np.round(scaled[tick % old.n_slots])
