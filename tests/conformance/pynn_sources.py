"""PyNN 0.13.0's own system scenarios, fetched from the package index into a cache.

None of PyNN's code is committed: its source distribution is downloaded once (``pip download``)
into ``$PYNN_SPINNAKER2_CACHE`` (default ``~/.cache/pynn_spinnaker2``) and its
``test/system/scenarios/`` unpacked there as the package ``pynn_scenarios``.
"""

from __future__ import annotations

import importlib
import os
import pkgutil
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

PYNN_VERSION = "0.13.0"
# multicompartment (needs morphio and a multicompartment backend): out of scope
OUT_OF_SCOPE = {"test_scenario5"}


def cache_dir() -> Path:
    return Path(os.environ.get("PYNN_SPINNAKER2_CACHE",
                               Path.home() / ".cache" / "pynn_spinnaker2"))


def scenarios_root() -> Path:
    """The folder holding the ``pynn_scenarios`` package, downloading PyNN's sdist if needed.

    Raises: RuntimeError when the source distribution cannot be downloaded or unpacked.
    """
    root = cache_dir() / f"pynn-{PYNN_VERSION}-scenarios"
    if (root / "pynn_scenarios" / "fixtures.py").exists():
        return root
    download = cache_dir() / "sdist"
    download.mkdir(parents=True, exist_ok=True)
    archives = list(download.glob(f"*nn-{PYNN_VERSION}.tar.gz"))
    if not archives:
        result = subprocess.run(
            [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--no-binary",
             ":all:", f"pyNN=={PYNN_VERSION}", "-d", str(download)],
            capture_output=True, text=True)
        archives = list(download.glob(f"*nn-{PYNN_VERSION}.tar.gz"))
        if not archives:
            raise RuntimeError(f"could not download PyNN {PYNN_VERSION}'s source distribution:"
                               f"\n{result.stderr}")
    staging = cache_dir() / f"pynn-{PYNN_VERSION}-staging"
    shutil.rmtree(staging, ignore_errors=True)
    with tarfile.open(archives[0]) as archive:
        members = [m for m in archive.getmembers() if "/test/system/scenarios/" in m.name]
        archive.extractall(staging, members=members, filter="data")
    (source,) = staging.glob("*/test/system/scenarios")
    root.mkdir(parents=True, exist_ok=True)
    shutil.rmtree(root / "pynn_scenarios", ignore_errors=True)
    shutil.move(str(source), root / "pynn_scenarios")
    shutil.rmtree(staging, ignore_errors=True)
    return root


def scenario_functions() -> dict[str, object]:
    """Every point-neuron scenario: {"module::function": function}, for the scenarios that
    PyNN runs against a list of simulators (``run_with_simulators``)."""
    root = str(scenarios_root())
    if root not in sys.path:
        sys.path.insert(0, root)
    package = importlib.import_module("pynn_scenarios")
    found = {}
    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda m: m.name):
        if not info.name.startswith("test"):
            continue
        module = importlib.import_module(f"pynn_scenarios.{info.name}")
        for name, function in vars(module).items():
            marks = getattr(function, "pytestmark", [])
            if (name.startswith("test") and callable(function) and name not in OUT_OF_SCOPE
                    and any(m.name == "parametrize" and m.args[0] == "sim" for m in marks)):
                found[f"{info.name}::{name}"] = function
    return found
