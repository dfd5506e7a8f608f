"""Run sPyNNaker's public example scripts, unchanged, through ``python -m pynn_spinnaker2``.

The examples are SpiNNakerManchester/PyNNExamples. Without --examples the GitHub archive of its
default branch is downloaded once into a cache (--cache, default
~/.cache/pynn_spinnaker2/PyNNExamples) and extracted there; --examples PATH uses a copy that is
already on disk and downloads nothing.

Which files are scripts (the rule, applied by ``discover``): every ``*.py`` file of the
repository that
  - is not an ``__init__.py`` and does not lie under ``integration_tests/`` or ``unittests/``
    (sPyNNaker's own test machinery),
  - imports PyNN or sPyNNaker (``pyNN`` / ``spynnaker`` in an import statement), and
  - starts a simulation (calls ``run(``, ``run_until(``, ``run_forever(`` or
    ``run_until_closed(``).
That leaves out the helper modules (``sudoku/utils.py``), the Tk window that ``sudoku_main.py``
starts as a subprocess (``sudoku/set_numbers.py``) and the machine-boot tool
(``spiNNaker_start``); on the snapshot of 2025 it selects 69 scripts.

Each script runs in its own process, in its own directory (scripts read and write files next
to themselves), with the repository root on PYTHONPATH (``from sudoku.utils import ...``),
headless matplotlib (MPLBACKEND=Agg) and a timeout (--timeout, 300 s). Scripts run unchanged;
nothing is shortened. The table gives each script's status (finished, failed, timeout), its
time and the first line of its error (the exception line of the traceback), then the count.

Usage: python benchmarks/spinnaker1_examples.py [--examples PATH] [--cache DIR]
       [--timeout 300] [--only SUBSTRING ...] [--list] [--json OUT.json] [--docs]
"""

from __future__ import annotations

import argparse
import io
import json
import os
import re
import subprocess
import sys
import time
import urllib.request
import zipfile
from pathlib import Path

ARCHIVE = "https://github.com/SpiNNakerManchester/PyNNExamples/archive/refs/heads/master.zip"
ROOT = Path(__file__).resolve().parents[1]
EXCLUDED_DIRS = ("integration_tests", "unittests")
IMPORTS = re.compile(r"^\s*(import|from)\s+(pyNN|spynnaker)\b", re.M)
RUNS = re.compile(r"\b(run|run_until|run_forever|run_until_closed)\(")
BEGIN, END = "<!-- spinnaker1_examples:begin -->", "<!-- spinnaker1_examples:end -->"
ERROR_LINE = re.compile(r"^([A-Za-z_][\w.]*(Error|Exception|Exit|Interrupt|Warning)\b.*)$")


def fetch_examples(cache: Path) -> Path:
    """The extracted examples repository under ``cache``, downloading the archive once.

    Out: the repository's root directory. Raises: OSError / URLError when offline and nothing
    is cached yet.
    """
    cache.mkdir(parents=True, exist_ok=True)
    found = sorted(p for p in cache.iterdir() if p.is_dir() and (p / "examples").is_dir())
    if found:
        return found[0]
    with urllib.request.urlopen(ARCHIVE, timeout=120) as response:
        data = response.read()
    zipfile.ZipFile(io.BytesIO(data)).extractall(cache)
    return sorted(p for p in cache.iterdir() if p.is_dir() and (p / "examples").is_dir())[0]


def discover(repository: Path) -> list[Path]:
    """The runnable scripts of the repository, by the rule in the module docstring, sorted.
    Out: paths relative to ``repository``."""
    scripts = []
    for path in sorted(repository.rglob("*.py")):
        relative = path.relative_to(repository)
        if path.name == "__init__.py" or relative.parts[0] in EXCLUDED_DIRS:
            continue
        text = path.read_text(errors="replace")
        if IMPORTS.search(text) and RUNS.search(text):
            scripts.append(relative)
    return scripts


def first_error(stderr: str) -> str:
    """The exception line of the last traceback in ``stderr`` (else its last line)."""
    lines = [line.rstrip() for line in stderr.splitlines() if line.strip()]
    if "Traceback (most recent call last):" in stderr:
        tail = lines[max(i for i, line in enumerate(lines)
                         if line.startswith("Traceback")):]
        for line in tail[1:]:
            if ERROR_LINE.match(line):
                return line
    return lines[-1] if lines else ""


def run_one(repository: Path, script: Path, timeout: float) -> dict:
    """Run one script through the runner. Out: {script, status, seconds, error}."""
    env = {**os.environ, "MPLBACKEND": "Agg",
           "PYTHONPATH": os.pathsep.join([str(repository), str(ROOT),
                                          os.environ.get("PYTHONPATH", "")])}
    start = time.perf_counter()
    try:
        done = subprocess.run([sys.executable, "-m", "pynn_spinnaker2", script.name],
                              cwd=repository / script.parent, env=env, capture_output=True,
                              text=True, timeout=timeout, stdin=subprocess.DEVNULL)
        status = "finished" if done.returncode == 0 else "failed"
        error = "" if status == "finished" else first_error(done.stderr)
    except subprocess.TimeoutExpired:
        status, error = "timeout", f"no end within {timeout:g} s"
    return {"script": str(script), "status": status,
            "seconds": round(time.perf_counter() - start, 1), "error": error}


# (pattern in the first error line, what the script needs) for the summary by cause
CAUSES = (
    (r"RefusedDeviceError: (Splitter|SplitterOneToOne)", "partitioner splitters (refused)"),
    (r"RefusedDeviceError: (Convolution|PoolDense)", "local-only convolution (refused)"),
    (r"RefusedDeviceError", "robot / FPGA device (refused)"),
    (r"(RandomSelection|StructuralMechanism|LastNeuronSelection|DistanceDependentFormation|"
     r"RandomByWeightElimination)", "structural plasticity"),
    (r"(SpikeInjector|LiveSpikesConnection|activate_live_output|PoisonControl|"
     r"PoissonControl|run_forever|request_stop|live_rate)", "live I/O"),
    (r"(Vogels2011Rule|PfisterSpikeTriplet|RecurrentRule|Neuromodulation|"
     r"WeightDependenceAdditiveTriplet)", "STDP rules"),
    (r"extra_models' has no attribute", "extra neuron models"),
    (r"Receiver returned unknown output|visualiser", "external visualiser program"),
    (r"no end within", "timeout"),
)


def cause(result: dict) -> str:
    """What stopped a script, from its first error line (CAUSES), or "other"."""
    if result["status"] == "finished":
        return ""
    for pattern, name in CAUSES:
        if re.search(pattern, result["error"]):
            return name
    return "other"


def table(results: list[dict]) -> str:
    """The results as a Markdown table, the count of finished scripts and the count of the
    others by cause."""
    rows = ["| script | status | s | cause | first error line |", "|---|---|---|---|---|"]
    for r in results:
        error = r["error"].replace("|", "\\|")[:140]
        rows.append(f"| {r['script']} | {r['status']} | {r['seconds']} | {cause(r)} | "
                    f"{error} |")
    done = sum(r["status"] == "finished" for r in results)
    rows.append(f"\n**{done} of {len(results)} scripts finished.**")
    causes: dict[str, int] = {}
    for r in results:
        if r["status"] != "finished":
            causes[cause(r)] = causes.get(cause(r), 0) + 1
    if causes:
        rows.append("\nThe others, by cause: " + ", ".join(
            f"{name} {n}" for name, n in sorted(causes.items(), key=lambda c: -c[1])) + ".")
    return "\n".join(rows)


def write_docs(text: str) -> None:
    """Put ``text`` between the markers of docs/spinnaker1-users.md."""
    path = ROOT / "docs" / "spinnaker1-users.md"
    page = path.read_text()
    head, rest = page.split(BEGIN, 1)
    path.write_text(f"{head}{BEGIN}\n{text}\n{END}{rest.split(END, 1)[1]}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--examples", type=Path, help="an extracted PyNNExamples checkout")
    parser.add_argument("--cache", type=Path,
                        default=Path.home() / ".cache" / "pynn_spinnaker2" / "PyNNExamples")
    parser.add_argument("--timeout", type=float, default=300.0)
    parser.add_argument("--only", nargs="*", help="run only scripts whose path contains these")
    parser.add_argument("--list", action="store_true", help="list the scripts and stop")
    parser.add_argument("--json", type=Path, help="also write the results as JSON here")
    parser.add_argument("--docs", action="store_true",
                        help="also write the table into docs/spinnaker1-users.md")
    args = parser.parse_args(argv)
    repository = args.examples or fetch_examples(args.cache)
    scripts = discover(repository)
    if args.list:
        print("\n".join(map(str, scripts)) + f"\n{len(scripts)} scripts")
        return 0
    if args.only:
        scripts = [s for s in scripts if any(o in str(s) for o in args.only)]
    results = []
    for script in scripts:
        results.append(run_one(repository, script, args.timeout))
        r = results[-1]
        print(f"{r['status']:9s} {r['seconds']:7.1f} s  {r['script']}  {r['error'][:120]}",
              file=sys.stderr, flush=True)
    print(table(results))
    if args.docs:
        write_docs(table(results))
    if args.json:
        args.json.write_text(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
