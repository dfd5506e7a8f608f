"""The packets of a tick between MPI ranks (emulator/exchange.py's seam).

In:  per tick, the spikes (gids, counts) of the neurons this rank emulates.
Out: the spikes of every rank whose packets leave their source chip (``sends_packets``), in
     ascending gid order (ranks own ascending gid ranges); this rank's routes keep only the
     deliveries to its own PEs.
Raises: RankFailedError on every rank when a rank reports a failure instead of its spikes.

Two collective calls a tick: an Allgather of each rank's (packet count, has counts) pair,
then an Allgatherv of the gids (and one of the counts when some packet carries more than one
spike). A failing rank sends -1 as its count, and every rank then raises the same error.
Bytes that leave a rank are counted (``bytes_sent``) for the benchmarks.
"""

from __future__ import annotations

import traceback

import numpy as np

from . import World

_FAILED = -1


class MPIExchange:
    """Allgather of the packets that leave each rank's chips."""

    def __init__(self, world: World, sends: np.ndarray) -> None:
        """``sends``: bool per gid, the neuron's slice has targets (packets leave its chip)."""
        from mpi4py import MPI
        self.world, self.sends, self._int64 = world, sends, MPI.INT64_T
        self._header = np.zeros(2, dtype=np.int64)
        self._headers = np.zeros((world.size, 2), dtype=np.int64)
        self.bytes_sent = 0          # by this rank, since it was made
        self.ticks = 0

    def swap(self, gids: np.ndarray, counts: np.ndarray | None
             ) -> tuple[np.ndarray, np.ndarray | None]:
        """In: this rank's spikes of the tick. Out: every rank's packets of the tick."""
        leaving = self.sends[gids]
        gids = np.ascontiguousarray(gids[leaving], dtype=np.int64)
        counts = None if counts is None else np.ascontiguousarray(counts[leaving],
                                                                  dtype=np.int64)
        self._header[:] = (len(gids), counts is not None)
        sizes, with_counts = self._headers_of_all()
        all_gids = self._allgatherv(gids, sizes)
        all_counts = None
        if with_counts:
            mine = np.ones(len(gids), np.int64) if counts is None else counts
            all_counts = self._allgatherv(mine, sizes)
        self.bytes_sent += 8 * (len(gids) * (2 if with_counts else 1) + 2) * (self.world.size - 1)
        self.ticks += 1
        return all_gids, all_counts

    def settle(self) -> None:
        """The end of a run: an empty swap, which a rank that failed after its last swap
        meets with its failure."""
        self.swap(np.zeros(0, dtype=np.int64), None)
        self.ticks -= 1

    def fail(self, error: BaseException) -> None:
        """Take this rank's part in the tick's exchange with a failure instead of spikes.
        Raises: RankFailedError (as every other rank does)."""
        self._header[:] = (_FAILED, 0)
        self._headers_of_all(failure=(type(error).__name__, str(error),
                                      "".join(traceback.format_exception(error))),
                             error=error)

    def _headers_of_all(self, failure=None, error=None) -> tuple[np.ndarray, bool]:
        self.world.comm.Allgather([self._header, self._int64], [self._headers, self._int64])
        if np.any(self._headers[:, 0] == _FAILED):
            # the ranks that failed say why; all raise the same error
            self.world.check(failure, "emulating a tick", error)
        return self._headers[:, 0], bool(self._headers[:, 1].any())

    def _allgatherv(self, mine: np.ndarray, sizes: np.ndarray) -> np.ndarray:
        out = np.empty(int(sizes.sum()), dtype=np.int64)
        offsets = np.concatenate([[0], np.cumsum(sizes)[:-1]])
        self.world.comm.Allgatherv([mine, self._int64],
                                   [out, (sizes, offsets), self._int64])
        return out
