"""A balanced network of excitatory and inhibitory neurons (Vogels & Abbott 2005).

3,200 excitatory and 800 inhibitory neurons, 2% random connectivity, driven by Poisson sources:
current-based IF_curr_exp cells (--model cuba, the default) or conductance-based IF_cond_exp
cells (--model coba). Runs on pynn_spinnaker2 by default; ``--backend nest`` runs the same
script on pyNN.nest for comparison. Writes the recorded data to a Neo file, prints the mapping
report and, at end(), the hardware report (cycles, deadlines, traffic, energy), and writes the
hardware report as JSON and, with the [plots] extra (matplotlib), its plots next to the Neo
file.

Usage: python examples/balanced_network.py [--backend spinnaker2|nest] [--duration 1000]
       [--timestep 0.1] [--output results/balanced.pkl] [--pes-per-chip N] [--model coba]
       With the [mpi] extra, ``mpiexec -n 2 python examples/balanced_network.py`` splits the
       emulation over two processes (the same spikes; docs/mpi.md).
"""

import argparse
import importlib
import time
from pathlib import Path

import numpy as np

BACKENDS = {"spinnaker2": "pynn_spinnaker2", "nest": "pyNN.nest"}


def build(sim, timestep, scale=1.0, seed=4242, model="cuba", **spinnaker2_options):
    """Create the network; return its populations. spinnaker2_options go to setup() on
    pynn_spinnaker2 (for example usable_pes_per_chip=4 to spread the network over chips)."""
    extra = ({"spike_precision": "on_grid"} if sim.__name__ == "pyNN.nest"
             else spinnaker2_options)
    sim.setup(timestep=timestep, min_delay=timestep, **extra)
    n_exc, n_inh = int(3200 * scale), int(800 * scale)
    rng = sim.NumpyRNG(seed=seed)
    common = dict(tau_m=20.0, cm=0.2, v_reset=-60.0, v_thresh=-50.0, tau_refrac=5.0,
                  tau_syn_E=5.0, tau_syn_I=10.0)
    if model == "cuba":
        cell = sim.IF_curr_exp(v_rest=-49.0, **common)
        w_exc, w_inh, w_drive = 0.0162, -0.09, 0.05   # nA: 0.27 and 4.5 nS at 60 and 20 mV
    else:
        cell = sim.IF_cond_exp(v_rest=-60.0, e_rev_E=0.0, e_rev_I=-80.0, **common)
        w_exc, w_inh, w_drive = 0.004, 0.051, 0.006     # uS: Vogels & Abbott's 4 and 51 nS
    exc = sim.Population(n_exc, cell, label="excitatory")
    inh = sim.Population(n_inh, cell, label="inhibitory")
    for pop in (exc, inh):
        pop.initialize(v=sim.RandomDistribution("uniform", (-60.0, -50.0), rng=rng))
    drive = sim.Population(200, sim.SpikeSourcePoisson(rate=20.0), label="drive")

    connect = sim.FixedProbabilityConnector(0.02, rng=rng)
    delay = max(timestep, 0.2)
    for target in (exc, inh):
        sim.Projection(exc, target, connect, sim.StaticSynapse(weight=w_exc, delay=delay),
                       receptor_type="excitatory", label=f"exc->{target.label[:3]}")
        sim.Projection(inh, target, connect, sim.StaticSynapse(weight=w_inh, delay=delay),
                       receptor_type="inhibitory", label=f"inh->{target.label[:3]}")
        sim.Projection(drive, target, sim.FixedProbabilityConnector(0.05, rng=rng),
                       sim.StaticSynapse(weight=w_drive, delay=delay),
                       receptor_type="excitatory", label=f"drive->{target.label[:3]}")
    exc.record("spikes")
    inh.record("spikes")
    exc[:20].record("v")
    return exc, inh


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=sorted(BACKENDS), default="spinnaker2")
    parser.add_argument("--duration", type=float, default=1000.0, help="ms of biological time")
    parser.add_argument("--timestep", type=float, default=0.1, help="ms")
    parser.add_argument("--scale", type=float, default=1.0, help="network size factor")
    parser.add_argument("--model", choices=("cuba", "coba"), default="cuba",
                        help="current- or conductance-based synapses")
    parser.add_argument("--seed", type=int, default=4242, help="seed of the network's RNG")
    parser.add_argument("--output", default="results/balanced.pkl", help="Neo file to write")
    parser.add_argument("--pes-per-chip", type=int, default=None,
                        help="spinnaker2 only: application PEs per chip (fewer spreads the "
                             "network over more chips and links)")
    args = parser.parse_args()

    sim = importlib.import_module(BACKENDS[args.backend])
    start = time.perf_counter()
    options = {} if args.pes_per_chip is None else {"usable_pes_per_chip": args.pes_per_chip}
    exc, inh = build(sim, args.timestep, args.scale, seed=args.seed, model=args.model,
                     **(options if args.backend == "spinnaker2" else {}))
    built = time.perf_counter()
    cpu = time.process_time()
    sim.run(args.duration)
    ran = time.perf_counter()
    cpu = time.process_time() - cpu

    if sim.rank() != 0:     # under mpiexec -n K every rank has all the data; rank 0 reports
        sim.end()
        return
    for pop in (exc, inh):
        counts = pop.get_spike_counts()
        rate = np.mean(list(counts.values())) / args.duration * 1000.0
        print(f"{pop.label:>12}: {pop.size} neurons, mean rate {rate:.2f} Hz")
    print(f"build {built - start:.2f} s, run {ran - built:.2f} s, run CPU {cpu:.2f} s "
          f"({args.duration:g} ms at dt {args.timestep:g} ms, backend {args.backend})")

    output = Path(args.output)
    output.parent.mkdir(parents=True, exist_ok=True)
    exc.write_data(str(output))
    print(f"wrote {output}")
    if args.backend == "spinnaker2":
        print(sim.get_mapping().report)
        hardware = output.parent / "hardware"
        sim.get_hardware_report().save_json(hardware / "report.json")
        try:
            plots = sim.save_hardware_plots(hardware)
            print(f"wrote {hardware / 'report.json'} and {len(plots)} plots in {hardware}")
        except ImportError as err:      # matplotlib comes with the optional [plots] extra
            print(f"wrote {hardware / 'report.json'}; no plots ({err})")
    sim.end()


if __name__ == "__main__":
    main()
