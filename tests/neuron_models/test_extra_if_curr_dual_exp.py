"""extra_models.IF_curr_dual_exp against a reference integration of its equations
(tests/neuron_models/extra_model_reference.py), and through PyNN
(a small network's spikes against the float reference: test_emulator_equals_reference.py)."""

import numpy as np
import pytest

import pynn_spinnaker2.extra_models  # noqa: F401  (sim.extra_models)
from extra_model_reference import (arrivals, lif_current_rhs,
                                   refractory_ticks, run_cell, run_grid)

PARAMS = {"tau_m": 15.0, "cm": 0.5, "v_rest": -65.0, "v_reset": -70.0, "v_thresh": -55.0,
          "tau_syn_E": 2.0, "tau_syn_E2": 12.0, "tau_syn_I": 6.0, "tau_refrac": 2.0,
          "i_offset": 0.1}
# (spike times, weight, delay, receptor): the slow second excitatory synapse alone drives
# spikes late in the run; the fast one with the first; inhibition in between
INPUTS = [(np.arange(10.0, 60.0, 4.0), 1.5, 1.0, "excitatory"),
          (np.arange(100.0, 180.0, 9.0), 0.9, 2.0, "excitatory2"),
          (np.arange(60.0, 100.0, 5.0), -1.0, 1.0, "inhibitory")]
ROWS = {"excitatory": 0, "excitatory2": 1, "inhibitory": 2}
RUN_MS = 200.0


def reference(dt: float):
    n = int(round(RUN_MS / dt))
    p = PARAMS
    table = arrivals([(t, w, d, ROWS[r]) for t, w, d, r in INPUTS], dt, n, 3)
    rhs = lif_current_rhs(p["tau_m"], p["cm"], p["v_rest"], p["i_offset"],
                          [p["tau_syn_E"], p["tau_syn_E2"], p["tau_syn_I"]], [1.0, 1.0, 1.0])

    def on_grid(k, y, refractory):
        y[1:] += table[k]
        if y[0] >= p["v_thresh"]:
            y[0] = p["v_reset"]
            return True
        return False
    return run_grid(rhs, [p["v_rest"], 0.0, 0.0, 0.0], dt, n, on_grid,
                    refractory_ticks(p["tau_refrac"], dt))


@pytest.mark.parametrize("dt", [0.1, 1.0])
def test_matches_reference_integration(sim, dt):
    samples, want_spikes = reference(dt)
    spikes, signals = run_cell(sim, sim.extra_models.IF_curr_dual_exp(**PARAMS), INPUTS, dt,
                               RUN_MS, ("v", "isyn_exc", "isyn_exc2", "isyn_inh", "gsyn_exc"))
    # both excitatory receptors and the inhibitory one shape the trace: spikes in the fast and
    # the slow excitatory phase, none under inhibition
    assert len(want_spikes) >= 4
    assert np.any(want_spikes < 60.0) and np.any(want_spikes > 100.0)
    assert not np.any((want_spikes > 65.0) & (want_spikes < 100.0))
    assert np.allclose(spikes, want_spikes, atol=1e-9)   # exact integration: same ticks
    assert np.max(np.abs(signals["v"] - samples[:, 0])) < 2e-3
    for column, name in enumerate(("isyn_exc", "isyn_exc2", "isyn_inh"), start=1):
        assert np.max(np.abs(signals[name] - samples[:, column])) < 1e-4, name   # float32 decay
    assert np.allclose(signals["gsyn_exc"], signals["isyn_exc"] + signals["isyn_exc2"],
                       atol=1e-6)


def test_defaults_and_receptors_are_spynnakers(sim):
    cell = sim.extra_models.IF_curr_dual_exp()
    assert cell.default_parameters["tau_syn_E2"] == 5.0
    assert cell.default_parameters["cm"] == 1.0 and cell.default_parameters["v_reset"] == -65.0
    assert tuple(cell.receptor_types) == ("excitatory", "excitatory2", "inhibitory")
    assert set(cell.default_initial_values) == {"v", "isyn_exc", "isyn_exc2", "isyn_inh"}


def test_non_positive_second_time_constant_is_refused(sim):
    sim.setup(timestep=1.0)
    with pytest.raises(sim.errors.InvalidParameterValueError, match="'bad'.*tau_syn_E2"):
        sim.Population(2, sim.extra_models.IF_curr_dual_exp(tau_syn_E2=0.0), label="bad")
