"""Record golden reference traces of single IF_cond_exp_gsfa_grr neurons from NEST.

pyNN.nest maps IF_cond_exp_gsfa_grr to NEST's ``iaf_cond_exp_sfa_rr`` (GSL RKF45, absolute
tolerance 1e-3). Two scenarios, each at timestep 0.1 ms and 1.0 ms, one neuron driven by
``SpikeSourceArray`` inputs (delays 1.0 ms) for 300 ms; spikes, ``v``, ``gsyn_exc``,
``gsyn_inh`` (uS) and ``g_r``, ``g_s`` (nS) are written to ``if_cond_exp_gsfa_grr_single.json``.

* ``offset_adaptation``: PyNN's defaults with i_offset 2 nA (as in PyNN's
  cell_type_demonstration.py): regular firing that adapts, with an excitatory and an
  inhibitory volley.
* ``bursts_slow_rr``: subthreshold i_offset, a 2 ms refractory period, weaker and slower
  relative refractoriness (q_rr 500 nS, tau_rr 5 ms), stronger adaptation (q_sfa 40 nS,
  e_rev_sfa -80 mV); excitatory bursts make it fire.

pyNN.nest 0.13 cannot record or initialise ``g_r`` / ``g_s`` (its variable map names them
``g_rr`` / ``g_sfa``: KeyError 'g_r'); this script adds the two names to pyNN.nest's class
(NEST's g_rr / g_sfa, in nS as PyNN's units) before building anything. Settings as in
make_if_cond_golden.py: ``spike_precision="on_grid"``, ``min_delay=1.0``,
``FromListConnector([(0, 0)])``, ``run_ms / timestep + 1`` samples from t = 0.

How it was run (from the repository root, PyNN 0.13.0, NEST 3.10.0)::

    .venv/bin/python tests/golden/make_if_cond_exp_gsfa_grr_golden.py
"""

from nest_golden_common import HERE, rounded, run_all, run_single_cell, sim, write_golden

_CELL = sim.IF_cond_exp_gsfa_grr
_CELL.variable_map = {**_CELL.variable_map, "g_r": "g_rr", "g_s": "g_sfa"}
_CELL.scale_factors = {**_CELL.scale_factors, "g_r": 1.0, "g_s": 1.0}

OUT_PATH = HERE / "if_cond_exp_gsfa_grr_single.json"
TIMESTEPS = (0.1, 1.0)
RUN_MS = 300.0
DELAY = 1.0
VARIABLES = ("v", "gsyn_exc", "gsyn_inh", "g_r", "g_s")
UNITS = {"v": "mV", "gsyn_exc": "uS", "gsyn_inh": "uS", "g_r": "nS", "g_s": "nS"}
BURSTS = [float(t) for t in (*range(20, 30, 2), *range(100, 108), *range(200, 212))]

SCENARIOS = [
    {
        "name": "offset_adaptation",
        "cell_params": {"i_offset": 2.0},
        "inputs": [
            {"spike_times": [150.0, 151.0, 152.0], "weight": 0.05, "delay": DELAY,
             "receptor_type": "excitatory"},
            {"spike_times": [220.0, 221.0, 222.0, 223.0], "weight": 0.2, "delay": DELAY,
             "receptor_type": "inhibitory"},
        ],
    },
    {
        "name": "bursts_slow_rr",
        "cell_params": {"i_offset": 0.5, "tau_refrac": 2.0, "q_rr": 500.0, "tau_rr": 5.0,
                        "q_sfa": 40.0, "e_rev_sfa": -80.0, "tau_sfa": 60.0,
                        "tau_syn_E": 3.0, "v_reset": -68.0},
        "inputs": [
            {"spike_times": BURSTS, "weight": 0.06, "delay": DELAY,
             "receptor_type": "excitatory"},
            {"spike_times": [104.0, 105.0], "weight": 0.05, "delay": DELAY,
             "receptor_type": "inhibitory"},
        ],
    },
]


def run_scenario(scenario, timestep):
    """Run one scenario at one timestep and return its JSON record."""
    cell = run_single_cell(lambda: _CELL(**scenario["cell_params"]), scenario["inputs"],
                           timestep, RUN_MS, VARIABLES, units=UNITS,
                           nest_model="iaf_cond_exp_sfa_rr")
    record = {"name": scenario["name"], "timestep": timestep, "run_ms": RUN_MS,
              "nest_model": cell.nest_model, "cell_params": scenario["cell_params"],
              "inputs": scenario["inputs"], "spike_times": rounded(cell.spikes)}
    for variable in VARIABLES:
        values = cell.signals[variable]
        record[variable] = rounded(values, 9 if variable.startswith("gsyn") else 6)
        record["n_samples"] = int(values.size)
    return record


def main():
    write_golden(OUT_PATH, (
        "Spikes, v, synaptic conductances (uS) and g_r, g_s (nS) of one pyNN "
            "IF_cond_exp_gsfa_grr (NEST iaf_cond_exp_sfa_rr) neuron, on-grid spikes, "
            "min_delay 1.0 ms, SpikeSourceArray inputs with 1.0 ms delays, recorded through "
            "pyNN.nest at timesteps 0.1 and 1.0 ms."
    ), scenarios=run_all(SCENARIOS, TIMESTEPS, run_scenario))


if __name__ == "__main__":
    main()
