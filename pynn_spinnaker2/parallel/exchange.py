"""The packets of a window of ticks between MPI ranks (emulator/exchange.py's seam).

In:  per tick of the window, the spikes (gids, counts) of the neurons this rank emulates.
Out: per tick, the spikes of every rank whose packets leave their PE (``sends_packets``), in
     ascending gid order (ranks own ascending gid ranges); this rank's routes keep only the
     deliveries to its own PEs.
Raises: RankFailedError on every rank when a rank reports a failure instead of its spikes.

Two collective calls a window: an Allgather of each rank's header (packet count, has counts,
then its packets per tick of the window, padded to ``window`` ticks so that every header has
the same size), then an Allgatherv of the gids (and one of the counts when some packet
carries more than one spike). A failing rank sends -1 as its count, and every rank then raises
the same error. Bytes that leave a rank are counted (``bytes_sent``) for the benchmarks.
"""

from __future__ import annotations

import traceback

import numpy as np

from . import World

_FAILED = -1
Spikes = tuple[np.ndarray, "np.ndarray | None"]


class MPIExchange:
    """Allgather of the packets that leave each rank's PEs."""

    def __init__(self, world: World, sends: np.ndarray, window: int = 1) -> None:
        """``sends``: bool per gid, the neuron's slice has targets (packets leave its PE);
        ``window``: the most ticks exchanged at once."""
        from mpi4py import MPI
        self.world, self.sends, self._int64 = world, sends, MPI.INT64_T
        self.window = window
        self.bytes_sent = 0          # by this rank, since it was made
        self.ticks = 0

    def swap_window(self, ticks: list[Spikes]) -> list[Spikes]:
        """In: this rank's spikes of each tick. Out: per tick, every rank's packets."""
        gids, counts = [], []
        for g, c in ticks:
            leaving = self.sends[g]
            gids.append(g[leaving].astype(np.int64, copy=False))
            counts.append(None if c is None else c[leaving].astype(np.int64, copy=False))
        mine = np.concatenate(gids) if gids else np.zeros(0, np.int64)
        header = np.zeros(2 + self.window, dtype=np.int64)
        header[:2] = len(mine), any(c is not None for c in counts)
        header[2:2 + len(ticks)] = [len(g) for g in gids]
        headers = self._headers_of_all(header)
        sizes, with_counts = headers[:, 0], bool(headers[:, 1].any())
        all_gids = self._allgatherv(mine, sizes)
        all_counts = None
        if with_counts:
            ones = [np.ones(len(g), np.int64) if c is None else c for g, c in zip(gids, counts)]
            all_counts = self._allgatherv(
                np.concatenate(ones) if ones else np.zeros(0, np.int64), sizes)
        self.bytes_sent += 8 * (len(mine) * (2 if with_counts else 1) + len(header)) * (
            self.world.size - 1)
        self.ticks += len(ticks)
        # per tick: each rank's part of its block, in rank order
        per_tick = headers[:, 2:2 + len(ticks)]
        starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])[:, None] + np.concatenate(
            [np.zeros((len(sizes), 1), np.int64), np.cumsum(per_tick, axis=1)[:, :-1]], axis=1)
        out = []
        for j in range(len(ticks)):
            pieces = [slice(int(starts[r, j]), int(starts[r, j] + per_tick[r, j]))
                      for r in range(len(sizes))]
            out.append((np.concatenate([all_gids[p] for p in pieces]),
                        None if all_counts is None else
                        np.concatenate([all_counts[p] for p in pieces])))
        return out

    def settle(self) -> None:
        """The end of a run: an empty exchange, which a rank that failed after its last
        exchange meets with its failure."""
        self.swap_window([])

    def fail(self, error: BaseException) -> None:
        """Take this rank's part in the next exchange with a failure instead of spikes.
        Raises: RankFailedError (as every other rank does)."""
        header = np.zeros(2 + self.window, dtype=np.int64)
        header[0] = _FAILED
        self._headers_of_all(header, failure=(type(error).__name__, str(error),
                                              "".join(traceback.format_exception(error))),
                             error=error)

    def _headers_of_all(self, header: np.ndarray, failure=None, error=None) -> np.ndarray:
        headers = np.zeros((self.world.size, len(header)), dtype=np.int64)
        self.world.comm.Allgather([header, self._int64], [headers, self._int64])
        if np.any(headers[:, 0] == _FAILED):
            # the ranks that failed say why; all raise the same error
            self.world.check(failure, "emulating a tick", error)
        return headers

    def _allgatherv(self, mine: np.ndarray, sizes: np.ndarray) -> np.ndarray:
        out = np.empty(int(sizes.sum()), dtype=np.int64)
        offsets = np.concatenate([[0], np.cumsum(sizes)[:-1]])
        self.world.comm.Allgatherv([np.ascontiguousarray(mine), self._int64],
                                   [out, (sizes, offsets), self._int64])
        return out
