"""Every numba-compiled kernel of the package against a twin, bit for bit, on seeded random
inputs: a numpy re-implementation where the kernel replaced numpy expressions, else the
kernel's own Python function (``.py_func``, run by the interpreter on numpy scalars), so that a
difference in numba's typing or arithmetic (float32 promotion, wrapping, rounding) shows.

``TWINS`` names, for every compiled kernel, the test that twins it;
test_every_compiled_kernel_has_a_twin finds the kernels in the package's source and fails on a
new one that is not listed.
"""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import numpy as np
import pytest
from numba.core.registry import CPUDispatcher

import pynn_spinnaker2
from pynn_spinnaker2 import poisson_counts, random_streams
from pynn_spinnaker2.emulator import poisson_inputs, ring
from pynn_spinnaker2.neuron_models import NATIVE_MODELS, TickContext, nir_neuron
from pynn_spinnaker2.neuron_models import spike_source_poisson
from pynn_spinnaker2.neuron_models.base import threshold_and_reset

# kernel (module.name) -> where its twin test is
TWINS = {
    "pynn_spinnaker2.neuron_models.if_curr_exp._kernel": "test_if_curr_exp_kernel_equals_numpy",
    "pynn_spinnaker2.neuron_models.if_curr_delta._kernel":
        "test_if_curr_delta_kernel_equals_numpy",
    "pynn_spinnaker2.neuron_models.nir_neuron._kernel": "test_nir_neuron_kernel_equals_numpy",
    "pynn_spinnaker2.neuron_models.spike_source_poisson._kernel":
        "test_spike_source_poisson_kernel_equals_its_python",
    "pynn_spinnaker2.poisson_counts._chunk_count": "test_poisson_count_kernels_equal_their_python",
    "pynn_spinnaker2.poisson_counts.count_of_draw":
        "test_poisson_count_kernels_equal_their_python",
    "pynn_spinnaker2.poisson_counts.spike_count": "test_poisson_count_kernels_equal_their_python",
    "pynn_spinnaker2.poisson_counts.table_count": "test_poisson_count_kernels_equal_their_python",
    "pynn_spinnaker2.poisson_counts._tail_row": "test_tail_rows_equal_their_python",
    "pynn_spinnaker2.random_streams._mix": "test_random_stream_kernels_equal_numpy",
    "pynn_spinnaker2.random_streams.tick_key": "test_random_stream_kernels_equal_numpy",
    "pynn_spinnaker2.random_streams.draw": "test_random_stream_kernels_equal_numpy",
    "pynn_spinnaker2.random_streams.draw_hashed": "test_random_stream_kernels_equal_numpy",
    "pynn_spinnaker2.random_streams.stream_hash": "test_random_stream_kernels_equal_numpy",
    "pynn_spinnaker2.random_streams._draws": "tests/unit/test_random_streams.py",
    "pynn_spinnaker2.emulator.ring.take_slot": "test_take_slot_equals_numpy",
    "pynn_spinnaker2.emulator.poisson_inputs._draw_inputs":
        "test_draw_inputs_kernel_equals_its_python",
    "pynn_spinnaker2.emulator.scatter.scatter_tick": "tests/unit/test_scatter.py",
    "pynn_spinnaker2.emulator.scatter._lookup": "tests/unit/test_scatter.py",
    "pynn_spinnaker2.emulator.scatter._rows_of": "tests/unit/test_scatter.py",
    "pynn_spinnaker2.emulator.scatter._grown": "test_grown_equals_numpy",
}


KERNEL_MODULES = (poisson_counts, random_streams, spike_source_poisson, poisson_inputs)


def interpreted(kernel, *args):
    """``kernel``'s Python function run with every compiled function it calls replaced by its
    Python function too (the compiled kernels froze their callees when compiled, so they are
    unaffected): the whole twin runs in the interpreter, uint64 arithmetic wrapping."""
    with pytest.MonkeyPatch.context() as patch, np.errstate(over="ignore"):
        for module in KERNEL_MODULES:
            for name, value in list(vars(module).items()):
                if isinstance(value, CPUDispatcher):
                    patch.setattr(module, name, value.py_func)
        return kernel.py_func(*args)


def _compiled_kernels() -> set[str]:
    """module.name of every numba dispatcher defined in a package module that uses @njit."""
    root = Path(pynn_spinnaker2.__file__).parent
    found = set()
    for path in sorted(root.rglob("*.py")):
        if not re.search(r"^@njit", path.read_text(), re.M):
            continue
        name = ".".join(path.relative_to(root.parent).with_suffix("").parts)
        module = importlib.import_module(name.removesuffix(".__init__"))
        found |= {f"{module.__name__}.{k}" for k, v in vars(module).items()
                  if isinstance(v, CPUDispatcher) and v.py_func.__module__ == module.__name__}
    return found


def test_every_compiled_kernel_has_a_twin():
    kernels = _compiled_kernels()
    assert len(kernels) >= 20
    assert kernels == set(TWINS)
    repo = Path(__file__).resolve().parents[2]
    for where in TWINS.values():       # a test of this module or a test file
        assert where in globals() or (repo / where).is_file(), where


# --- neuron kernels against the numpy expressions they replaced ------------------------------

def _steps_agree(step, compiled, numpy_step, draw_inputs, ticks: int, dt: float,
                 state_keys) -> int:
    """Step the compiled block and a copy of it with ``numpy_step`` on the same inputs for
    ``ticks`` ticks; the spikes and every state array must agree bit for bit each tick.
    Out: the number of spikes (so a caller can check that resets were covered)."""
    twin = {k: v.copy() for k, v in compiled.items()}
    spikes = 0
    for tick in range(ticks):
        inputs = draw_inputs()
        got = step(compiled, inputs, TickContext(tick, dt))
        want = numpy_step(twin, inputs)
        assert np.array_equal(got, want)
        for key in state_keys:
            assert np.array_equal(compiled[key], twin[key]), key
        spikes += int(want.sum())
    return spikes


def _if_curr_delta_numpy(b, inputs):
    """The numpy step of IF_curr_delta before its numba kernel."""
    active = b["refrac_count"] == 0
    v = b["v_rel"]
    v_new = b["i_offset"] * b["dc_to_v"] + b["expm1_v"] * v + v + (inputs[0] + inputs[1])
    np.copyto(v, v_new, where=active)
    np.subtract(b["refrac_count"], 1, out=b["refrac_count"], where=~active)
    return threshold_and_reset(b)


@pytest.mark.parametrize("dt", [0.1, 1.0])
def test_if_curr_delta_kernel_equals_numpy(dt):
    model = NATIVE_MODELS["if_curr_delta"]
    rng = np.random.default_rng(3)
    n = 500
    params = {"tau_m": rng.uniform(5, 30, n), "cm": rng.uniform(0.1, 1, n),
              "v_rest": rng.uniform(-70, -60, n), "v_thresh": np.full(n, -50.0),
              "v_reset": rng.uniform(-75, -65, n), "tau_refrac": rng.uniform(0, 5, n),
              "i_offset": rng.uniform(0, 1.5, n)}
    initial = {"v": rng.uniform(-70, -50, n)}
    spikes = _steps_agree(model.step, model.build_block(params, initial, dt),
                          _if_curr_delta_numpy,
                          lambda: rng.normal(0.3, 1.0, (4, n)).astype(np.float32), 400, dt,
                          ("v_rel", "refrac_count"))
    assert spikes > 100   # the comparison covered resets and refractory ticks


def _if_curr_exp_numpy(b, inputs):
    active = b["refrac_count"] == 0
    v_new = (b["v_rel"] * b["decay_v"] + b["isyn_exc"] * b["exc_to_v"]
             + b["isyn_inh"] * b["inh_to_v"] + b["i_offset"] * b["dc_to_v"])
    np.copyto(b["v_rel"], v_new, where=active)
    np.subtract(b["refrac_count"], 1, out=b["refrac_count"], where=~active)
    b["isyn_exc"][:] = b["isyn_exc"] * b["decay_exc"] + inputs[0]
    b["isyn_inh"][:] = b["isyn_inh"] * b["decay_inh"] + inputs[1]
    return threshold_and_reset(b)


@pytest.mark.parametrize("dt", [0.1, 1.0])
def test_if_curr_exp_kernel_equals_numpy(dt):
    model = NATIVE_MODELS["if_curr_exp"]
    rng = np.random.default_rng(5)
    n = 400
    params = {"tau_m": rng.uniform(5, 30, n), "cm": rng.uniform(0.1, 1, n),
              "v_rest": rng.uniform(-70, -60, n), "v_thresh": np.full(n, -50.0),
              "v_reset": rng.uniform(-75, -65, n), "tau_refrac": rng.uniform(0, 5, n),
              "i_offset": rng.uniform(0, 1.5, n), "tau_syn_E": rng.uniform(0.5, 10, n),
              "tau_syn_I": rng.uniform(0.5, 10, n)}
    initial = {"v": rng.uniform(-70, -50, n), "isyn_exc": rng.uniform(0, 1, n),
               "isyn_inh": rng.uniform(-1, 0, n)}
    spikes = _steps_agree(
        model.step, model.build_block(params, initial, dt), _if_curr_exp_numpy,
        lambda: np.stack([rng.exponential(0.5, n),
                          -rng.exponential(0.3, n)]).astype(np.float32),
        300, dt, model.state_keys)
    assert spikes > 100      # resets and refractory ticks were compared


def _nir_numpy(b, inputs):
    drive = inputs[0] + inputs[1] + b["bias"]
    b["isyn"][:] = b["isyn"] * b["decay_syn"] + b["gain_syn"] * drive
    b["v"][:] = b["v_leak"] + (b["v"] - b["v_leak"]) * b["decay_mem"] + b["gain_mem"] * b["isyn"]
    fired = b["v"] > b["v_threshold"]
    reset = np.where(b["subtract"], b["v"] - b["reset_step"], b["v_reset"])
    b["v"][:] = np.where(fired, reset, b["v"])
    return fired


def test_nir_neuron_kernel_equals_numpy():
    rng = np.random.default_rng(6)
    n = 300

    def f32(lo, hi):
        return rng.uniform(lo, hi, n).astype(np.float32)

    compiled = {"decay_syn": f32(0, 1), "gain_syn": f32(0, 2), "decay_mem": f32(0.5, 1),
                "gain_mem": f32(0, 0.5), "v_leak": f32(-1, 0), "v_threshold": f32(0.5, 1.5),
                "v_reset": f32(-0.5, 0), "reset_step": f32(0.5, 1.5),
                "subtract": rng.random(n) < 0.5, "bias": f32(0, 0.3), "v": f32(-1, 1),
                "isyn": f32(0, 1)}
    spikes = _steps_agree(nir_neuron.step, compiled, _nir_numpy,
                          lambda: rng.normal(0.2, 0.5, (2, n)).astype(np.float32), 200, 1.0,
                          ("v", "isyn"))
    assert spikes > 100


# --- random sources and streams ---------------------------------------------------------------

def test_spike_source_poisson_kernel_equals_its_python():
    rng = np.random.default_rng(7)
    n = 300
    block = spike_source_poisson.build_counts(rng.choice([0.0, 0.01, 0.3, 2.5, 40.0], n))
    first = rng.integers(0, 5, n).astype(np.int32)
    stop = (first + rng.integers(0, 30, n)).astype(np.int32)
    streams = (np.uint64(3) << np.uint64(32)) | np.arange(n, dtype=np.uint64)
    seed = random_streams.seed_u64(11)
    total = np.zeros(n, dtype=np.int64)
    for tick in range(40):
        got = np.empty(n, dtype=np.int32)
        want = np.empty(n, dtype=np.int32)
        args = (seed, streams, tick, block["threshold"], block["mean"], first, stop)
        spike_source_poisson._kernel(*args, got)
        interpreted(spike_source_poisson._kernel, *args, want)
        assert np.array_equal(got, want), tick
        total += got
    assert total.max() > 1 and (total > 0).sum() > 50       # counts above one were compared


def test_poisson_count_kernels_equal_their_python():
    rng = np.random.default_rng(8)
    means = np.array([0.001, 0.2, 1.0, 3.7, 15.9, 16.0, 16.5, 55.0], dtype=np.float32)
    counts = poisson_counts.build_counts(means)
    table, row = poisson_counts.tail_tables(means)
    seed = random_streams.seed_u64(3)
    hashed = random_streams.stream_hashes(rng.integers(0, 2 ** 63, 200, dtype=np.uint64))
    above_one = 0
    for tick in range(0, 2000, 97):
        key = np.uint64(random_streams.tick_key(seed, np.uint64(tick)))   # a Python int
        for h in hashed[:60]:
            u = np.uint64(random_streams.draw_hashed(key, h))
            for m, (threshold, mean) in enumerate(zip(counts["threshold"], counts["mean"])):
                got = poisson_counts.spike_count(key, h, threshold, mean)
                assert got == interpreted(poisson_counts.spike_count, key, h, threshold, mean)
                if u >= threshold:
                    continue
                c = poisson_counts.count_of_draw(u, key, h, threshold, mean)
                assert c == got == interpreted(poisson_counts.count_of_draw, u, key, h,
                                               threshold, mean)
                if mean <= poisson_counts.CHUNK_MEAN:
                    t64 = np.uint64(threshold)
                    assert c == poisson_counts._chunk_count(u, t64, float(mean)) \
                        == interpreted(poisson_counts._chunk_count, u, t64, float(mean))
                    tails = table[row[m]]
                    assert c == poisson_counts.table_count(u, tails) \
                        == interpreted(poisson_counts.table_count, u, tails)
                above_one += c > 1
    assert above_one > 100


def test_tail_rows_equal_their_python():
    for lam in (1e-4, 0.5, 2.0, 9.99, 16.0):
        got, want = np.full(60, -1.0), np.full(60, -1.0)
        n = poisson_counts._tail_row(lam, got)
        assert n == interpreted(poisson_counts._tail_row, lam, want) and n > 0
        assert np.array_equal(got, want), lam


def _numpy_mix(x):
    x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return x ^ (x >> np.uint64(31))


def test_random_stream_kernels_equal_numpy():
    golden = np.uint64(0x9E3779B97F4A7C15)
    rng = np.random.default_rng(9)
    values = rng.integers(0, 2 ** 64, 200, dtype=np.uint64, endpoint=False)
    with np.errstate(over="ignore"):
        for x, y in zip(values[:100], values[100:]):
            assert random_streams._mix(x) == _numpy_mix(np.array([x]))[0]
            assert random_streams.stream_hash(x) == (np.array([x]) * golden)[0]
            key = _numpy_mix(np.array([x]) * golden + y)[0]
            assert random_streams.tick_key(x, y) == key
            assert random_streams.draw(key, y) == _numpy_mix(np.array([y]) * golden ^ key)[0] \
                >> np.uint64(32)
            assert random_streams.draw_hashed(key, y) == _numpy_mix(np.array([y ^ key]))[0] \
                >> np.uint64(32)


# --- emulator kernels -------------------------------------------------------------------------

def test_take_slot_equals_numpy():
    rng = np.random.default_rng(10)
    slots, receptors, n_gids = 8, 3, 500
    compiled = rng.integers(-2 ** 40, 2 ** 40, (slots, receptors, n_gids))
    twin = compiled.copy()
    scale = rng.choice([-1.0, 1.0], (receptors, n_gids)) * np.ldexp(1.0, -rng.integers(
        0, 30, (receptors, n_gids)))
    for slot, lo, hi in ((3, 0, 500), (0, 120, 377), (7, 499, 500)):
        out = np.empty((receptors, hi - lo), dtype=np.float32)
        ring.take_slot(compiled, slot, scale, lo, out)
        want = (twin[slot, :, lo:hi] * scale[:, lo:hi]).astype(np.float32)
        twin[slot, :, lo:hi] = 0
        assert np.array_equal(out, want)
        assert np.array_equal(compiled, twin)


def test_draw_inputs_kernel_equals_its_python():
    rng = np.random.default_rng(12)
    n, n_slots, n_types, n_neurons = 400, 64, 4, 50
    mean = rng.choice([0.0, 0.05, 0.6, 3.0, 20.0], n).astype(np.float32)
    counts = poisson_counts.build_counts(mean)
    delay = rng.integers(1, 65, n)
    synapse_type = rng.integers(0, n_types, n)
    first = rng.integers(0, 10, n).astype(np.int32)
    inputs = poisson_inputs.PoissonInputs(
        gid=np.sort(rng.integers(0, n_neurons, n)).astype(np.int64),
        ring_row=((delay - 1) << poisson_inputs._T_BITS | synapse_type).astype(np.int64),
        weight=rng.integers(1, 2 ** 16, n).astype(np.int64), threshold=counts["threshold"],
        mean=counts["mean"], first_tick=first,
        stop_tick=(first + rng.integers(0, 80, n)).astype(np.int32),
        stream=(np.uint64(2) << np.uint64(32)) | np.arange(n, dtype=np.uint64),
        records=rng.random(n) < 0.5, any_records=True)
    compiled = np.zeros((n_slots, n_types, n_neurons), dtype=np.int64)
    twin = compiled.copy()
    seed = random_streams.seed_u64(21)
    reported = 0
    for tick in range(0, 90, 3):
        args = (seed, tick, inputs._hashed, inputs.threshold, inputs.mean, inputs.first_tick,
                inputs.stop_tick, inputs.gid, inputs.ring_row, inputs.weight, inputs.records,
                inputs.any_records)
        fired, fired_twin = np.empty(n, np.int64), np.empty(n, np.int64)
        got_counts, want_counts = np.empty(n, np.int64), np.empty(n, np.int64)
        got = poisson_inputs._draw_inputs(*args, compiled, fired, got_counts,
                                          np.empty(n, np.int64), inputs._tails,
                                          inputs._tail_row)
        want = interpreted(poisson_inputs._draw_inputs, *args, twin, fired_twin, want_counts,
                           np.empty(n, np.int64), inputs._tails, inputs._tail_row)
        assert got == want
        assert np.array_equal(fired[:got], fired_twin[:want])
        assert np.array_equal(got_counts[:got], want_counts[:want])
        assert np.array_equal(compiled, twin), tick
        reported += got
    assert reported > 100 and compiled.any()


def test_grown_equals_numpy():
    from pynn_spinnaker2.emulator.scatter import _grown
    a = np.arange(7, dtype=np.int64) * 3
    out = _grown(a, 5)
    assert out.shape == (14,) and out.dtype == a.dtype
    assert np.array_equal(out[:5], a[:5])
