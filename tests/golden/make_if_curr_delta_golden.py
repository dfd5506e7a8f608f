"""Record golden reference traces of a single IF_curr_delta neuron from NEST via pyNN.nest.

Runs two scenarios, each at timestep 0.1 ms and 1.0 ms (four records in all), with one
``sim.IF_curr_delta`` neuron (NEST ``iaf_psc_delta``) driven by ``sim.SpikeSourceArray``
inputs (all delays 1.0 ms, 200 ms per run), records the neuron's spikes and membrane potential
``v`` (IF_curr_delta's only analog recordable), and writes them to ``if_curr_delta_single.json``
next to this script, for comparison with pynn_spinnaker2.

IF_curr_delta's synaptic weight is in mV: each spike makes the membrane jump by the weight.
pyNN.nest scales weights by 1000 (nA -> pA) and undoes it with the cell type's
``receptor_scale = 1e-3``, so NEST receives the weight unchanged; the script checks that the
NEST connections carry exactly the PyNN weights.

Scenarios:

* ``exc_bursts``: PyNN default parameters; three excitatory bursts of 6 mV jumps and a brief
  inhibitory pulse (-5 mV jumps) just before the third burst.
* ``offset_refrac``: regular firing driven by a DC offset (``i_offset`` = 1.5 nA, tau_m = 15 ms,
  steady state -42.5 mV) with a 5 ms refractory period, perturbed by an excitatory volley of
  4 mV jumps every 1 ms from 51 to 66 ms (arrival times) that makes the neuron fire and then
  arrives partly during its refractory period, where iaf_psc_delta discards input
  (``refractory_input`` False, NEST's default), and by a short inhibitory volley.

Settings that matter for interpreting the data (see make_iaf_psc_exp_golden.py for details):

* ``spike_precision="on_grid"`` so that pyNN.nest uses ``iaf_psc_delta`` (``"off_grid"`` would
  use ``iaf_psc_delta_ps``); the script asserts the NEST model name.
* ``min_delay=1.0`` is passed explicitly, so SpikeSourceArray inputs are not 0.9 ms late; the
  script checks that each source's parrot neuron emits the requested spike times.
* ``FromListConnector([(0, 0)])`` rather than ``OneToOneConnector`` (which fails in PyNN 0.13
  with numpy >= 2.1 for a one-cell target).
* pyNN.nest 0.13's IF_curr_delta lacks ``variable_map`` and ``scale_factors``, so it asks
  NEST for a recordable named ``v`` ("Cannot connect with unknown recordable v") and cannot
  set the initial ``v`` (NEST's V_m would stay at its own default, -70 mV, while E_L is
  -65 mV).  The script adds ``{"v": "V_m"}`` and ``{"v": 1}`` to the class, as pyNN.nest does
  for every other cell type, and checks that V_m starts at v_rest.
* ``v`` has ``run_ms / timestep + 1`` samples, from t=0 to t=run_ms inclusive; the sample at
  time t is V_m at the end of the step that ends at t.

How it was run (from the repository root, with PyNN 0.13.0, NEST 3.10.0, numpy 2.4)::

    /work/venv/bin/python tests/golden/make_if_curr_delta_golden.py
"""

import nest
from nest_golden_common import DELAY, HERE, rounded, run_all, run_single_cell, sim, write_golden

# pyNN.nest 0.13 omits these for IF_curr_delta (see the module docstring).
sim.IF_curr_delta.variable_map = {"v": "V_m"}
sim.IF_curr_delta.scale_factors = {"v": 1}

OUT_PATH = HERE / "if_curr_delta_single.json"
NEST_MODEL = "iaf_psc_delta"
TIMESTEPS = (0.1, 1.0)
RUN_MS = 200.0

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
                "weight": 6.0,
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
            "i_offset": 1.5,
            "tau_refrac": 5.0,
            "tau_m": 15.0,
            "v_reset": -70.0,
        },
        "inputs": [
            {
                "spike_times": [float(t) for t in range(50, 66)],
                "weight": 4.0,
                "delay": DELAY,
                "receptor_type": "excitatory",
            },
            {
                "spike_times": [150.0, 151.0, 152.0],
                "weight": -4.0,
                "delay": DELAY,
                "receptor_type": "inhibitory",
            },
        ],
    },
]


def _starts_at_v_rest(scenario):
    def inspect(neuron):
        v_rest = scenario["cell_params"].get("v_rest",
                                             sim.IF_curr_delta.default_parameters["v_rest"])
        assert neuron.node_collection.get("V_m") == v_rest
    return inspect


def _weights_unscaled(scenario):
    """Check that NEST received the weights in mV, unscaled."""
    def check(neuron, sources):
        for inp, source in zip(scenario["inputs"], sources):
            conn = nest.GetConnections(source=source.node_collection,
                                       target=neuron.node_collection)
            assert conn.get("weight") == inp["weight"], conn.get("weight")
    return check


def run_scenario(scenario, timestep):
    """Run one scenario at one timestep and return its JSON record."""
    cell = run_single_cell(lambda: sim.IF_curr_delta(**scenario["cell_params"]),
                           scenario["inputs"], timestep, RUN_MS, ["v"], units={"v": "mV"},
                           nest_model=NEST_MODEL, inspect=_starts_at_v_rest(scenario),
                           after_run=_weights_unscaled(scenario))
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
        "Spikes and membrane potential of one pyNN IF_curr_delta neuron (NEST "
        "iaf_psc_delta, on-grid spike precision, min_delay 1.0 ms) driven by "
        "SpikeSourceArray inputs with 1.0 ms delays, recorded through pyNN.nest at "
        "timesteps 0.1 and 1.0 ms. Weights are in mV."
    ), scenarios=run_all(SCENARIOS, TIMESTEPS, run_scenario))


if __name__ == "__main__":
    main()
