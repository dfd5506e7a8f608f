"""STDP protocols run the same way on pynn_spinnaker2 and on pyNN.nest (for the NEST goldens in
tests/golden/stdp.json, made by tests/golden/make_stdp_golden.py, and for the tests).

``window``: for each lag, one pre-synaptic source and one post-synaptic neuron; the source fires
at T_k, the neuron is made to fire shortly after T_k + lag by a current pulse of its own (a
current source, so that the plastic synapses keep the PE's weight scale to themselves), for
PAIRINGS pairings PERIOD ms apart (the traces decay to exp(-PERIOD / 20 ms) ~ 5e-5 in between).
One projection per weight dependence, each with its own sources and neurons.

``long_delay_window``: the window protocol through a delay extension: plastic delay
LONG_DELAY_MS (300 ticks at WINDOW_TIMESTEP: four stages of 64 ticks and 44 in the word), the
post-synaptic pulses moved earlier by that delay so that the lags are those the rule sees (NEST's
dendritic delay: a post-synaptic spike at t pairs as if at t + delay).

``rate``: Poisson spike trains (drawn here with numpy, so both simulators get the same ones)
into a few neurons through additive STDP synapses for RATE_SECONDS; the final weights.
"""

from __future__ import annotations

import numpy as np

WINDOW_TIMESTEP = 0.1
LAGS_MS = (-50, -40, -30, -20, -15, -10, -5, -2, -1, 1, 2, 5, 10, 15, 20, 30, 40, 50)
PAIRINGS = 10
PERIOD_MS = 200.0
FIRST_MS = 100.0
PLASTIC_DELAY_MS = 1.0
PULSE_NA = 20.0
PULSE_MS = 1.0
W_MAX = 1.0
W_INITIAL = 0.5
TIMING = dict(tau_plus=20.0, tau_minus=20.0, A_plus=0.04, A_minus=0.045)
WEIGHT_DEPENDENCES = {
    "additive": ("AdditiveWeightDependence", {}),
    "multiplicative": ("MultiplicativeWeightDependence", {}),
    "additive_potentiation_multiplicative_depression":
        ("AdditivePotentiationMultiplicativeDepression", {}),
    "gutig": ("GutigWeightDependence", {"mu_plus": 0.4, "mu_minus": 0.6}),
}
# the pulse takes the neuron to threshold in under a millisecond; the plastic synapses (at
# most W_MAX nA, tau_syn 0.5 ms) add well under a millivolt
POST_CELL = dict(tau_m=20.0, cm=1.0, v_rest=-65.0, v_reset=-65.0, v_thresh=-50.0,
                 tau_refrac=2.0, tau_syn_E=0.5, tau_syn_I=0.5)


def window_duration() -> float:
    return FIRST_MS + PAIRINGS * PERIOD_MS


LONG_DELAY_MS = 30.0
LONG_DELAY_DEPENDENCES = ("additive", "gutig")


def build_window(sim, delay_ms: float = PLASTIC_DELAY_MS,
                 dependences: tuple[str, ...] = tuple(WEIGHT_DEPENDENCES),
                 post_offset_ms: float = 0.0) -> dict:
    """The window protocol on ``sim`` (after setup), plastic delay ``delay_ms``, the pulses
    ``post_offset_ms`` later than the lags say. Out: {dependence: (projection, post)}."""
    pre_times = FIRST_MS + PERIOD_MS * np.arange(PAIRINGS)
    out = {}
    for name in dependences:
        dependence, extra = WEIGHT_DEPENDENCES[name]
        n = len(LAGS_MS)
        pre = sim.Population(n, sim.SpikeSourceArray(
            spike_times=[sim_times(pre_times) for _ in LAGS_MS]), label=f"pre_{name}")
        post = sim.Population(n, sim.IF_curr_exp(**POST_CELL), label=f"post_{name}")
        for i, lag in enumerate(LAGS_MS):
            starts = pre_times + lag + post_offset_ms
            times = np.ravel(np.column_stack([starts, starts + PULSE_MS]))
            pulse = sim.StepCurrentSource(times=sim_times(times),
                                          amplitudes=[PULSE_NA, 0.0] * PAIRINGS)
            post[i:i + 1].inject(pulse)
        stdp = sim.STDPMechanism(
            timing_dependence=sim.SpikePairRule(**TIMING),
            weight_dependence=getattr(sim, dependence)(w_min=0.0, w_max=W_MAX, **extra),
            weight=W_INITIAL, delay=delay_ms)
        projection = sim.Projection(pre, post, sim.OneToOneConnector(), stdp, label=name)
        post.record("spikes")
        out[name] = (projection, post)
    return out


def build_long_delay_window(sim) -> dict:
    """The window protocol through a delay extension (see the module docstring)."""
    return build_window(sim, LONG_DELAY_MS, LONG_DELAY_DEPENDENCES, -LONG_DELAY_MS)


def sim_times(times: np.ndarray):
    return [float(round(t, 6)) for t in times]


RATE_TIMESTEP = 1.0
RATE_SECONDS = 10.0
RATE_SOURCES = 100
RATE_NEURONS = 10
RATE_HZ = 15.0
RATE_SEED = 7
RATE_RULE = dict(tau_plus=20.0, tau_minus=20.0, A_plus=0.01, A_minus=0.0105)
RATE_W_MAX = 0.2
RATE_CELL = dict(tau_m=20.0, cm=1.0, v_rest=-65.0, v_reset=-65.0, v_thresh=-50.0,
                 tau_refrac=2.0, tau_syn_E=5.0, tau_syn_I=5.0)


def rate_spike_trains() -> list[list[float]]:
    """Poisson trains on the RATE_TIMESTEP grid (at most one spike per step)."""
    rng = np.random.default_rng(RATE_SEED)
    steps = int(RATE_SECONDS * 1000 / RATE_TIMESTEP)
    fire = rng.random((RATE_SOURCES, steps)) < RATE_HZ * RATE_TIMESTEP / 1000
    return [sim_times((np.flatnonzero(row) + 1) * RATE_TIMESTEP) for row in fire]


def rate_initial_weights() -> np.ndarray:
    rng = np.random.default_rng(RATE_SEED + 1)
    return rng.uniform(0.3, 0.7, size=(RATE_SOURCES, RATE_NEURONS)) * RATE_W_MAX


def build_rate(sim):
    """The rate network on ``sim`` (after setup). Out: (projection, post population)."""
    pre = sim.Population(RATE_SOURCES, sim.SpikeSourceArray(spike_times=rate_spike_trains()),
                         label="poisson")
    post = sim.Population(RATE_NEURONS, sim.IF_curr_exp(**RATE_CELL), label="learners")
    weights = rate_initial_weights()
    connections = [(i, j, float(weights[i, j]), 1.0)
                   for i in range(RATE_SOURCES) for j in range(RATE_NEURONS)]
    stdp = sim.STDPMechanism(
        timing_dependence=sim.SpikePairRule(**RATE_RULE),
        weight_dependence=sim.AdditiveWeightDependence(w_min=0.0, w_max=RATE_W_MAX))
    projection = sim.Projection(pre, post, sim.FromListConnector(
        connections, column_names=["weight", "delay"]), stdp, label="learning")
    post.record("spikes")
    return projection, post
