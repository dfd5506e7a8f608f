"""Record how NEST 3.10 (through pyNN.nest) puts off-grid synaptic delays on the grid.

Writes ``delay_rounding.json`` next to this script: for each timestep, the delays asked for,
the delays ``Projection.get("delay")`` returns, and the spike arrival they cause (the time at
which a single input spike at 5 ms first moves the target's v), so that the test compares both
the stored delays and their effect.

Run: python tests/golden/make_delay_rounding_golden.py   (needs nest-simulator 3.10)
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pyNN.nest as sim

ASKED = {0.1: [0.1, 0.14, 0.15, 0.16, 0.25, 0.35, 1.449, 1.45, 1.71557, 2.0],
         1.0: [1.0, 1.2, 1.5, 2.5, 2.49, 3.7]}


def record(dt: float) -> dict:
    delays = ASKED[dt]
    sim.setup(timestep=dt, min_delay=dt, spike_precision="on_grid")
    source = sim.Population(1, sim.SpikeSourceArray(spike_times=[5.0]))
    cells = sim.Population(len(delays), sim.IF_curr_exp(tau_syn_E=1.0))
    projection = sim.Projection(
        source, cells, sim.FromListConnector([(0, i, 0.5, d) for i, d in enumerate(delays)]),
        sim.StaticSynapse(), receptor_type="excitatory")
    cells.record("v")
    sim.run(12.0)
    v = cells.get_data().segments[0].filter(name="v")[0]
    rest = np.asarray(v[0])
    moved = np.argmax(np.abs(np.asarray(v) - rest) > 1e-9, axis=0) * dt
    stored = [float(d) for _, _, d in sorted(projection.get("delay", format="list"))]
    sim.end()
    return {"timestep": dt, "asked": delays, "stored": stored,
            "first_v_change_ms": [float(m) for m in moved]}


if __name__ == "__main__":
    data = {"nest": __import__("nest").__version__,
            "records": [record(dt) for dt in ASKED]}
    path = Path(__file__).with_name("delay_rounding.json")
    path.write_text(json.dumps(data, indent=1))
    print(json.dumps(data, indent=1))
