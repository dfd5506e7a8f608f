"""GIF_cond_exp against NEST 3.10's gif_cond_exp.

Golden values: tests/golden/gif_cond_exp.json, made by tests/golden/make_gif_cond_exp_golden.py
through pyNN.nest (on-grid spikes). NEST's spiking is stochastic and its random numbers are
not ours, so the comparison has two parts:

* Deterministic: with delta_v = 1e-6 mV the escape noise is a hard threshold in both
  simulators, so spike times, v, v_t, i_eta and the conductances must match. Measured (two
  scenarios, 300 ms, at dt 0.1 and 1.0; neurons 1 and 2 of PyNN's examples/gif_neuron.py at
  dt 0.01): spike times identical; max |dv| 1.8e-5 mV at dt 0.01, 6.0e-5 mV at dt 0.1 and
  2.2e-4 mV at dt 1.0; v_t within 5.8e-6 mV, i_eta within 6.4e-7 nA, conductances within
  1.2e-6 uS. (With float32 decay factors exp(-dt/tau) instead of loss factors the slow
  kernels drifted by up to 4e-4 mV over 10^4 steps and the example's spikes moved by 2-5
  steps at dt 0.01.)
* Statistics: 100 stochastic neurons (delta_v 0.5 mV) for 4 s at dt 0.1 (rng_seed 1):
  escape_only 10.49 Hz, ISI CV 0.346 (NEST 10.48 Hz, 0.342); adapting 21.78 Hz, CV 0.120
  (NEST 21.84 Hz, 0.120; NEST with three other seeds: 21.78, 21.75, 21.79 Hz). The rate must
  agree within 4 combined standard errors of the
  per-neuron rates, the CV within 0.02 and the ISI deciles and median within 3 %.
"""


import numpy as np
import pytest
from pyNN.parameters import ArrayParameter

from pynn_spinnaker2.errors import ParameterRangeError
from emulator_reference import assert_emulator_equals_reference
from goldens import load_golden
from goldens import (assert_signals_match, assert_spikes_match, connect_inputs,
                     spikes_and_signals)

GOLDEN = load_golden("gif_cond_exp.json")
VARIABLES = ("v", "v_t", "i_eta", "gsyn_exc", "gsyn_inh")
KERNELS = ("tau_eta", "a_eta", "tau_gamma", "a_gamma")
V_TOLERANCE_MV = {0.01: 2e-4, 0.1: 2e-4, 1.0: 1e-3}
TOLERANCE = {"v_t": 5e-5, "i_eta": 5e-6, "gsyn_exc": 5e-6, "gsyn_inh": 5e-6}


def _cell(sim, params):
    return sim.GIF_cond_exp(**{k: ArrayParameter(v) if k in KERNELS else v
                               for k, v in params.items()})


@pytest.mark.parametrize("scenario", GOLDEN["deterministic"],
                         ids=lambda s: f"{s['name']}-dt{s['timestep']}")
def test_deterministic_limit_matches_nest(sim, scenario):
    sim.setup(timestep=scenario["timestep"])
    cell = sim.Population(1, _cell(sim, scenario["cell_params"]), label="cell")
    connect_inputs(sim, cell, scenario)
    if scenario["dc"]:
        sim.DCSource(**scenario["dc"]).inject_into(cell)
    cell.record(["spikes", *VARIABLES])
    sim.run(scenario["run_ms"])
    segment = cell.get_data().segments[0]
    _, signals = spikes_and_signals(segment, VARIABLES)
    signals = {name: trace[::scenario["every"]] for name, trace in signals.items()}
    assert_spikes_match(segment, scenario, exact=False)
    assert_signals_match(signals, scenario,
                         {**TOLERANCE, "v": V_TOLERANCE_MV[scenario["timestep"]]})


def test_spike_statistics_match_nest(sim):
    sets = GOLDEN["statistics"]
    first = sets[0]
    sim.setup(timestep=first["timestep"], rng_seed=1)
    pops = [sim.Population(s["n_neurons"], _cell(sim, s["cell_params"]), label=s["name"])
            for s in sets]
    for pop in pops:
        pop.record("spikes")
    sim.run(first["run_ms"])
    for s, pop in zip(sets, pops):
        nest = s["statistics"]
        trains = [st.magnitude for st in pop.get_data().segments[0].spiketrains]
        rates = np.array([len(t) for t in trains]) / (s["run_ms"] / 1000.0)
        isi = np.concatenate([np.diff(t) for t in trains])
        standard_error = np.hypot(rates.std(), nest["rate_std_hz"]) / np.sqrt(s["n_neurons"])
        assert abs(rates.mean() - nest["mean_rate_hz"]) < 4 * standard_error, s["name"]
        assert abs(isi.std() / isi.mean() - nest["isi_cv"]) < 0.02, s["name"]
        for q, value in nest["isi_quantiles_ms"].items():
            assert np.quantile(isi, float(q)) == pytest.approx(value, rel=0.03), (s["name"], q)


def _stochastic_network(sim, neurons_per_core, seed):
    sim.setup(timestep=0.5, rng_seed=seed, neurons_per_core=neurons_per_core)
    noise = sim.Population(20, sim.SpikeSourcePoisson(rate=50.0), label="noise")
    gif = sim.Population(30, _cell(sim, {"i_offset": 0.5, "delta_v": 1.0, "lambda0": 20.0,
                                         "v_t_star": -55.0, "tau_eta": [10.0],
                                         "a_eta": [0.02], "tau_gamma": [20.0],
                                         "a_gamma": [1.0]}), label="gif")
    sim.Projection(noise, gif, sim.FixedProbabilityConnector(0.3, rng=sim.NumpyRNG(seed=3)),
                   sim.StaticSynapse(weight=0.0078125, delay=1.0), receptor_type="excitatory")
    gif.record(["spikes", "v"])
    sim.run(200.0)
    trains = gif.get_data().segments[0].spiketrains
    return gif, sorted((int(st.annotations["source_index"]), float(t))
                       for st in trains for t in st.times.magnitude)


def test_same_seed_same_spikes_whatever_the_mapping(sim):
    _, spikes_a = _stochastic_network(sim, 256, seed=5)
    _, spikes_b = _stochastic_network(sim, 7, seed=5)
    _, spikes_c = _stochastic_network(sim, 7, seed=6)
    assert len(spikes_a) > 50
    assert spikes_a == spikes_b
    assert spikes_a != spikes_c


def test_emulator_equals_reference_simulator(sim):
    gif, _ = _stochastic_network(sim, 11, seed=9)
    assert_emulator_equals_reference(sim, 200.0, 0.5, {gif: 0}, {gif: ("v",)})


@pytest.mark.parametrize("params,match", [
    ({"delta_v": 0.0}, "delta_v"), ({"lambda0": -1.0}, "lambda0"),
    ({"tau_eta": [1.0, 2.0], "a_eta": [0.1]}, "same length"),
    ({"tau_gamma": [1.0] * 6, "a_gamma": [0.1] * 6}, "at most 5"),
    ({"tau_gamma": [0.0], "a_gamma": [0.1]}, "tau_gamma")])
def test_nest_refusals_are_parameter_range_errors(sim, params, match):
    sim.setup(timestep=0.1)
    sim.Population(1, _cell(sim, params), label="bad")
    with pytest.raises(ParameterRangeError, match=match):
        sim.run(1.0)


def test_kernel_lists_are_spread_per_neuron():
    from pynn_spinnaker2.neuron_models.gif_cond_exp import MAX_KERNELS, SCALARS, \
        expand_parameters
    shared = ArrayParameter([1.0, 10.0])
    stored = {name: np.zeros(3) for name in SCALARS}
    stored["tau_eta"] = np.array([shared, shared, ArrayParameter([2.0, 20.0, 200.0])],
                                 dtype=object)
    stored["a_eta"] = np.array([ArrayParameter([0.1, 0.2])] * 2 + [ArrayParameter([0.3])],
                               dtype=object)
    stored["tau_gamma"] = np.full((3, 1), 5.0)          # numeric storage: one kernel each
    stored["a_gamma"] = np.full((3, 1), 2.0)
    out = expand_parameters(stored)
    assert out["n_eta"].tolist() == [2, 2, -1]           # neuron 2: 3 taus, 1 amplitude
    assert out["n_gamma"].tolist() == [1, 1, 1]
    assert [out[f"tau_eta_{j}"][2] for j in range(3)] == [2.0, 20.0, 200.0]
    assert [out[f"a_eta_{j}"][0] for j in range(MAX_KERNELS)] == [0.1, 0.2, 0.0, 0.0, 0.0]
    assert out[f"tau_eta_{MAX_KERNELS - 1}"].tolist() == [1.0, 1.0, 1.0]   # padding
    assert out["a_gamma_0"].tolist() == [2.0] * 3 and out["a_gamma_1"].tolist() == [0.0] * 3
