"""What each rank emulated, gathered so that every rank sees the whole network's results.

In:  the World, each rank's RawRecordings, HardwareTrace and learned weights (of its own PEs).
Out: ``merge_recordings``: one RawRecordings of every recorded neuron, on every rank;
     ``TraceGatherer``: the whole machine's hardware trace, on every rank, extended tick by tick
     (each PE's counters from the rank that emulates it); ``merge_weights``: every STDP
     synapse's weight, on every rank, from the rank that emulates its PE.
Raises: nothing itself; called inside ``World.agree`` steps.

A neuron is emulated by exactly one rank, so merging is concatenation and reordering: no value
is combined arithmetically, and the results are the one-process results bit for bit.
"""

from __future__ import annotations

import numpy as np

from ..emulator.recordings import RawRecordings
from ..emulator.trace import HardwareTrace
from . import World


def merge_recordings(world: World, local: RawRecordings) -> RawRecordings:
    """Out: the recordings of every rank as one RawRecordings (without a state reader: a
    clear() between samples keeps the last sample as the first of what follows)."""
    parts = world.allgather((local.recorded_index, local.every, local._spikes,
                             local._samples, local._cleared_at, local.tick))
    recorded: dict = {}
    every: dict = {}
    for index, ev, _, _, _, _ in parts:
        for key, values in index.items():
            recorded.setdefault(key, []).append(values)
        every.update(ev)
    order = {key: np.argsort(np.concatenate(v), kind="stable") for key, v in recorded.items()}
    merged = RawRecordings(local.dt, {key: np.concatenate(v)[order[key]]
                                      for key, v in recorded.items()}, every)
    spikes = [entry for part in parts for entry in part[2]]
    merged._spikes = sorted(spikes, key=lambda entry: entry[2])      # stable: by tick
    for key in merged.every:
        blocks = [part[3][key] for part in parts if key in part[3] and key in part[0]]
        if blocks and len(blocks[0]):
            rows = [np.concatenate(row)[order[key]] for row in zip(*blocks)]
        else:
            rows = []
        merged._samples[key] = rows
    merged._cleared_at = dict(local._cleared_at)
    merged.tick = local.tick
    return merged


class TraceGatherer:
    """The whole machine's HardwareTrace, extended after each run with the new ticks."""

    def __init__(self, world: World, local: HardwareTrace, emulated: np.ndarray) -> None:
        """``emulated``: bool per program, emulated by this rank."""
        from mpi4py import MPI
        self.world, self._sum = world, MPI.SUM
        self.emulated = emulated
        self.trace = HardwareTrace(local.n, local._hops, local._routers, local._drops,
                                   local.link_ids, local.router_chips)

    def update(self, local: HardwareTrace) -> HardwareTrace:
        """Add the ticks the local trace has beyond the merged one. Out: the merged trace."""
        first, last = self.trace.n_ticks, local.n_ticks
        if last > first:
            mine = np.array(local._counts[first:last])
            mine[:, :, ~self.emulated] = 0      # each PE's counters from its own rank only
            total = np.empty_like(mine)
            self.world.comm.Allreduce(mine, total, op=self._sum)
            for row in total:
                self.trace.next_tick()[:] = row
        return self.trace


def merge_weights(world: World, local: dict[int, np.ndarray], initial: dict[int, np.ndarray],
                  held: dict[int, np.ndarray]) -> dict[int, np.ndarray]:
    """In: per STDP projection, this rank's weights, the compiled ones and which synapses are
    on the chips this rank holds. A rank changes only the weights of its own PEs' rows, so
    every changed weight comes from one rank.
    Out: per projection, the compiled weights with every rank's changes applied."""
    changed = {pid: np.flatnonzero(held[pid] & (values.view(np.int64)
                                                != initial[pid].view(np.int64)))
               for pid, values in local.items()}
    parts = world.allgather({pid: (where, local[pid][where]) for pid, where in changed.items()})
    out = {}
    for pid, values in initial.items():
        merged = np.array(values)
        for part in parts:
            where, new = part[pid]
            merged[where] = new
        out[pid] = merged
    return out
