"""One emulation over K MPI ranks against one process: wall and CPU time, peak memory per
rank, bytes exchanged per tick, and whether the spikes are the same.

Runs ``mpiexec -n K python benchmarks/<model>.py <model arguments>`` for each K (the model
scripts are ordinary PyNN scripts; under mpiexec every rank prints its own BENCH_RESULT line,
with its peak RSS from resource.getrusage and the bytes its exchange sent per tick), and
prints one Markdown table row per K. Needs the [mpi] extra (mpiexec next to the Python).

Usage: python benchmarks/mpi_scaling.py --model microcircuit --ranks 1 2 -- --scale 0.25
       python benchmarks/mpi_scaling.py --model brunel --ranks 1 2 -- --scale 0.5
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
TAG = "BENCH_RESULT "


def run(model: str, k: int, model_args: list[str]) -> list[dict]:
    """Out: every rank's BENCH_RESULT, in rank order."""
    mpiexec = Path(sys.executable).parent / "mpiexec"
    done = subprocess.run([str(mpiexec), "-n", str(k), sys.executable,
                           str(HERE / f"{model}.py"), *model_args],
                          capture_output=True, text=True)
    results = [json.loads(line[len(TAG):]) for line in done.stdout.splitlines()
               if line.startswith(TAG)]
    if done.returncode != 0 or len(results) != k:
        sys.exit(f"K={k} failed ({done.returncode}):\n{done.stdout[-2000:]}\n"
                 f"{done.stderr[-3000:]}")
    return sorted(results, key=lambda r: r.get("mpi_rank", 0))


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--model", default="microcircuit", help="a script in benchmarks/")
    p.add_argument("--ranks", type=int, nargs="+", default=[1, 2])
    p.add_argument("model_args", nargs=argparse.REMAINDER)
    args = p.parse_args()
    model_args = [a for a in args.model_args if a != "--"]
    print("| K | build wall s | run wall s | run CPU s (per rank) | peak RSS MiB (per rank) "
          "| bytes sent per tick (per rank) | spikes |")
    print("|---|---|---|---|---|---|---|")
    reference = None
    for k in args.ranks:
        ranks = run(args.model, k, model_args)
        spikes = ranks[0]["spikes"]
        reference = spikes if reference is None else reference
        same = "same" if spikes == reference and all(r["spikes"] == spikes for r in ranks) \
            else "DIFFERENT"
        per = lambda key, f: " / ".join(f.format(r.get(key, 0)) for r in ranks)  # noqa: E731
        print(f"| {k} | {max(r['build_wall_s'] for r in ranks):.1f} "
              f"| {max(r['run_wall_s'] for r in ranks):.1f} "
              f"| {per('run_cpu_s', '{:.1f}')} | {per('peak_rss_mib', '{:.0f}')} "
              f"| {per('mpi_bytes_sent_per_tick', '{:.0f}')} | {spikes:,} ({same}) |",
              flush=True)


if __name__ == "__main__":
    main()
