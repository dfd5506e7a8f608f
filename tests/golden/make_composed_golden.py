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

import sys
from pathlib import Path

from nest_golden_common import HERE, rounded, run_all, run_single_cell, sim, write_golden

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from goldens import composed_cell_type as cell_type  # noqa: E402
from goldens import composed_variables as variables  # noqa: E402

OUT_PATH = HERE / "composed_golden.json"
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
    names = variables(scenario)
    units = {name: "mV" if name == "v" else ("nA" if name.endswith("isyn") else "uS")
             for name in names}
    cell = run_single_cell(lambda: cell_type(sim, scenario), scenario["inputs"], timestep,
                           RUN_MS, names, units=units)
    for name, values in cell.signals.items():
        assert values.size == round(RUN_MS / timestep) + 1, (name, values.size)
    return {**scenario, "timestep": timestep, "run_ms": RUN_MS, "nest_model": cell.nest_model,
            "spike_times": rounded(cell.spikes),
            "signals": {name: rounded(values, 9) for name, values in cell.signals.items()}}


def main():
    write_golden(OUT_PATH, (
        "Spikes, v (mV) and per-receptor gsyn (uS) / isyn (nA) of one pyNN PointNeuron "
            "with three receptor types (NEST aeif_cond_beta_multisynapse, "
            "aeif_cond_alpha_multisynapse, iaf_psc_exp_multisynapse), on-grid spikes, "
            "min_delay 1.0 ms, SpikeSourceArray inputs with 1.0 ms delays, timesteps 0.1 and "
            "1.0 ms, 200 ms; samples at t = 0, dt, ..., 200 ms."),
        scenarios=run_all(SCENARIOS, TIMESTEPS, run_scenario))


if __name__ == "__main__":
    main()
