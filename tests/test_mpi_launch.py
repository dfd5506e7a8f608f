"""Without an MPI launcher nothing imports mpi4py (PyNN's NumpyRNG raises RuntimeError when
mpi4py is importable but no MPI library is); under a launcher without mpi4py, setup() says
which extra to install. Runs in subprocesses, so that the environment is the launcher's."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUN = """
import sys
import pynn_spinnaker2 as sim
sim.setup(timestep=1.0, hardware_summary=False)
p = sim.Population(5, sim.SpikeSourcePoisson(rate=50.0))
q = sim.Population(5, sim.IF_curr_exp())
sim.Projection(p, q, sim.AllToAllConnector(), sim.StaticSynapse(weight=1.0))
q.record("spikes")
sim.run(50.0)
print("ranks", sim.num_processes(), sim.rank(), "mpi4py" in sys.modules,
      len(q.get_data().segments[0].spiketrains))
"""


def _python(code: str, **env: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items()
                   if k not in ("PMI_SIZE", "PMI_RANK", "OMPI_COMM_WORLD_SIZE", "PMIX_RANK",
                                "PMIX_SIZE", "MPI_LOCALNRANKS")}
    environment.update(env, PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, "-c", code], env=environment, capture_output=True,
                          text=True, timeout=300)


def test_a_plain_run_never_imports_mpi4py():
    done = _python(RUN)
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.split() == ["ranks", "1", "0", "False", "5"]


def test_under_a_launcher_without_mpi4py_setup_names_the_extra():
    blocked = "import sys; sys.modules['mpi4py'] = None\n" + RUN   # ImportError on import
    done = _python(blocked, PMI_SIZE="2", PMI_RANK="0")
    assert done.returncode != 0
    assert "NotSupportedError" in done.stderr
    assert "pip install 'pynn_spinnaker2[mpi]'" in done.stderr


def test_a_plain_run_with_a_numpy_rng_works_whether_or_not_mpi4py_is_installed():
    code = RUN.replace("sim.AllToAllConnector()",
                       "sim.FixedProbabilityConnector(0.5, rng=sim.NumpyRNG(seed=3))")
    done = _python(code)
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.split()[:3] == ["ranks", "1", "0"]
