"""Record golden reference traces of a single IF_curr_exp neuron from NEST via pyNN.nest.

Runs two small scenarios, each at timestep 0.1 ms and 1.0 ms (four records in all), with one
``sim.IF_curr_exp`` neuron driven by ``sim.SpikeSourceArray`` inputs (all delays 1.0 ms,
200 ms per run), records the neuron's spikes and membrane potential ``v``, and writes them to
``iaf_psc_exp_single.json`` next to this script, for comparison with pynn_spinnaker2.

Scenarios:

* ``exc_bursts``: PyNN default parameters; three excitatory bursts and a brief inhibitory
  pulse just before the third burst.
* ``offset_refrac``: regular firing driven by a DC offset (``i_offset``) with a 2 ms
  refractory period, perturbed by a short excitatory and a short inhibitory volley.

Settings that matter for interpreting the data:

* ``spike_precision="on_grid"`` so that pyNN.nest uses NEST's grid-based ``iaf_psc_exp``
  (pyNN.nest's default, ``"off_grid"``, would use ``iaf_psc_exp_ps`` with precise spike times).
* ``min_delay=1.0`` is passed explicitly.  pyNN.nest routes a SpikeSourceArray through a
  ``spike_generator`` and a parrot neuron, subtracting ``min_delay`` from the spike times when
  the source population is created but connecting generator and parrot with the value of
  ``min_delay`` at ``run()``.  With the default ``min_delay="auto"`` at dt=0.1 the first value
  is 0.1 ms and the second 1.0 ms, so every input would arrive 0.9 ms late.  The script
  records the parrot neurons' spikes and checks that they match the requested spike times.
* Every projection uses ``FromListConnector([(0, 0)])``: PyNN 0.13's ``OneToOneConnector``
  fails with numpy >= 2.1 when the target population has one cell
  ("ValueError: Calling nonzero on 0d arrays is not allowed").  FromListConnector avoids it.
* ``v`` has ``run_ms / timestep + 1`` samples, from t=0 to t=run_ms inclusive.  NEST's
  multimeter does not sample t=0; pyNN.nest adds the initial value (v_rest) as the first
  sample.  The sample at time t is V_m at the end of the step that ends at t.

How it was run (from the repository root, with PyNN 0.13.0, NEST 3.10.0, numpy 2.4)::

    /work/venv/bin/python tests/golden/make_iaf_psc_exp_golden.py
"""

from nest_golden_common import HERE, rounded, run_all, run_single_cell, sim, write_golden

OUT_PATH = HERE / "iaf_psc_exp_single.json"
TIMESTEPS = (0.1, 1.0)
RUN_MS = 200.0
DELAY = 1.0

# Excitatory weight for "exc_bursts" (nA).  At this weight the neuron fires several times
# per burst but not on every input spike, at both timesteps.
EXC_BURSTS_WEIGHT = 2.0

# The brief specified i_offset=0.8 nA, but with tau_m=15 ms and the default cm=1 nF the
# steady-state potential is v_rest + i_offset * tau_m / cm = -65 + 12 = -53 mV, below
# v_thresh=-50 mV, so the neuron would not fire from the offset.  1.5 nA gives -42.5 mV and
# regular firing (inter-spike interval about 21.5 ms, 2 ms of it refractory).
OFFSET_REFRAC_I_OFFSET = 1.5

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
                "weight": EXC_BURSTS_WEIGHT,
                "delay": DELAY,
                "receptor_type": "excitatory",
            },
            {
                "spike_times": [119.0, 120.0],
                "weight": -2.0,
                "delay": DELAY,
                "receptor_type": "inhibitory",
            },
        ],
    },
    {
        "name": "offset_refrac",
        "cell_params": {
            "i_offset": OFFSET_REFRAC_I_OFFSET,
            "tau_refrac": 2.0,
            "tau_m": 15.0,
            "tau_syn_E": 3.0,
            "tau_syn_I": 8.0,
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
                "weight": -1.5,
                "delay": DELAY,
                "receptor_type": "inhibitory",
            },
        ],
    },
]


def run_scenario(scenario, timestep):
    """Run one scenario at one timestep and return its JSON record."""
    cell = run_single_cell(lambda: sim.IF_curr_exp(**scenario["cell_params"]), scenario["inputs"],
                           timestep, RUN_MS, ["v"], units={"v": "mV"}, nest_model="iaf_psc_exp")
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
        "Spikes and membrane potential of one pyNN IF_curr_exp neuron (NEST iaf_psc_exp, "
            "on-grid spike precision, min_delay 1.0 ms) driven by SpikeSourceArray inputs "
            "with 1.0 ms delays, recorded through pyNN.nest at timesteps 0.1 and 1.0 ms."
    ), scenarios=run_all(SCENARIOS, TIMESTEPS, run_scenario))


if __name__ == "__main__":
    main()
