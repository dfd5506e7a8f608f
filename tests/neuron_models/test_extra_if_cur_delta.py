"""extra_models.IFCurDelta against a reference integration of its equations
(tests/neuron_models/extra_model_reference.py), and through PyNN
(a small network's spikes against the float reference: test_emulator_equals_reference.py)."""

import numpy as np
import pytest

import pynn_spinnaker2.extra_models  # noqa: F401  (sim.extra_models)
from extra_model_reference import (arrivals, lif_current_rhs,
                                   refractory_ticks, run_cell, run_grid)

# cm != 1, so that a jump of w / cm (sPyNNaker's charge) differs from PyNN's IF_curr_delta (w)
PARAMS = {"tau_m": 20.0, "cm": 0.5, "v_rest": -65.0, "v_reset": -70.0, "v_thresh": -51.0,
          "tau_refrac": 3.0, "i_offset": 0.5}
INPUTS = [(np.arange(5.0, 105.0, 10.0), 1.5, 2.0, "excitatory"),
          (np.arange(155.0, 255.0, 10.0), -1.5, 4.0, "inhibitory"),
          (np.arange(30.0, 60.0, 1.0), 0.3, 1.0, "excitatory")]
RUN_MS = 250.0


def reference(dt: float, isyn_exc0: float = 0.0):
    n = int(round(RUN_MS / dt))
    p = PARAMS
    table = arrivals([(t, w, d, 0) for t, w, d, _ in INPUTS], dt, n, 1)
    table[1, 0] += isyn_exc0
    rhs = lif_current_rhs(p["tau_m"], p["cm"], p["v_rest"], p["i_offset"], [], [])

    def on_grid(k, y, refractory):
        if not refractory:
            y[0] += table[k, 0] / p["cm"]
        if y[0] >= p["v_thresh"]:
            y[0] = p["v_reset"]
            return True
        return False
    return run_grid(rhs, [p["v_rest"]], dt, n, on_grid, refractory_ticks(p["tau_refrac"], dt))


@pytest.mark.parametrize("dt", [0.1, 1.0])
def test_matches_reference_integration(sim, dt):
    samples, want_spikes = reference(dt)
    spikes, signals = run_cell(sim, sim.extra_models.IFCurDelta(**PARAMS), INPUTS, dt, RUN_MS,
                               ("v", "gsyn_exc", "gsyn_inh"))
    assert len(want_spikes) >= 5
    assert np.allclose(spikes, want_spikes, atol=1e-9)
    assert np.max(np.abs(signals["v"] - samples[:, 0])) < 2e-3
    # the recorded synaptic input is the charge that arrived in each tick (weights as the
    # synapse words hold them: within 1e-5 relative)
    arrived = arrivals([(t, w, d, 0 if w > 0 else 1) for t, w, d, _ in INPUTS], dt,
                       int(round(RUN_MS / dt)), 2)
    assert np.allclose(signals["gsyn_exc"], arrived[:, 0], rtol=1e-4, atol=1e-6)
    assert np.allclose(signals["gsyn_inh"], arrived[:, 1], rtol=1e-4, atol=1e-6)


def test_jump_is_charge_over_capacitance(sim):
    """One spike of weight 0.6 onto cells of cm 0.5 and 2.0: jumps of 1.2 and 0.3 mV."""
    sim.setup(timestep=0.1)
    cells = sim.Population(2, sim.extra_models.IFCurDelta(cm=[0.5, 2.0], tau_m=1e6),
                           label="cells")
    source = sim.Population(1, sim.SpikeSourceArray(spike_times=[1.0]), label="source")
    sim.Projection(source, cells, sim.AllToAllConnector(),
                   sim.StaticSynapse(weight=0.6, delay=1.0))
    cells.record("v")
    sim.run(5.0)
    v = np.asarray(cells.get_data().segments[0].filter(name="v")[0])
    assert np.allclose(v[-1] - v[0], [1.2, 0.3], atol=1e-4)


def test_initial_synaptic_input_is_delivered_in_the_first_tick(sim):
    samples, _ = reference(1.0, isyn_exc0=2.0)
    sim.setup(timestep=1.0)
    cell = sim.Population(1, sim.extra_models.IFCurDelta(**PARAMS), label="cell")
    cell.initialize(isyn_exc=2.0)
    cell.record("v")
    sim.run(3.0)
    v = np.asarray(cell.get_data().segments[0].filter(name="v")[0]).ravel()
    assert v[1] - v[0] > 3.9   # 2 pC / 0.5 nF plus the bias
    assert np.allclose(v, samples[:4, 0], atol=1e-4)


def test_defaults_are_spynnakers(sim):
    cell = sim.extra_models.IFCurDelta()
    assert cell.default_parameters == {"tau_m": 20.0, "cm": 1.0, "v_rest": -65.0,
                                       "v_reset": -65.0, "v_thresh": -50.0, "tau_refrac": 0.1,
                                       "i_offset": 0.0}
    assert set(cell.default_initial_values) == {"v", "isyn_exc", "isyn_inh"}
