"""extra_models.IFCondExpStoc: its membrane against a reference integration of its equations
(tests/neuron_models/extra_model_reference.py), its firing probability against the published
escape rate, and its random streams (same seed, same spikes, whatever the mapping)."""

import numpy as np
import pytest

import pynn_spinnaker2.extra_models  # noqa: F401  (sim.extra_models)
from extra_model_reference import arrivals, run_cell, run_grid

# a threshold far above the trajectory: the escape rate stays below 1e-12 per tick, so the
# membrane follows the deterministic equations
PARAMS = {"tau_m": 20.0, "cm": 1.0, "v_rest": -65.0, "v_reset": -70.0, "v_thresh": -10.0,
          "tau_syn_E": 5.0, "tau_syn_I": 5.0, "tau_refrac": 3.0, "i_offset": 0.1,
          "e_rev_E": 0.0, "e_rev_I": -70.0, "du_th": 0.5, "tau_th": 20.0}
INPUTS = [([float(t) for t in range(5, 105, 10)], 0.15, 2.0, "excitatory"),
          ([float(t) for t in range(155, 255, 10)], 0.15, 4.0, "inhibitory")]
ROWS = {"excitatory": 0, "inhibitory": 1}
RUN_MS = 260.0


def reference(dt: float):
    n = int(round(RUN_MS / dt))
    p = PARAMS
    table = arrivals([(t, w, d, ROWS[r]) for t, w, d, r in INPUTS], dt, n, 2)

    def rhs(t, y, refractory):
        v, g_e, g_i = y
        dv = (-p["cm"] / p["tau_m"] * (v - p["v_rest"]) - g_e * (v - p["e_rev_E"])
              - g_i * (v - p["e_rev_I"]) + p["i_offset"]) / p["cm"]
        return [dv, -g_e / p["tau_syn_E"], -g_i / p["tau_syn_I"]]

    def on_grid(k, y, refractory):
        y[1:] += table[k]
        return False
    return run_grid(rhs, [-65.0, 0.0, 0.0], dt, n, on_grid)


@pytest.mark.parametrize("dt", [0.1, 1.0])
def test_membrane_matches_reference_integration(sim, dt):
    samples, _ = reference(dt)
    spikes, signals = run_cell(sim, sim.extra_models.IFCondExpStoc(**PARAMS), INPUTS, dt,
                               RUN_MS, ("v", "gsyn_exc", "gsyn_inh"))
    assert len(spikes) == 0
    assert np.ptp(samples[:, 0]) > 5.0          # the inputs move v
    assert np.max(np.abs(signals["v"] - samples[:, 0])) < 1e-3
    assert np.max(np.abs(signals["gsyn_exc"] - samples[:, 1])) < 1e-5
    assert np.max(np.abs(signals["gsyn_inh"] - samples[:, 2])) < 1e-5


OFFSETS = np.array([-1.0, -0.5, 0.0, 0.5])     # V - v_thresh (mV), one group of cells each
PER_GROUP = 100


def _clamped_population(sim, dt, seed, neurons_per_core=None, du_th=0.5, tau_th=20.0):
    """Cells whose v stays at -60 mV (v_rest = v_reset = v, no input, no refractory period)
    with thresholds 1 mV above to 0.5 mV below it: each tick is an independent trial."""
    sim.setup(timestep=dt, rng_seed=seed,
              **({"neurons_per_core": neurons_per_core} if neurons_per_core else {}))
    thresholds = np.repeat(-60.0 - OFFSETS, PER_GROUP)
    cells = sim.Population(len(thresholds), sim.extra_models.IFCondExpStoc(
        v_rest=-60.0, v_reset=-60.0, v_thresh=thresholds, tau_refrac=0.0, du_th=du_th,
        tau_th=tau_th), initial_values={"v": -60.0}, label="stoc")
    cells.record("spikes")
    return cells


def _counts(cells):
    trains = cells.get_data().segments[0].spiketrains
    per_cell = np.array([len(st) for st in sorted(trains,
                                                  key=lambda s: s.annotations["source_index"])])
    return per_cell.reshape(len(OFFSETS), PER_GROUP).sum(axis=1), trains


@pytest.mark.parametrize("dt, du_th, tau_th", [(1.0, 0.5, 20.0), (0.1, 1.0, 5.0)])
def test_firing_probability_is_the_published_escape_rate(sim, dt, du_th, tau_th):
    ticks = 2000
    cells = _clamped_population(sim, dt, seed=1234, du_th=du_th, tau_th=tau_th)
    sim.run(ticks * dt)
    counts, _ = _counts(cells)
    rate = np.exp(OFFSETS / du_th) / tau_th                  # per ms
    p = -np.expm1(-rate * dt)                                # per tick
    trials = ticks * PER_GROUP
    expected, sigma = trials * p, np.sqrt(trials * p * (1 - p))
    assert np.all(expected > 100)
    assert np.all(np.abs(counts - expected) < 4.5 * sigma), (counts, expected, sigma)
    # and not sPyNNaker's dt / 10 variant, which would give a tenth of the spikes
    assert np.all(counts > 0.5 * expected)


def test_same_seed_same_spikes_whatever_the_mapping(sim):
    def spikes(seed, neurons_per_core):
        cells = _clamped_population(sim, 1.0, seed, neurons_per_core)
        sim.run(200.0)
        _, trains = _counts(cells)
        out = sorted((int(st.annotations["source_index"]), float(t))
                     for st in trains for t in st.times.magnitude)
        sim.end()
        return out
    a, b, c = spikes(7, 13), spikes(7, 255), spikes(8, 13)
    assert len(a) > 500
    assert a == b
    assert a != c


def test_network_runs(sim):
    """The sPyNNaker example: one stochastic and one deterministic cell, the same inputs."""
    sim.setup(timestep=1.0, min_delay=1.0, rng_seed=3)
    cell_params = {"i_offset": 0.1, "tau_refrac": 3.0, "v_thresh": -51.0, "v_reset": -70.0,
                   "tau_syn_E": 5.0, "tau_syn_I": 5.0}
    stoc = sim.Population(20, sim.extra_models.IFCondExpStoc(**cell_params), label="stoc")
    exp_cell = sim.Population(1, sim.IF_cond_exp(**cell_params), label="exp")
    source_e = sim.Population(1, sim.SpikeSourceArray(
        spike_times=[float(i) for i in range(5, 105, 10)]), label="e")
    source_i = sim.Population(1, sim.SpikeSourceArray(
        spike_times=[float(i) for i in range(155, 255, 10)]), label="i")
    for target in (stoc, exp_cell):
        sim.Projection(source_e, target, sim.AllToAllConnector(),
                       sim.StaticSynapse(weight=0.15, delay=2.0), receptor_type="excitatory")
        sim.Projection(source_i, target, sim.AllToAllConnector(),
                       sim.StaticSynapse(weight=0.15, delay=4.0), receptor_type="inhibitory")
    for pop in (stoc, exp_cell):
        pop.record(["spikes", "v", "gsyn_exc", "gsyn_inh"])   # the example's record("all")
    sim.run(200.0)
    data = stoc.get_data().segments[0]
    assert {a.name for a in data.analogsignals} >= {"v", "gsyn_exc", "gsyn_inh"}
    n_stoc = sum(len(st) for st in data.spiketrains)
    # the deterministic cell fires under the excitation; the stochastic ones fire too (their
    # soft threshold lets them fire below v_thresh), differently from each other
    assert len(exp_cell.get_data().segments[0].spiketrains[0]) > 0
    assert n_stoc > 20
    assert len({tuple(st.times.magnitude) for st in data.spiketrains}) > 1
