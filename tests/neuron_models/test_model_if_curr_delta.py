"""IF_curr_delta (neuron_models/if_curr_delta.py) against NEST 3.10's iaf_psc_delta, (the
emulator against the float reference for a network: test_emulator_equals_reference.py).

Golden values: tests/golden/if_curr_delta_single.json, made by
tests/golden/make_if_curr_delta_golden.py with NEST 3.10 through pyNN.nest (on-grid spikes).
IF_curr_delta's weights are in mV: a spike makes the membrane jump by its weight.
"""


import numpy as np
import pytest

from pynn_spinnaker2.neuron_models import NATIVE_MODELS, TickContext
from goldens import load_golden
from goldens import assert_spikes_match, assert_v_matches, run_single_cell

GOLDEN = load_golden("if_curr_delta_single.json")
# Exact integration with float32 state against NEST's doubles: measured max |v - v_NEST| is
# 9.1e-6 mV (offset_refrac, dt 0.1) and below 7e-6 mV elsewhere; spike times are identical
# at dt 0.1 and 1.0.
V_TOLERANCE_MV = 1e-4
SCENARIO_IDS = [f"{s['name']}-dt{s['timestep']}" for s in GOLDEN["scenarios"]]


def _run(sim, scenario):
    return run_single_cell(sim, sim.IF_curr_delta, scenario)


@pytest.mark.parametrize("scenario", GOLDEN["scenarios"], ids=SCENARIO_IDS)
def test_spike_times_match_nest(sim, scenario):
    # exact integration: not merely within one step but on the same step
    assert_spikes_match(_run(sim, scenario), scenario, exact=True)


@pytest.mark.parametrize("scenario", GOLDEN["scenarios"], ids=SCENARIO_IDS)
def test_membrane_trace_matches_nest(sim, scenario):
    assert_v_matches(_run(sim, scenario), scenario, V_TOLERANCE_MV)


def _block(dt, tau_refrac=0.0, v_thresh=1e9):
    model = NATIVE_MODELS["if_curr_delta"]
    params = {"tau_m": np.array([20.0]), "cm": np.array([1.0]), "v_rest": np.array([-65.0]),
              "v_thresh": np.array([v_thresh]), "v_reset": np.array([-70.0]),
              "tau_refrac": np.array([tau_refrac]), "i_offset": np.array([0.0])}
    return model, model.build_block(params, {"v": np.array([-65.0])}, dt)


def _inputs(exc=0.0, inh=0.0):
    return np.array([[exc], [inh]], dtype=np.float32)


def test_weight_is_a_jump_in_mV_on_the_arrival_tick():
    model, block = _block(dt=0.1)
    model.step(block, _inputs(1.25, -0.5), TickContext(0, 0.1))
    assert model.read(block, "v")[0] == pytest.approx(-65.0 + 0.75, abs=1e-5)
    model.step(block, _inputs(), TickContext(1, 0.1))
    assert model.read(block, "v")[0] == pytest.approx(-65.0 + 0.75 * np.exp(-0.1 / 20.0),
                                                      abs=1e-5)


def test_input_during_refractory_period_is_discarded():
    model, block = _block(dt=1.0, tau_refrac=2.0, v_thresh=-60.0)
    assert model.step(block, _inputs(6.0), TickContext(0, 1.0))[0]     # fires, reset to -70
    for k in (1, 2):                                                    # two refractory ticks
        assert not model.step(block, _inputs(20.0), TickContext(k, 1.0))[0]
        assert model.read(block, "v")[0] == -70.0
    model.step(block, _inputs(1.0), TickContext(3, 1.0))
    assert model.read(block, "v")[0] == pytest.approx(-65.0 - 5.0 * np.exp(-1.0 / 20.0) + 1.0,
                                                      abs=1e-5)
