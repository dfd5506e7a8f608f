"""Several spikes of one source in one tick: one packet whose payload is the count.

In:  per tick, each model's spiking gids and counts; the PE programs' spike-time lists; for
     plastic rows, the count of the packet each fetched synapse word came with.
Out: the tick's sorted gids with their counts; the spike-time sources' (tick, gid, count) list;
     the weights plastic rows transmit for a packet with a count.

On the PE, a packet with payload n is one master-population-table lookup and one row fetch.
A static row adds weight * n (scatter.py). A plastic row is updated n times in sequence, as n
spikes with the same time stamp: a Tsodyks-Markram synapse transmits u*x n times (the first
after the decay since its last spike, the others with no time in between, so depression
accumulates), an STDP synapse runs its pre-synaptic update n times (the first pairs the
post-synaptic spikes since the last pre-synaptic one, each of them depresses with the
post-synaptic trace and adds 1 to the pre-synaptic trace). The ring receives the sum of what
the n updates transmit.
"""

from __future__ import annotations

from typing import Callable, Sequence

import numpy as np


_NONE = np.zeros(0, dtype=np.int64)
_ONES = np.ones(1 << 12, dtype=np.int64)
_ONES.setflags(write=False)


def join_spikes(parts: Sequence[tuple[np.ndarray, np.ndarray | None]]
                ) -> tuple[np.ndarray, np.ndarray | None]:
    """In: per model, (gids, counts or None for one spike each).
    Out: all gids in ascending order and their int64 counts (>= 1), or None when every count
    is 1 (the common tick: no count array is built)."""
    if not parts:
        return _NONE, None
    gids = np.concatenate([g for g, _ in parts])
    if all(c is None for _, c in parts):
        return np.sort(gids), None
    counts = np.concatenate([np.ones(len(g), np.int64) if c is None else c.astype(np.int64)
                             for g, c in parts])
    order = np.argsort(gids, kind="stable")
    return gids[order], counts[order]


def single_counts(counts: np.ndarray) -> np.ndarray | None:
    """A model's counts of its spiking neurons, or None when all are 1."""
    return counts if len(counts) and counts.max() > 1 else None


def counts_or_ones(counts: np.ndarray | None, n: int) -> np.ndarray:
    """``counts``, or n ones (a view of a shared read-only buffer) when it is None."""
    global _ONES
    if counts is not None:
        return counts
    if n > len(_ONES):
        _ONES = np.ones(2 * n, dtype=np.int64)
        _ONES.setflags(write=False)
    return _ONES[:n]


def spike_time_lists(programs: Sequence, gid_offset: np.ndarray
                     ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The spike-time sources' emissions: (tick, gid, count) sorted by tick, then gid; a tick
    listed n times for a neuron in its program's ``source_ticks`` is one entry of count n."""
    ticks, gids = [_NONE], [_NONE]
    for i, p in enumerate(programs):
        if p.source_ticks is not None:
            ticks.append(np.asarray(p.source_ticks, dtype=np.int64))
            gids.append(gid_offset[i] + np.repeat(np.arange(p.n_neurons),
                                                  np.diff(p.source_offsets)))
    pairs = np.stack([np.concatenate(ticks), np.concatenate(gids)], axis=1)
    unique, counts = np.unique(pairs, axis=0, return_counts=True)   # sorted by tick, gid
    unique = unique.reshape(-1, 2)
    return unique[:, 0].copy(), unique[:, 1].copy(), counts.astype(np.int64)


def repeated_factors(factors: Callable[[np.ndarray, int], np.ndarray], weight: np.ndarray,
                     times: np.ndarray) -> np.ndarray:
    """Synapses with a record (Tsodyks-Markram, stochastic) hit ``times`` times in one tick.

    In: ``factors(selection, repetition)``, the weight factors the selected synapses transmit
    for the repetition-th spike of the packet (updating their records in sequence); the
    synapses' integer weights; each one's spike count.
    Out: the integer weight each transmits in all (each spike's share rounded, as the PE adds
    it).
    """
    weight = weight.astype(np.float64)
    total = np.round(weight * factors(np.arange(len(weight)), 0))
    for j in range(1, int(times.max(initial=1))):
        again = np.flatnonzero(times > j)
        total[again] += np.round(weight[again] * factors(again, j))
    return total
