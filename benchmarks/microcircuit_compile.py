"""Build and compile time, peak memory and DRAM per synapse of the Potjans-Diesmann microcircuit.

The network of benchmarks/microcircuit.py (--drive dc by default: the 8 populations only) is
built (PyNN populations and projections) and compiled (``sim.get_mapping()``: snapshot, every
compiler stage, tables included), without running it. Each measurement runs in its own process,
so that its peak resident memory is its own; the figures are medians over --repeats processes.
Times are CPU seconds of that process (the machine is shared), wall seconds alongside.

Usage: python benchmarks/microcircuit_compile.py [--scales 0.25 0.5 1.0] [--repeats 3]
       [--drive dc|poisson] [--timestep 0.1] [--seed 4242]
This checkout's package is measured (its root goes first on sys.path).
"""

import argparse
import json
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks")]


def _rss_mib() -> float:
    """Current resident memory of this process, MiB."""
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * resource.getpagesize() / 2**20


def measure_one(scale: float, drive: str, dt: float, seed: int) -> dict:
    """Build and compile once in this process. Out: the figures as a dict."""
    import pynn_spinnaker2 as sim
    from microcircuit import build

    t0 = (time.process_time(), time.perf_counter())
    build(sim, scale, drive, dt, seed)
    t1 = (time.process_time(), time.perf_counter())
    built_rss = _rss_mib()
    mapped = sim.get_mapping()
    t2 = (time.process_time(), time.perf_counter())
    report = mapped.report
    return {"scale": scale, "neurons": report.n_neurons, "synapses": report.n_synapses,
            "build_cpu_s": t1[0] - t0[0], "build_wall_s": t1[1] - t0[1],
            "compile_cpu_s": t2[0] - t1[0], "compile_wall_s": t2[1] - t1[1],
            "dram_bytes": report.dram_bytes_total,
            "bytes_per_synapse": report.dram_bytes_total / max(report.n_synapses, 1),
            "built_rss_mib": built_rss,
            "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "stages_s": dict(report.stage_seconds)}


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--scales", type=float, nargs="+", default=[0.25, 0.5, 1.0])
    p.add_argument("--repeats", type=int, default=3)
    p.add_argument("--drive", choices=("dc", "poisson"), default="dc")
    p.add_argument("--timestep", type=float, default=0.1)
    p.add_argument("--seed", type=int, default=4242)
    p.add_argument("--one", action="store_true", help="measure the first scale once, print JSON")
    args = p.parse_args()
    if args.one:
        print(json.dumps(measure_one(args.scales[0], args.drive, args.timestep, args.seed)))
        return
    print(f"{'scale':>5} {'neurons':>8} {'synapses':>13} {'build s':>8} {'compile s':>9} "
          f"{'wall s':>7} {'B/syn':>6} {'built MiB':>9} {'peak MiB':>9}")
    for scale in args.scales:
        runs = []
        for _ in range(args.repeats):
            out = subprocess.run(
                [sys.executable, __file__, "--one", "--scales", str(scale), "--drive",
                 args.drive, "--timestep", str(args.timestep), "--seed", str(args.seed)],
                check=True, capture_output=True, text=True).stdout
            runs.append(json.loads(out.strip().splitlines()[-1]))
        med = {k: statistics.median(r[k] for r in runs) for k in
               ("build_cpu_s", "compile_cpu_s", "compile_wall_s", "built_rss_mib",
                "peak_rss_mib")}
        last = runs[-1]
        stages = {k: round(statistics.median(r["stages_s"][k] for r in runs), 2)
                  for k in last["stages_s"]}
        print(f"{scale:5.2f} {last['neurons']:8,d} {last['synapses']:13,d} "
              f"{med['build_cpu_s']:8.1f} {med['compile_cpu_s']:9.1f} "
              f"{med['compile_wall_s']:7.1f} {last['bytes_per_synapse']:6.2f} "
              f"{med['built_rss_mib']:9,.0f} {med['peak_rss_mib']:9,.0f}")
        print(f"      compile stages (wall s): {stages}", flush=True)


if __name__ == "__main__":
    main()
