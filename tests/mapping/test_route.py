"""Stages route and router_tables on a hand-made partition and placement on one board, with
validate.check_route and validate.check_router_tables on their outputs.

Slice 0 (pop 0) on chip (0, 0) PE 0 sends to slice 1 on chip (0, 0) PE 3 and to slice 2 on chip
(2, 0) PE 5; the only shortest path to (2, 0) is east through (1, 0). Slice 2 sends nowhere.
"""

import dataclasses

import numpy as np
import pytest

from factories import chip_index, lif, link, network, projection
from pynn_spinnaker2 import machine as hw
from pynn_spinnaker2.compiled.router import RouterTable
from pynn_spinnaker2.compiled.stages import Partition, Placements
from pynn_spinnaker2.errors import InvariantError
from pynn_spinnaker2.mapping.keys import allocate_keys
from pynn_spinnaker2.mapping.route import route
from pynn_spinnaker2.mapping.router_tables import build_router_tables
from pynn_spinnaker2.mapping.slice_pairs import count_slice_pairs
from pynn_spinnaker2.mapping.validate import CHECKS

MACHINE = hw.boards(1)
C00, C10, C20 = (chip_index(MACHINE, x, 0) for x in (0, 1, 2))
PARTS = Partition(pop=np.array([0, 1, 1]), lo=np.array([0, 0, 2]), hi=np.array([2, 2, 4]))
PLACED = Placements(chip=np.array([C00, C00, C20]), pe=np.array([0, 3, 5]))
NET = network([lif(0, 2), lif(1, 4)], [projection(0, 0, 1, [(0, 1), (1, 2), (0, 3)])])
EAST = link("E")


def _trees():
    return route(NET, PARTS, PLACED, MACHINE, count_slice_pairs(NET, PARTS))


def test_the_tree_goes_east_twice_and_delivers_on_two_chips():
    trees = _trees()
    CHECKS["route"](NET, PARTS, PLACED, trees)
    nodes = {int(c): (int(i), int(o)) for c, i, o in zip(trees.node_chip, trees.node_in_link,
                                                         trees.node_out_links)}
    west = (EAST + 3) % hw.N_LINKS
    assert nodes == {C00: (-1, 1 << EAST), C10: (west, 1 << EAST), C20: (west, 0)}
    np.testing.assert_array_equal(trees.node_slice, [0, 0, 0])
    delivered = sorted(zip(trees.node_chip[trees.delivery_node].tolist(),
                           trees.delivery_pe.tolist()))
    assert delivered == sorted([(C00, 3), (C20, 5)])


def test_router_tables_skip_the_chip_that_only_passes_the_packet_on():
    trees, keys = _trees(), allocate_keys(PARTS)
    tables = build_router_tables(trees, keys, MACHINE)
    CHECKS["router_tables"](NET, PARTS, PLACED, keys, tables, MACHINE)
    assert sorted(tables) == sorted([C00, C20])      # (1, 0) is default-routed
    for chip, (link_bits, pe) in {C00: (1 << EAST, 3), C20: (0, 5)}.items():
        table = tables[chip]
        assert len(table) == 1
        np.testing.assert_array_equal(table.key, [keys.base[0]])
        np.testing.assert_array_equal(table.route[0, :hw.N_LINKS],
                                      [(link_bits >> k) & 1 for k in range(hw.N_LINKS)])
        assert np.flatnonzero(table.route[0, hw.N_LINKS:]).tolist() == [pe]


def test_check_route_catches_a_missing_delivery():
    trees = _trees()
    keep = trees.delivery_pe != 5
    dropped = dataclasses.replace(trees, delivery_node=trees.delivery_node[keep],
                                  delivery_pe=trees.delivery_pe[keep])
    with pytest.raises(InvariantError, match="'route'.*trees differ"):
        CHECKS["route"](NET, PARTS, PLACED, dropped)


def test_check_router_tables_catches_a_lost_entry():
    trees, keys = _trees(), allocate_keys(PARTS)
    tables = build_router_tables(trees, keys, MACHINE)
    t = tables[C20]
    tables[C20] = RouterTable(t.key[:0], t.mask[:0], t.route[:0])
    with pytest.raises(InvariantError, match="'router_tables'"):
        CHECKS["router_tables"](NET, PARTS, PLACED, keys, tables, MACHINE)
