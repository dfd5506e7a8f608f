"""Record NEST's poisson_generator above one spike per step, and a cell it drives.

Two sets, both through pyNN.nest (SpikeSourcePoisson -> ``poisson_generator`` and a parrot
neuron per source, ``spike_precision="on_grid"``, dt 0.1 ms, ``rng_seed`` 20241):

* ``poisson_20khz``: 200 sources at 20 kHz (2 spikes per step on average) for 1 s. The recorded
  (parrot) spikes of each source are binned per step; stored: ``mean_rate_hz``, ``fano`` (the
  variance over the mean of the per-step counts, pooled over sources and steps; 1 for Poisson),
  ``p_count`` (the fraction of steps with 0 .. 7 spikes) and the numbers they come from. NEST's
  poisson_generator draws a Poisson count per step and the parrot repeats it (multiplicity), so
  several spikes of one step are recorded at the same time.
* ``drive_if_curr_exp``: 100 IF_curr_exp cells (default parameters except v_thresh = 0 mV,
  so that they never fire), each driven one-to-one by its own 20 kHz source, weight 0.01 nA,
  delay 0.1 ms, for 500 ms; stored: the mean and the standard deviation (ddof 0) of v over cells
  and samples from 100 ms on (0.1 ms sampling), and the theoretical mean (v_rest + rate * weight
  * tau_syn * tau_m / cm).

* ``stp_same_tick``: a SpikeSourceArray with two spikes at 5.0 ms (and one at 20.0 ms) into an
  IF_curr_exp (v_thresh 100 mV) through a TsodyksMarkramSynapse (U 0.5, tau_rec 100 ms,
  tau_facil 0, weight 1 nA, delay 1 ms); stored: the v trace (dt 0.1 ms, 40 ms). NEST's
  spike_generator sends the two spikes as two events of the same step, and tsodyks_synapse
  updates once per event: the second spike transmits u*x of what the first left.
* ``stdp_same_tick``: a SpikeSourceArray with spikes at 10, 10, 20, 20, 20, 55, 55 ms (and,
  as control, 10, 20, 55 ms) into an IF_curr_exp made to fire at 15.8 and 60.8 ms by current
  pulses, through STDPMechanism (SpikePairRule tau 20/20 ms, A_plus 0.04, A_minus 0.045,
  AdditiveWeightDependence 0..1, weight 0.5, delay 1 ms); stored: the weight at 30 and 100 ms.
  stdp_synapse updates once per event: each of the spikes of a step depresses, the first one
  also pairs the post-synaptic spikes since the previous step.

A generator spike in step k is recorded by the parrot at ``(k + 2) * h + min_delay`` (see
make_sources_golden.py); the script maps each time back to k.

How it was run (from the repository root, with PyNN 0.13.0, NEST 3.10.0; about 30 s)::

    /work/main/.venv/bin/python tests/golden/make_multispike_golden.py
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

OUT_PATH = Path(__file__).resolve().parent / "multispike.json"
DT, MIN_DELAY, SEED = 0.1, 0.1, 20241
RATE = 20000.0
N_SOURCES, RUN_MS = 200, 1000.0
N_CELLS, DRIVE_MS, SETTLE_MS, WEIGHT = 100, 500.0, 100.0, 0.01
CELL = {"v_thresh": 0.0}
MAX_COUNT = 8


def count_statistics(counts: np.ndarray) -> dict:
    """Statistics of per-(source, step) spike counts (one definition, used by the test)."""
    counts = np.asarray(counts, dtype=np.int64).ravel()
    mean = counts.mean()
    return {"mean_count": float(mean), "fano": float(counts.var() / mean),
            "p_count": [float(np.mean(counts == c)) for c in range(MAX_COUNT)],
            "n_bins": int(counts.size), "n_spikes": int(counts.sum())}


def poisson_set(sim) -> dict:
    sim.setup(timestep=DT, min_delay=MIN_DELAY, spike_precision="on_grid", rng_seed=SEED)
    sources = sim.Population(N_SOURCES, sim.SpikeSourcePoisson(rate=RATE))
    sources.record("spikes")
    n_steps = int(round(RUN_MS / DT))
    sim.run(RUN_MS + 2 * DT + MIN_DELAY + DT)
    counts = np.zeros((N_SOURCES, n_steps), dtype=np.int64)
    for i, st in enumerate(sources.get_data().segments[0].spiketrains):
        step = np.round((np.asarray(st.times) - MIN_DELAY) / DT).astype(np.int64) - 2
        step = step[(step >= 0) & (step < n_steps)]
        np.add.at(counts[i], step, 1)
    sim.end()
    stats = count_statistics(counts)
    stats["mean_rate_hz"] = stats["mean_count"] / (DT / 1000.0)
    return {"name": "poisson_20khz", "timestep": DT, "rate": RATE, "n_sources": N_SOURCES,
            "run_ms": RUN_MS, "statistics": stats}


def drive_set(sim) -> dict:
    sim.setup(timestep=DT, min_delay=MIN_DELAY, spike_precision="on_grid", rng_seed=SEED + 1)
    cells = sim.Population(N_CELLS, sim.IF_curr_exp(**CELL))
    sources = sim.Population(N_CELLS, sim.SpikeSourcePoisson(rate=RATE))
    sim.Projection(sources, cells, sim.OneToOneConnector(),
                   sim.StaticSynapse(weight=WEIGHT, delay=DT))
    cells.record("v")
    sim.run(DRIVE_MS)
    v = np.asarray(cells.get_data().segments[0].filter(name="v")[0])
    sim.end()
    settled = v[int(round(SETTLE_MS / DT)):]
    p = sim.IF_curr_exp.default_parameters
    theory = p["v_rest"] + RATE / 1000.0 * WEIGHT * p["tau_syn_E"] * p["tau_m"] / p["cm"]
    return {"name": "drive_if_curr_exp", "timestep": DT, "rate": RATE, "weight": WEIGHT,
            "delay": DT, "n_cells": N_CELLS, "run_ms": DRIVE_MS, "settle_ms": SETTLE_MS,
            "cell_params": CELL,
            "statistics": {"v_mean": float(settled.mean()), "v_std": float(settled.std()),
                           "v_mean_theory": float(theory), "n_samples": int(settled.size)}}


STP_TIMES = [5.0, 5.0, 20.0]
STP_SYNAPSE = {"U": 0.5, "tau_rec": 100.0, "tau_facil": 0.0, "weight": 1.0, "delay": 1.0}
STP_MS = 40.0
STDP_TIMES = {"same_tick": [10.0, 10.0, 20.0, 20.0, 20.0, 55.0, 55.0],
              "single": [10.0, 20.0, 55.0]}
STDP_POST_CELL = {"tau_m": 20.0, "cm": 1.0, "v_rest": -65.0, "v_reset": -65.0,
                  "v_thresh": -50.0, "tau_refrac": 2.0, "tau_syn_E": 0.5, "tau_syn_I": 0.5}
STDP_PULSES = [15.0, 16.0, 60.0, 61.0]           # 20 nA on, off, on, off
STDP_TIMING = {"tau_plus": 20.0, "tau_minus": 20.0, "A_plus": 0.04, "A_minus": 0.045}
STDP_READ_MS = [30.0, 100.0]


def stp_set(sim) -> dict:
    sim.setup(timestep=DT, min_delay=MIN_DELAY, spike_precision="on_grid")
    src = sim.Population(1, sim.SpikeSourceArray(spike_times=STP_TIMES))
    cell = sim.Population(1, sim.IF_curr_exp(v_thresh=100.0))
    sim.Projection(src, cell, sim.AllToAllConnector(),
                   sim.TsodyksMarkramSynapse(**STP_SYNAPSE))
    cell.record("v")
    sim.run(STP_MS)
    v = np.asarray(cell.get_data().segments[0].filter(name="v")[0]).ravel()
    sim.end()
    return {"name": "stp_same_tick", "timestep": DT, "spike_times": STP_TIMES,
            "synapse": STP_SYNAPSE, "cell_params": {"v_thresh": 100.0}, "run_ms": STP_MS,
            "v": v.tolist()}


def build_stdp(sim, times):
    """The stdp_same_tick network on ``sim`` (after setup). Out: the projection."""
    pre = sim.Population(1, sim.SpikeSourceArray(spike_times=times), label="pre")
    post = sim.Population(1, sim.IF_curr_exp(**STDP_POST_CELL), label="post")
    post.inject(sim.StepCurrentSource(times=STDP_PULSES, amplitudes=[20.0, 0.0] * 2))
    stdp = sim.STDPMechanism(
        timing_dependence=sim.SpikePairRule(**STDP_TIMING),
        weight_dependence=sim.AdditiveWeightDependence(w_min=0.0, w_max=1.0),
        weight=0.5, delay=1.0)
    return sim.Projection(pre, post, sim.AllToAllConnector(), stdp)


def stdp_set(sim) -> dict:
    weights = {}
    for name, times in STDP_TIMES.items():
        sim.setup(timestep=DT, min_delay=MIN_DELAY, spike_precision="on_grid")
        proj = build_stdp(sim, times)
        weights[name] = []
        for t in STDP_READ_MS:
            sim.run_until(t)
            weights[name].append(float(proj.get("weight", format="list",
                                                with_address=False)[0]))
        sim.end()
    return {"name": "stdp_same_tick", "timestep": DT, "read_ms": STDP_READ_MS,
            "weights": weights}


def main() -> None:
    import nest
    import pyNN.nest as sim
    sets = [poisson_set(sim), drive_set(sim), stp_set(sim), stdp_set(sim)]
    OUT_PATH.write_text(json.dumps({"nest_version": nest.__version__, "sets": sets},
                                   indent=1) + "\n")
    print(json.dumps(sets, indent=1))


if __name__ == "__main__":
    main()
