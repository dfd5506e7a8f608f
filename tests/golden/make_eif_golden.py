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

import json
import warnings
from pathlib import Path

import nest
import numpy as np
import pyNN
import pyNN.nest as sim

# NEST 3.10 emits deprecation UserWarnings for the GetStatus/SetStatus calls pyNN makes.
warnings.filterwarnings("ignore", category=UserWarning, module=r"nest\.")

OUT_PATH = Path(__file__).resolve().parent / "eif_golden.json"
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
    sim.setup(timestep=timestep, min_delay=DELAY, spike_precision="on_grid")
    neuron = sim.Population(1, getattr(sim, cell_type)(**scenario["cell_params"]),
                            label="neuron")
    nest_model = neuron.node_collection.get("model")
    assert nest_model == MODELS[cell_type], nest_model
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
    neuron.record(["spikes", *RECORDABLES])
    sim.run(RUN_MS)

    # Check that each input spike leaves its parrot neuron at the requested time.
    for inp, source in zip(scenario["inputs"], sources):
        sent = source.get_data().segments[0].spiketrains[0].rescale("ms").magnitude
        np.testing.assert_allclose(sent, inp["spike_times"], atol=1e-9)

    segment = neuron.get_data().segments[0]
    spikes = segment.spiketrains[0].rescale("ms").magnitude
    units = {"v": "mV", "w": "nA", "gsyn_exc": "uS", "gsyn_inh": "uS"}
    signals = {}
    for name in RECORDABLES:
        signal = segment.filter(name=name)[0]
        values = signal.rescale(units[name]).magnitude[:, 0]
        assert values.size == round(RUN_MS / timestep) + 1, (name, values.size)
        assert float(signal.t_start.rescale("ms").magnitude) == 0.0
        signals[name] = [round(float(x), 9) for x in values]
    sim.end()

    return {
        "cell_type": cell_type,
        "name": scenario["name"],
        "timestep": timestep,
        "run_ms": RUN_MS,
        "nest_model": nest_model,
        "cell_params": scenario["cell_params"],
        "inputs": scenario["inputs"],
        "spike_times": [round(float(t), 6) for t in spikes],
        **signals,
    }


def main():
    records = []
    for cell_type in MODELS:
        for scenario in SCENARIOS:
            for timestep in TIMESTEPS:
                record = run_scenario(cell_type, scenario, timestep)
                print(f"{cell_type} {record['name']} dt={timestep}: "
                      f"{len(record['spike_times'])} spikes {record['spike_times']}")
                records.append(record)
    golden = {
        "nest_version": nest.__version__,
        "pynn_version": pyNN.__version__,
        "description": (
            "Spikes, v (mV), w (nA), gsyn_exc and gsyn_inh (uS) of one pyNN "
            "EIF_cond_exp_isfa_ista (NEST aeif_cond_exp) or EIF_cond_alpha_isfa_ista (NEST "
            "aeif_cond_alpha) neuron, on-grid spike precision, min_delay 1.0 ms, driven by "
            "SpikeSourceArray inputs with 1.0 ms delays, recorded through pyNN.nest at "
            "timesteps 0.1 and 1.0 ms for 200 ms; samples at t = 0, dt, ..., 200 ms."
        ),
        "scenarios": records,
    }
    OUT_PATH.write_text(json.dumps(golden, indent=1) + "\n")
    print(f"wrote {OUT_PATH}")


if __name__ == "__main__":
    main()
