"""Record golden reference traces of single IF_cond_exp and IF_cond_alpha neurons from NEST.

Runs two small scenarios per cell type, each at timestep 0.1 ms and 1.0 ms (eight records in
all), with one neuron driven by ``sim.SpikeSourceArray`` inputs (all delays 1.0 ms, 200 ms per
run), records the neuron's spikes, membrane potential ``v`` and conductances ``gsyn_exc`` and
``gsyn_inh``, and writes them to ``if_cond_single.json`` next to this script, for comparison
with pynn_spinnaker2.

Scenarios (per cell type):

* ``exc_inh_bursts``: PyNN default parameters; three excitatory bursts and a short inhibitory
  volley just before the third burst.
* ``offset_inputs``: regular firing driven by a DC offset (``i_offset``) with a 2 ms refractory
  period and v_reset below v_rest, perturbed by a short excitatory and a short inhibitory
  volley.

pyNN.nest maps IF_cond_exp to NEST's ``iaf_cond_exp`` and IF_cond_alpha to ``iaf_cond_alpha``
(both integrated by GSL's adaptive RKF45 solver with absolute tolerance 1e-3); weights are
conductances in uS (NEST: nS) on both receptors, positive for inhibition too.

Settings that matter for interpreting the data (as in make_iaf_psc_exp_golden.py):

* ``spike_precision="on_grid"`` (these models have no off-grid variants anyway).
* ``min_delay=1.0`` is passed explicitly, otherwise SpikeSourceArray inputs arrive 0.9 ms late
  at dt=0.1. The script checks that the parrot neurons emit the requested spike times.
* Every projection uses ``FromListConnector([(0, 0)])`` (PyNN 0.13's OneToOneConnector fails
  with numpy >= 2.1 for a one-cell target).
* Analog signals have ``run_ms / timestep + 1`` samples, from t=0 to t=run_ms inclusive; the
  first is the initial value that pyNN.nest adds, the sample at time t is the state at the end
  of the step that ends at t. ``gsyn_exc``/``gsyn_inh`` are in uS.

How it was run (from the repository root, with PyNN 0.13.0, NEST 3.10.0, numpy 2.4)::

    /work/venv/bin/python tests/golden/make_if_cond_golden.py
"""

from nest_golden_common import HERE, rounded, run_all, run_single_cell, sim, write_golden

OUT_PATH = HERE / "if_cond_single.json"
TIMESTEPS = (0.1, 1.0)
RUN_MS = 200.0
DELAY = 1.0
NEST_MODELS = {"IF_cond_exp": "iaf_cond_exp", "IF_cond_alpha": "iaf_cond_alpha"}
VARIABLES = ("v", "gsyn_exc", "gsyn_inh")

BURST_TIMES = [float(t) for t in (*range(10, 19, 2), *range(60, 66), *range(120, 127))]

# Weights (uS) chosen so that each burst makes the neuron fire more than once but not on every
# input spike, at both timesteps. The alpha synapses (default tau_syn_E 0.3 ms, tau_syn_I
# 0.5 ms) carry much less charge per spike than the exponential ones (5 ms), hence larger
# weights.
SCENARIOS = [
    {
        "cell_type": "IF_cond_exp",
        "name": "exc_inh_bursts",
        "cell_params": {},
        "inputs": [
            {"spike_times": BURST_TIMES, "weight": 0.04, "delay": DELAY,
             "receptor_type": "excitatory"},
            {"spike_times": [118.0, 119.0, 120.0], "weight": 0.05, "delay": DELAY,
             "receptor_type": "inhibitory"},
        ],
    },
    {
        "cell_type": "IF_cond_exp",
        "name": "offset_inputs",
        # g_L = cm / tau_m = 0.05 uS: i_offset 1 nA alone drives v towards -45 mV
        "cell_params": {"i_offset": 1.0, "tau_refrac": 2.0, "tau_syn_E": 3.0,
                        "tau_syn_I": 8.0, "v_reset": -70.0},
        "inputs": [
            {"spike_times": [50.0, 51.0, 52.0], "weight": 0.02, "delay": DELAY,
             "receptor_type": "excitatory"},
            {"spike_times": [150.0, 151.0, 152.0], "weight": 0.03, "delay": DELAY,
             "receptor_type": "inhibitory"},
        ],
    },
    {
        "cell_type": "IF_cond_alpha",
        "name": "exc_inh_bursts",
        "cell_params": {},
        "inputs": [
            {"spike_times": BURST_TIMES, "weight": 0.25, "delay": DELAY,
             "receptor_type": "excitatory"},
            {"spike_times": [118.0, 119.0, 120.0], "weight": 0.5, "delay": DELAY,
             "receptor_type": "inhibitory"},
        ],
    },
    {
        "cell_type": "IF_cond_alpha",
        "name": "offset_inputs",
        "cell_params": {"i_offset": 1.0, "tau_refrac": 2.0, "tau_syn_E": 1.0,
                        "tau_syn_I": 3.0, "v_reset": -70.0},
        "inputs": [
            {"spike_times": [50.0, 51.0, 52.0], "weight": 0.1, "delay": DELAY,
             "receptor_type": "excitatory"},
            {"spike_times": [150.0, 151.0, 152.0], "weight": 0.1, "delay": DELAY,
             "receptor_type": "inhibitory"},
        ],
    },
]


def run_scenario(scenario, timestep):
    """Run one scenario at one timestep and return its JSON record."""
    units = {"v": "mV", "gsyn_exc": "uS", "gsyn_inh": "uS"}
    cell = run_single_cell(lambda: getattr(sim, scenario["cell_type"])(**scenario["cell_params"]),
                           scenario["inputs"], timestep, RUN_MS, VARIABLES, units=units,
                           nest_model=NEST_MODELS[scenario["cell_type"]])
    record = {
        "cell_type": scenario["cell_type"],
        "name": scenario["name"],
        "timestep": timestep,
        "run_ms": RUN_MS,
        "nest_model": cell.nest_model,
        "cell_params": scenario["cell_params"],
        "inputs": scenario["inputs"],
        "spike_times": rounded(cell.spikes),
    }
    for variable in VARIABLES:
        values = cell.signals[variable]
        # v to 1e-6 mV, conductances to 1e-9 uS: far below the tests' tolerances
        record[variable] = rounded(values, 6 if variable == "v" else 9)
        record["t_start"] = round(cell.t_start[variable], 6)
        record["sampling_period"] = round(cell.sampling_period[variable], 6)
        record["n_samples"] = int(values.size)
    return record


def main():
    write_golden(OUT_PATH, (
        "Spikes, membrane potential and synaptic conductances of one pyNN IF_cond_exp "
            "(NEST iaf_cond_exp) or IF_cond_alpha (NEST iaf_cond_alpha) neuron, on-grid spike "
            "precision, min_delay 1.0 ms, driven by SpikeSourceArray inputs with 1.0 ms delays, "
            "recorded through pyNN.nest at timesteps 0.1 and 1.0 ms."
    ), scenarios=run_all(SCENARIOS, TIMESTEPS, run_scenario))


if __name__ == "__main__":
    main()
