"""What each rank emulated, gathered so that every rank sees the whole network's results.

In:  the World, each rank's RawRecordings, HardwareTrace and learned weights (of its own PEs).
Out: ``merge_recordings``: one RawRecordings of every recorded neuron, on every rank
     (``extend_recordings``: with what is new since);
     ``TraceGatherer``: the whole machine's hardware trace, on every rank, merged into the
     rank's own trace after each run (each PE's counters from the rank that emulates it).
Raises: nothing itself. Each is a collective step: every rank calls it at the same point
     (after a run or reset, in State); a rank that died before it is caught by the abort hook.

A neuron is emulated by exactly one rank, so merging is concatenation and reordering: no value
is combined arithmetically, and the results are the one-process results bit for bit.
"""

from __future__ import annotations

import numpy as np

from ..emulator.recordings import RawRecordings
from ..emulator.trace import HardwareTrace
from . import World


def merge_recordings(world: World, local: RawRecordings) -> RawRecordings:
    """Out: the recordings of every rank as one RawRecordings (RawRecordings.merged)."""
    return RawRecordings.merged(world.allgather(local.portable()))


def extend_recordings(world: World, merged: RawRecordings, local: RawRecordings,
                      since: tuple[int, dict]) -> None:
    """Add to ``merged`` what every rank recorded after its ``since`` (RawRecordings.extent)."""
    merged.extend_merged(world.allgather(local.portable(since)))


class TraceGatherer:
    """Every rank's trace made the whole machine's, in place: each PE's counters from the rank
    that emulates it, summed over the ranks chunk by chunk (no second copy of the trace)."""

    CHUNK_TICKS = 1024

    def __init__(self, world: World, emulated: np.ndarray) -> None:
        """``emulated``: bool per program, emulated by this rank."""
        from mpi4py import MPI
        self.world, self._sum, self._in_place = world, MPI.SUM, MPI.IN_PLACE
        self.emulated = emulated

    def update(self, trace: HardwareTrace) -> HardwareTrace:
        """Merge the ticks ``trace`` has beyond those already merged. Out: ``trace``."""
        for first in range(trace.merged_ticks, trace.n_ticks, self.CHUNK_TICKS):
            rows = trace.rows(first, first + self.CHUNK_TICKS)
            rows[:, :, ~self.emulated] = 0      # each PE's counters from its own rank only
            self.world.comm.Allreduce(self._in_place, rows, op=self._sum)
        trace.merged_ticks = trace.n_ticks
        return trace
