"""The seam between the processes that emulate parts of one machine: the packets that leave a
process's chips in a tick go to every process whose chips they are routed to.

In:  per tick, the gids of the neurons this process emulates that spiked, and their spike
     counts (None: one spike each).
Out: the gids and counts of every spike, from any process, whose packets this process's routes
     may deliver (emulator/routes.py keeps only the deliveries to its own PEs), in ascending
     gid order.
Raises: whatever the transport raises (mpi.py turns a failure on one rank into the same
     error on every rank).

One process emulating the whole machine (``LocalExchange``) keeps its spikes; the MPI
transport is ``pynn_spinnaker2.mpi.MPIExchange``.
"""

from __future__ import annotations

from typing import Protocol

import numpy as np


class Exchange(Protocol):
    """Moves the packets leaving each process's chips to the processes they are routed to."""

    def swap(self, gids: np.ndarray, counts: np.ndarray | None
             ) -> tuple[np.ndarray, np.ndarray | None]:
        """In: this process's spikes of the tick. Out: the spikes its PEs may receive."""
        ...

    def fail(self, error: BaseException) -> None:
        """This process failed in a tick: tell the others, in place of its next swap.
        Raises: ``error``, or the same error on every process."""
        ...

    def settle(self) -> None:
        """The end of a run: the last chance for a process that failed after its last swap to
        tell the others (a swap with nothing to send)."""
        ...


class LocalExchange:
    """One process, the whole machine: every packet stays in the process."""

    def swap(self, gids: np.ndarray, counts: np.ndarray | None
             ) -> tuple[np.ndarray, np.ndarray | None]:
        return gids, counts

    def fail(self, error: BaseException) -> None:
        raise error

    def settle(self) -> None:
        pass
