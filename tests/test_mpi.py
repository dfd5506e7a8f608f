"""One emulation split over K MPI ranks gives the one-process results bit for bit.

tests/mpi/network.py (Poisson drive, folded and not, STDP, delay extensions, stochastic
synapses, weights set() at random, a spike-time source, a population of one neuron, spikes
and v recorded, two runs with a get_data(clear=True) between them) runs under
``mpiexec -n K`` for K = 1, 2, 3, 4; every rank's spikes, v traces, learned weights (array and
list), hardware report and Projection.size() must equal those of K = 1, write_data must
write one file, and the ranks must hold disjoint shares of the connections. A failure
injected on rank 1 must make every rank raise the same error.
Needs the [mpi] extra (mpi4py and the mpich wheel's mpiexec).
"""

import os
import pickle
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("mpi4py")

SCRIPT = Path(__file__).parent / "mpi" / "network.py"
ROOT = Path(__file__).resolve().parent.parent
MPIEXEC = Path(sys.executable).parent / "mpiexec"
if not MPIEXEC.exists():
    pytest.skip("no mpiexec next to the Python interpreter (pip install mpich)",
                allow_module_level=True)


def _run(k: int, out: Path, *extra: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    for variable in ("PMI_SIZE", "PMI_RANK", "OMPI_COMM_WORLD_SIZE", "PMIX_RANK"):
        env.pop(variable, None)
    out.mkdir(parents=True, exist_ok=True)
    return subprocess.run([str(MPIEXEC), "-n", str(k), sys.executable, str(SCRIPT), str(out),
                           *extra], env=env, capture_output=True, text=True, timeout=300)


def _load(path: Path) -> dict[str, np.ndarray]:
    with np.load(path) as data:
        return {key: data[key] for key in data.files}


@pytest.fixture(scope="module")
def single(tmp_path_factory):
    out = tmp_path_factory.mktemp("k1")
    done = _run(1, out)
    assert done.returncode == 0, done.stderr[-3000:]
    return out, _load(out / "rank0.npz")


@pytest.mark.parametrize("k", [2, 3, 4])
def test_k_ranks_give_the_one_process_results_bit_for_bit(single, tmp_path, k):
    out1, expected = single
    assert "delay_extension" in set(expected["models"].tolist())
    assert np.any(expected["weights"][~np.isnan(expected["weights"])] != 0.6)   # learned
    _compare(expected, out1, k, tmp_path)


def test_ranks_exchanging_every_two_ticks_give_the_one_process_results(tmp_path):
    """No STDP, no delay below 2 ticks: the ranks run 2 ticks between exchanges."""
    one = tmp_path / "k1"
    done = _run(1, one, "static")
    assert done.returncode == 0, done.stderr[-3000:]
    expected = _load(one / "rank0.npz")
    assert "delay_extension" not in set(expected["models"].tolist())
    assert expected["window"].tolist() == [1]
    windows = _compare(expected, one, 2, tmp_path / "k2", "static")
    assert windows == [2, 2]


def _compare(expected: dict, out1: Path, k: int, out: Path, *extra: str) -> list[int]:
    """Run at K ranks; every rank's results must equal ``expected`` byte for byte.
    Out: each rank's exchange window (ticks between exchanges)."""
    assert sum(len(v) for key, v in expected.items() if "/spikes/" in key) > 100
    tmp_path = out
    done = _run(k, tmp_path, *extra)
    assert done.returncode == 0, done.stderr[-3000:]
    # the end-of-run summary and the Neo file come from rank 0 only
    assert done.stdout.count("SpiNNaker2 hardware report") == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["exc.pkl"] + [
        f"rank{r}.npz" for r in range(k)]
    windows, held = [], []
    for rank in range(k):
        got = _load(tmp_path / f"rank{rank}.npz")
        assert got["size"].tolist() == [k, rank, expected["size"][2]]
        assert set(got) == set(expected)
        windows.append(int(got["window"][0]))
        held.append(got["held"])
        for key, value in expected.items():
            if key in ("size", "window", "held"):
                continue
            assert got[key].dtype == value.dtype and got[key].shape == value.shape, key
            assert got[key].tobytes() == value.tobytes(), f"rank {rank} of {k}: {key} differs"
    # every connection is held by exactly one rank, and no rank holds the biggest projection
    # whole: memory per rank falls with K
    assert np.array_equal(np.sum(held, axis=0), expected["held"])
    biggest = int(np.argmax(expected["held"]))
    assert max(h[biggest] for h in held) < expected["held"][biggest]
    with open(out1 / "exc.pkl", "rb") as one, open(tmp_path / "exc.pkl", "rb") as many:
        a, b = pickle.load(one), pickle.load(many)
    assert [len(s) for s in a.segments[0].spiketrains] == \
        [len(s) for s in b.segments[0].spiketrains]
    return windows


def test_a_failure_on_one_rank_fails_every_rank_with_the_same_error(tmp_path):
    done = _run(2, tmp_path, "fail")
    assert done.returncode != 0
    # the ranks' lines may interleave on the shared stdout
    raised = re.findall(r"rank (\d) raised (\w+: [^\n]*?in tick 20)", done.stdout)
    assert sorted(r for r, _ in raised) == ["0", "1"], done.stdout + done.stderr[-3000:]
    assert {m for _, m in raised} == {
        "RankFailedError: emulating a tick failed on MPI rank 1 of 2: ZeroDivisionError: "
        "injected failure in tick 20"}


UNSAFE = """
import pynn_spinnaker2 as sim
sim.setup(timestep=1.0, hardware_summary=False)
rng = sim.NumpyRNG(seed=3, parallel_safe=False)      # PyNN adds the rank to the seed
p = sim.Population(20, sim.SpikeSourcePoisson(rate=50.0))
q = sim.Population(20, sim.IF_curr_exp())
try:        # every rank draws every connection, then keeps its own: told at the drawing
    sim.Projection(p, q, sim.FixedProbabilityConnector(0.5, rng=rng),
                   sim.StaticSynapse(weight=1.0))
except Exception as err:
    print(f"rank {sim.rank()} raised {type(err).__name__}", flush=True)
"""


def test_ranks_that_draw_different_networks_are_told_so_on_every_rank(tmp_path):
    script = tmp_path / "unsafe.py"
    script.write_text(UNSAFE)
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    done = subprocess.run([str(MPIEXEC), "-n", "2", sys.executable, str(script)], env=env,
                          capture_output=True, text=True, timeout=300)
    assert sorted(re.findall(r"rank (\d) raised MappingError", done.stdout)) == ["0", "1"], \
        done.stdout + done.stderr[-3000:]


COMPILE_FAILS_ON_RANK_1 = """
import pynn_spinnaker2 as sim
from pynn_spinnaker2 import simulator
sim.setup(timestep=1.0, hardware_summary=False)
p = sim.Population(20, sim.SpikeSourcePoisson(rate=50.0))
q = sim.Population(20, sim.IF_curr_exp())
sim.Projection(p, q, sim.AllToAllConnector(), sim.StaticSynapse(weight=1.0))
if sim.rank() == 1:
    def broken():
        raise MemoryError("injected: no memory left on rank 1")
    simulator.state._compile = broken
try:
    sim.run(10.0)
except Exception as err:
    print(f"rank {sim.rank()} raised {type(err).__name__}: {str(err).splitlines()[0]}",
          flush=True)
"""


def test_a_compile_failing_on_one_rank_fails_every_rank_with_the_same_error(tmp_path):
    script = tmp_path / "compile_fails.py"
    script.write_text(COMPILE_FAILS_ON_RANK_1)
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    done = subprocess.run([str(MPIEXEC), "-n", "2", sys.executable, str(script)], env=env,
                          capture_output=True, text=True, timeout=300)
    raised = re.findall(r"rank (\d) raised (\w+: [^\n]*?left on rank 1)", done.stdout)
    assert sorted(r for r, _ in raised) == ["0", "1"], done.stdout + done.stderr[-3000:]
    assert {m for _, m in raised} == {
        "RankFailedError: compiling and loading the network failed on MPI rank 1 of 2: "
        "MemoryError: injected: no memory left on rank 1"}
