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

import json
import warnings
from pathlib import Path

import nest
import numpy as np
import pyNN
import pyNN.nest as sim

warnings.filterwarnings("ignore", category=UserWarning, module=r"nest\.")

_CELL = sim.IF_cond_exp_gsfa_grr
_CELL.variable_map = {**_CELL.variable_map, "g_r": "g_rr", "g_s": "g_sfa"}
_CELL.scale_factors = {**_CELL.scale_factors, "g_r": 1.0, "g_s": 1.0}

OUT_PATH = Path(__file__).resolve().parent / "if_cond_exp_gsfa_grr_single.json"
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
    sim.setup(timestep=timestep, min_delay=DELAY, spike_precision="on_grid")
    neuron = sim.Population(1, sim.IF_cond_exp_gsfa_grr(**scenario["cell_params"]))
    nest_model = neuron.node_collection.get("model")
    assert nest_model == "iaf_cond_exp_sfa_rr", nest_model
    sources = []
    for inp in scenario["inputs"]:
        source = sim.Population(1, sim.SpikeSourceArray(spike_times=inp["spike_times"]))
        sim.Projection(source, neuron, sim.FromListConnector([(0, 0)]),
                       sim.StaticSynapse(weight=inp["weight"], delay=inp["delay"]),
                       receptor_type=inp["receptor_type"])
        source.record("spikes")
        sources.append(source)
    neuron.record(["spikes", *VARIABLES])
    sim.run(RUN_MS)
    for inp, source in zip(scenario["inputs"], sources):
        sent = source.get_data().segments[0].spiketrains[0].rescale("ms").magnitude
        np.testing.assert_allclose(sent, inp["spike_times"], atol=1e-9)
    segment = neuron.get_data().segments[0]
    spikes = segment.spiketrains[0].rescale("ms").magnitude
    record = {"name": scenario["name"], "timestep": timestep, "run_ms": RUN_MS,
              "nest_model": nest_model, "cell_params": scenario["cell_params"],
              "inputs": scenario["inputs"],
              "spike_times": [round(float(t), 6) for t in spikes]}
    for variable in VARIABLES:
        signal = segment.filter(name=variable)[0]
        values = signal.rescale(UNITS[variable]).magnitude[:, 0]
        digits = 9 if variable.startswith("gsyn") else 6
        record[variable] = [round(float(x), digits) for x in values]
        record["n_samples"] = int(values.size)
    sim.end()
    return record


def main():
    records = []
    for scenario in SCENARIOS:
        for timestep in TIMESTEPS:
            record = run_scenario(scenario, timestep)
            print(f"{record['name']} dt={timestep}: {len(record['spike_times'])} spikes "
                  f"{record['spike_times']}")
            records.append(record)
    golden = {
        "nest_version": nest.__version__,
        "pynn_version": pyNN.__version__,
        "description": (
            "Spikes, v, synaptic conductances (uS) and g_r, g_s (nS) of one pyNN "
            "IF_cond_exp_gsfa_grr (NEST iaf_cond_exp_sfa_rr) neuron, on-grid spikes, "
            "min_delay 1.0 ms, SpikeSourceArray inputs with 1.0 ms delays, recorded through "
            "pyNN.nest at timesteps 0.1 and 1.0 ms."),
        "scenarios": records,
    }
    OUT_PATH.write_text(json.dumps(golden, indent=1) + "\n")
    print(f"wrote {OUT_PATH}")


if __name__ == "__main__":
    main()
