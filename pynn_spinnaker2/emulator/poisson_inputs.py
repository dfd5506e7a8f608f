"""Folded Poisson inputs: every tick, each target PE draws its Poisson inputs and adds the
weights of those that fire to its ring buffer (mapping/poisson_fold.py), compiled.

In:  the Poisson input tables of every PE program (poisson_fold.TABLE_KEYS), concatenated with
     emulator gids; the seed; per tick, the tick and the ring buffer.
Out: the ring buffer with each firing input's integer weight times its spike count added at
     slot ``(tick + delay) mod S``, receptor ``synapse_type``; the (population, index) of the
     firing inputs that record their source's spikes, once per spike.
Raises: nothing (the tables were checked when they were built).

The draw is the source neuron's own (``poisson_counts.spike_count`` under the tick's key, with
the same threshold, mean and active ticks as ``spike_source_poisson``), so the ring receives
what the source's packets (with their counts) would have brought.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Sequence

import numpy as np
from numba import njit

from .. import formats
from ..poisson_counts import count_of_draw, table_count, tail_tables
from ..random_streams import draw_hashed, seed_u64, stream_hashes, tick_key

_T_BITS = formats.TYPE_BITS
_D_MASK = (1 << formats.DELAY_BITS) - 1
_LOW32 = np.uint64(0xFFFFFFFF)
_NONE = np.zeros(0, dtype=np.int64)


@dataclass(frozen=True)
class PoissonInputs:
    """All PEs' Poisson inputs as flat arrays, sorted by target gid."""

    gid: np.ndarray          # int64 target neuron (emulator gid)
    ring_row: np.ndarray     # int64 (delay - 1) << TYPE_BITS | synapse type
    weight: np.ndarray       # int64 quantised magnitude
    threshold: np.ndarray    # uint32
    mean: np.ndarray         # float32 spikes per tick
    first_tick: np.ndarray   # int32
    stop_tick: np.ndarray    # int32
    stream: np.ndarray       # uint64 source population << 32 | source index
    records: np.ndarray      # bool: reports its source's spikes
    any_records: bool
    # kernel work arrays, made by __post_init__ (not compared, not given)
    _fired: np.ndarray = field(init=False, repr=False, compare=False)
    _counts: np.ndarray = field(init=False, repr=False, compare=False)
    _scratch: np.ndarray = field(init=False, repr=False, compare=False)
    _hashed: np.ndarray = field(init=False, repr=False, compare=False)
    _tails: np.ndarray = field(init=False, repr=False, compare=False)
    _tail_row: np.ndarray = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # positions and counts of the recorded inputs that fired in a tick (kernel-filled)
        object.__setattr__(self, "_fired", np.empty(int(self.records.sum()), dtype=np.int64))
        object.__setattr__(self, "_counts", np.empty(int(self.records.sum()), dtype=np.int64))
        object.__setattr__(self, "_scratch", np.empty(len(self.gid), dtype=np.int64))
        object.__setattr__(self, "_hashed", stream_hashes(self.stream))
        # each input's row of Poisson tail thresholds: a count by compares only
        tails, tail_row = tail_tables(self.mean)
        object.__setattr__(self, "_tails", tails)
        object.__setattr__(self, "_tail_row", tail_row)

    @property
    def n(self) -> int:
        return len(self.gid)

    @classmethod
    def from_programs(cls, programs: Sequence, gid_offset: np.ndarray) -> "PoissonInputs":
        """In: PE programs, each program's first gid. Out: the concatenated, sorted tables."""
        parts = [(gid_offset[i] + p.poisson_inputs["target"], p.poisson_inputs)
                 for i, p in enumerate(programs) if p.poisson_inputs]
        if not parts:
            z = np.zeros(0, dtype=np.int64)
            return cls(z, z, z, z.astype(np.uint32), z.astype(np.float32), z.astype(np.int32),
                       z.astype(np.int32),
                       z.astype(np.uint64), z.astype(bool), False)
        gid = np.concatenate([g for g, _ in parts])
        col = {k: np.concatenate([t[k] for _, t in parts]) for k in parts[0][1]}
        order = np.argsort(gid, kind="stable")
        records = col["records"][order].astype(bool)
        return cls(gid[order], (((col["delay"] - 1) << _T_BITS) | col["synapse_type"])[order],
                   col["weight"][order].astype(np.int64),
                   col["threshold"][order].astype(np.uint32),
                   col["mean"][order].astype(np.float32),
                   col["first_tick"][order].astype(np.int32),
                   col["stop_tick"][order].astype(np.int32),
                   col["stream"][order].astype(np.uint64), records, bool(records.any()))

    def recorded_sources(self) -> dict[int, np.ndarray]:
        """Population -> sorted indices of the source neurons whose spikes are recorded."""
        stream = self.stream[self.records]
        pops = (stream >> np.uint64(32)).astype(np.int64)
        index = (stream & _LOW32).astype(np.int64)
        return {int(p): np.unique(index[pops == p]) for p in np.unique(pops)}

    def tick(self, seed: int, tick: int, ring: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Draw every input for ``tick`` and add the firing ones to ``ring``.
        Out: (population, index) of the recorded sources that fired, once per spike."""
        fired, counts = self._fired, self._counts
        n = _draw_inputs(seed_u64(seed), tick, self._hashed, self.threshold, self.mean,
                         self.first_tick, self.stop_tick, self.gid, self.ring_row, self.weight,
                         self.records, self.any_records, ring, fired, counts, self._scratch,
                         self._tails, self._tail_row)
        if n == 0:
            return _NONE, _NONE
        stream = np.repeat(self.stream[fired[:n]], counts[:n])
        return (stream >> np.uint64(32)).astype(np.int64), (stream & _LOW32).astype(np.int64)


@njit(cache=True, nogil=True)
def _draw_inputs(seed: np.uint64, tick: int, hashed: np.ndarray, threshold: np.ndarray,
                 mean: np.ndarray, first_tick: np.ndarray, stop_tick: np.ndarray, gid: np.ndarray,
                 ring_row: np.ndarray, weight: np.ndarray, records: np.ndarray,
                 any_records: bool, ring: np.ndarray, fired: np.ndarray,
                 counts: np.ndarray, scratch: np.ndarray, tails: np.ndarray,
                 tail_row: np.ndarray) -> int:
    """One tick of every input (``hashed``: the stream hashes, random_streams.stream_hashes;
    ``scratch``: room for one index per input). A count above 0 needs a draw below the
    threshold (poisson_counts): a branch-free pass lists those inputs, the second adds weight
    times their counts to the ring.
    Out: how many recorded inputs fired (positions in ``fired``, spike counts in ``counts``)."""
    n_slots, n_receptors, n_neurons = ring.shape
    flat = ring.reshape(-1)
    now = tick % n_slots
    offset = np.empty((_D_MASK + 1) << _T_BITS, dtype=np.int64)
    for d in range(_D_MASK + 1):            # ring row d: delay d + 1 ticks
        slot = now + d + 1
        if slot >= n_slots:
            slot -= n_slots
        for t in range(1 << _T_BITS):
            offset[(d << _T_BITS) | t] = (slot * n_receptors + t) * n_neurons
    key = tick_key(seed, np.uint64(tick))
    # pass 1, branch-free: which inputs' draws are below their thresholds (few of them)
    hits = 0
    for i in range(len(hashed)):
        hit = ((first_tick[i] <= tick) & (tick < stop_tick[i])
               & (draw_hashed(key, hashed[i]) < np.uint64(threshold[i])))
        scratch[hits] = i
        hits += hit
    # pass 2: their counts, weight x count into the ring, the recorded ones reported
    n_fired = 0
    for j in range(hits):
        i = scratch[j]
        u = draw_hashed(key, hashed[i])
        if tail_row[i] >= 0:
            spikes = table_count(u, tails[tail_row[i]])
        else:
            spikes = count_of_draw(u, key, hashed[i], threshold[i], mean[i])
        flat[offset[ring_row[i]] + gid[i]] += weight[i] * np.int64(spikes)
        if any_records and records[i]:
            fired[n_fired] = i
            counts[n_fired] = spikes
            n_fired += 1
    return n_fired
