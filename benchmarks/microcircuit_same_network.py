"""The microcircuit with one network realisation shared by both backends.

benchmarks/microcircuit.py lets each backend draw its own connections from the seed, so its rates
differ by realisation as well as by dynamics. Here numpy draws the connections (fixed total
number with replacement), weights and delays (normal, redrawn outside their bounds, rounded to
the grid) and initial v once per seed into a cache file, and both backends build that same
network with FromListConnector; only the Poisson drive differs. Prints the rates.

Usage: python benchmarks/microcircuit_same_network.py nest|spinnaker2 SCALE SEED DURATION_MS
"""
import json
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # this checkout's package

from common import poisson_drive, setup_options  # noqa: E402
from microcircuit import (DELAY_EXC, DELAY_EXT, DELAY_INH, DELAY_REL_SD, LABELS,  # noqa: E402
                          V0_MEAN, V0_SD, W_REL_SD, cell_type, model_parameters)
backend, scale, seed, T = sys.argv[1], float(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
dt = 0.1
m = model_parameters(scale, "poisson")
cache = Path(tempfile.gettempdir()) / f"microcircuit_same_network_{scale}_{seed}.npz"
if not cache.exists():
    r = np.random.default_rng(seed)
    d = {}
    for i in range(8):
        d[f"v0_{i}"] = r.normal(V0_MEAN[i], V0_SD[i], int(m["n"][i]))
    for j in range(8):
        inh = j % 2 == 1
        md = DELAY_INH if inh else DELAY_EXC
        for i in range(8):
            n = int(m["synapses"][i, j])
            if n == 0:
                continue
            pre = r.integers(0, int(m["n"][j]), n)
            post = r.integers(0, int(m["n"][i]), n)
            w = m["weights"][i, j] / 1000.0
            ww = r.normal(w, abs(w) * W_REL_SD, n)
            while True:
                bad = (ww > 0) if inh else (ww < 0)
                if not bad.any():
                    break
                ww[bad] = r.normal(w, abs(w) * W_REL_SD, bad.sum())
            dd = r.normal(md, md * DELAY_REL_SD, n)
            while True:
                bad = dd < dt
                if not bad.any():
                    break
                dd[bad] = r.normal(md, md * DELAY_REL_SD, bad.sum())
            dd = np.round(dd / dt) * dt        # on the grid, both backends' rule
            d[f"c_{i}_{j}"] = np.column_stack([pre, post, ww, dd])
    np.savez(cache, **d)
net = np.load(cache)
if backend == "nest":
    import pyNN.nest as sim
else:
    import pynn_spinnaker2 as sim
sim.setup(timestep=dt, min_delay=dt, **setup_options(sim))
pops = []
for i, label in enumerate(LABELS):
    pop = sim.Population(int(m["n"][i]), cell_type(sim, m["dc"][i]), label=label)
    pop.initialize(v=net[f"v0_{i}"])
    pop.record("spikes")
    pops.append(pop)
for j in range(8):
    for i in range(8):
        key = f"c_{i}_{j}"
        if key not in net:
            continue
        c = net[key]
        sim.Projection(pops[j], pops[i],
                       sim.FromListConnector(c, column_names=["weight", "delay"]),
                       sim.StaticSynapse(), receptor_type="inhibitory" if j % 2 else "excitatory")
for i, pop in enumerate(pops):
    poisson_drive(sim, pop, float(m["poisson_rate"][i]), m["w_ext"] / 1000.0, DELAY_EXT)
t0 = time.process_time()
sim.run(T)
cpu = time.process_time() - t0
rates = {}
for pop in pops:
    st = pop.get_data().segments[0].spiketrains
    rates[pop.label] = sum(len(s) for s in st) / pop.size / (T / 1000.0)
print("SAMENET", backend, scale, seed, T, json.dumps(rates), f"cpu={cpu:.1f}")
sim.end()
