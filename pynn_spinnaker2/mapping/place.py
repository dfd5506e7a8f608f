"""Place PE slices onto the chips and PEs of the machine.

In:  Partition, Machine, NetworkSpec.
Out: Placements: chip index and PE number of every slice.
Raises: MachineTooSmallError naming the first population that does not fit.

Placers share one signature, ``placer(partition, machine, network) -> Placements`` (PLACERS).
Both fill the working PEs of chips in breadth-first order from chip (0, 0) over the links, so
that consecutive slices sit on the same or neighbouring chips; they differ in the slice order:
- "sequential": populations in creation order;
- "connectivity": populations in the order of a greedy walk of the projection graph, each next
  population the one with the most synapses to and from those already placed, so populations
  that exchange many spikes are placed next to each other.
"""

from __future__ import annotations

from collections import deque

import numpy as np

from .. import machine as hw
from ..errors import MachineTooSmallError
from ..ir import NetworkSpec
from ..machine import Machine
from ..compiled.stages import Partition, Placements


def chip_order(machine: Machine, start: int = 0) -> np.ndarray:
    """Chip indices in breadth-first order over the links from ``start``."""
    seen = np.zeros(machine.n_chips, dtype=bool)
    order, queue = [], deque([start])
    seen[start] = True
    while queue:
        chip = queue.popleft()
        order.append(chip)
        for nxt in machine.neighbours[chip]:
            if nxt >= 0 and not seen[nxt]:
                seen[nxt] = True
                queue.append(nxt)
    # chips not connected to the start chip come last
    order.extend(np.flatnonzero(~seen).tolist())
    return np.array(order, dtype=np.int64)


def place(partition: Partition, machine: Machine, network: NetworkSpec) -> Placements:
    """Sequential placement: slice s goes to the s-th working PE in chip order."""
    return _fill(partition, machine, network, np.arange(partition.n_slices))


def place_by_connectivity(partition: Partition, machine: Machine, network: NetworkSpec,
                          counts: np.ndarray | None = None) -> Placements:
    """Populations ordered by a greedy walk of the synapse-weighted projection graph.
    In: ``counts``, each projection's synapses over all MPI ranks, when they are not all
    here (else read from the projections)."""
    n_pops = len(network.populations)
    weight = np.zeros((n_pops, n_pops))
    for proj in network.projections:
        weight[proj.pre, proj.post] += proj.n_synapses if counts is None else counts[proj.id]
    weight = weight + weight.T
    np.fill_diagonal(weight, 0)
    order: list[int] = []
    left = list(range(n_pops))
    while left:
        if order:
            affinity = weight[np.ix_(left, order)].sum(axis=1)
        else:
            affinity = weight[left].sum(axis=1)
        best = left[int(np.argmax(affinity))]   # ties: the earliest created
        order.append(best)
        left.remove(best)
    rank = np.empty(n_pops, dtype=np.int64)
    rank[order] = np.arange(n_pops)
    slice_order = np.lexsort((np.arange(partition.n_slices), rank[partition.pop]))
    return _fill(partition, machine, network, slice_order)


def _fill(partition: Partition, machine: Machine, network: NetworkSpec,
          slice_order: np.ndarray) -> Placements:
    """Give the slices, in ``slice_order``, the working PEs in breadth-first chip order."""
    n = partition.n_slices
    capacity = machine.n_pes
    if n > capacity:
        first_over = int(partition.pop[slice_order[capacity]])
        label = network.populations[first_over].label
        raise MachineTooSmallError(
            f"Population '{label}' does not fit: the network needs {n} PEs, "
            f"machine '{machine.describe()}' has {capacity}. Use setup(boards=N) with "
            f"N >= {-(-n // (hw.CHIPS_PER_BOARD * machine.usable_pes_per_chip))}, or "
            "setup(machine='auto').")
    order = chip_order(machine)
    per_chip = machine.usable_pes_per_chip
    chips = np.repeat(order, per_chip)
    pes = np.tile(np.arange(per_chip), len(order))
    if machine.dead_pes:
        working = np.array([(int(c), int(p)) not in machine.dead_pes
                            for c, p in zip(chips, pes)])
        chips, pes = chips[working], pes[working]
    chip, pe = np.empty(n, dtype=np.int64), np.empty(n, dtype=np.int64)
    chip[slice_order], pe[slice_order] = chips[:n], pes[:n]
    return Placements(chip=chip, pe=pe)


PLACERS = {"sequential": place, "connectivity": place_by_connectivity}
