"""STDPMechanism on the PE against NEST 3.10's stdp_synapse, and its PyNN surface.

Golden data: tests/golden/stdp.json, made by tests/golden/make_stdp_golden.py from the protocols
in tests/stdp_protocols.py (which these tests run on pynn_spinnaker2).
"""

import json
from pathlib import Path

import numpy as np
import pytest

import stdp_protocols as P
from pynn_spinnaker2.errors import NotSupportedError, ParameterRangeError

GOLDEN = json.loads((Path(__file__).parent / "golden" / "stdp.json").read_text())
WINDOW_TOLERANCE = 0.02     # relative, at every sampled lag (issue 7)
RATE_TOLERANCE = 0.05       # relative, mean and standard deviation of the final weights


@pytest.fixture(scope="module")
def window_run():
    import pynn_spinnaker2 as sim
    sim.setup(timestep=P.WINDOW_TIMESTEP, hardware_summary=False)
    built = P.build_window(sim)
    sim.run(P.window_duration())
    out = {name: (np.array(proj.get("weight", format="array")).diagonal(),
                  [np.asarray(t).tolist() for t in post.get_data().segments[0].spiketrains])
           for name, (proj, post) in built.items()}
    report = sim.get_hardware_report()
    sim.end()
    return out, report


@pytest.mark.parametrize("dependence", list(P.WEIGHT_DEPENDENCES))
def test_stdp_window_follows_nest(window_run, dependence):
    weights, post_spikes = window_run[0][dependence]
    golden = GOLDEN["window"][dependence]
    # the same post-synaptic spikes, so the same pairs
    for ours, nest in zip(post_spikes, golden["post_spike_times"]):
        assert np.allclose(ours, nest, atol=1e-6)
    change = weights - P.W_INITIAL
    expected = np.asarray(golden["final_weight"]) - P.W_INITIAL
    assert np.all(np.abs(expected) > 0.01)       # every lag learned something measurable
    relative = np.abs(change - expected) / np.abs(expected)
    assert relative.max() < WINDOW_TOLERANCE, dict(zip(P.LAGS_MS, relative.round(4)))
    # the window's shape: depression before, potentiation after (dendritic delay 1 ms)
    lags = np.asarray(P.LAGS_MS)
    assert np.all(change[lags <= -2] < 0) and np.all(change[lags >= 1] > 0)


@pytest.fixture(scope="module")
def long_delay_run():
    import pynn_spinnaker2 as sim
    sim.setup(timestep=P.WINDOW_TIMESTEP, hardware_summary=False, validate=True)
    built = P.build_long_delay_window(sim)
    sim.run(P.window_duration())
    out = {name: (np.array(proj.get("weight", format="array")).diagonal(),
                  [np.asarray(t).tolist() for t in post.get_data().segments[0].spiketrains])
           for name, (proj, post) in built.items()}
    extensions = sim.get_mapping().compiled_network.delay_extensions
    report = sim.get_hardware_report()
    sim.end()
    return out, extensions, report


@pytest.mark.parametrize("dependence", P.LONG_DELAY_DEPENDENCES)
def test_stdp_window_through_a_delay_extension_follows_nest(long_delay_run, dependence):
    """A 300-tick plastic delay (four 64-tick stages + 44 in the word): the rule pairs with
    the true delay, as NEST's stdp_synapse with a 30 ms dendritic delay."""
    weights, post_spikes = long_delay_run[0][dependence]
    assert [e.n_stages for e in long_delay_run[1]] == [4] * len(P.LONG_DELAY_DEPENDENCES)
    golden = GOLDEN["long_delay_window"][dependence]
    for ours, nest in zip(post_spikes, golden["post_spike_times"]):
        assert np.allclose(ours, nest, atol=1e-6)
    change = weights - P.W_INITIAL
    expected = np.asarray(golden["final_weight"]) - P.W_INITIAL
    assert np.all(np.abs(expected) > 0.01)
    relative = np.abs(change - expected) / np.abs(expected)
    assert relative.max() < WINDOW_TOLERANCE, dict(zip(P.LAGS_MS, relative.round(4)))
    lags = np.asarray(P.LAGS_MS)
    assert np.all(change[lags <= -2] < 0) and np.all(change[lags >= 1] > 0)
    assert long_delay_run[2].stdp_updates_lost == 0


def test_stdp_updates_are_costed(window_run):
    report = window_run[1]
    from pynn_spinnaker2 import machine as hw
    pes = [p for p in report.pes if p["population"].startswith("post_")]
    assert pes and all(p["sram_bytes"]["stdp"] >= p["neurons"]
                       * hw.STDP_HISTORY_BYTES_PER_NEURON for p in pes)
    # every pre-synaptic spike updates its synapse; every post-synaptic spike is paired once
    n_pairs = len(P.WEIGHT_DEPENDENCES) * len(P.LAGS_MS) * P.PAIRINGS
    assert report.plastic_updates == n_pairs
    assert n_pairs - len(P.WEIGHT_DEPENDENCES) * len(P.LAGS_MS) <= report.stdp_pairings <= n_pairs
    assert report.stdp_updates_lost == 0
    assert "plasticity" in str(report)


def test_rate_network_weights_follow_nest(sim):
    sim.setup(timestep=P.RATE_TIMESTEP, hardware_summary=False)
    projection, post = P.build_rate(sim)
    sim.run(P.RATE_SECONDS * 1000.0)
    weights = np.array(projection.get("weight", format="array"))
    golden = GOLDEN["rate"]
    initial = P.rate_initial_weights()
    assert np.abs(weights - initial).max() > 0.2 * P.RATE_W_MAX      # it did learn
    assert abs(weights.mean() - golden["mean"]) < RATE_TOLERANCE * golden["mean"]
    assert abs(weights.std() - golden["std"]) < RATE_TOLERANCE * golden["std"]
    counts = [len(t) for t in post.get_data().segments[0].spiketrains]
    assert np.allclose(counts, golden["post_spike_counts"], rtol=0.05)


def _pairing(sim, **stdp_args):
    """One source -> one neuron made to fire about 5 ms after each source spike, every 100 ms
    from 10 ms to 510 ms."""
    pre_times = [10.0 + 100.0 * k for k in range(6)]
    pre = sim.Population(1, sim.SpikeSourceArray(spike_times=pre_times), label="pre")
    post = sim.Population(1, sim.IF_curr_exp(**P.POST_CELL), label="post")
    times = [t + 5.0 + d for t in pre_times for d in (0.0, P.PULSE_MS)]
    post.inject(sim.StepCurrentSource(times=times, amplitudes=[P.PULSE_NA, 0.0] * 6))
    rule = dict(timing_dependence=sim.SpikePairRule(**P.TIMING),
                weight_dependence=sim.AdditiveWeightDependence(w_min=0.0, w_max=1.0),
                weight=0.5, delay=1.0)
    rule.update(stdp_args)
    projection = sim.Projection(pre, post, sim.OneToOneConnector(), sim.STDPMechanism(**rule))
    return projection


def _weight(projection) -> float:
    return float(projection.get("weight", format="list", with_address=False)[0])


def test_weights_read_back_between_runs_and_set_and_reset(sim):
    sim.setup(timestep=0.1, hardware_summary=False)
    projection = _pairing(sim)
    sim.run(150.0)                     # two pre spikes: the first pairing is applied
    after_one = _weight(projection)
    assert after_one > 0.5
    sim.run(250.0)                     # two more pairings
    after_three = _weight(projection)
    assert after_three > after_one
    projection.set(weight=0.25)        # between runs, without reset
    assert _weight(projection) == 0.25
    sim.run(100.0)                     # the set weight is the one that learns on
    assert 0.25 < _weight(projection) < after_one
    after_set = _weight(projection)
    # reset: learning is undone, back to the weights last given (here by set())
    sim.reset()
    assert _weight(projection) == 0.25
    sim.run(150.0)
    first_pairing_from_quarter = _weight(projection)
    assert 0.25 < first_pairing_from_quarter < after_set


def test_learned_weights_are_in_the_synapse_words(sim):
    sim.setup(timestep=0.1, hardware_summary=False, validate=True)
    projection = _pairing(sim)
    sim.run(400.0)
    learned = _weight(projection)
    state = sim.simulator.state
    fabric = state.emulation.fabric
    (pid,) = state.mapped.projection_ids[projection._number]
    chip, address = state.mapped.stdp_words[pid]
    from pynn_spinnaker2 import formats
    word_weight = formats.unpack_synapse_words(fabric.dram[fabric.chip_base[int(chip[0])]
                                                           + address])[0]
    post_program = next(p for p in state.mapped.programs if p.model == "if_curr_exp")
    exponent = post_program.weight_exponent[0]
    assert learned == pytest.approx(np.ldexp(float(word_weight[0]), -int(exponent)))
    assert learned != 0.5
    # the compiled image keeps the initial weight: decode_projection reads the compiled tables
    assert state.mapped.decode_projection(projection)[0, 2] == pytest.approx(0.5, abs=1e-4)


def test_stdp_row_header_holds_the_pre_synaptic_state(sim):
    from pynn_spinnaker2 import formats
    sim.setup(timestep=0.1, hardware_summary=False)
    _pairing(sim)
    sim.run(400.0)
    fabric = sim.simulator.state.emulation.fabric
    (header,) = fabric.stdp_header_addresses().reshape(-1, formats.STDP_HEADER_WORDS)
    last_stamp, trace = int(fabric.dram[header[0]]), float(fabric.dram_f32[header[1]])
    assert last_stamp == 3100                          # time stamp 310 ms, in ticks
    # four pre spikes 100 ms apart, trace decays with tau_plus = 20 ms between them
    expected = sum(np.exp(-100.0 * k / P.TIMING["tau_plus"]) for k in range(4))
    assert trace == pytest.approx(expected, rel=1e-5)


@pytest.mark.parametrize("change, error", [
    (dict(dendritic_delay_fraction=0.0), NotSupportedError),
    (dict(weight=1.5), ParameterRangeError),
])
def test_unsupported_stdp_settings_are_refused(sim, change, error):
    sim.setup(timestep=0.1, hardware_summary=False)
    _pairing(sim, **change)
    with pytest.raises(error, match="Projection"):
        sim.run(10.0)


def test_heterogeneous_rule_parameters_are_refused(sim):
    sim.setup(timestep=0.1, hardware_summary=False)
    projection = _pairing(sim)
    pre2 = sim.Population(2, sim.SpikeSourceArray(spike_times=[5.0]))
    post2 = sim.Population(2, sim.IF_curr_exp())
    stdp = sim.STDPMechanism(
        timing_dependence=sim.SpikePairRule(tau_plus=sim.RandomDistribution(
            "uniform", (10.0, 30.0))),
        weight_dependence=sim.AdditiveWeightDependence(w_max=1.0), weight=0.5)
    sim.Projection(pre2, post2, sim.AllToAllConnector(), stdp, label="varying")
    with pytest.raises(NotSupportedError, match="'varying'.*tau_plus"):
        sim.run(10.0)
    del projection


def test_conflicting_tau_minus_onto_one_population_is_refused(sim):
    sim.setup(timestep=0.1, hardware_summary=False)
    pre = sim.Population(1, sim.SpikeSourceArray(spike_times=[5.0]))
    post = sim.Population(1, sim.IF_curr_exp(), label="post")
    for tau_minus in (20.0, 30.0):
        sim.Projection(pre, post, sim.AllToAllConnector(), sim.STDPMechanism(
            timing_dependence=sim.SpikePairRule(tau_minus=tau_minus),
            weight_dependence=sim.AdditiveWeightDependence(w_max=1.0), weight=0.5),
            label=f"tau{tau_minus:g}")
    with pytest.raises(NotSupportedError, match="tau_minus"):
        sim.run(10.0)


def test_other_plasticity_rules_are_refused(sim):
    sim.setup()
    with pytest.raises(NotSupportedError):
        sim.Vogels2011Rule()


def _mixed_delays(sim, split: bool) -> list:
    """One source onto four neurons made to fire 5, 5, 15 and 15 ms after it, with plastic
    delays 30, 1, 30, 1 ms: one projection (``split`` False) or one per synapse."""
    pre_times = [10.0 + 100.0 * k for k in range(6)]
    pre = sim.Population(1, sim.SpikeSourceArray(spike_times=pre_times), label="pre")
    post = sim.Population(4, sim.IF_curr_exp(**P.POST_CELL), label="post")
    for i, lag in enumerate((5.0, 5.0, 15.0, 15.0)):
        times = [t + lag + d for t in pre_times for d in (0.0, P.PULSE_MS)]
        post[i:i + 1].inject(sim.StepCurrentSource(times=times,
                                                   amplitudes=[P.PULSE_NA, 0.0] * 6))
    connections = [(0, j, 0.5, d) for j, d in enumerate((30.0, 1.0, 30.0, 1.0))]

    def stdp():
        return sim.STDPMechanism(timing_dependence=sim.SpikePairRule(**P.TIMING),
                                 weight_dependence=sim.AdditiveWeightDependence(w_max=1.0))
    parts = [connections[j:j + 1] for j in range(4)] if split else [connections]
    return [sim.Projection(pre, post, sim.FromListConnector(
        c, column_names=["weight", "delay"]), stdp()) for c in parts]


def test_learned_weights_of_a_projection_split_by_a_delay_extension(sim):
    """Short and long plastic delays in one projection: its part through the delay extension
    learns and is read back into the right synapses, as with one projection per synapse."""
    weights = []
    for split in (False, True):
        sim.setup(timestep=0.1, hardware_summary=False)
        projections = _mixed_delays(sim, split)
        sim.run(600.0)
        assert len(sim.get_mapping().compiled_network.delay_extensions) == 1
        weights.append([w for p in projections
                        for w in p.get("weight", format="list", with_address=False)])
        sim.end()
    together, apart = np.asarray(weights[0]), np.asarray(weights[1])
    assert np.all(np.abs(together - 0.5) > 0.003)
    assert np.array_equal(together, apart)
    assert together[0] != together[1] and together[0] != together[2]
