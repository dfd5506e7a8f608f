"""Record how NEST 3.10 (through pyNN.nest) counts refractory periods off the timestep grid.

Writes ``refractory_rounding.json`` next to this script: for each timestep, the tau_refrac values
asked for and the spike times of a cell driven hard enough to fire on the first step after its
refractory period (NEST rounds a time to its 1 us tic, then up to whole steps).

Run: python tests/golden/make_refractory_rounding_golden.py   (needs nest-simulator 3.10)
"""

from __future__ import annotations

import json
from pathlib import Path

import pyNN.nest as sim

ASKED = {0.1: [0.0, 0.05, 0.1, 0.1499, 0.1505, 2.0, 2.0001, 2.0004, 2.0005, 2.0006, 2.05],
         1.0: [0.1, 1.0, 1.0004, 1.0005, 2.5]}
RUN_MS = 20.0
CELL = dict(i_offset=50.0, v_reset=-65.0, v_thresh=-64.9)


def record(dt: float) -> dict:
    asked = ASKED[dt]
    sim.setup(timestep=dt, min_delay=dt, spike_precision="on_grid")
    cells = sim.Population(len(asked), sim.IF_curr_exp(tau_refrac=asked, **CELL))
    cells.record("spikes")
    sim.run(RUN_MS)
    trains = [[float(t) for t in st.magnitude]
              for st in cells.get_data().segments[0].spiketrains]
    sim.end()
    return {"timestep": dt, "tau_refrac": asked, "spike_times": trains}


if __name__ == "__main__":
    out = {"nest": "3.10", "run_ms": RUN_MS, "cell_params": CELL,
           "cases": [record(dt) for dt in ASKED]}
    (Path(__file__).parent / "refractory_rounding.json").write_text(json.dumps(out, indent=1))
