"""Build each chip's multicast router table from the routing trees.

In:  RoutingTrees, KeyAllocation, Machine.
Out: dict chip index -> RouterTable (key, mask, route), entries in key order.
Raises: RouterTableOverflowError naming the chip, the entries needed and the capacity.

A tree node that only passes a packet straight through (arrives on link L, leaves on the
opposite link, no local PE) needs no entry: the router's default routing does it.
"""

from __future__ import annotations

import numpy as np

from .. import machine as hw
from ..errors import RouterTableOverflowError
from ..machine import Machine
from ..compiled.router import ROUTE_WIDTH, RouterTable
from ..compiled.stages import KeyAllocation, RoutingTrees
from .minimise import minimise


def is_default_routed(in_link: np.ndarray, out_links: np.ndarray,
                      has_local: np.ndarray) -> np.ndarray:
    """True where a node only forwards straight through, as default routing would."""
    straight = np.left_shift(1, (in_link + 3) % hw.N_LINKS).astype(np.int64)
    return (in_link >= 0) & ~has_local & (out_links.astype(np.int64) == straight)


def build_router_tables(trees: RoutingTrees, keys: KeyAllocation, machine: Machine,
                        capacity: int = hw.ROUTER_ENTRIES) -> dict[int, RouterTable]:
    """One entry per (source slice, chip) node that default routing does not cover; a table over
    the capacity is minimised by ordered covering (minimise.py) until it fits."""
    n_nodes = len(trees.node_slice)
    route = np.zeros((n_nodes, ROUTE_WIDTH), dtype=bool)
    link_bits = (trees.node_out_links[:, None] >> np.arange(hw.N_LINKS)) & 1
    route[:, :hw.N_LINKS] = link_bits.astype(bool)
    route[trees.delivery_node, hw.N_LINKS + trees.delivery_pe] = True
    has_local = np.asarray(route[:, hw.N_LINKS:].any(axis=1))
    keep = ~is_default_routed(trees.node_in_link, trees.node_out_links, has_local)
    tables: dict[int, RouterTable] = {}
    chips = trees.node_chip[keep]
    slices = trees.node_slice[keep]
    kept_routes = route[keep]
    order = np.lexsort((keys.base[slices], chips))
    chips, slices, kept_routes = chips[order], slices[order], kept_routes[order]
    bounds = np.searchsorted(chips, np.arange(machine.n_chips + 1))
    default_chip = trees.node_chip[~keep]
    default_key = keys.base[trees.node_slice[~keep]].astype(np.int64)
    for chip in np.flatnonzero(np.diff(bounds)):
        lo, hi = bounds[chip], bounds[chip + 1]
        s = slices[lo:hi]
        table = RouterTable(keys.base[s].copy(), keys.mask[s].copy(), kept_routes[lo:hi].copy())
        if len(table) > capacity:
            table = minimise(table, default_key[default_chip == chip], capacity)
        if len(table) > capacity:
            x, y = machine.chips[chip]
            raise RouterTableOverflowError(
                f"chip ({x}, {y}) needs {hi - lo} router entries ({len(table)} after "
                f"minimisation), the router has {capacity}. Spread the populations over more "
                "chips (setup(neurons_per_core=...) smaller, or more boards).")
        tables[int(chip)] = table
    return tables
