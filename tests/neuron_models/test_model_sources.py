"""SpikeSourcePoissonRefractory and SpikeSourceGamma (neuron_models/spike_source_*.py).

Random sources cannot be compared spike by spike with NEST, so the comparison is statistical:
tests/golden/sources_statistics.json (made by tests/golden/make_sources_golden.py with NEST 3.10
through pyNN.nest) holds, per parameter set, the pooled rate, ISI mean, ISI CV and minimum ISI
of 1000 neurons over 10 s, and the values the discrete-time process NEST runs should give.
Here the same statistics (the golden script's own ``spike_statistics``) of 1000 of our neurons
over 10 s, from the model's kernel with the streams the emulator gives a population, must agree
with NEST's within five standard errors of the difference, and with the exact expectations of
our process. The other tests run the whole backend: the refractory source's minimum interval,
independence from neurons_per_core, start/duration, parameter errors, and the emulator against
the float reference for a network of these sources driving IF_curr_exp cells.
"""

import importlib.util
import math
from functools import lru_cache

import numpy as np
import pytest

from pynn_spinnaker2.errors import ParameterRangeError
from pynn_spinnaker2.neuron_models import NATIVE_MODELS, TickContext

from emulator_reference import assert_emulator_equals_reference
from goldens import GOLDEN_DIR, load_golden

GOLDEN = load_golden("sources_statistics.json")
SETS = {s["name"]: s for s in GOLDEN["sets"]}
_spec = importlib.util.spec_from_file_location("make_sources_golden",
                                               GOLDEN_DIR / "make_sources_golden.py")
_golden_script = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_golden_script)   # defines functions only; NEST is imported in main()
spike_statistics = _golden_script.spike_statistics

NATIVE_NAME = {"SpikeSourcePoissonRefractory": "spike_source_poisson_refractory",
               "SpikeSourceGamma": "spike_source_gamma"}
# Standard errors: a renewal process's spike count over many intervals has variance
# n * CV**2, so the relative standard error of a rate (and of a mean ISI) is CV / sqrt(n).
# With 1e5 - 1e6 spikes per set, 5 standard errors of the difference of two such estimates
# are 0.3 - 1.5 % of the rate. The sample CV of n independent ISIs has a standard error of
# about CV / sqrt(2n) to CV / sqrt(n) (0.001 - 0.003 here); 0.02 is over 6 of them.
N_SIGMA = 5.0
CV_TOLERANCE = 0.02


def _params(cell: str, values: dict, n: int) -> dict:
    params = {k: np.full(n, float(v)) for k, v in values.items()}
    params.setdefault("start", np.zeros(n))
    params.setdefault("duration", np.full(n, 1e10))
    return params


def kernel_spikes(cell: str, values: dict, dt: float, n: int, n_ticks: int, seed: int = 1,
                  population: int = 3):
    """(neuron, tick) of every spike of the model's kernel, stepped as the emulator does."""
    model = NATIVE_MODELS[NATIVE_NAME[cell]]
    block = model.build_block(_params(cell, values, n), {}, dt)
    streams = (np.uint64(population) << np.uint64(32)) + np.arange(n, dtype=np.uint64)
    neurons, ticks = [], []
    for k in range(n_ticks):
        fired = np.flatnonzero(model.step(block, None, TickContext(k, dt, seed, streams)))
        neurons.append(fired)
        ticks.append(np.full(fired.size, k))
    return np.concatenate(neurons), np.concatenate(ticks)


@lru_cache(maxsize=None)
def our_statistics(name: str) -> dict:
    s = SETS[name]
    n_ticks = int(round(s["run_ms"] / s["timestep"]))
    neuron, tick = kernel_spikes(s["cell"], s["params"], s["timestep"], s["n_neurons"], n_ticks)
    return spike_statistics(neuron, tick, s["n_neurons"], n_ticks, s["timestep"])


def our_prediction(cell: str, values: dict, dt: float) -> dict:
    """Rate, ISI mean, CV and minimum of our discrete-time process (module docstrings)."""
    if cell == "SpikeSourcePoissonRefractory":
        period = 1000.0 / values["rate"]
        dead = math.floor(values["tau_refrac"] / dt + 1e-9)
        p = dt / (period - dead * dt)
        return {"mean_rate_hz": values["rate"], "isi_mean_ms": period,
                "isi_cv": math.sqrt(1 - p) * (period - dead * dt) / period,
                "isi_min_ms": (dead + 1) * dt}
    alpha, p = values["alpha"], values["beta"] * dt / 1000.0
    return {"mean_rate_hz": values["beta"] / alpha, "isi_mean_ms": 1000.0 * alpha / values["beta"],
            "isi_cv": math.sqrt((1 - p) / alpha), "isi_min_ms": alpha * dt}


def _relative_error(stats: dict, key: str) -> float:
    """Relative standard error of a rate (from the spike count) or mean ISI (from the ISIs)."""
    n = stats["n_spikes"] if key == "mean_rate_hz" else stats["n_isi"]
    return stats["isi_cv"] / math.sqrt(n)


def _same_law_as_nest(s: dict) -> bool:
    """Our process is NEST's unless a dead time is not a multiple of dt (see the model)."""
    if s["cell"] != "SpikeSourcePoissonRefractory":
        return True
    ratio = s["params"]["tau_refrac"] / s["timestep"]
    return abs(ratio - round(ratio)) < 1e-9


# --- statistics against NEST ----------------------------------------------------------------

@pytest.mark.parametrize("name", [n for n in SETS if _same_law_as_nest(SETS[n])])
def test_statistics_match_nest(name):
    s = SETS[name]
    nest, ours = s["statistics"], our_statistics(name)
    assert s["nest_model"] in ("ppd_sup_generator", "gamma_sup_generator")
    for key in ("mean_rate_hz", "isi_mean_ms"):
        sigma = math.hypot(_relative_error(nest, key), _relative_error(ours, key))
        assert abs(ours[key] / nest[key] - 1) < N_SIGMA * sigma, (key, ours[key], nest[key])
        assert N_SIGMA * sigma < 0.03    # the sample is large enough to mean something
    assert abs(ours["isi_cv"] - nest["isi_cv"]) < CV_TOLERANCE
    predicted = s["predicted"]
    if s["cell"] == "SpikeSourcePoissonRefractory":
        # the minimum, R + 1 ticks, has probability p per interval: always reached here
        assert ours["isi_min_ms"] == pytest.approx(nest["isi_min_ms"])
        assert ours["isi_min_ms"] == pytest.approx(predicted["isi_min_ms"])
    else:
        assert ours["isi_min_ms"] >= predicted["isi_min_ms"] - 1e-9
        # alpha ticks in a row has probability p**alpha per interval; compare where NEST's
        # sample and ours both surely reach it (expected count > 20)
        if nest["n_isi"] * predicted["step_probability"] ** s["params"]["alpha"] > 20:
            assert ours["isi_min_ms"] == pytest.approx(nest["isi_min_ms"])
            assert ours["isi_min_ms"] == pytest.approx(predicted["isi_min_ms"])


@pytest.mark.parametrize("name", list(SETS))
def test_statistics_match_our_process(name):
    """Ours against the exact expectations of our discrete-time process, NEST's against its."""
    s = SETS[name]
    ours, expected = our_statistics(name), our_prediction(s["cell"], s["params"], s["timestep"])
    for stats, law in ((ours, expected), (s["statistics"], s["predicted"])):
        for key in ("mean_rate_hz", "isi_mean_ms"):
            assert abs(stats[key] / law[key] - 1) < N_SIGMA * _relative_error(stats, key), key
        assert abs(stats["isi_cv"] - law["isi_cv"]) < CV_TOLERANCE
    if _same_law_as_nest(s):
        for key in ("mean_rate_hz", "isi_mean_ms", "isi_cv", "isi_min_ms"):
            assert expected[key] == pytest.approx(s["predicted"][key], rel=1e-12)


def test_dead_time_off_the_grid_keeps_the_rate():
    """NEST's rate is 5 % high for tau_refrac 2.5 ms at dt 1 ms; ours is the rate asked for."""
    s = SETS["refrac_offgrid_dt1"]
    assert s["statistics"]["mean_rate_hz"] == pytest.approx(105.26, rel=0.01)
    assert our_statistics("refrac_offgrid_dt1")["mean_rate_hz"] == pytest.approx(100.0, rel=0.01)
    assert our_statistics("refrac_offgrid_dt1")["isi_min_ms"] == 3.0


def test_discretisation_bias_at_dt_1():
    """At dt 1 ms the CV is below the continuous process's by sqrt(1 - p), as for NEST."""
    for name, p in (("refrac_100hz_5ms_dt1", 0.2), ("gamma_a4_b400_dt1", 0.4)):
        s = SETS[name]
        assert s["predicted"]["step_probability"] == pytest.approx(p)
        assert s["predicted"]["isi_cv"] == pytest.approx(s["continuous"]["isi_cv"]
                                                         * math.sqrt(1 - p))
        assert our_statistics(name)["isi_cv"] < s["continuous"]["isi_cv"] - 0.04
        assert our_statistics(name)["mean_rate_hz"] == pytest.approx(
            s["continuous"]["mean_rate_hz"], rel=0.01)


# --- the refractory source's dead time --------------------------------------------------------

@pytest.mark.parametrize("dt,tau_refrac,rate", [
    (0.1, 2.0, 450.0), (0.1, 0.35, 2000.0), (0.1, 0.0, 9000.0), (1.0, 2.5, 300.0),
    (1.0, 3.0, 240.0)])
def test_refractory_intervals_never_below_tau_refrac(dt, tau_refrac, rate):
    neuron, tick = kernel_spikes("SpikeSourcePoissonRefractory",
                                 {"rate": rate, "tau_refrac": tau_refrac}, dt, 200, 3000)
    order = np.lexsort((tick, neuron))
    neuron, tick = neuron[order], tick[order]
    isi = np.diff(tick)[np.diff(neuron) == 0]
    dead = math.floor(tau_refrac / dt + 1e-9)
    assert isi.size > 1000
    assert isi.min() * dt >= tau_refrac
    assert isi.min() == dead + 1      # NEST's minimum: the dead ticks after the spike tick, + 1
    assert tick.size / (200 * 3000 * dt / 1000.0) == pytest.approx(rate, rel=0.03)


def test_highest_rate_is_regular(sim):
    """rate = 1 / ((R + 1) dt): a spike every R + 1 ticks once the first one came."""
    sim.setup(timestep=1.0)
    pop = sim.Population(20, sim.SpikeSourcePoissonRefractory(rate=250.0, tau_refrac=3.0))
    pop.record("spikes")
    sim.run(200.0)
    for train in pop.get_data().segments[0].spiketrains:
        assert np.allclose(np.diff(train.magnitude), 4.0)
        assert len(train) == 50


# --- the whole backend ------------------------------------------------------------------------

def _spikes(pop):
    trains = pop.get_data().segments[0].spiketrains
    return sorted((int(st.annotations["source_index"]), float(t)) for st in trains
                  for t in st.times.magnitude)


def _sources(sim, n=50):
    rng = sim.NumpyRNG(seed=7)
    refrac = sim.Population(n, sim.SpikeSourcePoissonRefractory(
        rate=sim.RandomDistribution("uniform", (20.0, 150.0), rng=rng), tau_refrac=3.0),
        label="refrac")
    gamma = sim.Population(n, sim.SpikeSourceGamma(
        alpha=4, beta=sim.RandomDistribution("uniform", (100.0, 600.0), rng=rng),
        start=20.0, duration=150.0), label="gamma")
    return refrac, gamma


@pytest.mark.parametrize("timestep", [0.1, 1.0])
def test_spikes_do_not_depend_on_neurons_per_core(sim, timestep):
    results = []
    for setup in ({"neurons_per_core": 7}, {}):
        sim.setup(timestep=timestep, rng_seed=99, **setup)
        pops = _sources(sim)
        for pop in pops:
            pop.record("spikes")
        sim.run(200.0)
        results.append([_spikes(p) for p in pops])
        assert len(sim.get_mapping().programs) > (14 if setup else 0)
    assert results[0] == results[1]
    assert all(len(s) > 300 for s in results[0])
    # the refractory source: never two spikes closer than tau_refrac, here 3 ms
    train = np.array(results[0][0])
    same = np.diff(train[:, 0]) == 0
    assert np.diff(train[:, 1])[same].min() >= 3.0 + timestep - 1e-9


def test_start_and_duration(sim):
    sim.setup(timestep=0.1, rng_seed=5)
    refrac = sim.Population(100, sim.SpikeSourcePoissonRefractory(
        rate=200.0, tau_refrac=1.0, start=30.0, duration=40.0))
    gamma = sim.Population(100, sim.SpikeSourceGamma(alpha=3, beta=900.0, start=50.0,
                                                     duration=25.0))
    for pop in (refrac, gamma):
        pop.record("spikes")
    sim.run(120.0)
    for pop, (start, duration) in ((refrac, (30.0, 40.0)), (gamma, (50.0, 25.0))):
        times = np.array([t for _, t in _spikes(pop)])
        assert times.size > 0.5 * 100 * duration / 1000.0 * 200.0
        assert times.min() > start and times.max() <= start + duration + 1e-9


def test_rng_seed_changes_spikes(sim):
    runs = []
    for seed in (1, 2):
        sim.setup(timestep=1.0, rng_seed=seed)
        pops = _sources(sim, n=20)
        for pop in pops:
            pop.record("spikes")
        sim.run(100.0)
        runs.append([_spikes(p) for p in pops])
    assert runs[0][0] != runs[1][0] and runs[0][1] != runs[1][1]


@pytest.mark.parametrize("cell,values,match", [
    ("SpikeSourcePoissonRefractory", {"rate": -1.0}, "rate = -1 .*rate >= 0"),
    ("SpikeSourcePoissonRefractory", {"rate": 10.0, "tau_refrac": -1.0}, "tau_refrac >= 0"),
    ("SpikeSourceGamma", {"alpha": 0}, "alpha a whole number >= 1"),
    ("SpikeSourceGamma", {"beta": -3.0}, "beta >= 0"),
])
def test_parameters_outside_nests_ranges_are_refused_at_creation(sim, cell, values, match):
    sim.setup(timestep=1.0)
    with pytest.raises(sim.errors.InvalidParameterValueError, match=f"'bad_source'.*{match}"):
        sim.Population(3, getattr(sim, cell)(**values), label="bad_source")


@pytest.mark.parametrize("cell,values,timestep,match", [
    ("SpikeSourcePoissonRefractory", {"rate": 200.0, "tau_refrac": 5.0}, 0.1, "196.078 Hz"),
    ("SpikeSourcePoissonRefractory", {"rate": 1001.0}, 1.0, "1000 Hz"),
    ("SpikeSourceGamma", {"alpha": 2, "beta": 1500.0}, 1.0, "1000 Hz"),
])
def test_impossible_parameters_are_refused(sim, cell, values, timestep, match):
    sim.setup(timestep=timestep)
    sim.Population(3, getattr(sim, cell)(**values), label="bad_source")
    with pytest.raises(ParameterRangeError, match=f"'bad_source'.*{match}"):
        sim.run(10.0)


def test_gamma_order_must_be_an_integer():
    """PyNN's SpikeSourceGamma declares alpha an int (it truncates 2.5 to 2); the block refuses
    a non-integer order given to it directly."""
    model = NATIVE_MODELS["spike_source_gamma"]
    with pytest.raises(ParameterRangeError, match="integer"):
        model.build_block(_params("SpikeSourceGamma", {"alpha": 2.5, "beta": 10.0}, 2), {}, 1.0)


def test_zero_rates_are_silent(sim):
    sim.setup(timestep=0.1)
    pops = [sim.Population(10, sim.SpikeSourcePoissonRefractory(rate=0.0, tau_refrac=2.0)),
            sim.Population(10, sim.SpikeSourceGamma(alpha=3, beta=0.0))]
    for pop in pops:
        pop.record("spikes")
    sim.run(50.0)
    assert all(_spikes(p) == [] for p in pops)


def _network(sim, neurons_per_core, machine, timestep):
    sim.setup(timestep=timestep, neurons_per_core=neurons_per_core, machine=machine,
              rng_seed=4321)
    rng = sim.NumpyRNG(seed=11)
    refrac, gamma = _sources(sim, n=40)
    exc = sim.Population(60, sim.IF_curr_exp(tau_m=15.0, i_offset=0.25), label="exc")
    exc.initialize(v=sim.RandomDistribution("uniform", (-65.0, -55.0), rng=rng))
    static = sim.StaticSynapse
    sim.Projection(refrac, exc, sim.FixedProbabilityConnector(0.3, rng=rng),
                   static(weight=0.5, delay=timestep), receptor_type="excitatory")
    sim.Projection(gamma, exc, sim.FixedProbabilityConnector(0.3, rng=rng),
                   static(weight=0.75, delay=2.0), receptor_type="excitatory")
    sim.Projection(gamma, exc, sim.FixedProbabilityConnector(0.2, rng=rng),
                   static(weight=-0.25, delay=3.0), receptor_type="inhibitory")
    for pop in (refrac, gamma, exc):
        pop.record("spikes")
    exc.record("v")
    return refrac, gamma, exc


@pytest.mark.parametrize("neurons_per_core,machine,timestep",
                         [(256, "chip", 1.0), (7, "board", 1.0), (16, "auto", 0.1)])
def test_emulator_equals_reference(sim, neurons_per_core, machine, timestep):
    pops = _network(sim, neurons_per_core, machine, timestep)
    sim.run(100.0)
    # every population is active (above 50 spikes), so the comparison means something
    assert_emulator_equals_reference(sim, 100.0, timestep, dict.fromkeys(pops, 50),
                                     {pops[2]: ("v",)})
