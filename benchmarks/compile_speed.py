"""Compile time and memory of the mapping compiler against network size.

Networks: N Poisson sources -> N IF_curr_exp neurons, FixedProbabilityConnector(0.1), so about
0.1 N^2 synapses. For each N, the connector build and the compile (`sim.get_mapping()`, tables
included) are timed (median of --repeats) on one core, with synapses per second, DRAM bytes per
synapse and the process's peak resident memory.

Usage: python benchmarks/compile_speed.py [--sizes 2500 5000 7500 10000] [--repeats 3]
"""

import argparse
import resource
import statistics
import time

import pynn_spinnaker2 as sim


def measure(n: int) -> tuple[float, float, int, float]:
    sim.setup(timestep=1.0, hardware_summary=False)
    src = sim.Population(n, sim.SpikeSourcePoisson(rate=5.0), label="sources")
    dst = sim.Population(n, sim.IF_curr_exp(), label="neurons")
    start = time.process_time()
    sim.Projection(src, dst, sim.FixedProbabilityConnector(0.1, rng=sim.NumpyRNG(1)),
                   sim.StaticSynapse(weight=0.5, delay=2.0))
    built = time.process_time()
    mapped = sim.get_mapping()
    compiled = time.process_time()
    report = mapped.report
    sim.end()
    return built - start, compiled - built, report.n_synapses, (
        report.dram_bytes_total / max(report.n_synapses, 1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[2500, 5000, 7500, 10000])
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    print(f"{'N':>7} {'synapses':>11} {'build s':>8} {'compile s':>10} {'Msyn/s':>8} "
          f"{'B/syn':>6} {'peak MiB':>9}")
    for n in args.sizes:
        runs = [measure(n) for _ in range(args.repeats)]
        build = statistics.median(r[0] for r in runs)
        compile_s = statistics.median(r[1] for r in runs)
        synapses, per_syn = runs[-1][2], runs[-1][3]
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"{n:7d} {synapses:11,d} {build:8.2f} {compile_s:10.2f} "
              f"{synapses / compile_s / 1e6:8.2f} {per_syn:6.2f} {peak:9.0f}")


if __name__ == "__main__":
    main()
