"""Record golden references of pyNN GIF_cond_exp (NEST gif_cond_exp) from NEST 3.10.

Writes ``gif_cond_exp.json`` next to this script with two parts:

* ``deterministic``: single neurons with delta_v = 1e-6 mV, which makes NEST's escape noise a
  hard threshold (lambda = lambda0 exp((V - v_t) / delta_v) is 0 or overflows to a firing
  probability of 1 in every step except within about 1e-5 mV of v_t), so spike times, v, v_t,
  i_eta and the conductances are deterministic. Two scenarios at timestep 0.1 and 1.0 ms,
  300 ms each, driven by i_offset and SpikeSourceArray inputs (delays 1.0 ms):
  ``stc_and_sfa`` (spike-triggered current and moving threshold, 4 ms refractory) and
  ``synaptic_drive`` (subthreshold i_offset, excitatory bursts, a depolarising
  spike-triggered current, 2 ms refractory); and, at dt 0.01 ms only, ``example_stc`` and
  ``example_sfa``: neurons 1 and 2 of PyNN's examples/gif_neuron.py (a 0.6 nA DCSource from 20
  to 280 ms; 3 and 4 spikes whose timing depends on slow kernels over 10^4 steps), with every
  10th sample kept (``every``).
* ``statistics``: populations of stochastic neurons (delta_v 0.5 mV) driven by i_offset,
  N_STAT neurons for STAT_MS at timestep 0.1 ms: the mean rate, the spread of per-neuron
  rates, the pooled ISI coefficient of variation and ISI quantiles. ``escape_only`` has no
  adaptation; ``adapting`` has both kernels.

Settings as in make_if_cond_golden.py (``spike_precision="on_grid"``, ``min_delay=1.0``,
``FromListConnector([(0, 0)])``, ``run_ms / timestep + 1`` samples from t = 0, whose first
is the PyNN initial value; NEST cannot set E_sfa / I_stc, so v_t and i_eta start from
v_t_star and 0 in its first step). pyNN.nest maps v_t to NEST's E_sfa (v_t_star plus the
threshold kernels) and i_eta to I_stc.

How it was run (from the repository root, PyNN 0.13.0, NEST 3.10.0)::

    .venv/bin/python tests/golden/make_gif_cond_exp_golden.py
"""


import numpy as np
from pyNN.parameters import ArrayParameter
from nest_golden_common import (HERE, check_inputs_sent, connect_inputs, setup_on_grid, sim,
                                write_golden)

OUT_PATH = HERE / "gif_cond_exp.json"
TIMESTEPS = (0.1, 1.0)
RUN_MS = 300.0
DELAY = 1.0
VARIABLES = ("v", "v_t", "i_eta", "gsyn_exc", "gsyn_inh")
UNITS = {"v": "mV", "v_t": "mV", "i_eta": "nA", "gsyn_exc": "uS", "gsyn_inh": "uS"}
KERNELS = ("tau_eta", "a_eta", "tau_gamma", "a_gamma")
N_STAT, STAT_MS, STAT_DT, STAT_SEED = 100, 4000.0, 0.1, 8517
BURSTS = [float(t) for t in (*range(30, 40, 2), *range(120, 128), *range(220, 232))]

DETERMINISTIC = [
    {
        "name": "stc_and_sfa",
        # g_L = 0.05 uS: i_offset 0.8 nA drives V towards -49 mV, above v_t_star -55 mV
        "cell_params": {"i_offset": 0.8, "delta_v": 1e-6, "v_t_star": -55.0,
                        "tau_refrac": 4.0, "v_reset": -65.0,
                        "tau_eta": [2.0, 20.0, 100.0], "a_eta": [0.1, 0.05, 0.02],
                        "tau_gamma": [5.0, 50.0], "a_gamma": [2.0, 1.0]},
        "inputs": [
            {"spike_times": [150.0, 151.0, 152.0], "weight": 0.02, "delay": DELAY,
             "receptor_type": "excitatory"},
            {"spike_times": [200.0, 201.0, 202.0, 203.0], "weight": 0.05, "delay": DELAY,
             "receptor_type": "inhibitory"},
        ],
    },
    {
        "name": "synaptic_drive",
        "cell_params": {"i_offset": 0.3, "delta_v": 1e-6, "v_t_star": -54.0,
                        "tau_refrac": 2.0, "v_reset": -60.0, "tau_syn_E": 3.0,
                        "tau_eta": [5.0, 30.0], "a_eta": [-0.05, 0.02],
                        "tau_gamma": [10.0], "a_gamma": [3.0]},
        "inputs": [
            {"spike_times": BURSTS, "weight": 0.03, "delay": DELAY,
             "receptor_type": "excitatory"},
            {"spike_times": [124.0, 125.0], "weight": 0.04, "delay": DELAY,
             "receptor_type": "inhibitory"},
        ],
    },
]

EXAMPLE_PARAMS = {"v_rest": -65.0, "cm": 1.0, "tau_m": 20.0, "tau_refrac": 4.0, "tau_syn_E": 5.0,
                  "tau_syn_I": 5.0, "e_rev_E": 0.0, "e_rev_I": -70.0, "v_reset": -65.0,
                  "i_offset": 0.0, "v_t_star": -55.0, "lambda0": 1.0, "delta_v": 1e-6,
                  "tau_eta": [1.0, 10.0, 100.0], "tau_gamma": [1.0, 10.0, 100.0]}
EXAMPLE_DC = {"start": 20.0, "stop": 280.0, "amplitude": 0.6}
DETERMINISTIC += [
    {"name": "example_stc", "timesteps": [0.01], "dc": EXAMPLE_DC, "inputs": [], "every": 10,
     "cell_params": {**EXAMPLE_PARAMS, "a_eta": [0.1] * 3, "a_gamma": [0.0] * 3}},
    {"name": "example_sfa", "timesteps": [0.01], "dc": EXAMPLE_DC, "inputs": [], "every": 10,
     "cell_params": {**EXAMPLE_PARAMS, "a_eta": [0.0] * 3, "a_gamma": [5.0] * 3}},
]

STATISTICS = [
    {"name": "escape_only",
     "cell_params": {"i_offset": 0.55, "delta_v": 0.5, "v_t_star": -55.0, "lambda0": 5.0,
                     "tau_refrac": 2.0, "tau_eta": [10.0], "a_eta": [0.0],
                     "tau_gamma": [10.0], "a_gamma": [0.0]}},
    {"name": "adapting",
     "cell_params": {"i_offset": 0.7, "delta_v": 0.5, "v_t_star": -55.0, "lambda0": 5.0,
                     "tau_refrac": 2.0, "tau_eta": [10.0, 100.0], "a_eta": [0.05, 0.01],
                     "tau_gamma": [5.0, 50.0], "a_gamma": [2.0, 0.5]}},
]


def cell_type(params):
    """PyNN GIF_cond_exp with the kernel lists as ArrayParameters."""
    return sim.GIF_cond_exp(**{k: ArrayParameter(v) if k in KERNELS else v
                               for k, v in params.items()})


def run_deterministic(scenario, timestep):
    """One deterministic scenario at one timestep: its JSON record."""
    setup_on_grid(timestep, DELAY)
    neuron = sim.Population(1, cell_type(scenario["cell_params"]))
    assert neuron.node_collection.get("model") == "gif_cond_exp"
    sources = connect_inputs(neuron, scenario["inputs"])
    if "dc" in scenario:
        sim.DCSource(**scenario["dc"]).inject_into(neuron)
    neuron.record(["spikes", *VARIABLES])
    sim.run(RUN_MS)
    check_inputs_sent(scenario["inputs"], sources)
    segment = neuron.get_data().segments[0]
    record = {"name": scenario["name"], "timestep": timestep, "run_ms": RUN_MS,
              "cell_params": scenario["cell_params"], "inputs": scenario["inputs"],
              "dc": scenario.get("dc"), "every": scenario.get("every", 1),
              "spike_times": [round(float(t), 6)
                              for t in segment.spiketrains[0].rescale("ms").magnitude]}
    for variable in VARIABLES:
        values = segment.filter(name=variable)[0].rescale(UNITS[variable]).magnitude[:, 0]
        values = values[::scenario.get("every", 1)]
        record[variable] = [round(float(x), 9 if variable.startswith("gsyn") else 6)
                            for x in values]
        record["n_samples"] = int(values.size)
    sim.end()
    return record


def run_statistics(scenario):
    """One stochastic population: its spike statistics."""
    setup_on_grid(STAT_DT, DELAY, rng_seed=STAT_SEED)
    cells = sim.Population(N_STAT, cell_type(scenario["cell_params"]))
    cells.record("spikes")
    sim.run(STAT_MS)
    trains = [st.rescale("ms").magnitude for st in cells.get_data().segments[0].spiketrains]
    sim.end()
    rates = np.array([len(t) for t in trains]) / (STAT_MS / 1000.0)
    isi = np.concatenate([np.diff(t) for t in trains])
    return {"name": scenario["name"], "cell_params": scenario["cell_params"],
            "timestep": STAT_DT, "n_neurons": N_STAT, "run_ms": STAT_MS, "rng_seed": STAT_SEED,
            "statistics": {
                "mean_rate_hz": float(rates.mean()), "rate_std_hz": float(rates.std()),
                "n_spikes": int(sum(len(t) for t in trains)),
                "isi_mean_ms": float(isi.mean()), "isi_cv": float(isi.std() / isi.mean()),
                "isi_min_ms": float(isi.min()),
                "isi_quantiles_ms": {str(q): float(np.quantile(isi, q))
                                     for q in (0.1, 0.5, 0.9)}}}


def main():
    deterministic = []
    for scenario in DETERMINISTIC:
        for timestep in scenario.get("timesteps", TIMESTEPS):
            record = run_deterministic(scenario, timestep)
            print(f"{record['name']} dt={timestep}: {record['spike_times']}")
            deterministic.append(record)
    statistics = []
    for scenario in STATISTICS:
        record = run_statistics(scenario)
        print(record["name"], record["statistics"])
        statistics.append(record)
    write_golden(OUT_PATH, (
        "pyNN GIF_cond_exp (NEST gif_cond_exp) through pyNN.nest, on-grid spikes, "
        "min_delay 1.0 ms: single deterministic neurons (delta_v 1e-6 mV) with spikes, v, "
        "v_t, i_eta and conductances at timesteps 0.1 and 1.0 ms; spike statistics of "
        "stochastic populations at 0.1 ms."),
        deterministic=deterministic, statistics=statistics)


if __name__ == "__main__":
    main()
