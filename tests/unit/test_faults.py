"""Dead chips, links and PEs listed in the machine description are avoided."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from pynn_spinnaker2 import machine as hw
from pynn_spinnaker2.errors import ConfigurationError, MappingError
from pynn_spinnaker2.mapping.route import shortest_path_tree


def _pair(sim, fillers=0, **setup):
    """A source on the first chip and its target after `fillers` one-cell populations, one PE
    per chip unless told otherwise, so each population has a chip of its own."""
    sim.setup(**{"timestep": 1.0, "machine": "board", "usable_pes_per_chip": 1, **setup})
    src = sim.Population(1, sim.SpikeSourceArray(spike_times=[2.0, 4.0]), label="src")
    for i in range(fillers):
        sim.Population(1, sim.IF_curr_exp(), label=f"filler{i}")
    dst = sim.Population(1, sim.IF_curr_exp(), label="dst")
    sim.Projection(src, dst, sim.OneToOneConnector(), sim.StaticSynapse(weight=0.1))
    return sim.get_mapping()


def test_dead_link_is_routed_around(sim):
    # with (0, 0) E dead, breadth-first order reaches (1, 0) seventh, over (1, 1); the
    # sequential placer puts the target there, after five unconnected fillers
    mapped = _pair(sim, fillers=5, dead_links=[(0, 0, "E")], validate=True,
                   placer="sequential")
    placed = {p.population: (p.x, p.y) for p in mapped.slice_placements}
    assert placed["src"] == (0, 0) and placed["dst"] == (1, 0)
    sim.run(10.0)
    links = sim.get_hardware_report().link_packets
    assert "(0, 0) E" not in links and sum(links.values()) == 2 * 2   # two hops per packet


def test_dead_chip_and_dead_pe_are_not_used(sim):
    mapped = _pair(sim, dead_chips=[(1, 0)], dead_pes=[(0, 0, 0)], usable_pes_per_chip=2)
    used = {(p.x, p.y, p.pe) for p in mapped.slice_placements}
    assert (0, 0, 0) not in used and all((x, y) != (1, 0) for x, y, _ in used)
    assert mapped.machine.n_chips == 47 and mapped.machine.n_pes == 47 * 2 - 1


def test_bad_fault_entries_are_named(sim):
    with pytest.raises(ConfigurationError, match=r"\(9, 9\)"):
        _pair(sim, dead_chips=[(9, 9)])
    with pytest.raises(ConfigurationError, match="direction"):
        _pair(sim, dead_links=[(0, 0, "X")])


@given(st.lists(st.tuples(st.integers(0, 47), st.sampled_from(hw.LINK_NAMES)),
                max_size=12))
def test_random_dead_links_route_or_name_the_unreachable_chip(dead):
    """Either every route is valid (validate=True checks it) or the compiler names a chip that
    really is unreachable from the source."""
    import pynn_spinnaker2 as sim
    board = hw.boards(1)
    links = [(*board.chips[c].tolist(), d) for c, d in dead]
    sim.setup(timestep=1.0, machine="board", usable_pes_per_chip=4, neurons_per_core=8,
              dead_links=links, validate=True)
    src = sim.Population(60, sim.SpikeSourcePoisson(rate=5.0), label="src")
    dst = sim.Population(300, sim.IF_curr_exp(), label="dst")
    sim.Projection(src, dst, sim.FixedProbabilityConnector(0.05, rng=sim.NumpyRNG(1)),
                   sim.StaticSynapse(weight=0.1))
    try:
        mapped = sim.get_mapping()
    except MappingError as err:
        faulty = hw.with_faults(board, dead_links=links)
        parent, _ = shortest_path_tree(faulty, 0)
        assert "cannot be reached" in str(err) and np.any(parent < 0)
    else:
        for table in mapped.tables_by_index.values():
            assert len(table) <= hw.ROUTER_ENTRIES
    sim.end()
