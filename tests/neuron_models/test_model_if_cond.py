"""IF_cond_exp and IF_cond_alpha against NEST 3.10's iaf_cond_exp and iaf_cond_alpha.

Golden values: tests/golden/if_cond_single.json, made by tests/golden/make_if_cond_golden.py
with NEST 3.10 through pyNN.nest (on-grid spikes; NEST integrates both models with GSL's
adaptive RKF45 solver). Our models use one fixed step per tick (exponential Euler with the
exact mean conductances and a first-moment correction, see the model docstrings).

Measured (max over the two scenarios of each model, PyNN 0.13, NEST 3.10):

    model          dt   spike times  max |dv| (mV)  max |dg| (uS)
    IF_cond_exp    0.1  identical    4.6e-5         5.5e-7
    IF_cond_exp    1.0  identical    7.4e-5         5.6e-7
    IF_cond_alpha  0.1  identical    6.3e-5         9.0e-7
    IF_cond_alpha  1.0  identical    4.0e-2         9.4e-7

The conductance differences are NEST's: its solver's absolute tolerance is 1e-3 nS = 1e-6 uS,
while our conductances are propagated exactly. The dt 1.0 figure of IF_cond_alpha comes from
PyNN's default tau_syn_E = 0.3 ms (the whole conductance transient inside one tick); NEST's own
deviation from the exact solution is below 5e-5 mV in all eight runs. The tolerances below
are these figures with some headroom.
"""


import numpy as np
import pyNN.errors
import pytest

from pynn_spinnaker2.emulator.reference import simulate
from pynn_spinnaker2.errors import ParameterRangeError
from pynn_spinnaker2.neuron_models import NATIVE_MODELS, TickContext
from goldens import load_golden
from goldens import run_single_cell, spikes_and_signals

GOLDEN = load_golden("if_cond_single.json")
V_TOLERANCE_MV = {
    ("IF_cond_exp", 0.1): 2e-4,
    ("IF_cond_exp", 1.0): 2e-4,
    ("IF_cond_alpha", 0.1): 2e-4,
    ("IF_cond_alpha", 1.0): 0.06,
}
G_TOLERANCE_US = 2e-6   # NEST's RKF45 tolerance is 1e-6 uS
VARIABLES = ("v", "gsyn_exc", "gsyn_inh")
MODELS = {"IF_cond_exp": "if_cond_exp", "IF_cond_alpha": "if_cond_alpha"}


def _ids(scenario):
    return f"{scenario['cell_type']}-{scenario['name']}-dt{scenario['timestep']}"


def _run(sim, scenario):
    segment = run_single_cell(sim, getattr(sim, scenario["cell_type"]), scenario, VARIABLES)
    return spikes_and_signals(segment, VARIABLES)


@pytest.mark.parametrize("scenario", GOLDEN["scenarios"], ids=_ids)
def test_matches_nest(sim, scenario):
    spikes, signals = _run(sim, scenario)
    expected = np.asarray(scenario["spike_times"])
    assert len(expected) >= 3
    assert spikes.shape == expected.shape
    assert np.all(np.abs(spikes - expected) <= scenario["timestep"] + 1e-9)
    v_tolerance = V_TOLERANCE_MV[scenario["cell_type"], scenario["timestep"]]
    for name in VARIABLES:
        got, want = signals[name], np.asarray(scenario[name])
        assert got.shape == want.shape == (scenario["n_samples"],)
        tolerance = v_tolerance if name == "v" else G_TOLERANCE_US
        assert np.max(np.abs(got - want)) < tolerance, name


@pytest.mark.parametrize("cell_type", MODELS)
def test_inhibitory_weights_are_positive_conductances(sim, cell_type):
    assert NATIVE_MODELS[MODELS[cell_type]].receptor_signs == (1, 1)
    sim.setup(timestep=0.1)
    source = sim.Population(1, sim.SpikeSourceArray(spike_times=[1.0]))
    cell = sim.Population(1, getattr(sim, cell_type)())
    with pytest.raises(pyNN.errors.ConnectionError, match="positive"):
        sim.Projection(source, cell, sim.OneToOneConnector(), sim.StaticSynapse(weight=-0.01),
                       receptor_type="inhibitory")


@pytest.mark.parametrize("model", MODELS.values())
def test_time_constants_must_be_positive(model):
    native = NATIVE_MODELS[model]
    params = {p: np.full(1, v) for p, v in native.pynn_class.default_parameters.items()}
    initial = {s: np.full(1, v) for s, v in native.pynn_class.default_initial_values.items()}
    params["tau_syn_I"] = np.zeros(1)
    with pytest.raises(ParameterRangeError, match="tau_syn_I"):
        native.build_block(params, initial, 0.1)


@pytest.mark.parametrize("dt", [0.1, 1.0])
@pytest.mark.parametrize("model", MODELS.values())
def test_stiff_conductances_keep_v_between_reversal_potentials(model, dt):
    """Huge conductances (up to 50 uS on a 0.25 nF membrane) leave v bounded by E_in, E_ex."""
    native = NATIVE_MODELS[model]
    n = 64
    rng = np.random.default_rng(7)
    params = {p: np.full(n, v, dtype=float)
              for p, v in native.pynn_class.default_parameters.items()}
    params.update(cm=np.full(n, 0.25), v_thresh=np.full(n, 100.0), tau_syn_E=np.full(n, 0.2),
                  tau_syn_I=np.full(n, 3.0))
    initial = {s: np.full(n, v, dtype=float)
               for s, v in native.pynn_class.default_initial_values.items()}
    block = native.build_block(params, initial, dt)
    for tick in range(300):
        inputs = np.zeros((2, n), dtype=np.float32)
        if tick % 7 == 0:
            inputs[:] = (rng.uniform(0.0, 50.0, (2, n))
                         * (rng.random((2, n)) < 0.5)).astype(np.float32)
        native.step(block, inputs, TickContext(tick, dt))
        v = native.read(block, "v")
        assert v.dtype == np.float32
        assert np.all((v >= -70.0 - 1e-3) & (v <= 0.0 + 1e-3))
        assert np.all(native.read(block, "gsyn_exc") >= 0)


def _spikes(pop):
    trains = pop.get_data().segments[0].spiketrains
    return sorted((int(st.annotations["source_index"]), float(t)) for st in trains
                  for t in st.times.magnitude)


@pytest.mark.parametrize("cell_type", MODELS)
def test_emulator_spikes_equal_reference(sim, cell_type):
    """The compiled tables on the emulator give exactly the float reference's spikes and state.

    Weights are multiples of 1/512 uS, exactly representable in the PE's synapse words.
    """
    timestep = 0.1
    sim.setup(timestep=timestep, neurons_per_core=16, rng_seed=99)
    rng = sim.NumpyRNG(seed=5)
    poisson = sim.Population(40, sim.SpikeSourcePoisson(rate=60.0), label="poisson")
    cells = sim.Population(30, getattr(sim, cell_type)(cm=0.25, tau_m=10.0, tau_refrac=2.0,
                                                      i_offset=0.05), label="cells")
    cells.initialize(v=sim.RandomDistribution("uniform", (-65.0, -55.0), rng=rng))
    static = sim.StaticSynapse
    weight_exc = 12 / 512 if cell_type == "IF_cond_alpha" else 2 / 512
    sim.Projection(poisson, cells, sim.FixedProbabilityConnector(0.3, rng=rng),
                   static(weight=weight_exc, delay=timestep), receptor_type="excitatory")
    sim.Projection(poisson, cells, sim.FixedProbabilityConnector(0.1, rng=rng),
                   static(weight=10 / 512, delay=0.5), receptor_type="inhibitory")
    sim.Projection(cells, cells, sim.FixedProbabilityConnector(0.2, rng=rng),
                   static(weight=1 / 512, delay=1.0), receptor_type="excitatory")
    for pop in (poisson, cells):
        pop.record("spikes")
    cells.record(list(VARIABLES))
    n_ticks = int(round(100.0 / timestep))
    sim.run(100.0)
    mapped = sim.get_mapping()
    assert mapped.report.worst_weight_error == 0.0
    reference = simulate(mapped.network, n_ticks)
    for pop in (poisson, cells):
        index, times = reference.spikes(pop._number)
        expected = sorted(zip(index.tolist(), np.round(times, 9).tolist()))
        assert [(i, round(t, 9)) for i, t in _spikes(pop)] == expected, pop.label
    n_cell_spikes = len(_spikes(cells))
    assert n_cell_spikes > 100   # the cells fire, so the comparison means something
    segment = cells.get_data().segments[0]
    for name in VARIABLES:
        got = np.asarray(segment.filter(name=name)[0]).astype(np.float32)
        assert np.array_equal(got, reference.signal(cells._number, name)), name
