"""Record golden reference traces of a single HH_cond_exp neuron from NEST via pyNN.nest.

Runs two scenarios, each at timestep 0.1, 0.5 and 1.0 ms, with one ``sim.HH_cond_exp`` neuron
(NEST ``hh_cond_exp_traub``) driven by ``sim.SpikeSourceArray`` inputs (all delays 1.0 ms,
200 ms per run), records its spikes, ``v``, ``gsyn_exc`` and ``gsyn_inh``, and writes them to
``hh_cond_exp_single.json`` next to this script, for comparison with pynn_spinnaker2
(tests/neuron_models/test_model_hh_cond_exp.py).

Scenarios:

* ``exc_inh_bursts``: PyNN default parameters (v=-65, m=0, h=1, n=0 initially; tau_syn_E is
  0.2 ms, so the input is strong and brief); three excitatory bursts of 0.15 uS, the third one
  overlapped by three inhibitory spikes of 0.2 uS.
* ``offset_inputs``: regular firing driven by ``i_offset=0.5`` nA, perturbed by a short
  excitatory and a short inhibitory volley.

Weights are conductances in uS, positive on both receptors (pyNN.nest negates the inhibitory
ones for NEST). NEST detects a spike at the first step end past the peak of an action potential
(V >= V_T + 30 mV and V lower than at the previous step end), with t_ref = 2 ms.

dt = 1.0: NEST 3.10's hh_cond_exp_traub returns NaN from the first step for every timestep
>= 0.7 ms, even with NEST's default parameters (its RKF45 starts with a trial step of a whole
tick, which is unstable, and GSL accepts the NaN error estimate). Those records have
``"nest_nan": true``, NaN samples stored as null and no spikes; they are kept to document it.
dt = 0.5 is recorded in addition because NEST still works there and its once-per-step spike
rule already misses action potentials.

Settings as in make_iaf_psc_exp_golden.py: ``spike_precision="on_grid"``, ``min_delay=1.0``
explicitly (otherwise SpikeSourceArray inputs arrive 0.9 ms late at dt=0.1), and
``FromListConnector([(0, 0)])`` (PyNN 0.13's OneToOneConnector fails for a one-cell target
under numpy >= 2.1). Traces have run_ms / timestep + 1 samples, t=0 to run_ms; the sample at t
is the state at the end of the step that ends at t. NEST does not take initial values for
g_ex / g_in (pyNN.nest says so); they start at 0 as PyNN's defaults do.

How it was run (from the repository root, with PyNN 0.13.0, NEST 3.10.0, numpy 2.4)::

    /work/venv/bin/python tests/golden/make_hh_cond_exp_golden.py
"""

import numpy as np
from nest_golden_common import HERE, rounded, run_all, run_single_cell, sim, write_golden

OUT_PATH = HERE / "hh_cond_exp_single.json"
TIMESTEPS = (0.1, 0.5, 1.0)
RUN_MS = 200.0
DELAY = 1.0
RECORDED = ("v", "gsyn_exc", "gsyn_inh")

SCENARIOS = [
    {
        "name": "exc_inh_bursts",
        "cell_params": {},
        "inputs": [
            {"spike_times": [float(t) for t in (*range(10, 19, 2), *range(60, 66),
                                                *range(120, 127))],
             "weight": 0.15, "delay": DELAY, "receptor_type": "excitatory"},
            {"spike_times": [119.0, 120.0, 121.0],
             "weight": 0.2, "delay": DELAY, "receptor_type": "inhibitory"},
        ],
    },
    {
        "name": "offset_inputs",
        "cell_params": {"i_offset": 0.5},
        "inputs": [
            {"spike_times": [50.0, 51.0, 52.0],
             "weight": 0.03, "delay": DELAY, "receptor_type": "excitatory"},
            {"spike_times": [150.0, 151.0, 152.0],
             "weight": 0.1, "delay": DELAY, "receptor_type": "inhibitory"},
        ],
    },
]


def _json_values(trace):
    return [None if np.isnan(x) else round(float(x), 6) for x in trace]


def run_scenario(scenario, timestep):
    """Run one scenario at one timestep and return its JSON record."""
    cell = run_single_cell(lambda: sim.HH_cond_exp(**scenario["cell_params"]),
                           scenario["inputs"], timestep, RUN_MS, RECORDED,
                           nest_model="hh_cond_exp_traub",
                           inspect=lambda neuron: neuron.node_collection.get("t_ref"))
    return {
        "name": scenario["name"],
        "timestep": timestep,
        "run_ms": RUN_MS,
        "nest_model": cell.nest_model,
        "nest_t_ref": cell.inspected,
        "nest_nan": bool(np.isnan(cell.signals["v"]).any()),
        "cell_params": scenario["cell_params"],
        "inputs": scenario["inputs"],
        "spike_times": rounded(cell.spikes),
        **{name: _json_values(trace) for name, trace in cell.signals.items()},
    }


def main():
    write_golden(OUT_PATH, (
        "Spikes, v, gsyn_exc and gsyn_inh of one pyNN HH_cond_exp neuron (NEST "
            "hh_cond_exp_traub, on-grid, min_delay 1.0 ms) driven by SpikeSourceArray inputs "
            "with 1.0 ms delays, recorded through pyNN.nest at timesteps 0.1, 0.5 and 1.0 ms "
            "(NEST gives NaN at 1.0 ms)."
    ), scenarios=run_all(SCENARIOS, TIMESTEPS, run_scenario))


if __name__ == "__main__":
    main()
