"""Run examples/balanced_network.py on pynn_spinnaker2 and on pyNN.nest, side by side.

Each backend runs in its own process (``--repeats`` times); the script prints the median build
and run() wall times, the median CPU time of run() (the machine may be shared: CPU time is the
steadier figure), the mean rates, and the ratios ours / NEST. The example imports the
pynn_spinnaker2 of this checkout (PYTHONPATH), not whichever one is installed. NEST is skipped
with a note when it is not installed (``pip install nest-simulator``).

Usage: python benchmarks/balanced_vs_nest.py [--repeats 3] [--duration 1000] [--timestep 0.1]
       [--model cuba|coba]
"""

import argparse
import importlib.util
import os
import re
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "balanced_network.py"
PATTERN = re.compile(r"build ([0-9.]+) s, run ([0-9.]+) s, run CPU ([0-9.]+) s")
RATE = re.compile(r"(\w+): \d+ neurons, mean rate ([0-9.]+) Hz")


def measure(backend: str, args) -> dict:
    builds, runs, cpus, rates = [], [], [], {}
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(
        [str(ROOT)] + [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]))
    for i in range(args.repeats):
        out = subprocess.run(
            [sys.executable, str(EXAMPLE), "--backend", backend, "--duration", str(args.duration),
             "--timestep", str(args.timestep), "--model", args.model,
             "--output", f"/tmp/balanced_{backend}.pkl"],
            capture_output=True, text=True, check=True, env=env).stdout
        build, run, cpu = map(float, PATTERN.search(out).groups())
        builds.append(build)
        runs.append(run)
        cpus.append(cpu)
        rates = {name: float(rate) for name, rate in RATE.findall(out)}
    return {"build": statistics.median(builds), "run": statistics.median(runs),
            "cpu": statistics.median(cpus), "rates": rates}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--duration", type=float, default=1000.0)
    parser.add_argument("--timestep", type=float, default=0.1)
    parser.add_argument("--model", choices=("cuba", "coba"), default="cuba")
    args = parser.parse_args()
    results = {"spinnaker2": measure("spinnaker2", args)}
    if importlib.util.find_spec("nest") is not None:
        results["nest"] = measure("nest", args)
    else:
        print("pyNN.nest not available: install nest-simulator for the comparison")
    for name, r in results.items():
        rates = ", ".join(f"{k} {v:.2f} Hz" for k, v in r["rates"].items())
        print(f"{name:>11}: build {r['build']:.2f} s, run {r['run']:.2f} s wall, "
              f"{r['cpu']:.2f} s CPU (medians of {args.repeats}); {rates}")
    if "nest" in results:
        ours, nest = results["spinnaker2"], results["nest"]
        print(f"ratio ours/NEST: build {ours['build'] / nest['build']:.2f}, "
              f"run {ours['run'] / nest['run']:.2f} wall, {ours['cpu'] / nest['cpu']:.2f} CPU; "
              "rates "
              + ", ".join(f"{k} {ours['rates'][k] / nest['rates'][k]:.3f}"
                          for k in ours["rates"]))


if __name__ == "__main__":
    main()
