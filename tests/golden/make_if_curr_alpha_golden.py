"""Record golden reference traces of a single IF_curr_alpha neuron from NEST via pyNN.nest.

Runs two scenarios, each at timestep 0.1 ms and 1.0 ms (four records in all), with one
``sim.IF_curr_alpha`` neuron (NEST ``iaf_psc_alpha``) driven by ``sim.SpikeSourceArray``
inputs (all delays 1.0 ms, 200 ms per run), records the neuron's spikes and membrane potential
``v`` (IF_curr_alpha's only analog recordable in PyNN), and writes them to
``if_curr_alpha_single.json`` next to this script, for comparison with pynn_spinnaker2.

Scenarios:

* ``exc_bursts``: PyNN default parameters (tau_syn_E = tau_syn_I = 0.5 ms); three excitatory
  bursts of 5 nA (peak current) and a brief inhibitory pulse just before the third burst.
  The neuron fires once or twice per burst.
* ``offset_refrac``: regular firing driven by a DC offset (``i_offset`` = 2 nA, steady state
  -45 mV above the -50 mV threshold) with a 2 ms refractory period, tau_syn_E = 2 ms and
  tau_syn_I = tau_m = 10 ms (NEST's singular propagator for tau_syn == tau_m), perturbed by a
  short excitatory and a short inhibitory volley.

Settings that matter for interpreting the data (see make_iaf_psc_exp_golden.py for details):

* ``spike_precision="on_grid"``; pyNN.nest maps IF_curr_alpha to ``iaf_psc_alpha`` in either
  mode; the script asserts the NEST model name.
* ``min_delay=1.0`` is passed explicitly, so SpikeSourceArray inputs are not 0.9 ms late; the
  script checks that each source's parrot neuron emits the requested spike times.
* ``FromListConnector([(0, 0)])`` rather than ``OneToOneConnector`` (which fails in PyNN 0.13
  with numpy >= 2.1 for a one-cell target).
* pyNN.nest logs "NEST does not allow setting an initial value for I_syn_ex/I_syn_in":
  iaf_psc_alpha always starts with zero synaptic currents, which is PyNN's default anyway.
* ``v`` has ``run_ms / timestep + 1`` samples, from t=0 to t=run_ms inclusive; the sample at
  time t is V_m at the end of the step that ends at t.

How it was run (from the repository root, with PyNN 0.13.0, NEST 3.10.0, numpy 2.4)::

    /work/venv/bin/python tests/golden/make_if_curr_alpha_golden.py
"""

from nest_golden_common import HERE, rounded, run_all, run_single_cell, sim, write_golden

OUT_PATH = HERE / "if_curr_alpha_single.json"
NEST_MODEL = "iaf_psc_alpha"
TIMESTEPS = (0.1, 1.0)
RUN_MS = 200.0
DELAY = 1.0

SCENARIOS = [
    {
        "name": "exc_bursts",
        "cell_params": {},
        "inputs": [
            {
                # 10, 12, ..., 18; 60, 61, ..., 65; 120, 121, ..., 126
                "spike_times": [
                    float(t) for t in (*range(10, 19, 2), *range(60, 66), *range(120, 127))
                ],
                "weight": 5.0,
                "delay": DELAY,
                "receptor_type": "excitatory",
            },
            {
                "spike_times": [119.0, 120.0],
                "weight": -5.0,
                "delay": DELAY,
                "receptor_type": "inhibitory",
            },
        ],
    },
    {
        "name": "offset_refrac",
        "cell_params": {
            "i_offset": 2.0,
            "tau_refrac": 2.0,
            "tau_m": 10.0,
            "tau_syn_E": 2.0,
            "tau_syn_I": 10.0,
            "v_reset": -70.0,
        },
        "inputs": [
            {
                "spike_times": [50.0, 51.0, 52.0],
                "weight": 1.0,
                "delay": DELAY,
                "receptor_type": "excitatory",
            },
            {
                "spike_times": [150.0, 151.0, 152.0],
                "weight": -0.5,
                "delay": DELAY,
                "receptor_type": "inhibitory",
            },
        ],
    },
]


def run_scenario(scenario, timestep):
    """Run one scenario at one timestep and return its JSON record."""
    cell = run_single_cell(lambda: sim.IF_curr_alpha(**scenario["cell_params"]), scenario["inputs"],
                           timestep, RUN_MS, ["v"], units={"v": "mV"}, nest_model=NEST_MODEL)
    v = cell.signals["v"]
    return {
        "name": scenario["name"],
        "timestep": timestep,
        "run_ms": RUN_MS,
        "nest_model": cell.nest_model,
        "cell_params": scenario["cell_params"],
        "inputs": scenario["inputs"],
        "spike_times": rounded(cell.spikes),
        "v": rounded(v),
        "v_t_start": round(cell.t_start["v"], 6),
        "v_sampling_period": round(cell.sampling_period["v"], 6),
        "v_n_samples": int(v.size),
    }


def main():
    write_golden(OUT_PATH, (
        "Spikes and membrane potential of one pyNN IF_curr_alpha neuron (NEST "
            "iaf_psc_alpha, on-grid spike precision, min_delay 1.0 ms) driven by "
            "SpikeSourceArray inputs with 1.0 ms delays, recorded through pyNN.nest at "
            "timesteps 0.1 and 1.0 ms."
    ), scenarios=run_all(SCENARIOS, TIMESTEPS, run_scenario))


if __name__ == "__main__":
    main()
