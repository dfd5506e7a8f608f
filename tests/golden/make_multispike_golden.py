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

A generator spike in step k is recorded by the parrot at ``(k + 2) * h + min_delay`` (see
make_sources_golden.py); the script maps each time back to k.

How it was run (from the repository root, with PyNN 0.13.0, NEST 3.10.0; about 20 s)::

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


def main() -> None:
    import nest
    import pyNN.nest as sim
    sets = [poisson_set(sim), drive_set(sim)]
    OUT_PATH.write_text(json.dumps({"nest_version": nest.__version__, "sets": sets},
                                   indent=1) + "\n")
    print(json.dumps(sets, indent=1))


if __name__ == "__main__":
    main()
