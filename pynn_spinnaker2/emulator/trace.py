"""What the hardware would count, tick by tick: per PE, per link and per router.

In:  each tick's spikes sent, packets received, synapses processed and DMA words per PE, and the
     per-slice route incidence (which links and routers one packet of a slice crosses).
Out: (n_ticks, ...) integer arrays, kept since the last reset.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import sparse


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


class HardwareTrace:
    """Accumulates per-tick counts cheaply (a few bincounts and two sparse products a tick)."""

    def __init__(self, n_programs: int, hops: sparse.csr_matrix, routers: sparse.csr_matrix,
                 drops: np.ndarray, link_ids: np.ndarray, router_chips: np.ndarray) -> None:
        self.n = n_programs
        self._hops_t, self._routers_t = hops.T.tocsr(), routers.T.tocsr()
        self._drops = drops
        self.link_ids, self.router_chips = link_ids, router_chips
        self._rows: dict[str, list[np.ndarray]] = {k: [] for k in (
            "spikes_sent", "packets_received", "synapses", "plastic_synapses", "stdp_pairings",
            "stdp_lost", "dram_words", "link_packets", "router_packets", "dropped")}

    def record_tick(self, sent_by: np.ndarray, received_by: np.ndarray, synapse_pe: np.ndarray,
                    row_pe: np.ndarray, row_words: np.ndarray, plastic_pe: np.ndarray,
                    plastic_words: np.ndarray, pairings: np.ndarray | None = None,
                    lost: np.ndarray | None = None) -> None:
        """One tick: the sending PE of each packet, the receiving PE of each delivery, the PE of
        each synapse processed, the PE and size of each row fetched, the PE of each plastic
        synapse updated; per PE: the extra DMA words that plastic state moved, the STDP
        pairings and the STDP updates that lost a post-synaptic spike."""
        sent = np.bincount(sent_by, minlength=self.n)
        rows = self._rows
        rows["spikes_sent"].append(sent.astype(np.int32))
        rows["packets_received"].append(np.bincount(received_by, minlength=self.n)
                                        .astype(np.int32))
        rows["synapses"].append(np.bincount(synapse_pe, minlength=self.n).astype(np.int32))
        plastic = np.bincount(plastic_pe, minlength=self.n)
        rows["plastic_synapses"].append(plastic.astype(np.int32))
        zeros = np.zeros(self.n, dtype=np.int32)
        rows["stdp_pairings"].append(zeros if pairings is None else pairings.astype(np.int32))
        rows["stdp_lost"].append(zeros if lost is None else lost.astype(np.int32))
        rows["dram_words"].append((np.bincount(row_pe, weights=row_words, minlength=self.n)
                                   + plastic_words).astype(np.int64))
        rows["link_packets"].append((self._hops_t @ sent).astype(np.int32))
        rows["router_packets"].append((self._routers_t @ sent).astype(np.int32))
        rows["dropped"].append(np.array([self._drops @ sent], dtype=np.int64))

    @property
    def n_ticks(self) -> int:
        return len(self._rows["dropped"])

    def arrays(self, first_tick: int = 0) -> TraceArrays:
        """The counts of ticks ``first_tick`` onwards, stacked."""
        def stack(name: str, width: int) -> np.ndarray:
            rows = self._rows[name][first_tick:]
            return np.stack(rows) if rows else np.zeros((0, width), dtype=np.int64)

        return TraceArrays(
            stack("spikes_sent", self.n), stack("packets_received", self.n),
            stack("synapses", self.n), stack("plastic_synapses", self.n),
            stack("stdp_pairings", self.n), stack("stdp_lost", self.n),
            stack("dram_words", self.n),
            stack("link_packets", len(self.link_ids)),
            stack("router_packets", len(self.router_chips)),
            stack("dropped", 1).reshape(-1), self.link_ids, self.router_chips)
