"""Placers share one signature and one contract; the connectivity placer keeps traffic local."""

import numpy as np
import pytest

from pynn_spinnaker2.mapping import validate
from pynn_spinnaker2.mapping.place import PLACERS


def _far_apart(sim, placer):
    """A source and its target created with 600 unconnected neurons (spread over chips) between
    them, one PE per chip."""
    sim.setup(timestep=1.0, machine="board", usable_pes_per_chip=1, neurons_per_core=100,
              placer=placer, rng_seed=3)
    src = sim.Population(100, sim.SpikeSourcePoisson(rate=50.0), label="src")
    for i in range(6):
        sim.Population(100, sim.IF_curr_exp(), label=f"bystander{i}")
    dst = sim.Population(100, sim.IF_curr_exp(), label="dst")
    sim.Projection(src, dst, sim.FixedProbabilityConnector(0.1, rng=sim.NumpyRNG(2)),
                   sim.StaticSynapse(weight=0.1))
    sim.run(100.0)
    return sim.get_mapping(), sim.get_hardware_report()


@pytest.mark.parametrize("placer", sorted(PLACERS))
def test_every_placer_meets_the_contract(sim, placer):
    mapped, report = _far_apart(sim, placer)
    validate.check_placement(mapped.partition, mapped.placements, mapped.machine)
    validate.check_router_tables(mapped.compiled_network, mapped.partition, mapped.placements,
                                 mapped.keys, mapped.tables_by_index, mapped.machine)
    assert report.dropped_packets == 0 and report.spikes_sent > 0


def test_connectivity_placer_needs_fewer_packet_hops_than_sequential(sim):
    hops = {}
    for placer in ("sequential", "connectivity"):
        mapped, report = _far_apart(sim, placer)
        hops[placer] = report.link_packet_hops / report.spikes_sent   # hops per packet
        placed = {p.population: (p.x, p.y) for p in mapped.slice_placements}
        hops[placer + " chips"] = (placed["src"], placed["dst"])
    assert hops["connectivity"] == 1.0          # neighbouring chips
    assert hops["sequential"] >= 2.0            # the bystanders sit between them
    assert np.isfinite(hops["sequential"])
