"""What the hardware would count, tick by tick: per PE, per link and per router.

In:  each tick's packets sent, packets received, synapses processed, plastic synapses, DMA
     words, and packets sent and received with a count payload, per PE (written by the
     synaptic pass into the row ``next_tick`` hands out), and the per-slice route incidence
     (which links and routers one packet of a slice crosses).
Out: (n_ticks, ...) integer arrays, kept since the last reset.

Link, router and drop counts are linear in the spikes sent per PE (every packet of a slice
takes the same route), so they are computed from the stacked ``spikes_sent`` when asked for.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import sparse

from .scatter import (DRAM_WORDS, N_COUNTERS, PAYLOAD_RECEIVED, PAYLOAD_SENT, PLASTIC,
                      RECEIVED, SENT, STDP_LOST, STDP_PAIRINGS, SYNAPSES)


@dataclass(frozen=True)
class TraceArrays:
    """Stacked per-tick counts. Link and router columns are the ``link_ids``/``router_chips``."""

    spikes_sent: np.ndarray        # (ticks, PEs)
    packets_received: np.ndarray   # (ticks, PEs)
    synapses: np.ndarray           # (ticks, PEs)
    plastic_synapses: np.ndarray   # (ticks, PEs): synapses whose plastic state was updated
    stdp_pairings: np.ndarray      # (ticks, PEs): post-synaptic spikes paired by STDP updates
    stdp_lost: np.ndarray          # (ticks, PEs): STDP updates that missed a spike the
                                   # post-synaptic history had already dropped
    dram_words: np.ndarray         # (ticks, PEs)
    link_packets: np.ndarray       # (ticks, used links); link id = chip * 6 + direction
    router_packets: np.ndarray     # (ticks, used routers)
    dropped: np.ndarray            # (ticks,)
    link_ids: np.ndarray
    router_chips: np.ndarray
    # packets with a count payload (a source with several spikes in the tick); they are also
    # counted in spikes_sent / packets_received / link_packets / router_packets
    payload_sent: np.ndarray       # (ticks, PEs)
    payload_received: np.ndarray   # (ticks, PEs)
    link_payload_packets: np.ndarray    # (ticks, used links)
    router_payload_packets: np.ndarray  # (ticks, used routers)


class HardwareTrace:
    """Per-tick counters in one preallocated (ticks, N_COUNTERS, PEs) int32 buffer, grown by
    doubling."""

    def __init__(self, n_programs: int, hops: sparse.csr_matrix, routers: sparse.csr_matrix,
                 drops: np.ndarray, link_ids: np.ndarray, router_chips: np.ndarray) -> None:
        self.n = n_programs
        self._hops, self._routers = hops.tocsr(), routers.tocsr()
        self._drops = np.asarray(drops, dtype=np.int64)
        self.link_ids, self.router_chips = link_ids, router_chips
        self._counts = np.zeros((1024, N_COUNTERS, n_programs), dtype=np.int32)
        self._ticks = 0
        # under MPI: the ticks whose counters already hold every rank's (parallel/gather.py)
        self.merged_ticks = 0

    def next_tick(self) -> np.ndarray:
        """Open the next tick. Out: its zeroed (N_COUNTERS, PEs) counter row (rows SENT,
        RECEIVED, SYNAPSES, PLASTIC, DRAM_WORDS, STDP_PAIRINGS, STDP_LOST, PAYLOAD_SENT,
        PAYLOAD_RECEIVED of ``scatter``), to be added to in place."""
        if self._ticks == len(self._counts):
            grown = np.zeros((2 * len(self._counts), N_COUNTERS, self.n), dtype=np.int32)
            grown[:self._ticks] = self._counts
            self._counts = grown
        self._ticks += 1
        return self._counts[self._ticks - 1]

    @property
    def n_ticks(self) -> int:
        return self._ticks

    def blank(self) -> HardwareTrace:
        """An empty trace of the same machine (same PEs, links and routers)."""
        return HardwareTrace(self.n, self._hops, self._routers, self._drops, self.link_ids,
                             self.router_chips)

    def counts(self, first_tick: int) -> np.ndarray:
        """A copy of the raw (ticks, N_COUNTERS, PEs) counters from ``first_tick`` on."""
        return np.array(self._counts[first_tick:self._ticks])

    def rows(self, first_tick: int, stop_tick: int) -> np.ndarray:
        """The raw counters of ticks [first_tick, stop_tick) themselves (a contiguous view,
        to be combined in place)."""
        return self._counts[first_tick:min(stop_tick, self._ticks)]

    def extend(self, counts: np.ndarray) -> None:
        """Append ticks of raw counters (as ``counts`` gives them)."""
        for row in counts:
            self.next_tick()[:] = row

    def arrays(self, first_tick: int = 0) -> TraceArrays:
        """The counts of ticks ``first_tick`` onwards, stacked."""
        counts = self._counts[first_tick:self._ticks]
        sent = counts[:, SENT].astype(np.int64)
        payload = counts[:, PAYLOAD_SENT].astype(np.int64)
        return TraceArrays(
            counts[:, SENT].copy(), counts[:, RECEIVED].copy(), counts[:, SYNAPSES].copy(),
            counts[:, PLASTIC].copy(), counts[:, STDP_PAIRINGS].copy(),
            counts[:, STDP_LOST].copy(), counts[:, DRAM_WORDS].astype(np.int64),
            self._per(self._hops, sent), self._per(self._routers, sent),
            sent @ self._drops, self.link_ids, self.router_chips,
            counts[:, PAYLOAD_SENT].copy(), counts[:, PAYLOAD_RECEIVED].copy(),
            self._per(self._hops, payload), self._per(self._routers, payload))

    @staticmethod
    def _per(incidence: sparse.csr_matrix, sent: np.ndarray) -> np.ndarray:
        """(ticks, columns) packets through each link or router, from the packets sent."""
        return np.asarray(incidence.T @ sent.T).T.astype(np.int32).reshape(len(sent), -1)
