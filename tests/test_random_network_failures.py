"""Networks that random-network testing broke (issue 12): an Assembly on either side of a
projection with distance-dependent weights, an STDP projection whose connector drew no synapse,
and tau_refrac off the grid, counted as NEST 3.10 counts it (golden data:
tests/golden/refractory_rounding.json, made by tests/golden/make_refractory_rounding_golden.py).
"""

import json
from pathlib import Path

import numpy as np
import pytest

GOLDEN = json.loads((Path(__file__).parent / "golden" / "refractory_rounding.json").read_text())


@pytest.mark.parametrize("sides", ["pre", "post", "both"])
def test_distance_dependent_weights_with_an_assembly(sim, sides):
    sim.setup(timestep=0.1)
    grid = sim.space.Grid2D(aspect_ratio=1.5, dx=3.0, dy=2.0)
    a = sim.Population(6, sim.IF_curr_exp(), structure=grid, label="a")
    b = sim.Population(4, sim.IF_curr_exp(), structure=sim.space.Line(dx=7.0, x0=1.0),
                       label="b")
    assembly = a + b
    pre = assembly if sides in ("pre", "both") else a
    post = assembly if sides in ("post", "both") else b
    projection = sim.Projection(pre, post, sim.AllToAllConnector(),
                                sim.StaticSynapse(weight="0.1 + 0.01 * d", delay=1.0))
    got = projection.get("weight", format="array")
    pre_xyz, post_xyz = pre.positions.T, post.positions.T
    d = np.sqrt(((pre_xyz[:, None, :] - post_xyz[None, :, :]) ** 2).sum(axis=2))
    assert got.shape == (pre.size, post.size)
    assert np.allclose(got, 0.1 + 0.01 * d)
    assert np.ptp(d) > 0


def test_stdp_projection_without_synapses_runs(sim):
    sim.setup(timestep=0.1)
    a = sim.Population(5, sim.IF_curr_exp(), label="a")
    b = sim.Population(4, sim.IF_curr_exp(), label="b")
    stdp = sim.STDPMechanism(timing_dependence=sim.SpikePairRule(),
                             weight_dependence=sim.AdditiveWeightDependence(),
                             weight=0.1, delay=1.0)
    empty = sim.Projection(a, b, sim.FixedProbabilityConnector(0.0), stdp, label="empty")
    b.record("v")
    sim.run(5.0)
    assert empty.size() == 0
    assert sim.get_current_time() == pytest.approx(5.0)


def test_stdp_projection_without_synapses_still_checks_its_rule(sim):
    sim.setup(timestep=0.1)
    a = sim.Population(5, sim.IF_curr_exp(), label="a")
    stdp = sim.STDPMechanism(timing_dependence=sim.SpikePairRule(),
                             weight_dependence=sim.AdditiveWeightDependence(),
                             weight=0.1, delay=1.0, dendritic_delay_fraction=0.0)
    sim.Projection(a, a, sim.FixedProbabilityConnector(0.0), stdp, label="empty")
    with pytest.raises(sim.errors.NotSupportedError, match="dendritic_delay_fraction"):
        sim.run(1.0)


@pytest.mark.parametrize("case", GOLDEN["cases"], ids=lambda c: f"dt{c['timestep']}")
def test_tau_refrac_counted_as_nest_does(sim, case):
    dt = case["timestep"]
    sim.setup(timestep=dt, min_delay=dt)
    cells = sim.Population(len(case["tau_refrac"]),
                           sim.IF_curr_exp(tau_refrac=case["tau_refrac"],
                                           **GOLDEN["cell_params"]))
    cells.record("spikes")
    sim.run(GOLDEN["run_ms"])
    trains = cells.get_data().segments[0].spiketrains
    for tau, st, want in zip(case["tau_refrac"], trains, case["spike_times"]):
        assert np.allclose(st.magnitude, want, atol=dt / 10), tau
