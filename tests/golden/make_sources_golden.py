"""Record spike statistics of PyNN's SpikeSourcePoissonRefractory and SpikeSourceGamma from NEST.

Spikes of random sources cannot be compared one by one with NEST (different random numbers), so
the golden data are statistics of many independent neurons: for each parameter set, 1000
neurons are recorded for 10 s through pyNN.nest and the script stores, pooled over all neurons,

* ``mean_rate_hz``: number of spikes / (neurons * duration),
* ``isi_mean_ms``, ``isi_cv`` (standard deviation / mean, ddof 0) and ``isi_min_ms`` of all
  inter-spike intervals of all neurons (the intervals of one neuron are the differences of its
  sorted spike ticks; no interval spans two neurons),

with the counts they come from (``n_spikes``, ``n_isi``). ``spike_statistics`` below is the one
definition of these numbers; tests/neuron_models/test_model_sources.py loads it from this file and
applies it to pynn_spinnaker2's spikes.

What pyNN.nest runs (pyNN/nest/standardmodels/cells.py, PyNN 0.13):

* SpikeSourcePoissonRefractory -> ``ppd_sup_generator`` with ``rate`` = rate, ``dead_time`` =
  tau_refrac, ``n_proc`` = 1, ``frequency`` = 0. ``rate`` is the mean output rate including the
  dead time. Per time step h, NEST keeps the process in ``floor(dead_time / h)`` dead bins after
  the step of a spike, then spikes with probability ``h / (1000 / rate - dead_time)`` per step.
* SpikeSourceGamma -> ``gamma_sup_generator`` with ``gamma_shape`` = alpha and ``rate`` =
  beta / alpha, ``n_proc`` = 1. NEST runs alpha phases; per step the process moves to the next
  phase with probability ``rate * gamma_shape * h / 1000`` = beta * h / 1000 and spikes when it
  leaves the last phase. It starts in the last phase.
* start and duration are not supported by pyNN.nest for these two classes (its translations
  mark them UNSUPPORTED), so every set here uses their defaults.

Both NEST models are stored with their discrete-time predictions (``predicted``: rate, ISI mean,
CV and minimum of the process NEST runs at that timestep, computed from the formulas above)
and the values of the continuous-time process (``continuous``) they approximate.

Settings that matter for interpreting the data:

* ``spike_precision="on_grid"``, ``min_delay=1.0``. pyNN.nest puts a parrot neuron after each
  generator (connection delay = min_delay), and the recorded spikes are the parrot's: a
  generator spike in step k (the step from k*h to (k+1)*h) is recorded at
  ``(k + 2) * h + min_delay``. The script maps each recorded time back to k, runs long enough
  for every spike of steps 0 .. n_ticks - 1 to reach the parrots, and keeps exactly those.
* ``rng_seed=20240`` (NEST's global seed; each generator draws from its thread's stream).

How it was run (from the repository root, with PyNN 0.13.0, NEST 3.10.0, numpy 2.4; about
three minutes)::

    /work/venv/bin/python tests/golden/make_sources_golden.py
"""

from __future__ import annotations

import json
import math
import warnings
from pathlib import Path

import numpy as np

OUT_PATH = Path(__file__).resolve().parent / "sources_statistics.json"
N_NEURONS = 1000
RUN_MS = 10_000.0
MIN_DELAY = 1.0
RNG_SEED = 20240

# name, PyNN class, parameters, timestep. The dt = 1.0 sets have rates high enough that the
# discretisation shows (per-step probabilities 0.2 - 0.4); "refrac_offgrid_dt1" has a dead time
# that is not a multiple of the timestep, where NEST's rate is biased (see predicted()).
PARAMETER_SETS = [
    ("refrac_20hz_2ms", "SpikeSourcePoissonRefractory", {"rate": 20.0, "tau_refrac": 2.0}, 0.1),
    ("refrac_100hz_5ms", "SpikeSourcePoissonRefractory", {"rate": 100.0, "tau_refrac": 5.0},
     0.1),
    ("refrac_50hz_0ms", "SpikeSourcePoissonRefractory", {"rate": 50.0, "tau_refrac": 0.0}, 0.1),
    ("refrac_100hz_5ms_dt1", "SpikeSourcePoissonRefractory",
     {"rate": 100.0, "tau_refrac": 5.0}, 1.0),
    ("refrac_offgrid_dt1", "SpikeSourcePoissonRefractory", {"rate": 100.0, "tau_refrac": 2.5},
     1.0),
    ("gamma_a2_b40", "SpikeSourceGamma", {"alpha": 2, "beta": 40.0}, 0.1),
    ("gamma_a5_b250", "SpikeSourceGamma", {"alpha": 5, "beta": 250.0}, 0.1),
    ("gamma_a1_b30", "SpikeSourceGamma", {"alpha": 1, "beta": 30.0}, 0.1),
    ("gamma_a4_b400_dt1", "SpikeSourceGamma", {"alpha": 4, "beta": 400.0}, 1.0),
]


def spike_statistics(neuron: np.ndarray, tick: np.ndarray, n_neurons: int, n_ticks: int,
                     dt: float) -> dict:
    """Pooled statistics of spikes given as (neuron index, tick) pairs, ticks 0 .. n_ticks-1."""
    neuron = np.asarray(neuron, dtype=np.int64)
    tick = np.asarray(tick, dtype=np.int64)
    order = np.lexsort((tick, neuron))
    neuron, tick = neuron[order], tick[order]
    same = neuron[1:] == neuron[:-1]
    isi = (tick[1:] - tick[:-1])[same] * dt
    return {
        "n_spikes": int(tick.size),
        "n_isi": int(isi.size),
        "mean_rate_hz": tick.size / (n_neurons * n_ticks * dt / 1000.0),
        "isi_mean_ms": float(isi.mean()),
        "isi_cv": float(isi.std() / isi.mean()),
        "isi_min_ms": float(isi.min()),
    }


def predicted(cell: str, params: dict, dt: float) -> tuple[dict, dict]:
    """(NEST's discrete-time process at dt, the continuous-time process): rate, ISI mean, CV, min.

    Refractory: ISI = R + G steps, R = floor(tau_refrac / dt) (NEST truncates), G geometric on
    {1, 2, ...} with p = dt / (1000 / rate - tau_refrac). Gamma: ISI = sum of alpha such G with
    p = beta * dt / 1000.
    """
    if cell == "SpikeSourcePoissonRefractory":
        rate, dead = params["rate"], params["tau_refrac"]
        dead_steps = math.floor(dead / dt + 1e-9)
        p = dt / (1000.0 / rate - dead)
        mean = (dead_steps + 1.0 / p) * dt
        std = math.sqrt(1.0 - p) / p * dt
        discrete = {"mean_rate_hz": 1000.0 / mean, "isi_mean_ms": mean, "isi_cv": std / mean,
                    "isi_min_ms": (dead_steps + 1) * dt, "step_probability": p}
        cont_mean = 1000.0 / rate
        continuous = {"mean_rate_hz": rate, "isi_mean_ms": cont_mean,
                      "isi_cv": (cont_mean - dead) / cont_mean, "isi_min_ms": dead}
    else:
        alpha, beta = params["alpha"], params["beta"]
        p = beta * dt / 1000.0
        mean = alpha / p * dt
        discrete = {"mean_rate_hz": 1000.0 / mean, "isi_mean_ms": mean,
                    "isi_cv": math.sqrt((1.0 - p) / alpha), "isi_min_ms": alpha * dt,
                    "step_probability": p}
        continuous = {"mean_rate_hz": beta / alpha,
                      "isi_mean_ms": 1000.0 * alpha / beta, "isi_cv": 1.0 / math.sqrt(alpha),
                      "isi_min_ms": 0.0}
    return discrete, continuous


def run_set(sim, cell: str, params: dict, dt: float) -> dict:
    """Record N_NEURONS sources for RUN_MS through pyNN.nest; their statistics and NEST model."""
    n_ticks = int(round(RUN_MS / dt))
    sim.setup(timestep=dt, min_delay=MIN_DELAY, spike_precision="on_grid", rng_seed=RNG_SEED)
    pop = sim.Population(N_NEURONS, getattr(sim, cell)(**params))
    nest_model = pop.node_collection_source.get("model")[0]
    native = pop.node_collection_source[0].get()
    pop.record("spikes")
    # the last generator step's spike reaches its parrot at (n_ticks + 1) * dt + MIN_DELAY
    sim.run(RUN_MS + MIN_DELAY + 3 * dt)
    trains = pop.get_data().segments[0].spiketrains
    neuron = np.concatenate([np.full(len(st), int(st.annotations["source_index"]))
                             for st in trains])
    times = np.concatenate([st.rescale("ms").magnitude for st in trains])
    sim.end()
    tick = np.round((times - MIN_DELAY) / dt).astype(np.int64) - 2
    assert tick.min() >= 0, tick.min()
    keep = tick < n_ticks
    stats = spike_statistics(neuron[keep], tick[keep], N_NEURONS, n_ticks, dt)
    keys = ("rate", "dead_time", "n_proc", "frequency", "gamma_shape")
    return stats, nest_model, {k: native[k] for k in keys if k in native}


def main():
    import nest
    import pyNN
    import pyNN.nest as sim

    # NEST 3.10 emits deprecation UserWarnings for the GetStatus/SetStatus calls pyNN makes.
    warnings.filterwarnings("ignore", category=UserWarning, module=r"nest\.")
    records = []
    for name, cell, params, dt in PARAMETER_SETS:
        stats, nest_model, nest_params = run_set(sim, cell, params, dt)
        discrete, continuous = predicted(cell, params, dt)
        records.append({"name": name, "cell": cell, "params": params, "timestep": dt,
                        "n_neurons": N_NEURONS, "run_ms": RUN_MS, "nest_model": nest_model,
                        "nest_params": nest_params, "statistics": stats,
                        "predicted": discrete, "continuous": continuous})
        print(f"{name} ({nest_model}, dt={dt}): " + ", ".join(
            f"{k} {stats[k]:.4g} (predicted {discrete[k]:.4g})"
            for k in ("mean_rate_hz", "isi_mean_ms", "isi_cv", "isi_min_ms")))
    golden = {
        "nest_version": nest.__version__,
        "pynn_version": pyNN.__version__,
        "description": (
            "Pooled spike statistics of pyNN SpikeSourcePoissonRefractory (NEST "
            "ppd_sup_generator) and SpikeSourceGamma (NEST gamma_sup_generator), 1000 neurons "
            "for 10 s per parameter set, on-grid spike precision, min_delay 1.0 ms, recorded "
            "through pyNN.nest; spike ticks are the generators' steps (parrot delay removed)."),
        "rng_seed": RNG_SEED,
        "sets": records,
    }
    OUT_PATH.write_text(json.dumps(golden, indent=1) + "\n")
    print(f"wrote {OUT_PATH}")


if __name__ == "__main__":
    main()
