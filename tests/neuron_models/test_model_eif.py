"""EIF_cond_exp_isfa_ista and EIF_cond_alpha_isfa_ista (neuron_models/eif_cond_*_isfa_ista.py,
shared kernel _adex.py) against NEST 3.10's aeif_cond_exp and aeif_cond_alpha (the emulator
against the float reference for a network of both: test_emulator_equals_reference.py).

Golden values: tests/golden/eif_golden.json, made by tests/golden/make_eif_golden.py with NEST
3.10 through pyNN.nest (on-grid spikes).

NEST integrates these models with adaptive RKF45; ours is float32 RK4 with fixed 0.025 ms
sub-steps and exact conductances (see _adex.py).  Measured on the golden scenarios (200 ms each):

* spike ticks identical to NEST in all eight runs, at dt 0.1 and at dt 1.0 (the tests require
  the issue's "within one step" and the same number of spikes);
* max |v - v_NEST|: 0.32 mV (alpha, offset_adapt, dt 0.1), 0.20 mV (exp, offset_adapt, dt 0.1),
  0.16 / 0.084 mV (alpha / exp, offset_adapt, dt 1.0), below 0.006 mV in exc_inh_bursts.  The
  large figures are all on the spike upswing (dV/dt of tens of mV/ms, so a phase difference of
  a few microseconds); leaving out the samples of the last ms before each NEST spike the maximum
  is 0.020 mV.  The error is RK4 truncation, not float32 (a float64 run gives the same figures)
  and falls with the sub-step (0.13 mV at 0.01 ms);
* max |w - w_NEST| 1.4e-4 nA; conductances within 1.3e-7 uS (float32 rounding).
"""


import numpy as np
import pytest

from pynn_spinnaker2.errors import ParameterRangeError
from pynn_spinnaker2.neuron_models import MAX_RECEPTORS, NATIVE_MODELS, TickContext
from goldens import load_golden
from goldens import run_single_cell

GOLDEN = load_golden("eif_golden.json")
SCENARIO_IDS = [f"{s['cell_type']}-{s['name']}-dt{s['timestep']}" for s in GOLDEN["scenarios"]]
MODEL_NAMES = {"EIF_cond_exp_isfa_ista": "eif_cond_exp_isfa_ista",
               "EIF_cond_alpha_isfa_ista": "eif_cond_alpha_isfa_ista"}
# tolerances: a margin over the measured maxima quoted above
TOLERANCE = {"v": 0.5, "w": 5e-4, "gsyn_exc": 1e-6, "gsyn_inh": 1e-6}
V_TOLERANCE_OFF_UPSWING_MV = 0.05   # v outside the last ms before each NEST spike
UPSWING_MS = 1.0
RECORDABLES = ("v", "w", "gsyn_exc", "gsyn_inh")


def _run(sim, scenario):
    return run_single_cell(sim, getattr(sim, scenario["cell_type"]), scenario, RECORDABLES)


@pytest.fixture(scope="module")
def results():
    """Each golden scenario run once through the backend: {scenario id: (spikes, signals)}."""
    import warnings

    import pynn_spinnaker2 as sim
    out = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        for sid, scenario in zip(SCENARIO_IDS, GOLDEN["scenarios"]):
            segment = _run(sim, scenario)
            signals = {name: np.asarray(segment.filter(name=name)[0]).ravel()
                       for name in RECORDABLES}
            out[sid] = (np.asarray(segment.spiketrains[0].times), signals)
            sim.end()
    return out


@pytest.mark.parametrize("index", range(len(SCENARIO_IDS)), ids=SCENARIO_IDS)
def test_spike_times_match_nest_within_one_step(results, index):
    scenario = GOLDEN["scenarios"][index]
    got, _ = results[SCENARIO_IDS[index]]
    expected = np.asarray(scenario["spike_times"])
    assert len(expected) >= 3
    assert got.shape == expected.shape
    assert np.all(np.abs(got - expected) <= scenario["timestep"] + 1e-9)


@pytest.mark.parametrize("index", range(len(SCENARIO_IDS)), ids=SCENARIO_IDS)
def test_recordables_match_nest(results, index):
    scenario = GOLDEN["scenarios"][index]
    _, signals = results[SCENARIO_IDS[index]]
    for name in RECORDABLES:
        expected = np.asarray(scenario[name])
        assert signals[name].shape == expected.shape, name
        assert np.max(np.abs(signals[name] - expected)) < TOLERANCE[name], name
    t = np.arange(len(scenario["v"])) * scenario["timestep"]
    upswing = np.zeros(t.shape, dtype=bool)
    for spike in scenario["spike_times"]:
        upswing |= (t >= spike - UPSWING_MS - 1e-9) & (t <= spike + 1e-9)
    v_error = np.abs(signals["v"] - np.asarray(scenario["v"]))[~upswing]
    assert np.max(v_error) < V_TOLERANCE_OFF_UPSWING_MV


# --- the kernel on its own ----------------------------------------------------------------

def _block(model, dt, **overrides):
    native = NATIVE_MODELS[model]
    params = {k: np.atleast_1d(np.float64(v))
              for k, v in native.pynn_class.default_parameters.items()}
    params.update({k: np.atleast_1d(np.float64(v)) for k, v in overrides.items()})
    initial = {k: np.atleast_1d(np.float64(v))
               for k, v in native.pynn_class.default_initial_values.items()}
    return native, native.build_block(params, initial, dt)


@pytest.mark.parametrize("model", MODEL_NAMES.values())
@pytest.mark.parametrize("bad", [{"tau_m": 0.0}, {"cm": -1.0}, {"tau_w": 0.0},
                                 {"tau_syn_E": 0.0}, {"delta_T": -1.0}, {"tau_refrac": -0.1},
                                 {"v_spike": -60.0}, {"v_reset": -30.0}])
def test_parameters_out_of_range_raise(model, bad):
    with pytest.raises(ParameterRangeError):
        _block(model, 0.1, **bad)


@pytest.mark.parametrize("model", MODEL_NAMES.values())
@pytest.mark.parametrize("dt", [0.1, 1.0])
def test_steep_exponential_does_not_overflow_float32(model, dt):
    """(v_spike - v_thresh) / delta_T = 504: the capped exponent keeps every value finite."""
    native, block = _block(model, dt, delta_T=0.1, v_spike=0.0, i_offset=1.0)
    inputs = np.zeros((MAX_RECEPTORS, 1), dtype=np.float32)
    n_spikes = 0
    with np.errstate(over="raise", invalid="raise"):
        for k in range(int(round(100.0 / dt))):
            n_spikes += int(native.step(block, inputs, TickContext(k, dt))[0])
    assert n_spikes >= 3
    for key, value in block.items():
        assert np.all(np.isfinite(value)), key
        assert value.dtype in (np.float32, np.int32), key


@pytest.mark.parametrize("model", MODEL_NAMES.values())
def test_delta_t_zero_fires_at_v_thresh(model):
    """delta_T = 0 is adaptive leaky integrate-and-fire with threshold v_thresh (NEST's rule)."""
    native, block = _block(model, 0.1, delta_T=0.0, i_offset=1.0)
    inputs = np.zeros((MAX_RECEPTORS, 1), dtype=np.float32)
    peak = -np.inf
    spikes = 0
    for k in range(1000):
        fired = native.step(block, inputs, TickContext(k, 0.1))[0]
        spikes += int(fired)
        if not fired:
            peak = max(peak, float(native.read(block, "v")[0]))
    assert spikes >= 3
    assert peak < -50.4
