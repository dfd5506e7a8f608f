"""Record golden reference traces of single AdEx neurons (EIF_cond_*_isfa_ista) from NEST.

For each of PyNN's ``EIF_cond_exp_isfa_ista`` (NEST ``aeif_cond_exp``) and
``EIF_cond_alpha_isfa_ista`` (NEST ``aeif_cond_alpha``) it runs two scenarios, each at
timestep 0.1 ms and 1.0 ms (eight records in all), with one neuron driven by
``sim.SpikeSourceArray`` inputs (all delays 1.0 ms, 200 ms per run), records the neuron's
spikes and every analog recordable (``v`` in mV, ``w`` in nA, ``gsyn_exc`` and ``gsyn_inh`` in
uS), and writes them to ``eif_golden.json`` next to this script, for comparison with
pynn_spinnaker2 (tests/neuron_models/test_model_eif.py).

Scenarios (weights are positive conductances in uS, chosen as powers of two so that they are
exact in the PE's fixed-point synapse format):

* ``exc_inh_bursts``: PyNN default parameters except tau_syn_I = 8 ms; three excitatory bursts
  (1/64 uS per spike, one spike per ms) and an inhibitory volley (1/32 uS) during the third.
  The neuron fires during each burst; the alpha synapse (integral e times larger) fires more.
* ``offset_adapt``: regular, adapting firing driven by ``i_offset`` = 1 nA (rheobase is about
  0.63 nA) with a 2 ms refractory period, v_reset = -60 mV, b = 0.05 nA, tau_w = 100 ms,
  perturbed by a short excitatory and a short inhibitory volley.

Settings that matter for interpreting the data (as in make_iaf_psc_exp_golden.py):

* ``spike_precision="on_grid"``; aeif_cond_exp/alpha are grid models either way, but NEST's
  integration inside a step is adaptive (RKF45, gsl_error_tol 1e-6), with the spike test after
  every adaptive step and the spike reported at the end of the step.
* ``min_delay=1.0`` explicitly, so that SpikeSourceArray inputs (spike_generator + parrot) are
  not 0.9 ms late at dt=0.1; the script checks the parrots' spike times.
* ``FromListConnector([(0, 0)])`` for every projection (PyNN 0.13's OneToOneConnector fails for
  a one-cell target with numpy >= 2.1).
* Every analog signal has ``run_ms / timestep + 1`` samples, from t=0 to t=run_ms inclusive;
  pyNN.nest adds the initial value as the first sample.  pyNN.nest scales NEST's g_ex/g_in (nS)
  and w (pA) by 0.001 to uS and nA.

How it was run (from the repository root, with PyNN 0.13.0, NEST 3.10.0, numpy 2.4)::

    /work/venv/bin/python tests/golden/make_eif_golden.py
"""

from functools import partial

from nest_golden_common import HERE, rounded, run_all, run_single_cell, sim, write_golden

OUT_PATH = HERE / "eif_golden.json"
TIMESTEPS = (0.1, 1.0)
RUN_MS = 200.0
DELAY = 1.0
RECORDABLES = ("v", "w", "gsyn_exc", "gsyn_inh")
MODELS = {"EIF_cond_exp_isfa_ista": "aeif_cond_exp",
          "EIF_cond_alpha_isfa_ista": "aeif_cond_alpha"}

SCENARIOS = [
    {
        "name": "exc_inh_bursts",
        "cell_params": {"tau_syn_I": 8.0},
        "inputs": [
            {
                # 10, 11, ..., 18; 60, ..., 65; 120, ..., 126
                "spike_times": [
                    float(t) for t in (*range(10, 19), *range(60, 66), *range(120, 127))
                ],
                "weight": 1.0 / 64,
                "delay": DELAY,
                "receptor_type": "excitatory",
            },
            {
                "spike_times": [119.0, 120.0, 121.0],
                "weight": 1.0 / 32,
                "delay": DELAY,
                "receptor_type": "inhibitory",
            },
        ],
    },
    {
        "name": "offset_adapt",
        "cell_params": {
            "i_offset": 1.0,
            "tau_refrac": 2.0,
            "v_reset": -60.0,
            "b": 0.05,
            "tau_w": 100.0,
        },
        "inputs": [
            {
                "spike_times": [50.0, 51.0, 52.0],
                "weight": 1.0 / 64,
                "delay": DELAY,
                "receptor_type": "excitatory",
            },
            {
                "spike_times": [150.0, 151.0, 152.0],
                "weight": 1.0 / 32,
                "delay": DELAY,
                "receptor_type": "inhibitory",
            },
        ],
    },
]


def run_scenario(cell_type, scenario, timestep):
    """Run one scenario of one cell type at one timestep and return its JSON record."""
    units = {"v": "mV", "w": "nA", "gsyn_exc": "uS", "gsyn_inh": "uS"}
    cell = run_single_cell(lambda: getattr(sim, cell_type)(**scenario["cell_params"]),
                           scenario["inputs"], timestep, RUN_MS, RECORDABLES, units=units,
                           nest_model=MODELS[cell_type])
    for name, values in cell.signals.items():
        assert values.size == round(RUN_MS / timestep) + 1, (name, values.size)
        assert cell.t_start[name] == 0.0
    return {
        "cell_type": cell_type,
        "name": scenario["name"],
        "timestep": timestep,
        "run_ms": RUN_MS,
        "nest_model": cell.nest_model,
        "cell_params": scenario["cell_params"],
        "inputs": scenario["inputs"],
        "spike_times": rounded(cell.spikes),
        **{name: rounded(values, 9) for name, values in cell.signals.items()},
    }


def main():
    records = [record for cell_type in MODELS
               for record in run_all(SCENARIOS, TIMESTEPS, partial(run_scenario, cell_type))]
    write_golden(OUT_PATH, (
        "Spikes, v (mV), w (nA), gsyn_exc and gsyn_inh (uS) of one pyNN "
            "EIF_cond_exp_isfa_ista (NEST aeif_cond_exp) or EIF_cond_alpha_isfa_ista (NEST "
            "aeif_cond_alpha) neuron, on-grid spike precision, min_delay 1.0 ms, driven by "
            "SpikeSourceArray inputs with 1.0 ms delays, recorded through pyNN.nest at "
            "timesteps 0.1 and 1.0 ms for 200 ms; samples at t = 0, dt, ..., 200 ms."
    ), scenarios=records)


if __name__ == "__main__":
    main()
