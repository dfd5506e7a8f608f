"""Open-loop fidelity check, the same script on both backends.

2,000 IF_curr_exp neurons with the microcircuit's parameters, each driven one-to-one by its own
excitatory (delay 1.5 ms) and inhibitory (delay 0.8 ms) SpikeSourcePoisson, no recurrence; prints
the mean rate and its standard error.

Usage: python benchmarks/open_loop.py nest|spinnaker2 RATE_E W_E RATE_I W_I [SEED] [T_MS]
(rates in Hz, weights in nA), e.g. ``spinnaker2 20000 0.0878 3000 -0.3512 1 10000``.
"""
import sys
import time

import numpy as np
backend, re_, we, ri, wi = sys.argv[1], *map(float, sys.argv[2:6])
seed = int(sys.argv[6]) if len(sys.argv) > 6 else 1
T = float(sys.argv[7]) if len(sys.argv) > 7 else 10000.0
N = 2000
if backend == "nest":
    import pyNN.nest as sim
    sim.setup(timestep=0.1, min_delay=0.1, spike_precision="on_grid", rng_seed=seed)
else:
    import pynn_spinnaker2 as sim
    sim.setup(timestep=0.1, min_delay=0.1, rng_seed=seed, hardware_summary=False)
cell = sim.IF_curr_exp(cm=0.25, tau_m=10.0, tau_syn_E=0.5, tau_syn_I=0.5, v_rest=-65.0,
                       v_reset=-65.0, v_thresh=-50.0, tau_refrac=2.0, i_offset=0.0)
post = sim.Population(N, cell, initial_values={"v": -65.0})
pe = sim.Population(N, sim.SpikeSourcePoisson(rate=re_))
sim.Projection(pe, post, sim.OneToOneConnector(), sim.StaticSynapse(weight=we, delay=1.5),
               receptor_type="excitatory")
if ri > 0:
    pi = sim.Population(N, sim.SpikeSourcePoisson(rate=ri))
    sim.Projection(pi, post, sim.OneToOneConnector(), sim.StaticSynapse(weight=wi, delay=0.8),
                   receptor_type="inhibitory")
post.record("spikes")
t0 = time.process_time()
sim.run(T)
cpu = time.process_time() - t0
st = post.get_data().segments[0].spiketrains
counts = np.array([len(s) for s in st])
rates = counts / (T / 1000.0)
print(f"RESULT {backend} re={re_} we={we} ri={ri} wi={wi} seed={seed} T={T} "
      f"mean={rates.mean():.4f} sem={rates.std(ddof=1)/np.sqrt(N):.4f} cpu={cpu:.1f}")
sim.end()
