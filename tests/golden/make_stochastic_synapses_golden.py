"""Record golden release statistics of the stochastic synapses from NEST 3.10 via pyNN.nest.

Runs each case of tests/stochastic_protocols.py (the code the tests run on pynn_spinnaker2)
and stores, in tests/golden/stochastic_synapses.json, per case and per input spike the mean and
variance over all synapses of the number of sites released (0 or 1 for the one-site models),
read from the IF_curr_delta cells' v, and the number of samples.

* SimpleStochasticSynapse and MultiQuantalSynapse: pyNN.nest 0.13 on NEST 3.10
  (bernoulli_synapse, quantal_stp_synapse), N_SEEDS kernel seeds of N_SYNAPSES synapses each.
  pyNN.nest passes ``Projection.initialize(a=...)`` to NEST as a float, which NEST refuses, so
  the initial ``a`` and ``u`` of a case that gives them are set on the NEST connections here.
  ``quantal_defaults_n3`` leaves them: NEST's quantal_stp_synapse then starts from its own
  defaults u = 0.5 and a = 1 (whatever U and n are), and its first spike uses them unchanged.
* StochasticTsodyksMarkramSynapse: pyNN.nest maps it to its own NEST extension
  stochastic_stp_synapse (pyNN/nest/extensions/stochastic_stp_synapse.h), which is not built
  in this NEST installation (pyNN.nest raises NoModelAvailableError). Its statistics are a
  Monte Carlo of ``stochastic_stp_release`` below, a line-by-line transcription of that
  extension's send() (numpy generator, MC_SAMPLES synapses).

pyNN.nest 0.13's IF_curr_delta lacks ``variable_map``/``scale_factors``; they are set here as
in make_if_curr_delta_golden.py.

How it was run (from the repository root, PyNN 0.13.0, NEST 3.10.0, numpy 2.4)::

    /work/main/.venv/bin/python tests/golden/make_stochastic_synapses_golden.py
"""

import json
import math
import sys
import warnings
from pathlib import Path

import nest
import numpy as np
import pyNN
import pyNN.nest as sim

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import stochastic_protocols as P  # noqa: E402

warnings.simplefilter("ignore")
sim.IF_curr_delta.variable_map = {"v": "V_m"}
sim.IF_curr_delta.scale_factors = {"v": 1}
N_SEEDS = 4
MC_SAMPLES = 200_000


def nest_releases(name: str, seed: int) -> np.ndarray:
    """(spikes, synapses) release counts of one case on NEST."""
    sim.setup(timestep=P.TIMESTEP, min_delay=P.TIMESTEP, spike_precision="on_grid",
              rng_seed=seed)
    cells, projection = P.build(sim, name, initialize=False)
    initial = P.CASES[name][2]
    if initial:
        nest.SetStatus(projection.nest_connections,
                       {"a": int(initial["a"]), "u": float(initial["u"])})
    sim.run(P.RUN_MS)
    v = np.asarray(cells.get_data().segments[0].filter(name="v")[0])
    sim.end()
    return P.releases(v)


def stochastic_stp_release(params: dict, rng: np.random.Generator, n: int) -> np.ndarray:
    """Release (0/1) per (spike, synapse) of pyNN's stochastic_stp_synapse: its send() with
    u = 0, R = 1, t_surv = 0, t_lastspike = 0 to start (its constructor's defaults)."""
    U, tau_rec, tau_fac = params["U"], params["tau_rec"], params["tau_facil"]
    u, recovered = np.zeros(n), np.ones(n, dtype=bool)
    t_surv, t_last = np.zeros(n), 0.0
    out = []
    for t in P.SPIKE_TIMES:
        if tau_fac > 1.0e-10:
            u = u * math.exp(-(t - t_last) / tau_fac)
            u = u + U * (1 - u)
        else:
            u = np.full(n, U)
        was_unrecovered = ~recovered
        p_surv = np.exp(-(t - t_surv) / tau_rec)
        recovers = was_unrecovered & (rng.random(n) > p_surv)
        t_surv = np.where(was_unrecovered & ~recovers, t, t_surv)
        recovered = recovered | recovers
        release = recovered & (rng.random(n) < u)
        recovered = recovered & ~release
        t_surv = np.where(release, t, t_surv)
        out.append(release.astype(np.int64))
        t_last = t
    return np.array(out)


def main() -> None:
    cases = {}
    rng = np.random.default_rng(20261204)
    for name, (kind, params, initial) in P.CASES.items():
        if kind == "StochasticTsodyksMarkramSynapse":
            counts = stochastic_stp_release(params, rng, MC_SAMPLES)
            source = "Monte Carlo of pyNN's stochastic_stp_synapse (transcribed)"
        else:
            counts = np.concatenate([nest_releases(name, 1 + s) for s in range(N_SEEDS)], axis=1)
            source = f"NEST {nest.__version__} via pyNN.nest, {N_SEEDS} seeds"
        cases[name] = {"synapse_type": kind, "params": params, "initial": initial,
                       "source": source, "samples": int(counts.shape[1]),
                       "mean": counts.mean(axis=1).tolist(), "var": counts.var(axis=1).tolist()}
        print(name, np.round(counts.mean(axis=1), 3))
    data = {"versions": {"nest": nest.__version__, "pyNN": pyNN.__version__,
                         "numpy": np.__version__},
            "notes": "Per case and input spike (tests/stochastic_protocols.py SPIKE_TIMES): mean "
                     "and variance over synapses of the sites released; see "
                     "tests/golden/make_stochastic_synapses_golden.py.",
            "cases": cases}
    path = Path(__file__).resolve().parent / "stochastic_synapses.json"
    path.write_text(json.dumps(data, indent=1))
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
