"""Record golden reference traces of a single Izhikevich neuron from NEST via pyNN.nest.

Runs two scenarios, each at timestep 0.1 ms and 1.0 ms, with one ``sim.Izhikevich`` neuron
(NEST ``izhikevich``) driven by ``sim.SpikeSourceArray`` inputs (all delays 1.0 ms, 200 ms per
run), records its spikes, ``v`` and ``u``, and writes them to ``izhikevich_single.json`` next to
this script, for comparison with pynn_spinnaker2 (tests/neuron_models/test_model_izhikevich.py).

Scenarios:

* ``exc_inh_bursts``: PyNN default parameters (a=0.02, b=0.2, c=-65, d=2, v=-70, u=-14, which is
  a fixed point); three excitatory bursts, the second and third with inhibitory spikes inside.
* ``offset_inputs``: regular spiking (d=8) driven by ``i_offset=0.01`` nA, perturbed by a short
  excitatory and a short inhibitory volley.

Units through pyNN.nest: ``i_offset`` (nA) becomes NEST's ``I_e`` = 1000 * i_offset, which NEST's
izhikevich adds to dv/dt (mV/ms); a weight w (nominally nA) becomes a jump of w mV on v
(``receptor_scale = 1e-3`` undoes pyNN.nest's nA -> pA weight scaling). Both receptor types go to
NEST's single port; inhibitory weights are negative.

Settings as in make_iaf_psc_exp_golden.py: ``spike_precision="on_grid"``, ``min_delay=1.0``
explicitly (otherwise SpikeSourceArray inputs arrive 0.9 ms late at dt=0.1), and
``FromListConnector([(0, 0)])`` (PyNN 0.13's OneToOneConnector fails for a one-cell target
under numpy >= 2.1). ``v`` and ``u`` have run_ms / timestep + 1 samples, t=0 to run_ms; the
sample at t is the state at the end of the step that ends at t (after a reset).

How it was run (from the repository root, with PyNN 0.13.0, NEST 3.10.0, numpy 2.4)::

    /work/venv/bin/python tests/golden/make_izhikevich_golden.py
"""

from nest_golden_common import HERE, rounded, run_all, run_single_cell, sim, write_golden

OUT_PATH = HERE / "izhikevich_single.json"
TIMESTEPS = (0.1, 1.0)
RUN_MS = 200.0
DELAY = 1.0
RECORDED = ("v", "u")

SCENARIOS = [
    {
        "name": "exc_inh_bursts",
        "cell_params": {},
        "inputs": [
            {"spike_times": [10.0, 12.0, 14.0, 16.0, 18.0, 19.0, 20.0],
             "weight": 10.0, "delay": DELAY, "receptor_type": "excitatory"},
            {"spike_times": [60.0, 61.0, 62.0, 63.0, 64.0, 65.0],
             "weight": 10.0, "delay": DELAY, "receptor_type": "excitatory"},
            {"spike_times": [62.0],
             "weight": -5.0, "delay": DELAY, "receptor_type": "inhibitory"},
            {"spike_times": [float(t) for t in range(120, 128)],
             "weight": 10.0, "delay": DELAY, "receptor_type": "excitatory"},
            {"spike_times": [124.0, 125.0],
             "weight": -6.0, "delay": DELAY, "receptor_type": "inhibitory"},
        ],
    },
    {
        "name": "offset_inputs",
        "cell_params": {"a": 0.02, "b": 0.2, "c": -65.0, "d": 8.0, "i_offset": 0.01},
        "inputs": [
            {"spike_times": [50.0, 51.0, 52.0],
             "weight": 5.0, "delay": DELAY, "receptor_type": "excitatory"},
            {"spike_times": [150.0, 151.0, 152.0],
             "weight": -8.0, "delay": DELAY, "receptor_type": "inhibitory"},
        ],
    },
]


def _status(neuron):
    status = neuron.node_collection.get(["V_th", "consistent_integration", "I_e"])
    assert status["V_th"] == 30.0 and status["consistent_integration"], status
    return status


def run_scenario(scenario, timestep):
    """Run one scenario at one timestep and return its JSON record."""
    cell = run_single_cell(lambda: sim.Izhikevich(**scenario["cell_params"]), scenario["inputs"],
                           timestep, RUN_MS, RECORDED, nest_model="izhikevich", inspect=_status)
    return {
        "name": scenario["name"],
        "timestep": timestep,
        "run_ms": RUN_MS,
        "nest_model": cell.nest_model,
        "nest_I_e": cell.inspected["I_e"],
        "cell_params": scenario["cell_params"],
        "inputs": scenario["inputs"],
        "spike_times": rounded(cell.spikes),
        **{name: rounded(trace) for name, trace in cell.signals.items()},
    }


def main():
    write_golden(OUT_PATH, (
        "Spikes, v and u of one pyNN Izhikevich neuron (NEST izhikevich, on-grid, "
            "min_delay 1.0 ms) driven by SpikeSourceArray inputs with 1.0 ms delays, "
            "recorded through pyNN.nest at timesteps 0.1 and 1.0 ms."
    ), scenarios=run_all(SCENARIOS, TIMESTEPS, run_scenario))


if __name__ == "__main__":
    main()
