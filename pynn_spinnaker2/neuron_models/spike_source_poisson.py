"""SpikeSourcePoisson: a Poisson(rate * dt) spike count per neuron per tick, any rate.

As NEST's poisson_generator: a tick may hold several spikes of one source (rate * dt above 1 is
allowed); they leave as one packet whose payload is the count, and each target receives
weight * count (formats.md). The count is drawn from the neuron's counter-based random stream
(poisson_counts.py), so spikes do not depend on the mapping. Active for ticks whose end time s
satisfies start < s <= start + duration.
"""

from __future__ import annotations

import numpy as np
from numba import njit
from pyNN.standardmodels import cells

from ..errors import ParameterRangeError
from ..poisson_counts import build_counts, count_of_draw
from ..random_streams import draw_hashed, seed_u64, stream_hash, tick_key
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
    return {**build_counts(rate * dt / 1000.0), **active_ticks(params, dt)}


def is_active(b: Block, tick: int) -> np.ndarray:
    return (b["first_tick"] <= tick) & (tick < b["stop_tick"])


@njit(cache=True, nogil=True)
def _kernel(seed: np.uint64, streams: np.ndarray, tick: int, threshold: np.ndarray,
            mean: np.ndarray, first_tick: np.ndarray, stop_tick: np.ndarray,
            spikes: np.ndarray) -> None:
    """Each neuron's spike count of the tick (0 outside its active ticks): a branch-free pass
    marks the neurons whose draw is below the threshold, a second one (only when there are
    any) computes their counts."""
    key = tick_key(seed, np.uint64(tick))
    hits = 0
    for i in range(len(streams)):
        hit = ((first_tick[i] <= tick) & (tick < stop_tick[i])
               & (draw_hashed(key, stream_hash(streams[i])) < np.uint64(threshold[i])))
        spikes[i] = hit
        hits += hit
    if hits == 0:
        return
    for i in range(len(streams)):
        if spikes[i]:
            hashed = stream_hash(streams[i])
            spikes[i] = count_of_draw(draw_hashed(key, hashed), key, hashed, threshold[i],
                                      mean[i])


def step(b: Block, inputs, ctx: TickContext) -> np.ndarray:
    """Out: the int32 spike counts of this tick (a count above 1: one packet with payload)."""
    spikes = np.empty(len(b["threshold"]), dtype=np.int32)
    _kernel(seed_u64(ctx.seed), np.ascontiguousarray(ctx.streams, dtype=np.uint64), ctx.tick,
            b["threshold"], b["mean"], b["first_tick"], b["stop_tick"], spikes)
    return spikes


MODEL = NativeModel(
    name="spike_source_poisson", pynn_class=cells.SpikeSourcePoisson, kind="random_source",
    parameters=("rate", "start", "duration"), state=(), recordable=(), receptors=(),
    receptor_signs=(), build_block=build_block, step=step, read=read_block)
