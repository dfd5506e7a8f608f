"""setup(spike_precision="off_grid"): spike sources report their exact spike times.

A SpiNNaker2 PE is time-stepped, so every spike travels and acts in the tick after its time, as
with NEST's ``spike_precision="on_grid"``. With "off_grid", NEST also records the exact times of
spikes given to a SpikeSourceArray; the host knows those times, so the recorder reports them
instead of the tick's end. Neuron spikes stay on the grid (the PE's neuron models are
time-stepped), which is said once in a warning at setup().
"""

from __future__ import annotations

import numpy as np


def emission_ticks(times: np.ndarray, dt: float) -> np.ndarray:
    """The tick (1-based: the end of the step a spike falls in) at which the emulator records
    a given spike time, as neuron_models/spike_source_array.py emits it."""
    return np.ceil(np.asarray(times) / dt - 1e-6).astype(np.int64)


def exact_source_times(index: np.ndarray, times: np.ndarray, trains: np.ndarray,
                       dt: float) -> np.ndarray:
    """Recorded spike times of a SpikeSourceArray replaced by the given times they came from.

    In: recorded spikes as (neuron index, time in ms) arrays; the population's current
    spike_times (one Sequence or array per neuron); the timestep.
    Out: the times, with each recorded spike that has a given time in the same (neuron, tick)
    the given time instead (the k-th recorded spike of a tick takes the k-th given time of that
    tick); a recorded spike with no such given time (the spike times changed since) keeps its
    recorded time, so nothing recorded is lost.
    """
    if len(index) == 0:
        return times
    given = [np.asarray(getattr(t, "value", t), dtype=float) for t in trains]
    lengths = np.array([len(g) for g in given], dtype=np.int64)
    given_times = np.concatenate(given + [np.zeros(0)])
    given_neuron = np.repeat(np.arange(len(given)), lengths)
    span = int(max(emission_ticks(given_times, dt).max(initial=0),
                   np.rint(times.max() / dt))) + 2
    given_key = given_neuron * span + emission_ticks(given_times, dt)
    order = np.lexsort((given_times, given_key))
    given_key, given_times = given_key[order], given_times[order]
    recorded_key = np.asarray(index, dtype=np.int64) * span + np.rint(times / dt).astype(np.int64)
    by_key = np.argsort(recorded_key, kind="stable")
    sorted_key = recorded_key[by_key]
    # rank of each recorded spike among the recorded spikes of its (neuron, tick)
    first_of_key = np.searchsorted(sorted_key, sorted_key, side="left")
    rank = np.arange(len(sorted_key)) - first_of_key
    start = np.searchsorted(given_key, sorted_key, side="left")
    count = np.searchsorted(given_key, sorted_key, side="right") - start
    matched = rank < count
    out = np.array(times, dtype=float)
    out[by_key[matched]] = given_times[start[matched] + rank[matched]]
    return out
