"""SpikeSourcePoisson: one Bernoulli draw per neuron per tick, p = rate * dt.

The draw is the neuron's counter-based random stream (random_streams.py), so spikes do not depend
on the mapping. Active for ticks whose end time s satisfies start < s <= start + duration.
"""

from __future__ import annotations

import numpy as np
from pyNN.standardmodels import cells

from ..errors import ParameterRangeError
from ..random_streams import uniform_u32
from .base import Block, NativeModel, TickContext, read_block

LAST_TICK = 2.0 ** 31 - 1


def active_ticks(params, dt: float) -> Block:
    """first_tick/stop_tick (int32) of sources with start and duration parameters."""
    start = np.asarray(params["start"], dtype=np.float64)
    stop = start + np.asarray(params["duration"], dtype=np.float64)
    return {
        "first_tick": np.ascontiguousarray(np.minimum(np.floor(start / dt + 1e-9), LAST_TICK),
                                           dtype=np.int32),
        "stop_tick": np.ascontiguousarray(np.minimum(np.floor(stop / dt + 1e-9), LAST_TICK),
                                          dtype=np.int32),
    }


def build_block(params, initial, dt: float) -> Block:
    rate = np.asarray(params["rate"], dtype=np.float64)
    if np.any(rate < 0):
        raise ParameterRangeError("parameter rate must be >= 0 Hz")
    probability = rate * dt / 1000.0
    if np.any(probability > 1.0):
        raise ParameterRangeError(
            f"rate {rate.max():g} Hz exceeds one spike per timestep ({1000.0 / dt:g} Hz)")
    # spike when the neuron's uniform 32-bit draw is below the threshold (p = 1 saturates at
    # 2**32 - 1: one miss in 4e9 draws)
    threshold = np.minimum(np.round(probability * 2.0 ** 32), 2.0 ** 32 - 1)
    return {"threshold": np.ascontiguousarray(threshold, dtype=np.uint32),
            **active_ticks(params, dt)}


def is_active(b: Block, tick: int) -> np.ndarray:
    return (b["first_tick"] <= tick) & (tick < b["stop_tick"])


def step(b: Block, inputs, ctx: TickContext) -> np.ndarray:
    draw = uniform_u32(ctx.seed, ctx.streams, ctx.tick)
    return is_active(b, ctx.tick) & (draw < b["threshold"])


MODEL = NativeModel(
    name="spike_source_poisson", pynn_class=cells.SpikeSourcePoisson, kind="random_source",
    parameters=("rate", "start", "duration"), state=(), recordable=(), receptors=(),
    receptor_signs=(), build_block=build_block, step=step, read=read_block)
