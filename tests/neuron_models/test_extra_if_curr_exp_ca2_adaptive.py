"""extra_models.IFCurrExpCa2Adaptive against a reference integration of its equations
(tests/neuron_models/extra_model_reference.py), and through PyNN
(a small network's spikes against the float reference: test_emulator_equals_reference.py)."""

import numpy as np
import pytest

import pynn_spinnaker2.extra_models  # noqa: F401  (sim.extra_models)
from extra_model_reference import (arrivals, lif_current_rhs,
                                   refractory_ticks, run_cell, run_grid)

PARAMS = {"tau_m": 20.0, "cm": 0.5, "v_rest": -70.0, "v_reset": -60.0, "v_thresh": -54.0,
          "tau_syn_E": 5.0, "tau_syn_I": 5.0, "tau_refrac": 1.0, "i_offset": 1.2,
          "tau_ca2": 50.0, "i_alpha": 0.1}
INPUTS = [(np.arange(100.0, 140.0, 2.0), 0.8, 1.0, "excitatory"),
          (np.arange(200.0, 230.0, 2.0), -0.8, 1.0, "inhibitory")]
ROWS = {"excitatory": 0, "inhibitory": 1}
RUN_MS = 300.0


def reference(dt: float):
    n = int(round(RUN_MS / dt))
    p = PARAMS
    table = arrivals([(t, w, d, ROWS[r]) for t, w, d, r in INPUTS], dt, n, 2)
    rhs = lif_current_rhs(p["tau_m"], p["cm"], p["v_rest"], p["i_offset"],
                          [p["tau_syn_E"], p["tau_syn_I"], p["tau_ca2"]], [1.0, 1.0, -1.0])

    def on_grid(k, y, refractory):
        y[1:3] += table[k]
        if y[0] >= p["v_thresh"]:
            y[0] = p["v_reset"]
            y[3] += p["i_alpha"]
            return True
        return False
    return run_grid(rhs, [-65.0, 0.0, 0.0, 0.0], dt, n, on_grid,   # v: the default initial
                    refractory_ticks(p["tau_refrac"], dt))


@pytest.mark.parametrize("dt", [0.1, 1.0])
def test_matches_reference_integration(sim, dt):
    samples, want_spikes = reference(dt)
    spikes, signals = run_cell(sim, sim.extra_models.IFCurrExpCa2Adaptive(**PARAMS), INPUTS, dt,
                               RUN_MS, ("v", "i_ca2"))
    # adaptation: the first interspike intervals lengthen under the constant drive
    isi = np.diff(want_spikes)
    assert len(want_spikes) >= 8 and isi[3] > 1.3 * isi[0]
    assert np.allclose(spikes, want_spikes, atol=1e-9)
    assert np.max(np.abs(signals["v"] - samples[:, 0])) < 2e-3
    assert np.max(np.abs(signals["i_ca2"] - samples[:, 3])) < 1e-4
    assert signals["i_ca2"].max() > 0.2


def test_calcium_current_slows_firing(sim):
    """The same drive with i_alpha 0 and 0.1 nA: the adapting cell fires less."""
    sim.setup(timestep=0.1)
    cells = sim.Population(2, sim.extra_models.IFCurrExpCa2Adaptive(
        **{**PARAMS, "i_alpha": [0.0, 0.1]}), label="cells")
    cells.record("spikes")
    sim.run(500.0)
    plain, adapting = [len(st) for st in cells.get_data().segments[0].spiketrains]
    assert adapting < 0.7 * plain


def test_defaults_are_spynnakers(sim):
    cell = sim.extra_models.IFCurrExpCa2Adaptive()
    assert cell.default_parameters["tau_ca2"] == 50.0
    assert cell.default_parameters["i_alpha"] == 0.1
    assert cell.default_initial_values["i_ca2"] == 0.0


def _example_network(sim, neurons_per_core):
    """The sPyNNaker example's set-up, smaller: Poisson drive one to one (folded into the
    PEs), dt 0.1. Out: sorted (neuron, spike time) pairs."""
    dt, run_ms = 0.1, 100.0
    sim.setup(timestep=dt, min_delay=1.0, neurons_per_core=neurons_per_core, rng_seed=21)
    cells = sim.Population(40, sim.extra_models.IFCurrExpCa2Adaptive(
        tau_m=20.0, cm=0.5, v_rest=-70.0, v_reset=-60.0, v_thresh=-54.0, i_alpha=0.1,
        tau_ca2=50.0), label="ca2")
    source = sim.Population(40, sim.SpikeSourcePoisson(rate=2500.0), label="poisson")
    sim.Projection(source, cells, sim.OneToOneConnector(),
                   sim.StaticSynapse(weight=0.1, delay=0.1), receptor_type="excitatory")
    cells.record(["spikes", "i_ca2"])
    sim.run(run_ms)
    segment = cells.get_data().segments[0]
    assert segment.filter(name="i_ca2")[0].shape == (1001, 40)
    spikes = sorted((int(st.annotations["source_index"]), round(float(t), 9))
                    for st in segment.spiketrains for t in st.times.magnitude)
    sim.end()
    return spikes


def test_network_runs_and_spikes_do_not_depend_on_the_mapping(sim):
    small, large = _example_network(sim, 16), _example_network(sim, 255)
    assert len(small) > 200
    assert small == large
