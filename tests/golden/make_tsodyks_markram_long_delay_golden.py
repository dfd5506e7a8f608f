"""Record golden data for TsodyksMarkramSynapse with delays beyond the PE's ring buffer (on
pynn_spinnaker2 they go through a delay extension) from NEST 3.10's tsodyks_synapse via
pyNN.nest.

The records have the layout of tests/golden/tsodyks_markram.json's scenarios (see
make_tsodyks_markram_golden.py for the model and its notes): one SpikeSourceArray cell, three
non-firing IF_curr_exp cells (tau_syn_E 5 ms, v_thresh 1000 mV) reached through a depressing
and a facilitating TsodyksMarkramSynapse and a StaticSynapse control, each
FromListConnector([(0, i)]); here with delay DELAY_MS at timestep 0.1 ms (200 ticks: three
64-tick stages and 8 ticks in the synapse word). ``v`` of each cell is stored (run_ms / dt + 1
samples from t = 0).

How it was run (from the repository root, PyNN 0.13.0, NEST 3.10.0, numpy 2.4)::

    /work/main/.venv/bin/python tests/golden/make_tsodyks_markram_long_delay_golden.py
"""

from nest_golden_common import HERE, setup_on_grid, write_golden, sim

OUT_PATH = HERE / "tsodyks_markram_long_delay.json"
TIMESTEP = 0.1
DELAY_MS = 20.0
RUN_MS = 600.0
CELL_PARAMS = {"tau_syn_E": 5.0, "tau_syn_I": 5.0, "v_thresh": 1000.0}
SYNAPSES = [
    ("depressing", "TsodyksMarkramSynapse",
     {"weight": 1.0, "delay": DELAY_MS, "U": 0.5, "tau_rec": 100.0, "tau_facil": 0.0}),
    ("facilitating", "TsodyksMarkramSynapse",
     {"weight": 1.0, "delay": DELAY_MS, "U": 0.1, "tau_rec": 50.0, "tau_facil": 500.0}),
    ("static", "StaticSynapse", {"weight": 1.0, "delay": DELAY_MS}),
]
SCENARIOS = [
    ("regular_20hz", [float(t) for t in range(10, 301, 50)] + [500.0]),
    ("burst", [float(t) for t in range(50, 86, 5)] + [400.0]),
]


def run(name: str, spike_times: list[float]) -> dict:
    setup_on_grid(TIMESTEP, TIMESTEP, max_delay=2 * DELAY_MS)
    source = sim.Population(1, sim.SpikeSourceArray(spike_times=spike_times), label="source")
    post = sim.Population(len(SYNAPSES), sim.IF_curr_exp(**CELL_PARAMS), label="post")
    for index, (label, kind, params) in enumerate(SYNAPSES):
        sim.Projection(source, post, sim.FromListConnector([(0, index)]),
                       getattr(sim, kind)(**params), receptor_type="excitatory", label=label)
    post.record(["spikes", "v"])
    sim.run(RUN_MS)
    segment = post.get_data().segments[0]
    assert all(len(t) == 0 for t in segment.spiketrains), "a post cell fired"
    v = segment.filter(name="v")[0].rescale("mV").magnitude
    sim.end()
    cells = [{"index": i, "name": label, "synapse_type": kind, "synapse_params": params,
              "v": [round(float(x), 6) for x in v[:, i]]}
             for i, (label, kind, params) in enumerate(SYNAPSES)]
    return {"name": name, "timestep": TIMESTEP, "run_ms": RUN_MS, "spike_times": spike_times,
            "cell_params": CELL_PARAMS, "post_cells": cells}


def main() -> None:
    write_golden(OUT_PATH, ("TsodyksMarkramSynapse through pyNN.nest (tsodyks_synapse) with "
                            f"delay {DELAY_MS} ms at timestep {TIMESTEP} ms; layout as "
                            "tsodyks_markram.json's scenarios"),
                 scenarios=[run(name, times) for name, times in SCENARIOS])


if __name__ == "__main__":
    main()
