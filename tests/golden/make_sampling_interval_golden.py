"""Record golden reference data for ``record(..., sampling_interval=...)`` from NEST via pyNN.nest.

Two populations of two ``IF_curr_exp`` cells (NEST ``iaf_psc_exp``, i_offset 0.5 and 1.2 nA so
the second fires), dt = 0.1 ms, ``spike_precision="on_grid"``; population "a" records ``v``
every 1.0 ms, population "b" every 0.5 ms, both record spikes. Scenarios:

* ``single``: one run of 10.0 ms.
* ``two_runs``: run 10.3 ms then 5.0 ms (the second run starts off the sampling grid).
* ``clear``: run 10.3 ms, ``get_data(clear=True)``, run 5.0 ms, ``get_data()``.

Per scenario and population, each retrieved segment's AnalogSignal: ``sampling_period``,
``t_start``, ``shape``, ``times`` and ``values`` (mV, samples x cells), and the spike times.

How it was run (from the repository root, PyNN 0.13.0, NEST 3.10.0)::

    /work/main/.venv/bin/python tests/golden/make_sampling_interval_golden.py
"""

import json
import warnings
from pathlib import Path

import numpy as np

INTERVALS = {"a": 1.0, "b": 0.5}


def _signal(segment) -> dict:
    sig = segment.filter(name="v")[0]
    return {"sampling_period": float(sig.sampling_period.rescale("ms").magnitude),
            "t_start": float(sig.t_start.rescale("ms").magnitude),
            "shape": list(sig.shape),
            "times": np.asarray(sig.times.rescale("ms").magnitude).round(9).tolist(),
            "values": np.asarray(sig.magnitude, dtype=float).tolist(),
            "spikes": [np.asarray(t.times.rescale("ms").magnitude).tolist()
                       for t in segment.spiketrains]}


def run(name: str) -> dict:
    import pyNN.nest as sim
    sim.setup(timestep=0.1, min_delay=0.1, spike_precision="on_grid")
    pops = {label: sim.Population(2, sim.IF_curr_exp(i_offset=[0.5, 1.2]), label=label)
            for label in INTERVALS}
    for label, pop in pops.items():
        pop.record(["v", "spikes"], sampling_interval=INTERVALS[label])
    out = {label: [] for label in pops}
    if name == "single":
        sim.run(10.0)
    elif name == "two_runs":
        sim.run(10.3)
        sim.run(5.0)
    else:
        sim.run(10.3)
        for label, pop in pops.items():
            out[label].append(_signal(pop.get_data(clear=True).segments[0]))
        sim.run(5.0)
    for label, pop in pops.items():
        out[label].append(_signal(pop.get_data().segments[-1]))
    sim.end()
    return {"name": name, "populations": out}


def main() -> None:
    import multiprocessing as mp
    warnings.simplefilter("ignore")
    scenarios = []
    for name in ("single", "two_runs", "clear"):
        # one NEST kernel per scenario
        with mp.get_context("spawn").Pool(1) as pool:
            scenarios.append(pool.apply(run, (name,)))
    golden = {"intervals": INTERVALS, "dt": 0.1,
              "cell": {"type": "IF_curr_exp", "i_offset": [0.5, 1.2]},
              "scenarios": scenarios}
    path = Path(__file__).with_name("sampling_interval.json")
    path.write_text(json.dumps(golden, indent=1))
    print("wrote", path)


if __name__ == "__main__":
    main()
