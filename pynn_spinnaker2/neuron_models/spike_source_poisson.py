"""SpikeSourcePoisson: one Bernoulli draw per neuron per tick, p = rate * dt.

The draw is the neuron's counter-based random stream (random_streams.py), so spikes do not depend
on the mapping. Active for ticks whose end time s satisfies start < s <= start + duration.
"""

from __future__ import annotations

import numpy as np
from numba import njit
from pyNN.standardmodels import cells

from ..errors import ParameterRangeError
from ..random_streams import draw, seed_u64, tick_key
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


@njit(cache=True, nogil=True)
def _kernel(seed: np.uint64, streams: np.ndarray, tick: int, threshold: np.ndarray,
            first_tick: np.ndarray, stop_tick: np.ndarray, spikes: np.ndarray) -> None:
    """is_active(b, tick) & (uniform_u32(seed, streams, tick) < threshold), in one pass."""
    key = tick_key(seed, np.uint64(tick))
    for i in range(len(streams)):
        spikes[i] = (first_tick[i] <= tick < stop_tick[i]
                     and draw(key, streams[i]) < np.uint64(threshold[i]))


def step(b: Block, inputs, ctx: TickContext) -> np.ndarray:
    """Out: the spike array of this tick (one Bernoulli draw per source)."""
    spikes = np.empty(len(b["threshold"]), dtype=np.bool_)
    _kernel(seed_u64(ctx.seed), np.ascontiguousarray(ctx.streams, dtype=np.uint64), ctx.tick,
            b["threshold"], b["first_tick"], b["stop_tick"], spikes)
    return spikes


MODEL = NativeModel(
    name="spike_source_poisson", pynn_class=cells.SpikeSourcePoisson, kind="random_source",
    parameters=("rate", "start", "duration"), state=(), recordable=(), receptors=(),
    receptor_signs=(), build_block=build_block, step=step, read=read_block)
