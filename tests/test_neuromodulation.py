"""Neuromodulated STDP (sPyNNaker's extra_models.Neuromodulation onto a population with
SpikePairRule STDP) on the PE, against an independent reference: Izhikevich's (2007) equations
integrated with a fine time step on the spikes the network made.

The rule (as sPyNNaker): dc/dt = -c / tau_c + STDP (the pair rule with its additive weight
dependence acting on c, bounded by its w_min and w_max), dd/dt = -d / tau_d + the reward
(punishment) weights of the dopamine spikes, dw/dt = c d. Post-synaptic spikes and dopamine
reach the synapse after the plastic synapse's (dendritic) delay; the learning is applied at
pre-synaptic spikes, so the weight read after the last one is w at that spike.
"""

import numpy as np
import pytest

DT = 1.0
DELAY = 1.0
TIMING = dict(tau_plus=10.0, tau_minus=12.0, A_plus=0.1, A_minus=0.12)
BOUNDS = dict(w_min=0.0, w_max=1.0)
NM = dict(tau_c=200.0, tau_d=50.0, w_min=0.0, w_max=2.0)
REWARD = 0.05
PUNISHMENT = 0.04
W_START = 0.5
LAGS = (5.0, 10.0, -5.0, -10.0)          # post-synaptic spike relative to the pre-synaptic one
PERIOD = 150.0
PAIRINGS = 12
REWARD_TIMES = [320.0, 321.0, 322.0, 630.0, 1080.0, 1081.0]
PUNISHMENT_TIMES = [920.0, 921.0, 1380.0]
CELL = dict(cm=0.25, tau_m=10.0, tau_refrac=2.0, tau_syn_E=1.0, tau_syn_I=1.0, v_reset=-70.0,
            v_rest=-65.0, v_thresh=-55.4)
TOLERANCE = 0.01     # of the largest weight change, at every synapse


def reference(pre, post, dopamine, w0, h=0.01):
    """Izhikevich's rule by time steps of h ms on the events at the synapse: pre-synaptic spikes
    ``pre``, post-synaptic spikes ``post`` and dopamine (time, amount) ``dopamine``; up to the
    last pre-synaptic spike. Traces of the pair rule are all-to-all and do not see a spike at
    the same time; at one time the post-synaptic spike acts first."""
    span = BOUNDS["w_max"] - BOUNDS["w_min"]
    end = max(pre)
    steps = int(round(end / h))
    events = {}
    for t in pre:
        events.setdefault(int(round(t / h)), []).append("pre")
    for t in post:
        if t <= end:
            events.setdefault(int(round(t / h)), []).insert(0, "post")
    jumps = {}
    for t, amount in dopamine:
        jumps[int(round(t / h))] = jumps.get(int(round(t / h)), 0.0) + amount
    x_pre = x_post = c = d = 0.0
    w = w0
    decay = {k: np.exp(-h / TIMING[k]) for k in ("tau_plus", "tau_minus")}
    decay_c, decay_d = np.exp(-h / NM["tau_c"]), np.exp(-h / NM["tau_d"])
    for step in range(steps + 1):
        kinds = events.get(step, ())
        if "post" in kinds:
            c = min(c + TIMING["A_plus"] * span * x_pre, BOUNDS["w_max"])
        if "pre" in kinds:
            c = max(c - TIMING["A_minus"] * span * x_post, BOUNDS["w_min"])
        x_post += "post" in kinds
        x_pre += "pre" in kinds
        d += jumps.get(step, 0.0)
        if step == steps:
            break
        # exact over the step for c d: both decay
        w += c * d * (1 - decay_c * decay_d) / (1 / NM["tau_c"] + 1 / NM["tau_d"])
        c, d = c * decay_c, d * decay_d
        x_pre, x_post = x_pre * decay["tau_plus"], x_post * decay["tau_minus"]
    return min(max(w, NM["w_min"]), NM["w_max"])


def _network(sim, extra_models):
    pre_times = [100.0 + PERIOD * k for k in range(PAIRINGS)]
    n = len(LAGS)
    pre = sim.Population(n, sim.SpikeSourceArray(spike_times=[pre_times] * n), label="nm_pre")
    post = sim.Population(n, sim.IF_curr_exp(**CELL), label="nm_post")
    drive = sim.Population(n, sim.SpikeSourceArray(
        spike_times=[[t + lag - 1.0 for t in pre_times[:-1]] for lag in LAGS]))
    sim.Projection(drive, post, sim.OneToOneConnector(), sim.StaticSynapse(weight=8.0))
    post.record("spikes")
    stdp = sim.STDPMechanism(timing_dependence=sim.SpikePairRule(**TIMING),
                             weight_dependence=sim.AdditiveWeightDependence(**BOUNDS),
                             weight=W_START, delay=DELAY)
    plastic = sim.Projection(pre, post, sim.OneToOneConnector(), stdp, label="plastic")
    for times, receptor, amount in ((REWARD_TIMES, "reward", REWARD),
                                    (PUNISHMENT_TIMES, "punishment", PUNISHMENT)):
        source = sim.Population(1, sim.SpikeSourceArray(spike_times=times), label=receptor)
        sim.Projection(source, post, sim.AllToAllConnector(),
                       extra_models.Neuromodulation(weight=amount, **NM),
                       receptor_type=receptor, label=receptor)
    return pre_times, post, plastic


@pytest.fixture(scope="module")
def learned():
    import pynn_spinnaker2 as sim
    from pynn_spinnaker2 import extra_models
    sim.setup(timestep=DT, hardware_summary=False)
    pre_times, post, plastic = _network(sim, extra_models)
    sim.run(pre_times[-1] + 50.0)
    weights = np.array(plastic.get("weight", format="array")).diagonal()
    trains = [np.asarray(t, float) for t in post.get_data().segments[0].spiketrains]
    report = sim.get_hardware_report()
    sim.end()
    return pre_times, weights, trains, report


def test_neuromodulated_stdp_follows_izhikevich(learned):
    pre_times, weights, trains, report = learned
    dopamine = ([(t + DELAY, REWARD) for t in REWARD_TIMES]
                + [(t + DELAY, -PUNISHMENT) for t in PUNISHMENT_TIMES])
    expected = np.array([reference(pre_times, train + DELAY, dopamine, W_START)
                         for train in trains])
    assert all(len(t) >= PAIRINGS - 1 for t in trains)     # every drive made a spike
    change, expected_change = weights - W_START, expected - W_START
    scale = np.abs(expected_change).max()
    assert scale > 0.1
    assert np.abs(change - expected_change).max() < TOLERANCE * scale, (change, expected_change)
    assert report.stdp_updates_lost == 0


def test_reward_potentiates_causal_pairs_only(learned):
    """Pre-before-post pairs build eligibility, so reward potentiates them; post-before-pre
    pairs leave the eligibility at its lower bound 0, so their weights stay."""
    change = learned[1] - W_START
    lags = np.asarray(LAGS)
    assert np.all(change[lags > 0] > 0.05)
    assert np.all(np.abs(change[lags < 0]) < 1e-3)


def test_neuromodulation_needs_the_pair_rule(sim):
    from pynn_spinnaker2 import extra_models
    from pynn_spinnaker2.errors import NotSupportedError
    sim.setup(timestep=DT, hardware_summary=False)
    pre = sim.Population(1, sim.SpikeSourceArray(spike_times=[5.0]))
    post = sim.Population(1, sim.IF_curr_exp(), label="target")
    sim.Projection(pre, post, sim.OneToOneConnector(), sim.STDPMechanism(
        timing_dependence=sim.Vogels2011Rule(),
        weight_dependence=sim.AdditiveWeightDependence(w_max=1.0), weight=-0.5),
        receptor_type="inhibitory")
    sim.Projection(pre, post, sim.OneToOneConnector(),
                   extra_models.Neuromodulation(weight=0.1), receptor_type="reward")
    with pytest.raises(NotSupportedError, match="SpikePairRule"):
        sim.run(10.0)


def test_neuromodulation_receptors(sim):
    from pynn_spinnaker2 import extra_models
    from pynn_spinnaker2.errors import ReceptorTypeError
    sim.setup(timestep=DT, hardware_summary=False)
    pre = sim.Population(1, sim.SpikeSourceArray(spike_times=[5.0]))
    post = sim.Population(1, sim.IF_curr_exp())
    with pytest.raises(ReceptorTypeError, match="reward"):
        sim.Projection(pre, post, sim.OneToOneConnector(),
                       extra_models.Neuromodulation(weight=0.1), receptor_type="excitatory")
