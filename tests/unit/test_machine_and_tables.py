"""Unit tests of the machine description, router tables and the fabric's routing rules."""

import numpy as np

from pynn_spinnaker2 import machine as hw
from pynn_spinnaker2.compiled.routing import route_packets
from pynn_spinnaker2.compiled.router import ROUTE_WIDTH, RouterTable


def test_board_has_48_chips_in_spinn5_layout():
    board = hw.boards(1)
    assert board.n_chips == 48
    counts = np.bincount(board.chips[:, 0])
    assert counts.tolist() == [4, 5, 6, 7, 8, 7, 6, 5]
    assert (0, 7) not in set(map(tuple, board.chips.tolist()))   # a cut corner


def test_links_are_symmetric_and_opposite():
    for machine in (hw.boards(1), hw.boards(3), hw.boards(5)):
        for chip in range(machine.n_chips):
            for link, other in enumerate(machine.neighbours[chip]):
                if other >= 0:
                    assert machine.neighbours[other, (link + 3) % 6] == chip


def test_three_boards_tile_a_12x12_torus():
    machine = hw.boards(3)
    assert machine.n_chips == 144
    assert len({tuple(c) for c in machine.chips.tolist()}) == 144
    assert np.all(machine.neighbours >= 0)   # a full torus: every chip has 6 neighbours


def test_table_lookup_first_match_wins():
    route = np.zeros((3, ROUTE_WIDTH), dtype=bool)
    table = RouterTable(np.array([0x100, 0x000, 0x200], dtype=np.uint32),
                        np.array([0xFFFFFF00, 0xFFFFFC00, 0xFFFFFF00], dtype=np.uint32), route)
    # 0x105 matches entry 0 and entry 1 (0x000/0xFFFFFC00 covers 0x000-0x3FF): first wins
    found = table.lookup(np.array([0x105, 0x0FF, 0x2AA, 0x400], dtype=np.uint32))
    assert found.tolist() == [0, 1, 1, -1]


def test_default_routing_and_drops():
    machine = hw.boards(1)
    a, b = machine.chip_index(0, 0), machine.chip_index(1, 0)
    c = machine.chip_index(2, 0)
    route = np.zeros((1, ROUTE_WIDTH), dtype=bool)
    route[0, 0] = True          # chip (0,0): send East
    route_c = np.zeros((1, ROUTE_WIDTH), dtype=bool)
    route_c[0, hw.N_LINKS + 7] = True   # chip (2,0): deliver to PE 7
    key, mask = np.array([0x100], np.uint32), np.array([0xFFFFFF00], np.uint32)
    tables = {a: RouterTable(key, mask, route), c: RouterTable(key, mask, route_c)}
    # chip (1,0) has no entry: the packet is default-routed straight on to (2,0)
    routed = route_packets(tables, machine, np.array([a, a]),
                           np.array([0x105, 0x300], dtype=np.uint32))
    assert routed.delivery_packet.tolist() == [0]
    assert (routed.delivery_chip.tolist(), routed.delivery_pe.tolist()) == ([c], [7])
    assert sorted(zip(routed.hop_chip.tolist(), routed.hop_link.tolist())) == [(a, 0), (b, 0)]
    # the second key matches nothing at its source chip: dropped and reported
    assert routed.dropped_packet.tolist() == [1] and routed.dropped_chip.tolist() == [a]
