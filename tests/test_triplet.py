"""sPyNNaker's PfisterSpikeTriplet with WeightDependenceAdditiveTriplet on the PE, against an
independent numpy implementation of Pfister & Gerstner's (2006) all-to-all triplet rule run on
the spikes the network made, in the pairing protocol of Sjostrom et al. (2001) as sPyNNaker's
stdp_triplet.py example runs it (pairs at several frequencies, post 10 ms after or before pre).
"""

import numpy as np
import pytest

# sPyNNaker's example: Pfister & Gerstner's visual-cortex minimal parameters, halved
TIMING = dict(tau_plus=16.8, tau_minus=33.7, tau_x=101.0, tau_y=114.0, A_plus=0.0,
              A_minus=0.5 * 7.1e-3)
WEIGHT = dict(w_min=0.0, w_max=1.0, A3_plus=0.5 * 6.5e-3, A3_minus=0.0)
W_START = 0.5
CELL = dict(cm=0.25, i_offset=0.0, tau_m=10.0, tau_refrac=2.0, tau_syn_E=2.5, tau_syn_I=2.5,
            v_reset=-70.0, v_rest=-65.0, v_thresh=-55.4)
FREQUENCIES = (1.0, 10.0, 20.0, 40.0, 50.0)
DELTA_T = (-10, 10)
PAIRS = 20
START = 100
DELAY = 1.0
TOLERANCE = 0.02    # of the largest weight change, at every synapse


def reference(pre: np.ndarray, post: np.ndarray, timing: dict, weight: dict,
              w: float, delay: float) -> float:
    """The triplet rule on spike times (ms): traces r1 (tau_plus), r2 (tau_x) of the pre- and
    o1 (tau_minus), o2 (tau_y) of the post-synaptic spikes; a post-synaptic spike (seen at the
    synapse ``delay`` later) adds r1 (A2+ + A3+ o2), a pre-synaptic spike subtracts
    o1 (A2- + A3- r2), in units of w_max - w_min, traces taken just before the spike (spikes at
    the same time do not see each other, the post-synaptic update first); weights clipped to
    [w_min, w_max] after each update. The weight is read after the last pre-synaptic spike: a
    post-synaptic spike after it has not been applied yet (the rule runs at pre-synaptic
    spikes), so it is left out.
    """
    span = weight["w_max"] - weight["w_min"]
    seen = np.asarray(post, float) + delay
    seen = seen[seen <= pre[-1]]
    times = np.union1d(pre, seen)
    r1 = r2 = o1 = o2 = 0.0
    last = times[0]
    for t in times:
        gap = t - last
        r1 *= np.exp(-gap / timing["tau_plus"])
        r2 *= np.exp(-gap / timing["tau_x"])
        o1 *= np.exp(-gap / timing["tau_minus"])
        o2 *= np.exp(-gap / timing["tau_y"])
        last = t
        is_post, is_pre = np.any(seen == t), np.any(pre == t)
        if is_post:
            w = min(w + span * r1 * (timing["A_plus"] + weight["A3_plus"] * o2), weight["w_max"])
        if is_pre:
            w = max(w - span * o1 * (timing["A_minus"] + weight["A3_minus"] * r2),
                    weight["w_min"])
        if is_post:
            o1, o2 = o1 + 1.0, o2 + 1.0
        if is_pre:
            r1, r2 = r1 + 1.0, r2 + 1.0
    return w


def _train(frequency: float, first: float, n: int) -> list[float]:
    return [first + k * int(1000.0 / frequency) for k in range(n)]


@pytest.fixture(scope="module")
def pairing():
    """sPyNNaker's stdp_triplet.py network: per (delta t, frequency), a source-driven pre and
    post neuron and the plastic synapse between them. Out: per case, the learned weight and the
    two neurons' spike times."""
    import pynn_spinnaker2 as sim
    from pynn_spinnaker2 import extra_models
    sim.setup(timestep=1.0, min_delay=1.0, hardware_summary=False)
    cases, duration = [], 0.0
    for dt in DELTA_T:
        for f in FREQUENCIES:
            pre_times = _train(f, START - 1, PAIRS + 1)
            post_times = _train(f, START + dt, PAIRS)
            duration = max(duration, max(pre_times + post_times) + 100)
            pre = sim.Population(1, sim.IF_curr_exp(**CELL), label=f"pre_{dt}_{f:g}")
            post = sim.Population(1, sim.IF_curr_exp(**CELL), label=f"post_{dt}_{f:g}")
            for times, target in ((pre_times, pre), (post_times, post)):
                source = sim.Population(1, sim.SpikeSourceArray(spike_times=[times]))
                sim.Projection(source, target, sim.OneToOneConnector(),
                               sim.StaticSynapse(weight=2.0))
                target.record("spikes")
            stdp = sim.STDPMechanism(
                timing_dependence=extra_models.PfisterSpikeTriplet(**TIMING),
                weight_dependence=extra_models.WeightDependenceAdditiveTriplet(**WEIGHT),
                weight=W_START, delay=DELAY)
            projection = sim.Projection(pre, post, sim.OneToOneConnector(), stdp)
            cases.append(((dt, f), projection, pre, post))
    sim.run(duration)
    out = {}
    for key, projection, pre, post in cases:
        spikes = [np.asarray(p.get_data().segments[0].spiketrains[0], float) for p in (pre, post)]
        out[key] = (float(projection.get("weight", format="list", with_address=False)[0]),
                    *spikes)
    report = sim.get_hardware_report()
    sim.end()
    return out, report


def test_triplet_rule_follows_the_reference(pairing):
    results, report = pairing
    learned, expected = [], []
    for (dt, f), (weight, pre, post) in results.items():
        assert len(pre) >= PAIRS and len(post) >= PAIRS      # every stimulus made a spike
        learned.append(weight)
        expected.append(reference(pre, post, TIMING, WEIGHT, W_START, DELAY))
    change, expected_change = np.array(learned) - W_START, np.array(expected) - W_START
    scale = np.abs(expected_change).max()
    assert scale > 0.05
    assert np.abs(change - expected_change).max() < TOLERANCE * scale, (change, expected_change)
    assert report.stdp_updates_lost == 0


def test_triplet_frequency_dependence(pairing):
    """Sjostrom's result as the triplet rule reproduces it: post-before-pre pairs depress at
    low frequency and potentiate at high; pre-before-post potentiation grows with frequency."""
    results = pairing[0]
    change = {key: value[0] - W_START for key, value in results.items()}
    assert change[(-10, 1.0)] < 0 < change[(-10, 50.0)]
    plus = [change[(10, f)] for f in FREQUENCIES]
    assert np.all(np.diff(plus) > 0) and plus[-1] > 0.03


def test_reference_is_the_triplet_rule():
    """The reference on hand-made spikes: one pre then one post 10 ms later potentiates by
    A2+ e^(-10/tau_plus) (no earlier post: no triplet term); then a pre 5 ms later depresses
    by A2- e^(-4/tau_minus) (delay 1 ms) plus A3- r2 with r2 = e^(-15/tau_x)."""
    timing = dict(TIMING, A_plus=0.01)
    weight = dict(WEIGHT, A3_minus=0.002)
    w = reference(np.array([0.0, 15.0]), np.array([10.0]), timing, weight, 0.5, 1.0)
    grown = 0.5 + 0.01 * np.exp(-11.0 / 16.8)
    shrunk = grown - np.exp(-4.0 / 33.7) * (timing["A_minus"] + 0.002 * np.exp(-15.0 / 101.0))
    assert w == pytest.approx(shrunk)
