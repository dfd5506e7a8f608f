"""Record golden traces of composed neurons with three receptor types from NEST 3.10.

Each scenario is a ``PointNeuron`` as pyNN.nest maps it (PyNN 0.13.0):

* ``adexp_beta3``: ``AdExp`` with AMPA, NMDA and GABAA ``CondBetaPostSynapticResponse``s
  (NEST ``aeif_cond_beta_multisynapse``), each receptor with its own rise and decay time
  constants and reversal potential;
* ``adexp_alpha3``: the PyNN scenario ``test_composed_neuron_model_homogeneous_receptors``'s
  AdExp cell with three ``CondAlphaPostSynapticResponse``s (``aeif_cond_alpha_multisynapse``);
* ``lif_curr3``: ``LIF`` with three ``CurrExpPostSynapticResponse``s
  (``iaf_psc_exp_multisynapse``); GABAA weights are negative (PyNN's convention for a
  current-based receptor named as inhibitory).

(pyNN.nest has no NEST model for LIF with conductance-based responses: LIF maps only to the
iaf_psc_*_multisynapse models.)  Each runs at timestep 0.1 and 1.0 ms for 200 ms with one neuron
driven by SpikeSourceArray inputs (1.0 ms delays), recording spikes, v (mV) and each receptor's
``<name>.gsyn`` (uS) or ``<name>.isyn`` (nA), written to ``composed_golden.json`` next to this
script for tests/test_composed_models.py.  Weights are powers of two (exact in the PE's
fixed-point synapse words).

Settings as in make_eif_golden.py: ``spike_precision="on_grid"``, ``min_delay=1.0`` (so that
the inputs are not 0.9 ms late at dt 0.1; checked below), ``FromListConnector([(0, 0)])``;
every analog signal has run_ms / timestep + 1 samples from t = 0.

How it was run (from the repository root, with PyNN 0.13.0, NEST 3.10.0)::

    /work/main/.venv/bin/python tests/golden/make_composed_golden.py
"""

import json
import sys
import warnings
from pathlib import Path

import nest
import numpy as np
import pyNN
import pyNN.nest as sim

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from goldens import composed_cell_type as cell_type  # noqa: E402
from goldens import composed_variables as variables  # noqa: E402

warnings.filterwarnings("ignore", category=UserWarning, module=r"nest\.")

OUT_PATH = Path(__file__).resolve().parent / "composed_golden.json"
TIMESTEPS = (0.1, 1.0)
RUN_MS = 200.0
DELAY = 1.0

BURSTS = [float(t) for t in (*range(20, 26), *range(90, 94), *range(150, 158))]
SCENARIOS = [
    {
        "name": "adexp_beta3",
        "neuron": "AdExp",
        "neuron_params": {"tau_m": 10.0, "v_rest": -60.0, "v_reset": -58.0,
                          "tau_refrac": 2.0},
        "psr": "CondBetaPostSynapticResponse",
        "receptors": {
            "AMPA": {"tau_rise": 0.2, "tau_decay": 1.7, "e_syn": 0.0},
            "GABAA": {"tau_rise": 0.5, "tau_decay": 5.0, "e_syn": -70.0},
            "NMDA": {"tau_rise": 2.0, "tau_decay": 30.0, "e_syn": 0.0},
        },
        "inputs": [
            {"spike_times": BURSTS, "weight": 1.0 / 32, "delay": DELAY,
             "receptor_type": "AMPA"},
            {"spike_times": [40.0, 41.0, 150.0, 152.0], "weight": 1.0 / 64, "delay": DELAY,
             "receptor_type": "NMDA"},
            {"spike_times": [88.0, 89.0, 90.0, 153.0], "weight": 1.0 / 16, "delay": DELAY,
             "receptor_type": "GABAA"},
        ],
    },
    {
        "name": "adexp_alpha3",
        "neuron": "AdExp",
        "neuron_params": {"tau_m": 10.0, "v_rest": -60.0},
        "psr": "CondAlphaPostSynapticResponse",
        "receptors": {
            "AMPA": {"tau_syn": 1.0, "e_syn": 0.0},
            "GABAA": {"tau_syn": 1.5, "e_syn": -70.0},
            "NMDA": {"tau_syn": 20.0, "e_syn": 0.0},
        },
        "inputs": [
            {"spike_times": BURSTS, "weight": 1.0 / 32, "delay": DELAY,
             "receptor_type": "AMPA"},
            {"spike_times": [40.0, 41.0, 150.0], "weight": 1.0 / 128, "delay": DELAY,
             "receptor_type": "NMDA"},
            {"spike_times": [89.0, 90.0, 153.0], "weight": 1.0 / 16, "delay": DELAY,
             "receptor_type": "GABAA"},
        ],
    },
    {
        "name": "lif_curr3",
        "neuron": "LIF",
        "neuron_params": {"tau_m": 10.0, "v_rest": -60.0, "v_reset": -62.0,
                          "tau_refrac": 2.0},
        "psr": "CurrExpPostSynapticResponse",
        "receptors": {
            "AMPA": {"tau_syn": 1.0},
            "GABAA": {"tau_syn": 1.5},
            "NMDA": {"tau_syn": 20.0},
        },
        "inputs": [
            {"spike_times": BURSTS, "weight": 8.0, "delay": DELAY, "receptor_type": "AMPA"},
            {"spike_times": [40.0, 41.0, 150.0], "weight": 0.25, "delay": DELAY,
             "receptor_type": "NMDA"},
            {"spike_times": [89.0, 90.0, 153.0], "weight": -2.0, "delay": DELAY,
             "receptor_type": "GABAA"},
        ],
    },
]


def run_scenario(scenario, timestep):
    sim.setup(timestep=timestep, min_delay=DELAY, spike_precision="on_grid")
    neuron = sim.Population(1, cell_type(sim, scenario), label="neuron")
    nest_model = neuron.node_collection.get("model")
    sources = []
    for inp in scenario["inputs"]:
        source = sim.Population(1, sim.SpikeSourceArray(spike_times=inp["spike_times"]))
        sim.Projection(source, neuron, sim.FromListConnector([(0, 0)]),
                       sim.StaticSynapse(weight=inp["weight"], delay=inp["delay"]),
                       receptor_type=inp["receptor_type"])
        source.record("spikes")
        sources.append(source)
    names = variables(scenario)
    neuron.record(["spikes", *names])
    sim.run(RUN_MS)
    for inp, source in zip(scenario["inputs"], sources):
        sent = source.get_data().segments[0].spiketrains[0].rescale("ms").magnitude
        np.testing.assert_allclose(sent, inp["spike_times"], atol=1e-9)
    segment = neuron.get_data().segments[0]
    spikes = segment.spiketrains[0].rescale("ms").magnitude
    signals = {}
    for name in names:
        signal = segment.filter(name=name)[0]
        unit = "mV" if name == "v" else ("nA" if name.endswith("isyn") else "uS")
        values = signal.rescale(unit).magnitude[:, 0]
        assert values.size == round(RUN_MS / timestep) + 1, (name, values.size)
        signals[name] = [round(float(x), 9) for x in values]
    sim.end()
    return {**scenario, "timestep": timestep, "run_ms": RUN_MS, "nest_model": nest_model,
            "spike_times": [round(float(t), 6) for t in spikes], "signals": signals}


def main():
    records = []
    for scenario in SCENARIOS:
        for timestep in TIMESTEPS:
            record = run_scenario(scenario, timestep)
            print(f"{record['name']} ({record['nest_model']}) dt={timestep}: "
                  f"{len(record['spike_times'])} spikes {record['spike_times']}")
            records.append(record)
    golden = {
        "nest_version": nest.__version__,
        "pynn_version": pyNN.__version__,
        "description": (
            "Spikes, v (mV) and per-receptor gsyn (uS) / isyn (nA) of one pyNN PointNeuron "
            "with three receptor types (NEST aeif_cond_beta_multisynapse, "
            "aeif_cond_alpha_multisynapse, iaf_psc_exp_multisynapse), on-grid spikes, "
            "min_delay 1.0 ms, SpikeSourceArray inputs with 1.0 ms delays, timesteps 0.1 and "
            "1.0 ms, 200 ms; samples at t = 0, dt, ..., 200 ms."),
        "scenarios": records,
    }
    OUT_PATH.write_text(json.dumps(golden, indent=1) + "\n")
    print(f"wrote {OUT_PATH}")


if __name__ == "__main__":
    main()
