"""sPyNNaker's RecurrentRule (dual_fsm=False: the pre-stochastic state machine; dual_fsm=True:
windows of every spike) on the PE, against independent step-by-step implementations of the
rule on the spikes the network made.

The rule draws random window lengths; the references take them from the same counter-based
generator (random_streams.uniform_u32: a synapse's stream, draw n for its n-th window; with
dual_fsm, its neurons' streams at each spike's time stamp), so both see the same windows and
the weights must agree.
"""

import math

import numpy as np
import pytest

from pynn_spinnaker2.random_streams import uniform_u32
from pynn_spinnaker2.stdp_rules import RECURRENT_STREAM_BIT

RULE = dict(accumulator_depression=-3, accumulator_potentiation=2, mean_pre_window=12.0,
            mean_post_window=12.0, A_plus=0.2, A_minus=0.2)
BOUNDS = dict(w_min=0.0, w_max=1.0)
W_START = 0.5
LAGS = (-20.0, -8.0, -4.0, -2.0, 2.0, 4.0, 8.0, 20.0)
PERIOD = 60.0
PAIRINGS = 30
DELAY = 1.0
CELL = dict(cm=0.25, tau_m=10.0, tau_refrac=2.0, tau_syn_E=1.0, tau_syn_I=1.0, v_reset=-70.0,
            v_rest=-65.0, v_thresh=-55.4)


def reference(pre, post, stream, seed, w):
    """The RecurrentRule state machine (see emulator/recurrent.py's docstring for the rule as
    sPyNNaker defines it) on pre-synaptic spike times and post-synaptic times at the synapse
    (ms = ticks at dt 1 ms), up to the last pre-synaptic spike (the rule runs at pre-synaptic
    spikes); a post-synaptic spike at the time of a pre-synaptic one comes first."""
    events = sorted([(t, 0) for t in post if t <= max(pre)] + [(t, 1) for t in pre])
    state, acc, window, draws = "idle", 0, 0.0, 0
    last = {"pre": -math.inf, "post": -math.inf}

    def draw(mean):
        nonlocal draws
        u = int(uniform_u32(seed, np.array([stream], np.uint64), draws)[0]) / 2.0 ** 32
        draws += 1
        return math.floor(-mean * math.log(1.0 - u))

    for t, is_pre in events:
        side, other = ("pre", "post") if is_pre else ("post", "pre")
        mean = RULE["mean_pre_window" if is_pre else "mean_post_window"]
        if state == "idle":
            state, window = side, draw(mean)
        elif state == side:
            if t - last[side] < window:
                state = "idle"
            else:
                window = draw(mean)
        elif t == last[other]:
            state = "idle"
        elif t - last[other] < window:
            state = "idle"
            if not is_pre:       # pre then post: towards potentiation
                if acc < RULE["accumulator_potentiation"] - 1:
                    acc += 1
                else:
                    acc, w = 0, min(w + RULE["A_plus"] * (BOUNDS["w_max"] - w),
                                    BOUNDS["w_max"])
            elif acc > RULE["accumulator_depression"] + 1:
                acc -= 1
            else:
                acc, w = 0, max(w - RULE["A_minus"] * (w - BOUNDS["w_min"]), BOUNDS["w_min"])
        else:
            state, window = side, draw(mean)
        last[side] = t
    return w


def _window(seed, stream, counter, mean):
    u = int(uniform_u32(seed, np.array([stream], np.uint64), int(counter))[0]) / 2.0 ** 32
    return math.floor(-mean * math.log(1.0 - u))


def reference_dual(pre, post, projection, index, seed, w):
    """dual_fsm=True: each pre-synaptic spike at t has a window drawn from stream
    2**61 | projection << 32 | pre-synaptic index at counter t, each post-synaptic spike at q
    one from 2**60 | ... | post-synaptic index at q (one-to-one here: both indices ``index``);
    a post-synaptic spike (at the synapse q + DELAY) 0 < d < the last pre-synaptic window after
    the last pre-synaptic spike counts +1, a pre-synaptic spike d < the last post-synaptic
    window after the last post-synaptic one at the synapse counts -1."""
    pre_stream = (1 << 61) | (projection << 32) | index
    post_stream = (1 << 60) | (projection << 32) | index
    events = sorted([(q + DELAY, 0, q) for q in post if q + DELAY <= max(pre)]
                    + [(t, 1, t) for t in pre])
    acc = 0
    last_pre = last_post = None
    for t, is_pre, stamp in events:
        if not is_pre:
            if last_pre is not None and 0 < t - last_pre[0] < last_pre[1]:
                if acc < RULE["accumulator_potentiation"] - 1:
                    acc += 1
                else:
                    acc, w = 0, min(w + RULE["A_plus"] * (BOUNDS["w_max"] - w),
                                    BOUNDS["w_max"])
            last_post = (t, _window(seed, post_stream, stamp, RULE["mean_post_window"]))
        else:
            if last_post is not None and t - last_post[0] < last_post[1]:
                if acc > RULE["accumulator_depression"] + 1:
                    acc -= 1
                else:
                    acc, w = 0, max(w - RULE["A_minus"] * (w - BOUNDS["w_min"]),
                                    BOUNDS["w_min"])
            last_pre = (t, _window(seed, pre_stream, stamp, RULE["mean_pre_window"]))
    return w


@pytest.fixture(scope="module", params=[False, True], ids=["pre_stochastic", "dual_fsm"])
def learned(request):
    return _run(request.param)


def _run(dual: bool, **setup) -> tuple:
    import pynn_spinnaker2 as sim
    from pynn_spinnaker2 import extra_models
    sim.setup(timestep=1.0, hardware_summary=False, **setup)
    pre_times = [50.0 + PERIOD * k for k in range(PAIRINGS)]
    n = len(LAGS)
    pre = sim.Population(n, sim.SpikeSourceArray(spike_times=[pre_times] * n))
    post = sim.Population(n, sim.IF_curr_exp(**CELL), label="recurrent_post")
    drive = sim.Population(n, sim.SpikeSourceArray(
        spike_times=[[t + lag - 1.0 for t in pre_times[:-1]] for lag in LAGS]))
    sim.Projection(drive, post, sim.OneToOneConnector(), sim.StaticSynapse(weight=8.0))
    post.record("spikes")
    stdp = sim.STDPMechanism(
        timing_dependence=extra_models.RecurrentRule(dual_fsm=dual, **RULE),
        weight_dependence=sim.MultiplicativeWeightDependence(**BOUNDS),
        weight=W_START, delay=DELAY)
    projection = sim.Projection(pre, post, sim.OneToOneConnector(), stdp)
    sim.run(pre_times[-1] + 20.0)
    weights = np.array(projection.get("weight", format="array")).diagonal()
    trains = [np.asarray(t, float) for t in post.get_data().segments[0].spiketrains]
    seed = sim.simulator.state.emulation.seed
    number = projection._number
    report = sim.get_hardware_report()
    sim.end()
    return pre_times, weights, trains, seed, number, report, dual


def test_recurrent_rule_follows_the_reference(learned):
    pre_times, weights, trains, seed, number, report, dual = learned
    # one-to-one: synapse i joins neurons i, its stream is number << 32 | i
    expected = [reference_dual(pre_times, train, number, i, seed, W_START) if dual else
                reference(pre_times, train + DELAY, (number << 32 | i) | RECURRENT_STREAM_BIT,
                          seed, W_START) for i, train in enumerate(trains)]
    assert all(len(t) >= PAIRINGS - 1 for t in trains)
    assert np.allclose(weights, expected, atol=2e-3), (weights, expected)
    assert report.stdp_updates_lost == 0


def test_recurrent_rule_does_not_depend_on_the_mapping(learned):
    """Windows come from per-synapse (per-neuron) streams: three neurons per PE, validated
    mapping, the same weights."""
    assert np.array_equal(_run(learned[-1], neurons_per_core=3, validate=True)[1], learned[1])


def test_recurrent_rule_direction(learned):
    """Short pre-then-post lags potentiate, short post-then-pre lags depress (at -2 ms the
    post-synaptic spike, 1 ms after its drive, reaches the synapse with the pre-synaptic one:
    coinciding spikes are ignored); lags beyond most windows change the weight less."""
    change = learned[1] - W_START
    lags = np.asarray(LAGS)
    assert np.all(change[(lags > 0) & (lags <= 8)] > 0.2)
    assert np.all(change[(lags < -2) & (lags >= -8)] < -0.3)
    if not learned[-1]:      # dual_fsm counts coinciding spikes
        assert change[lags == -2] == 0.0
    assert np.all(np.abs(change[np.abs(lags) == 20]) < 0.5 * np.abs(change[np.abs(lags) == 4]))


def test_bad_recurrent_parameters_are_refused(sim):
    from pynn_spinnaker2 import extra_models
    from pynn_spinnaker2.errors import InvalidParameterValueError
    sim.setup()
    with pytest.raises(InvalidParameterValueError, match="accumulator_potentiation"):
        extra_models.RecurrentRule(accumulator_potentiation=0)
    with pytest.raises(InvalidParameterValueError, match="dual_fsm"):
        extra_models.RecurrentRule(dual_fsm="yes")
