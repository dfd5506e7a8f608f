"""Run the example scripts on pynn_spinnaker2 and on pyNN.nest and compare their firing.

For each example the same script runs once per backend (in its own process); the script prints
rates or spike counts, which are compared as ratios ours / NEST. The random balanced networks run
with several seeds and their rates are averaged: one network realisation can sit a few percent
away from the mean, and pyNN.nest draws its connectivity with NEST's own generator, so the two
backends never build the same realisation. NEST is needed (pip install nest-simulator).

Usage: python benchmarks/compare_examples.py [--duration 1000] [--seeds 3]
"""

import argparse
import re
import subprocess
import sys
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
RATE = re.compile(r"^\s*([\w -]+?): \d+ neurons, mean rate ([0-9.]+) Hz", re.M)
COUNT = re.compile(r"^\s*([\w -]+?):\s+(\d+) spikes", re.M)


def run(script: str, backend: str, *extra: str) -> dict[str, float]:
    out = subprocess.run([sys.executable, str(EXAMPLES / script), "--backend", backend, *extra],
                         capture_output=True, text=True, check=True).stdout
    found = RATE.findall(out) or COUNT.findall(out)
    return {name.strip(): float(value) for name, value in found}


def run_seeds(script: str, backend: str, seeds: int, *extra: str) -> dict[str, float]:
    """Mean over seeds 1..seeds of what the script prints."""
    runs = [run(script, backend, *extra, "--seed", str(seed)) for seed in range(1, seeds + 1)]
    return {name: sum(r[name] for r in runs) / len(runs) for name in runs[0]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", default="1000")
    parser.add_argument("--seeds", type=int, default=3)
    args = parser.parse_args()
    cases = [("balanced CUBA", "balanced_network.py", args.seeds,
              ("--duration", args.duration, "--output", "/tmp/cmp_cuba.pkl")),
             ("balanced COBA", "balanced_network.py", args.seeds,
              ("--model", "coba", "--duration", args.duration, "--output", "/tmp/cmp_coba.pkl")),
             ("current injection", "current_injection.py", 0, ()),
             ("Izhikevich", "izhikevich_demo.py", 0, ())]
    print(f"{'example':<18} {'quantity':<24} {'ours':>9} {'NEST':>9} {'ratio':>7}")
    for title, script, seeds, extra in cases:
        if seeds:
            ours = run_seeds(script, "spinnaker2", seeds, *extra)
            nest = run_seeds(script, "nest", seeds, *extra)
        else:
            ours, nest = run(script, "spinnaker2", *extra), run(script, "nest", *extra)
        for name in ours:
            ratio = ours[name] / nest[name] if nest.get(name) else float("nan")
            print(f"{title:<18} {name:<24} {ours[name]:9.2f} {nest.get(name, 0):9.2f} "
                  f"{ratio:7.3f}")


if __name__ == "__main__":
    main()
