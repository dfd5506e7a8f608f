"""record(..., sampling_interval=...): against pyNN.nest (tests/golden/sampling_interval.json,
made by tests/golden/make_sampling_interval_golden.py) and against our own every-tick recording.
"""

import json
from pathlib import Path

import numpy as np
import pytest

GOLDEN = json.loads((Path(__file__).parent / "golden" / "sampling_interval.json").read_text())
V_TOLERANCE_MV = 1e-3


def _network(sim, intervals, i_offset=(0.5, 1.2)):
    sim.setup(timestep=GOLDEN["dt"])
    pops = {}
    for label, interval in intervals.items():
        pops[label] = sim.Population(2, sim.IF_curr_exp(i_offset=list(i_offset)), label=label)
        pops[label].record(["v", "spikes"], sampling_interval=interval)
    return pops


def _v(segment):
    return segment.filter(name="v")[0]


def _every_tick(sim, runs, i_offset=(0.5, 1.2)):
    """Our v of one cell pair recorded every tick over ``runs`` (ms), and its times."""
    pop = _network(sim, {"full": GOLDEN["dt"]}, i_offset)["full"]
    for ms in runs:
        sim.run(ms)
    v = _v(pop.get_data().segments[0])
    sim.end()
    return np.asarray(v.magnitude), np.asarray(v.times.rescale("ms").magnitude)


@pytest.mark.parametrize("name,runs", [("single", [10.0]), ("two_runs", [10.3, 5.0])])
def test_shape_times_and_values_match_nest(sim, name, runs):
    golden = next(s for s in GOLDEN["scenarios"] if s["name"] == name)
    pops = _network(sim, GOLDEN["intervals"])
    for ms in runs:
        sim.run(ms)
    data = {label: _v(pop.get_data().segments[0]) for label, pop in pops.items()}
    sim.end()
    full, full_times = _every_tick(sim, runs)
    for label, signal in data.items():
        expected = golden["populations"][label][0]
        assert float(signal.sampling_period.rescale("ms").magnitude) == \
            expected["sampling_period"]
        assert float(signal.t_start.rescale("ms").magnitude) == expected["t_start"]
        assert list(signal.shape) == expected["shape"]
        times = signal.times.rescale("ms").magnitude
        assert np.allclose(times, expected["times"], atol=1e-9)
        assert np.max(np.abs(signal.magnitude - np.asarray(expected["values"]))) < V_TOLERANCE_MV
        k = int(round(expected["sampling_period"] / GOLDEN["dt"]))
        assert np.array_equal(signal.magnitude, full[::k])
        assert np.allclose(full_times[::k], times)


def test_clear_restarts_the_grid_at_the_clear_time(sim):
    """pyNN.nest after get_data(clear=True) at 10.3 ms: t_start 10.3 and 1 + 4 samples (it
    overwrites its first new sample, at 11 ms, with the one at 10 ms). Ours: the samples are at
    10.3, 11.3, ..., 15.3 ms, so t_start + j * sampling_period is each sample's time."""
    golden = next(s for s in GOLDEN["scenarios"] if s["name"] == "clear")
    pops = _network(sim, GOLDEN["intervals"])
    sim.run(10.3)
    first = {label: _v(pop.get_data(clear=True).segments[0]) for label, pop in pops.items()}
    sim.run(5.0)
    second = {label: _v(pop.get_data().segments[0]) for label, pop in pops.items()}
    sim.end()
    full, full_times = _every_tick(sim, [10.3, 5.0])
    for label, (before, after) in enumerate(zip(first.values(), second.values())):
        expected = golden["populations"][list(first)[label]]
        assert list(before.shape) == expected[0]["shape"]
        assert float(after.t_start.rescale("ms").magnitude) == expected[1]["t_start"]
        k = int(round(expected[1]["sampling_period"] / GOLDEN["dt"]))
        assert np.array_equal(after.magnitude, full[103::k])
        assert np.allclose(after.times.rescale("ms").magnitude, full_times[103::k])
        assert np.allclose(after.magnitude[0], expected[1]["values"][0], atol=5)  # v(10.3)


def test_intervals_per_population_and_a_second_interval_is_refused(sim):
    pops = _network(sim, {"a": 0.3, "b": 0.1})
    with pytest.raises(ValueError, match="same sampling interval"):
        pops["a"].record("v", sampling_interval=0.5)        # as PyNN's Recorder does
    sim.run(3.0)
    assert _v(pops["a"].get_data().segments[0]).shape == (11, 2)
    assert _v(pops["b"].get_data().segments[0]).shape == (31, 2)


@pytest.mark.parametrize("interval", [0.25, 0.05, 0.0])
def test_an_interval_off_the_tick_grid_names_population_and_value(sim, interval):
    from pynn_spinnaker2.errors import ParameterRangeError
    sim.setup(timestep=0.1)
    pop = sim.Population(2, sim.IF_curr_exp(), label="odd")
    with pytest.raises(ParameterRangeError, match=f"'odd'.*sampling_interval={interval}"):
        pop.record("v", sampling_interval=interval)


def test_reset_and_a_change_between_runs(sim):
    pops = _network(sim, {"a": 1.0})
    sim.run(10.0)
    pops["a"].set(i_offset=0.0)                        # recompiles, continues the recording
    sim.run(5.0)
    signal = _v(pops["a"].get_data().segments[0])
    assert signal.shape == (16, 2)
    assert np.all(np.diff(signal.magnitude[10:, 1]) < 0)   # decaying after the change
    pops["a"].record(None)
    pops["a"].record("v", sampling_interval=0.5)         # a new interval (recording restarts)
    sim.run(2.0)
    signal = _v(pops["a"].get_data().segments[0])
    assert signal.shape == (35, 2) and float(signal.sampling_period) == 0.5
    sim.reset()
    pops["a"].set(i_offset=[0.5, 1.2])
    sim.run(10.0)
    again = _v(pops["a"].get_data().segments[-1])
    assert again.shape == (21, 2) and float(again.t_start) == 0.0
    full, _ = _every_tick(sim, [10.0])
    assert np.array_equal(again.magnitude, full[::5])


def test_dram_check_counts_one_sample_per_interval(sim):
    from pynn_spinnaker2.mapping.dram import dram_bytes_per_chip
    sim.setup(timestep=0.1)
    pop = sim.Population(1000, sim.IF_curr_exp())
    sim.run(0.1)
    quiet = dram_bytes_per_chip(sim.get_mapping(), 10_000)[0]
    pop.record("v", sampling_interval=1.0)
    dense = sim.Population(1000, sim.IF_curr_exp())
    dense.record("v")
    sim.reset()
    use = dram_bytes_per_chip(sim.get_mapping(), 10_000)[0] - quiet
    assert use == 1000 * 4 * 10_000 + 1000 * 4 * 1000


def test_reference_simulator_samples_on_the_same_grid(sim):
    from pynn_spinnaker2.emulator.reference import simulate
    pops = _network(sim, {"a": 0.7, "b": 0.2}, i_offset=(2.0, 3.0))
    sim.run(20.0)
    reference = simulate(sim.get_mapping().network, 200)
    for pop in pops.values():
        segment = pop.get_data().segments[0]
        assert sum(len(t) for t in segment.spiketrains) > 0
        got = np.asarray(_v(segment).magnitude).astype(np.float32)
        assert got.shape[0] == 200 // pop.recorder.sample_every + 1
        assert np.array_equal(got, reference.signal(pop._number, "v"))


def test_cells_and_variables_recorded_after_a_run_read_nan_until_it_goes_on(sim):
    sim.setup(timestep=0.1)
    pop = sim.Population(4, sim.IF_curr_exp(i_offset=1.0))
    pop[0:2].record("v", sampling_interval=0.5)
    sim.run(5.0)
    pop[2:4].record("v")                   # same interval (None keeps it)
    pop.record("spikes")
    v = np.asarray(_v(pop.get_data().segments[0]))
    assert v.shape == (11, 4)
    assert not np.isnan(v[:, :2]).any() and np.isnan(v[:, 2:]).all()
    sim.run(5.0)
    v = np.asarray(_v(pop.get_data().segments[0]))
    assert v.shape == (21, 4)
    assert np.isnan(v[:11, 2:]).all() and not np.isnan(v[11:]).any()
    assert np.array_equal(v[11:, 2], v[11:, 0])           # identical cells


def test_clear_after_a_change_between_runs_starts_from_the_current_state(sim):
    pop = _network(sim, {"a": 1.0})["a"]
    sim.run(10.3)
    pop.set(i_offset=[0.5, 1.2])            # no real change, but a recompile (adopt)
    sim.simulator.state._prepare_emulation()  # the adopt, without ticks (what run(0) does)
    pop.get_data(clear=True)
    sim.run(5.0)
    after = _v(pop.get_data().segments[0])
    sim.end()
    full, _ = _every_tick(sim, [10.3, 5.0])
    assert np.array_equal(after.magnitude, full[103::10])
