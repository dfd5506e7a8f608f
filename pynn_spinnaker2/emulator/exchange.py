"""The seam between the processes that emulate parts of one machine: the packets that leave a
process's chips in a tick go to every process whose chips they are routed to.

In:  per tick of a window of ticks, the gids of the neurons this process emulates that
     spiked, and their spike counts (None: one spike each).
Out: per tick, the gids and counts of every spike, from any process, whose packets this
     process's routes may deliver (emulator/routes.py keeps only the deliveries to its own
     PEs), in ascending gid order.
Raises: whatever the transport raises (mpi.py turns a failure on one rank into the same
     error on every rank).

One process emulating the whole machine (``LocalExchange``) keeps its spikes; the MPI
transport is ``pynn_spinnaker2.mpi.MPIExchange``.
"""

from __future__ import annotations

from typing import Protocol

import numpy as np


Spikes = tuple[np.ndarray, "np.ndarray | None"]


class Exchange(Protocol):
    """Moves the packets leaving each process's PEs to the processes they are routed to."""

    def swap_window(self, ticks: list[Spikes]) -> list[Spikes]:
        """In: this process's spikes, tick by tick. Out: per tick, the spikes its PEs may
        receive."""
        ...

    def fail(self, error: BaseException) -> None:
        """This process failed in a tick: tell the others, in place of its next exchange.
        Raises: ``error``, or the same error on every process."""
        ...

    def settle(self) -> None:
        """The end of a run: the last chance for a process that failed after its last swap to
        tell the others (an exchange with nothing to send)."""
        ...


class LocalExchange:
    """One process, the whole machine: every packet stays in the process."""

    def swap_window(self, ticks: list[Spikes]) -> list[Spikes]:
        return ticks

    def fail(self, error: BaseException) -> None:
        raise error

    def settle(self) -> None:
        pass
