"""extra_models.IF_curr_exp_sEMD against a reference integration of its equations
(tests/neuron_models/extra_model_reference.py), and through PyNN (the sPyNNaker example's
set-up)."""

import numpy as np
import pytest

import pynn_spinnaker2.extra_models  # noqa: F401  (sim.extra_models)
from extra_model_reference import arrivals, refractory_ticks, run_cell, run_grid

# the sPyNNaker example's cell
PARAMS = {"cm": 0.25, "i_offset": 0.0, "tau_m": 10.0, "tau_refrac": 1.0, "tau_syn_E": 20.0,
          "tau_syn_E2": 20.0, "tau_syn_I": 20.0, "v_reset": -85.0, "v_rest": -60.0,
          "v_thresh": -50.0, "scaling_factor": 100.0}
# facilitation then trigger with lags of 16, 5 and 60 ms; a trigger alone; inhibition under a
# short-lag pair
INPUTS = [([4.0, 300.0, 600.0, 1100.0], 1.0, 1.0, "excitatory"),
          ([20.0, 305.0, 660.0, 900.0, 1105.0], 1.0, 1.0, "excitatory2"),
          ([1104.0], -60.0, 1.0, "inhibitory")]
ROWS = {"excitatory": 0, "excitatory2": 1, "inhibitory": 2}
RUN_MS = 1300.0


def reference(dt: float):
    n = int(round(RUN_MS / dt))
    p = PARAMS
    table = arrivals([(t, w, d, ROWS[r]) for t, w, d, r in INPUTS], dt, n, 3)
    taus = np.array([p["tau_syn_E"], p["tau_syn_E2"], p["tau_syn_I"]])
    latched = {"m": 0.0, "old": 0.0}

    def rhs(t, y, refractory):
        drive = p["scaling_factor"] * latched["m"] * y[2] + y[3] + p["i_offset"]
        dv = 0.0 if refractory else -(y[0] - p["v_rest"]) / p["tau_m"] + drive / p["cm"]
        return np.concatenate([[dv], -y[1:] / taus])

    def latch(y):
        active = y[2] >= 0.001
        if active and latched["old"] < 0.001 and latched["m"] == 0.0:
            latched["m"] = y[1]
        elif not active:
            latched["m"] = 0.0
        latched["old"] = y[2]

    def on_grid(k, y, refractory):
        y[1:] += table[k]
        spiked = y[0] >= p["v_thresh"]
        if spiked:
            y[0] = p["v_reset"]
        latch(y)          # for the next tick, from the currents at its start
        return spiked
    return run_grid(rhs, [-65.0, 0.0, 0.0, 0.0], dt, n, on_grid,   # v: the default initial
                    refractory_ticks(p["tau_refrac"], dt))


def _in(spikes, start, stop):
    return int(np.sum((spikes >= start) & (spikes < stop)))


# dt 0.1: 13,000 scipy-integrated ticks (about 20 s)
@pytest.mark.parametrize("dt", [pytest.param(0.1, marks=pytest.mark.slow), 1.0])
def test_matches_reference_integration(sim, dt):
    samples, want = reference(dt)
    cell = sim.extra_models.IF_curr_exp_sEMD(**PARAMS)
    spikes, signals = run_cell(sim, cell, INPUTS, dt, RUN_MS,
                               ("v", "multiplicator", "gsyn_exc", "isyn_exc2"))
    # the motion-detector behaviour in the reference: shorter lag, more spikes; a trigger
    # without facilitation and the inhibited pair (almost) silent
    short, medium, long_ = _in(want, 300, 600), _in(want, 20, 300), _in(want, 660, 900)
    assert short > medium > long_ >= 1
    assert _in(want, 900, 1100) == 0
    assert _in(want, 1100, RUN_MS) < short
    assert spikes.shape == want.shape
    assert np.allclose(spikes, want, atol=1e-9)
    assert np.max(np.abs(signals["v"] - samples[:, 0])) < 2e-3   # measured 4e-4 mV (dt 0.1)
    assert np.max(np.abs(signals["isyn_exc2"] - samples[:, 2])) < 1e-4
    # the latched gain: the facilitation current at the trigger's onset, then 0 again
    m = signals["multiplicator"]
    onset = int(round(306.0 / dt))
    assert m[onset - 1] == 0 and m[onset + 1] > 0.7
    assert np.allclose(signals["gsyn_exc"], 100.0 * m * signals["isyn_exc2"], rtol=1e-5)


def test_defaults_and_receptors_are_spynnakers(sim):
    cell = sim.extra_models.IF_curr_exp_sEMD()
    assert cell.default_parameters["scaling_factor"] == 1.0
    assert tuple(cell.receptor_types) == ("excitatory", "excitatory2", "inhibitory")
    assert {"multiplicator", "exc2_old"} <= set(cell.default_initial_values)


def test_example_network_runs(sim):
    """The sPyNNaker example, as written there (class and parameter dict)."""
    sim.setup(timestep=1.0)
    semd = sim.Population(1, sim.extra_models.IF_curr_exp_sEMD, dict(PARAMS), label="sEMD")
    facilitation = sim.Population(1, sim.SpikeSourceArray, {"spike_times": [[4]]},
                                  label="input_facilitation")
    trigger = sim.Population(1, sim.SpikeSourceArray, {"spike_times": [[20]]},
                             label="input_trigger")
    semd.initialize(v=-60.0)
    sim.Projection(facilitation, semd, sim.OneToOneConnector(),
                   sim.StaticSynapse(weight=1, delay=1), receptor_type="excitatory")
    sim.Projection(trigger, semd, sim.OneToOneConnector(),
                   sim.StaticSynapse(weight=1, delay=1), receptor_type="excitatory2")
    semd.record(["spikes", "v", "gsyn_exc", "gsyn_inh"])
    sim.run(100)
    data = semd.get_data().segments[0]
    assert len(data.spiketrains[0]) >= 1
    assert np.asarray(data.filter(name="gsyn_exc")[0]).max() > 10.0
