"""``python -m pynn_spinnaker2 [--report] [--plots DIR] SCRIPT.py [ARGS...]``.

Runs an unmodified script written for another backend on pynn_spinnaker2: the module names
``pyNN.spinnaker2`` and ``pyNN.spiNNaker`` (and sPyNNaker's helper modules) resolve to this
package (aliases.py), so ``import pyNN.spiNNaker as p`` scripts and ``get_simulator()``
scripts (``python -m pynn_spinnaker2 x.py spinnaker2``) both run. The script runs as
``__main__`` with ``sys.argv = [SCRIPT.py, *ARGS]`` and its directory first on ``sys.path``, as
``python SCRIPT.py`` would. After it: ``--report`` prints the hardware report of the last run,
``--plots DIR`` writes the hardware plots (needs matplotlib). The console script
``pynn-spinnaker2`` is the same.
"""

from __future__ import annotations

import argparse
import os
import runpy
import sys

from . import aliases

USAGE = "python -m pynn_spinnaker2 [--report] [--plots DIR] SCRIPT.py [ARGS...]"


def parse(argv: list[str]) -> argparse.Namespace:
    """The runner's own options, the script and the script's arguments (everything after the
    script belongs to the script). Raises: SystemExit (argparse) for a bad command line."""
    parser = argparse.ArgumentParser(
        prog="pynn-spinnaker2", usage=USAGE,
        description="Run a PyNN script written for another backend (pyNN.spiNNaker, "
                    "pyNN.nest, get_simulator() scripts) on pynn_spinnaker2, unchanged.")
    parser.add_argument("--report", action="store_true",
                        help="print the hardware report of the last run after the script")
    parser.add_argument("--plots", metavar="DIR",
                        help="write the hardware plots (PNG) into DIR after the script")
    parser.add_argument("script", help="the PyNN script to run")
    parser.add_argument("args", nargs=argparse.REMAINDER, help="the script's own arguments")
    return parser.parse_args(argv)


def run_script(script: str, args: list[str]) -> None:
    """Run ``script`` as __main__ with the aliases installed.

    In: the script's path and its arguments. Raises: FileNotFoundError for a missing script;
    whatever the script raises.
    """
    if not os.path.isfile(script):
        raise FileNotFoundError(f"{script}: no such script ({USAGE}).")
    aliases.install()
    sys.argv = [script, *args]
    sys.path.insert(0, os.path.dirname(os.path.abspath(script)))
    runpy.run_path(script, run_name="__main__")


def after_script(report: bool, plots: str | None) -> None:
    """Print the hardware report and/or write the hardware plots of the last run.

    Out: None; says so on stderr when the script never ran a simulation.
    """
    if not (report or plots):
        return
    import pynn_spinnaker2 as sim
    from .. import simulator
    if simulator.state.emulation is None:
        print("pynn-spinnaker2: the script ran no simulation; no hardware report.",
              file=sys.stderr)
        return
    if report:
        print(sim.get_hardware_report())
    if plots:
        for path in sim.save_hardware_plots(plots):
            print(f"pynn-spinnaker2: wrote {path}")


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``python -m pynn_spinnaker2`` and ``pynn-spinnaker2``.

    Out: the exit status (0 when the script finished; a SystemExit from the script keeps its
    code). The script's exceptions propagate with their traceback.
    """
    options = parse(sys.argv[1:] if argv is None else argv)
    status = 0
    try:
        run_script(options.script, options.args)
    except SystemExit as stop:
        status = stop.code if isinstance(stop.code, int) else (0 if stop.code is None else 1)
        if stop.code not in (None, 0) and not isinstance(stop.code, int):
            print(stop.code, file=sys.stderr)
    after_script(options.report, options.plots)
    return status
