"""The README's main example runs as a newcomer runs it, with and without the [plots] extra.

examples/balanced_network.py (small: --scale 0.1, 50 ms) must finish, write the Neo file and
the hardware report JSON, and write the plots only when matplotlib can be imported; without it
(an install of ".[mpi]" alone, say) it must still finish and say how to get the plots.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "balanced_network.py"
# runs the example as __main__, with matplotlib made unimportable when asked
RUNNER = ("import runpy, sys\n"
          "if sys.argv.pop(1) == 'no-matplotlib':\n"
          "    sys.modules['matplotlib'] = None\n"
          "sys.argv[0] = sys.argv[1]; del sys.argv[1]\n"
          "runpy.run_path(sys.argv[0], run_name='__main__')\n")


def _run(tmp_path: Path, mode: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    for variable in ("PMI_SIZE", "PMI_RANK", "OMPI_COMM_WORLD_SIZE", "PMIX_RANK"):
        env.pop(variable, None)
    return subprocess.run(
        [sys.executable, "-c", RUNNER, mode, str(EXAMPLE), "--scale", "0.1", "--duration", "50",
         "--output", str(tmp_path / "balanced.pkl")],
        env=env, capture_output=True, text=True, timeout=300, cwd=tmp_path)


def test_the_main_example_writes_its_data_report_and_plots(tmp_path):
    pytest.importorskip("matplotlib")
    done = _run(tmp_path, "as-installed")
    assert done.returncode == 0, done.stderr[-3000:]
    assert (tmp_path / "balanced.pkl").stat().st_size > 0
    report = json.loads((tmp_path / "hardware" / "report.json").read_text())
    assert report
    assert list((tmp_path / "hardware").glob("*.png"))
    assert "mean rate" in done.stdout


def test_the_main_example_runs_without_matplotlib(tmp_path):
    done = _run(tmp_path, "no-matplotlib")
    assert done.returncode == 0, done.stderr[-3000:]
    assert (tmp_path / "balanced.pkl").stat().st_size > 0
    assert (tmp_path / "hardware" / "report.json").exists()
    assert not list((tmp_path / "hardware").glob("*.png"))
    assert "no plots" in done.stdout and "[plots]" in done.stdout
