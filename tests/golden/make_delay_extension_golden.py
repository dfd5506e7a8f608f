"""Record golden spike times for long synaptic delays from NEST via pyNN.nest.

One SpikeSourceArray neuron (spikes at 1, 15 and 40 ms) drives six IF_curr_exp cells (NEST
``iaf_psc_exp``, PyNN's default parameters) with weight 5 nA, one cell per delay: 1, 6.4, 6.5,
12.8, 20 and 100 ms, at timestep 0.1 ms (1, 64, 65, 128, 200 and 1000 ticks). Each input spike
makes its cell fire once, a few steps after it arrives. The script writes the cells' spike times
to ``delay_extension.json`` next to this script; pynn_spinnaker2 must give the same times (its
delays above 64 ticks go through delay-extension PEs).

How it was run (from the repository root, with PyNN 0.13.0, NEST 3.10.0)::

    /work/venv/bin/python tests/golden/make_delay_extension_golden.py
"""

import json
import warnings
from pathlib import Path

import numpy as np
import pyNN.nest as sim

warnings.filterwarnings("ignore", category=UserWarning, module=r"nest\.")

TIMESTEP = 0.1
DELAYS = [1.0, 6.4, 6.5, 12.8, 20.0, 100.0]
SPIKE_TIMES = [1.0, 15.0, 40.0]
WEIGHT = 5.0
RUN_MS = 200.0


def main() -> None:
    sim.setup(timestep=TIMESTEP, min_delay=TIMESTEP, max_delay=max(DELAYS),
              spike_precision="on_grid")
    source = sim.Population(1, sim.SpikeSourceArray(spike_times=SPIKE_TIMES))
    cells = sim.Population(len(DELAYS), sim.IF_curr_exp())
    sim.Projection(source, cells, sim.FromListConnector(
        [(0, i, WEIGHT, d) for i, d in enumerate(DELAYS)]), sim.StaticSynapse())
    cells.record("spikes")
    sim.run(RUN_MS)
    trains = cells.get_data().segments[0].spiketrains
    spikes = [np.round(np.asarray(t.times), 6).tolist() for t in trains]
    sim.end()
    out = {"timestep": TIMESTEP, "delays": DELAYS, "spike_times": SPIKE_TIMES,
           "weight": WEIGHT, "run_ms": RUN_MS, "cell_spikes": spikes}
    path = Path(__file__).parent / "delay_extension.json"
    path.write_text(json.dumps(out, indent=1))
    print(path, spikes)


if __name__ == "__main__":
    main()
