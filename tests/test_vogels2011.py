"""Vogels et al. 2011 inhibitory STDP on the PE against NEST 3.10's vogels_sprekeler_synapse:
PyNN's Vogels2011Rule(tau, eta, rho) and sPyNNaker's extra_models.Vogels2011Rule(alpha, tau,
A_plus).

Golden data: tests/golden/vogels2011.json, made by tests/golden/make_vogels2011_golden.py from
the protocols in tests/vogels_protocols.py (which these tests run on pynn_spinnaker2).
"""

import json
from pathlib import Path

import numpy as np
import pytest

import vogels_protocols as V

GOLDEN = json.loads((Path(__file__).parent / "golden" / "vogels2011.json").read_text())
# of the largest weight change of the protocol, at every synapse (float32 traces and 16-bit
# weights against NEST's doubles)
TOLERANCE = 0.02


def _run(build, duration: float, spynnaker: bool) -> tuple[np.ndarray, list, object]:
    import pynn_spinnaker2 as sim
    from pynn_spinnaker2 import extra_models
    sim.setup(timestep=V.TIMESTEP, hardware_summary=False)
    pre, post = build(sim)
    timing = (extra_models.Vogels2011Rule(alpha=V.ALPHA, tau=V.TAU, A_plus=V.ETA / V.W_MAX)
              if spynnaker else sim.Vogels2011Rule(tau=V.TAU, eta=V.ETA, rho=V.RHO))
    stdp = sim.STDPMechanism(
        timing_dependence=timing,
        weight_dependence=sim.AdditiveWeightDependence(w_min=0.0, w_max=V.W_MAX),
        weight=-V.W_INITIAL, delay=V.DELAY)
    projection = sim.Projection(pre, post, sim.OneToOneConnector(), stdp,
                                receptor_type="inhibitory")
    sim.run(duration)
    weights = -np.array(projection.get("weight", format="array")).diagonal()
    trains = [np.asarray(t).tolist() for t in post.get_data().segments[0].spiketrains]
    report = sim.get_hardware_report()
    sim.end()
    return weights, trains, report


@pytest.fixture(scope="module")
def runs():
    return {"window": _run(V.build_window, V.window_duration(), False),
            "random": _run(V.build_random, V.RANDOM_MS, False),
            "window_spynnaker": _run(V.build_window, V.window_duration(), True)}


@pytest.mark.parametrize("protocol", ["window", "random"])
def test_vogels2011_follows_nest(runs, protocol):
    weights, trains, report = runs[protocol]
    golden = GOLDEN[protocol]
    for ours, nest in zip(trains, golden["post_spike_times"]):
        assert np.allclose(ours, nest, atol=1e-6)      # the same spikes, so the same pairs
    expected = np.asarray(golden["final_weight"]) - V.W_INITIAL
    change = weights - V.W_INITIAL
    scale = np.abs(expected).max()
    assert scale > 0.05                                 # it learned something measurable
    assert np.abs(change - expected).max() < TOLERANCE * scale, (change, expected)
    assert report.stdp_updates_lost == 0


def test_vogels2011_window_shape(runs):
    """Symmetric potentiation near coincidence, depression by alpha far from it."""
    change = runs["window"][0] - V.W_INITIAL
    lags = np.abs(np.asarray(V.LAGS_MS))
    assert np.all(change[lags <= 10] > 0.02)
    assert np.all(change[lags == 50] < 0)
    assert np.all(np.diff(change[np.asarray(V.LAGS_MS) > 0]) < 0)


def test_spynnaker_vogels2011_is_the_same_rule(runs):
    """alpha given directly and eta = A_plus (w_max - w_min): the same weights."""
    assert np.allclose(runs["window_spynnaker"][0], runs["window"][0], atol=1e-4)


def test_pynn_vogels2011_alpha_from_rho(sim):
    """alpha = 2 rho tau (rho in Hz, tau in ms) reaches the compiled rule."""
    sim.setup(timestep=0.1, hardware_summary=False)
    pre = sim.Population(2, sim.SpikeSourceArray(spike_times=[5.0]))
    post = sim.Population(2, sim.IF_curr_exp())
    stdp = sim.STDPMechanism(timing_dependence=sim.Vogels2011Rule(tau=25.0, eta=0.1, rho=4.0),
                             weight_dependence=sim.AdditiveWeightDependence(w_max=1.0),
                             weight=0.5)
    sim.Projection(pre, post, sim.AllToAllConnector(), stdp)
    sim.run(1.0)
    (spec,) = [p for p in sim.get_mapping().network.projections if p.dynamics == "stdp"]
    assert float(spec.dynamics_params["alpha"][0]) == pytest.approx(2e-3 * 4.0 * 25.0)
    assert float(spec.dynamics_params["tau"][0]) == 25.0
