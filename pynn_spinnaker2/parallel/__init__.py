"""Running one emulation split over MPI ranks (``mpiexec -n K python script.py``).

In:  the environment of the process (an MPI launcher sets PMI_SIZE, OMPI_COMM_WORLD_SIZE or
     PMIX_RANK); mpi4py (the ``[mpi]`` extra), imported only when a launcher started K > 1
     ranks.
Out: ``world()``: None for one process, else a ``World`` (this rank, the number of ranks, the
     collective steps every rank takes together).
Raises: NotSupportedError when a launcher started several ranks but mpi4py is missing;
     RankFailedError (on every rank) when a collective step failed on some rank.

Every collective step goes through ``World.agree``: each rank runs its part, then all ranks
exchange whether it worked; if it failed anywhere, every rank raises the same error, so no rank
waits for ever on a rank that died. An uncaught exception outside such a step aborts the whole
job (``install_abort_hook``) rather than leaving the other ranks waiting.
"""

from __future__ import annotations

import os
import sys
import traceback
from typing import Any, Callable, TypeVar

from ..errors import NotSupportedError, RankFailedError

T = TypeVar("T")
# the ranks' count as the launchers publish it (MPICH / hydra, Open MPI, PMIx)
_SIZE_VARIABLES = ("PMI_SIZE", "OMPI_COMM_WORLD_SIZE", "PMIX_SIZE", "MPI_LOCALNRANKS")
_world: "World | None | bool" = False      # False: not looked at yet


def launched_ranks() -> int:
    """The number of ranks an MPI launcher started (1 without a launcher), from the
    environment only; PMIx without a size variable counts as 2 (mpi4py then says)."""
    for variable in _SIZE_VARIABLES:
        value = os.environ.get(variable, "")
        if value.strip().isdigit():
            return int(value)
    return 2 if "PMIX_RANK" in os.environ else 1


def world() -> "World | None":
    """This job's World, or None when one process runs the whole machine (no launcher, or a
    launcher with one rank). mpi4py is imported here, and only under a launcher.
    Raises: NotSupportedError when mpi4py is not installed."""
    global _world
    if _world is False:
        _world = None
        if launched_ranks() > 1:
            try:
                from mpi4py import MPI
            except ImportError as err:
                raise NotSupportedError(
                    f"This script was started by an MPI launcher ({launched_ranks()} ranks) "
                    "but mpi4py is not installed, so the ranks cannot share one emulation. "
                    "Install the extra: pip install 'pynn_spinnaker2[mpi]', and start the "
                    "script with that environment's mpiexec (.venv/bin/mpiexec -n 2 "
                    ".venv/bin/python script.py).") from err
            if MPI.COMM_WORLD.size > 1:
                _world = World(MPI.COMM_WORLD)
                install_abort_hook(_world)
                return_freed_memory()
    return _world  # type: ignore[return-value]


class PeerFailed(Exception):
    """Inside a collective step, another rank sent its failure instead of its part:
    ``failed``, [(rank, (kind, message, traceback))]. World.agree turns it into the same
    RankFailedError on every rank."""

    def __init__(self, failed: list) -> None:
        super().__init__(f"rank {failed[0][0]} failed")
        self.failed = failed


class World:
    """The ranks of one job. ``comm`` is mpi4py's communicator."""

    def __init__(self, comm: Any) -> None:
        self.comm, self.rank, self.size = comm, int(comm.rank), int(comm.size)

    def agree(self, step: Callable[[], T], what: str) -> T:
        """Run ``step`` on every rank; raise on every rank if it failed on any.

        Out: this rank's result. Raises: the original exception when it failed on every
        rank with the same message (a deterministic error, e.g. from compiling); otherwise
        RankFailedError naming the first failing rank, its error and ``what`` was being done.
        """
        try:
            result, failure, error = step(), None, None
        except PeerFailed as peer:   # met another rank's failure inside a collective step
            raise self._failed(what, peer.failed) from None
        except Exception as err:     # noqa: BLE001 (reported to every rank, then re-raised)
            result, error = None, err
            failure = (type(err).__name__, str(err), traceback.format_exc())
        self.check(failure, what, error)
        return result  # type: ignore[return-value]

    def check(self, failure: tuple[str, str, str] | None, what: str,
              error: BaseException | None = None) -> None:
        """The collective half of ``agree``: every rank tells whether it failed.
        Raises: as ``agree``."""
        failures = self.comm.allgather(failure)
        # a rank still inside a collective step (ownership.AgreementOverMPI) sent its
        # payload: it did not fail, and it learns of this failure from this same gather
        failed = [(r, f) for r, f in enumerate(failures) if isinstance(f, tuple)]
        if not failed:
            return
        if error is not None and len(failed) == self.size and \
                len({f[:2] for _, f in failed}) == 1:
            raise error
        raise self._failed(what, failed) from error

    def _failed(self, what: str, failed: list) -> RankFailedError:
        """The error every rank raises for ``failed``, [(rank, (kind, message, traceback))]."""
        rank, (kind, message, trace) = failed[0]
        others = f" (and on ranks {[r for r, _ in failed[1:]]})" if len(failed) > 1 else ""
        return RankFailedError(
            f"{what} failed on MPI rank {rank}{others} of {self.size}: {kind}: {message}\n"
            f"Traceback on rank {rank}:\n{trace}")

    def allgather(self, value: Any) -> list:
        """Every rank's ``value`` (any picklable object), in rank order."""
        return self.comm.allgather(value)


def return_freed_memory() -> None:
    """Have glibc give large freed blocks back to the system at once (a fixed mmap threshold
    of 128 KiB: glibc otherwise raises it after the first large free and keeps later large
    blocks in its heap). A rank replaces its projections' arrays when compiling moves
    synapses between ranks; without this the old arrays' memory stays with the process.
    Nothing happens where glibc is not the C library."""
    try:
        import ctypes
        ctypes.CDLL("libc.so.6").mallopt(-3, 128 * 1024)      # M_MMAP_THRESHOLD
    except (OSError, AttributeError):
        pass


def install_abort_hook(world: World) -> None:
    """An exception that nothing catches ends the whole job (MPI_Abort) after printing its
    traceback, instead of leaving the other ranks waiting in their next collective step."""
    previous = sys.excepthook

    def hook(kind, value, tb) -> None:
        previous(kind, value, tb)
        sys.stderr.write(f"[rank {world.rank}] uncaught {kind.__name__}: aborting all "
                         f"{world.size} MPI ranks\n")
        sys.stderr.flush()
        sys.stdout.flush()
        world.comm.Abort(1)

    sys.excepthook = hook
