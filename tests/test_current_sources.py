"""Current sources computed on the PE: timing, targets, recording, changes between runs, and the
emulator against the reference simulator."""

import numpy as np
import pytest

from pynn_spinnaker2.emulator.reference import simulate


def _cells(sim, n=3, dt=1.0):
    sim.setup(timestep=dt)
    cells = sim.Population(n, sim.IF_curr_exp(tau_refrac=2.0), label="cells")
    cells.record(["v", "spikes"])
    return cells


def test_dc_source_moves_only_its_targets_from_start_plus_dt(sim):
    cells = _cells(sim)
    dc = sim.DCSource(amplitude=0.9, start=50.0, stop=150.0)
    cells[0:1].inject(dc)
    dc.record()
    sim.run(200.0)
    v = np.asarray(cells.get_data().segments[0].filter(name="v")[0])
    assert np.allclose(v[:51, 0], -65.0) and v[51, 0] > -65.0
    assert np.allclose(v[:, 1:], -65.0)
    current = np.asarray(dc.get_data()).ravel()
    assert current.shape == (201,)
    # the sample at t is the current driving t..t+dt: active for start <= t < stop
    assert np.allclose(current[50:150], 0.9)
    assert np.allclose(current[:50], 0.0) and np.allclose(current[150:], 0.0)


def test_every_kind_matches_the_reference_and_changes_between_runs(sim):
    cells = _cells(sim, n=6, dt=0.1)
    sources = [sim.DCSource(amplitude=1.5, start=5.0, stop=40.0),
               sim.ACSource(amplitude=1.0, offset=1.2, frequency=40.0, phase=30.0,
                            start=10.0, stop=45.0),
               sim.StepCurrentSource(times=[3.0, 20.0, 35.0], amplitudes=[2.0, 0.5, 1.8]),
               sim.NoisyCurrentSource(mean=1.4, stdev=0.5, start=0.0, stop=50.0, dt=1.0)]
    for i, source in enumerate(sources):
        source.inject_into(cells[i:i + 2])      # overlapping targets add up
    sim.run(50.0)
    reference = simulate(sim.get_mapping().network, 500)
    v_emu = np.asarray(cells.get_data().segments[0].filter(name="v")[0]).astype(np.float32)
    assert np.array_equal(v_emu, reference.signal(cells._number, "v"))
    assert sum(len(st) for st in cells.get_data().segments[0].spiketrains) > 5
    sources[0].amplitude = 0.0                  # between runs, without reset
    sim.run(10.0)
    assert sim.get_current_time() == pytest.approx(60.0)


def test_noisy_source_statistics_and_independence_from_mapping(sim):
    runs = []
    for npc in (256, 2):
        sim.setup(timestep=0.1, neurons_per_core=npc)
        cells = sim.Population(4, sim.IF_curr_exp(v_thresh=1000.0), label="cells")
        noise = sim.NoisyCurrentSource(mean=0.5, stdev=0.2, start=0.0, stop=2000.0, dt=1.0)
        noise.inject_into(cells)
        noise.record()
        cells.record("v")
        sim.run(2000.0)
        runs.append(np.asarray(noise.get_data()).ravel())
    assert np.array_equal(runs[0], runs[1])
    active = runs[0][:-1]          # t = 0 .. 2000 - dt
    assert abs(active.mean() - 0.5) < 0.02 and abs(active.std() - 0.2) < 0.02
    # piecewise constant over each noise step of 1 ms (10 ticks)
    assert np.all(active.reshape(-1, 10) == active.reshape(-1, 10)[:, :1])
