"""``python -m pynn_spinnaker2 SCRIPT.py``: small scripts written here, run in a subprocess."""

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def run(tmp_path, source: str, options=(), args=(), runner=("-m", "pynn_spinnaker2")):
    """Write ``source`` as a script and run ``runner [options] script [args]``.
    Out: the CompletedProcess."""
    script = tmp_path / "script.py"
    script.write_text(textwrap.dedent(source))
    env = {**os.environ, "PYTHONPATH": str(ROOT), "MPLBACKEND": "Agg"}
    return subprocess.run([sys.executable, *runner, *options, str(script), *args],
                          capture_output=True, text=True, env=env, cwd=tmp_path, timeout=300)


SPYNNAKER_SCRIPT = """
    import sys
    import pyNN.spiNNaker as p
    import pynn_spinnaker2
    from pynn_spinnaker2.spinnaker1 import mode
    p.setup(timestep=1.0)
    src = p.Population(1, p.SpikeSourceArray(spike_times=[2.0]))
    cells = p.Population(2, p.IF_curr_exp())
    cells.record("spikes")
    p.Projection(src, cells, p.AllToAllConnector(), p.StaticSynapse(weight=5.0, delay=1.0))
    p.run(20)
    n = sum(len(t) for t in cells.get_data().segments[0].spiketrains)
    print("same-module", p is pynn_spinnaker2, "mode", mode.active(), "spikes", n,
          "argv", sys.argv[1:], "main", __name__)
    p.end()
"""


def test_spynnaker_script_runs_as_main_with_its_arguments(tmp_path):
    done = run(tmp_path, SPYNNAKER_SCRIPT, args=("a", "--flag"))
    assert done.returncode == 0, done.stderr
    assert "same-module True mode True spikes 2 argv ['a', '--flag'] main __main__" \
        in done.stdout


@pytest.mark.parametrize("backend, spynnaker_mode", [("spinnaker2", False),
                                                     ("spiNNaker", True)])
def test_get_simulator_scripts_choose_the_backend_by_name(tmp_path, backend, spynnaker_mode):
    done = run(tmp_path, """
        from pyNN.utility import get_simulator
        from pynn_spinnaker2.spinnaker1 import mode
        sim, options = get_simulator(("--n", "neurons", {"type": int}))
        sim.setup(timestep=0.1)
        cells = sim.Population(options.n, sim.IF_cond_exp())
        sim.run(1.0)
        print("backend", sim.__name__, "mode", mode.active(), "size", cells.size)
        sim.end()
    """, args=(backend, "--n", "3"))
    assert done.returncode == 0, done.stderr
    assert f"backend pynn_spinnaker2 mode {spynnaker_mode} size 3" in done.stdout


def test_report_and_plots_after_the_script(tmp_path):
    pytest.importorskip("matplotlib")                    # --plots needs the [plots] extra
    plots = tmp_path / "plots"
    done = run(tmp_path, SPYNNAKER_SCRIPT.replace("p.setup(timestep=1.0)",
                                                  "p.setup(timestep=1.0, hardware_summary=False)"),
               options=("--report", "--plots", str(plots)))
    assert done.returncode == 0, done.stderr
    assert "SpiNNaker2 hardware report" in done.stdout
    written = sorted(p.name for p in plots.glob("*.png"))
    assert written and all(f"wrote {plots / name}" in done.stdout for name in written)


def test_report_without_a_run_says_so(tmp_path):
    done = run(tmp_path, "print('nothing simulated')\n", options=("--report",))
    assert done.returncode == 0
    assert "ran no simulation" in done.stderr


def test_console_script_entry_point_is_the_same_main(tmp_path):
    done = run(tmp_path, SPYNNAKER_SCRIPT, args=("b",),
               runner=("-c", "import sys; from pynn_spinnaker2.spinnaker1.runner import main; "
                             "sys.exit(main())"))
    assert done.returncode == 0, done.stderr
    assert "argv ['b']" in done.stdout
    assert 'pynn-spinnaker2 = "pynn_spinnaker2.spinnaker1.runner:main"' in \
        (ROOT / "pyproject.toml").read_text()


def test_exit_status_and_errors_of_the_script_pass_through(tmp_path):
    assert run(tmp_path, "import sys\nsys.exit(3)\n").returncode == 3
    failed = run(tmp_path, "raise KeyError('boom')\n")
    assert failed.returncode == 1 and "KeyError: 'boom'" in failed.stderr
    missing = subprocess.run([sys.executable, "-m", "pynn_spinnaker2", str(tmp_path / "no.py")],
                             capture_output=True, text=True, timeout=60,
                             env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert missing.returncode != 0 and "no such script" in missing.stderr


def test_spynnaker_helper_modules_resolve_and_splitters_are_refused(tmp_path):
    done = run(tmp_path, """
        import pyNN.spiNNaker as p
        import spynnaker.pyNN.external_devices as ext
        from spynnaker.pyNN.utilities import neo_convertor
        from spynnaker.pyNN.utilities.utility_calls import get_n_bits
        import pyNN.spiNNaker.extra_models as em
        import pynn_spinnaker2.extra_models
        print("ext", ext is p.external_devices, "em", em is pynn_spinnaker2.extra_models,
              "bits", get_n_bits(128), get_n_bits(129), "conv", neo_convertor.__name__)
        from pacman.model.partitioner_splitters import SplitterFixedLegacy
    """)
    assert "ext True em True bits 7 8 conv pynn_spinnaker2.spinnaker1.neo_convertor" \
        in done.stdout, done.stderr
    assert done.returncode == 1
    assert "RefusedDeviceError: SplitterFixedLegacy is not supported" in done.stderr


def test_unknown_spynnaker_modules_are_not_invented(tmp_path):
    done = run(tmp_path, "import spynnaker.pyNN.no_such_module\n")
    assert done.returncode == 1 and "ModuleNotFoundError" in done.stderr
