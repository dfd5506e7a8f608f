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

import json
import warnings
from pathlib import Path

import nest
import numpy as np
import pyNN
import pyNN.nest as sim

# NEST 3.10 emits deprecation UserWarnings for the GetStatus/SetStatus calls pyNN makes.
warnings.filterwarnings("ignore", category=UserWarning, module=r"nest\.")

# pyNN.nest 0.13 omits these for IF_curr_delta (see the module docstring).
sim.IF_curr_delta.variable_map = {"v": "V_m"}
sim.IF_curr_delta.scale_factors = {"v": 1}

OUT_PATH = Path(__file__).resolve().parent / "if_curr_delta_single.json"
NEST_MODEL = "iaf_psc_delta"
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


def run_scenario(scenario, timestep):
    """Run one scenario at one timestep and return its JSON record."""
    sim.setup(timestep=timestep, min_delay=DELAY, spike_precision="on_grid")
    neuron = sim.Population(1, sim.IF_curr_delta(**scenario["cell_params"]), label="neuron")
    nest_model = neuron.node_collection.get("model")
    assert nest_model == NEST_MODEL, nest_model
    v_rest = scenario["cell_params"].get("v_rest", sim.IF_curr_delta.default_parameters["v_rest"])
    assert neuron.node_collection.get("V_m") == v_rest
    sources = []
    for inp in scenario["inputs"]:
        source = sim.Population(1, sim.SpikeSourceArray(spike_times=inp["spike_times"]))
        sim.Projection(
            source,
            neuron,
            sim.FromListConnector([(0, 0)]),
            sim.StaticSynapse(weight=inp["weight"], delay=inp["delay"]),
            receptor_type=inp["receptor_type"],
        )
        source.record("spikes")
        sources.append(source)
    neuron.record(["spikes", "v"])
    sim.run(RUN_MS)

    # Check that NEST received the weights in mV, unscaled.
    for inp, source in zip(scenario["inputs"], sources):
        conn = nest.GetConnections(source=source.node_collection, target=neuron.node_collection)
        assert conn.get("weight") == inp["weight"], conn.get("weight")

    # Check that each input spike leaves its parrot neuron at the requested time.
    for inp, source in zip(scenario["inputs"], sources):
        sent = source.get_data().segments[0].spiketrains[0].rescale("ms").magnitude
        np.testing.assert_allclose(sent, inp["spike_times"], atol=1e-9)

    segment = neuron.get_data().segments[0]
    spikes = segment.spiketrains[0].rescale("ms").magnitude
    signal = segment.filter(name="v")[0]
    v = signal.rescale("mV").magnitude[:, 0]
    t_start = float(signal.t_start.rescale("ms").magnitude)
    sampling_period = float(signal.sampling_period.rescale("ms").magnitude)
    sim.end()

    return {
        "name": scenario["name"],
        "timestep": timestep,
        "run_ms": RUN_MS,
        "nest_model": nest_model,
        "cell_params": scenario["cell_params"],
        "inputs": scenario["inputs"],
        "spike_times": [round(float(t), 6) for t in spikes],
        "v": [round(float(x), 6) for x in v],
        "v_t_start": round(t_start, 6),
        "v_sampling_period": round(sampling_period, 6),
        "v_n_samples": int(v.size),
    }


def main():
    records = []
    for scenario in SCENARIOS:
        for timestep in TIMESTEPS:
            record = run_scenario(scenario, timestep)
            print(
                f"{record['name']} dt={timestep}: {len(record['spike_times'])} spikes "
                f"{record['spike_times']}, {record['v_n_samples']} v samples"
            )
            records.append(record)
    golden = {
        "nest_version": nest.__version__,
        "pynn_version": pyNN.__version__,
        "description": (
            "Spikes and membrane potential of one pyNN IF_curr_delta neuron (NEST "
            "iaf_psc_delta, on-grid spike precision, min_delay 1.0 ms) driven by "
            "SpikeSourceArray inputs with 1.0 ms delays, recorded through pyNN.nest at "
            "timesteps 0.1 and 1.0 ms. Weights are in mV."
        ),
        "scenarios": records,
    }
    OUT_PATH.write_text(json.dumps(golden, indent=1) + "\n")
    print(f"wrote {OUT_PATH}")


if __name__ == "__main__":
    main()
