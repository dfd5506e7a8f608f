"""Run each of PyNN 0.13.0's point-neuron scenarios in a Python process of its own.

Usage: python -m tests.conformance.run_isolated [--jobs N]
Exit status 0 when every scenario passes; the failures are printed otherwise.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor

from .pynn_sources import scenario_functions

ONE = """
import sys, warnings
warnings.simplefilter("ignore")
sys.path.insert(0, {root!r})
import importlib
import pynn_spinnaker2 as sim
module = importlib.import_module("pynn_scenarios." + {module!r})
try:
    getattr(module, {function!r})(sim)
finally:
    sim.end()
"""


def run_one(name: str, root: str) -> tuple[str, int, str, float]:
    module, function = name.split("::")
    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as folder:
        result = subprocess.run(
            [sys.executable, "-c", ONE.format(root=root, module=module, function=function)],
            capture_output=True, text=True, cwd=folder)
    return name, result.returncode, result.stderr[-3000:], time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    from .pynn_sources import scenarios_root
    root = str(scenarios_root())
    names = sorted(scenario_functions())
    with ThreadPoolExecutor(args.jobs) as pool:
        results = list(pool.map(lambda n: run_one(n, root), names))
    failed = [r for r in results if r[1] != 0]
    for name, code, stderr, seconds in results:
        print(f"{'PASS' if code == 0 else 'FAIL'} {seconds:6.1f} s  {name}")
    for name, _, stderr, _ in failed:
        print(f"\n==== {name} ====\n{stderr}")
    print(f"{len(results) - len(failed)} of {len(results)} PyNN scenarios pass, one process each")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
