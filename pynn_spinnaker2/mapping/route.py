"""Route every source slice to the PEs that hold its targets: multicast trees over the links.

In:  NetworkSpec (which slices connect), Partition, Placements, Machine.
Out: RoutingTrees: for every (source slice, chip) on a tree, the link it arrives on, the links
     it leaves on and the local PEs it is delivered to.
Raises: MappingError when a target chip cannot be reached from the source chip.

Each tree is the union of shortest paths, taken from one breadth-first search tree per source
chip, so trees have no loops and reach exactly the chips that hold targets (and the chips on the
way).
"""

from __future__ import annotations

from collections import deque

import numpy as np

from .. import machine as hw
from ..errors import MappingError
from ..ir import NetworkSpec
from ..machine import Machine
from ..compiled.stages import Partition, Placements, RoutingTrees, SlicePairs
from .slice_pairs import connected_slice_pairs

__all__ = ["RoutingTrees", "connected_slice_pairs", "route", "shortest_path_tree"]


def shortest_path_tree(machine: Machine, root: int) -> tuple[np.ndarray, np.ndarray]:
    """Breadth-first search tree of the chip graph.

    Out: parent chip and the link taken from the parent, per chip (-1 where unreachable).
    """
    parent = np.full(machine.n_chips, -1, dtype=np.int64)
    parent_link = np.full(machine.n_chips, -1, dtype=np.int64)
    parent[root] = root
    queue = deque([root])
    while queue:
        chip = queue.popleft()
        for link, nxt in enumerate(machine.neighbours[chip]):
            if nxt >= 0 and parent[nxt] < 0:
                parent[nxt], parent_link[nxt] = chip, link
                queue.append(nxt)
    return parent, parent_link


def route(network: NetworkSpec, partition: Partition, placements: Placements,
          machine: Machine, slice_pairs: SlicePairs) -> RoutingTrees:
    """Build one multicast tree per source slice that has targets.

    In: slice_pairs, the row blocks' (source, target) slices (count_slice_pairs).
    """
    pairs = connected_slice_pairs(network, partition, slice_pairs)
    bfs_cache: dict[int, tuple[np.ndarray, np.ndarray]] = {}
    node_slice: list[int] = []
    node_chip: list[int] = []
    node_in: list[int] = []
    node_out: list[int] = []
    delivery_node: list[int] = []
    delivery_pe: list[int] = []
    starts = np.searchsorted(pairs[:, 0], np.arange(partition.n_slices + 1))
    for src in np.flatnonzero(np.diff(starts)):
        targets = pairs[starts[src]:starts[src + 1], 1]
        root = int(placements.chip[src])
        if root not in bfs_cache:
            bfs_cache[root] = shortest_path_tree(machine, root)
        parent, parent_link = bfs_cache[root]
        in_link = {root: -1}
        out_links = {root: 0}
        for chip in np.unique(placements.chip[targets]).tolist():
            if parent[chip] < 0:
                x, y = machine.chips[chip]
                raise MappingError(f"chip ({x}, {y}) cannot be reached from the source chip "
                                   f"{tuple(machine.chips[root])} over working links")
            while chip not in in_link:
                link = int(parent_link[chip])
                in_link[chip] = (link + 3) % hw.N_LINKS
                out_links.setdefault(chip, 0)
                chip = int(parent[chip])
                out_links[chip] = out_links.get(chip, 0) | (1 << link)
        base = len(node_slice)
        chips = list(in_link)
        index = {chip: base + i for i, chip in enumerate(chips)}
        node_slice.extend([int(src)] * len(chips))
        node_chip.extend(chips)
        node_in.extend(in_link[c] for c in chips)
        node_out.extend(out_links[c] for c in chips)
        delivery_node.extend(index[int(c)] for c in placements.chip[targets])
        delivery_pe.extend(placements.pe[targets].tolist())
    as_int = lambda values: np.array(values, dtype=np.int64)  # noqa: E731
    return RoutingTrees(as_int(node_slice), as_int(node_chip), as_int(node_in),
                        np.array(node_out, dtype=np.uint8), as_int(delivery_node),
                        as_int(delivery_pe))
