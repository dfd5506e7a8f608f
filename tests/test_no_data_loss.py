"""Nothing a user recorded is lost by a later failing call: the data, the clock and the running
state stay as they were, and the next valid run() continues from there."""

import numpy as np
import pytest

from pynn_spinnaker2.errors import InvalidParameterValueError, ParameterRangeError


def _running(sim):
    sim.setup(timestep=0.1)
    cells = sim.Population(20, sim.IF_curr_exp(i_offset=1.2), label="cells")
    cells.record(["spikes", "v"])
    sim.run(100.0)
    return cells


def _assert_continues(sim, cells, spikes_before):
    sim.run(20.0)
    assert sim.get_current_time() == pytest.approx(120.0)
    segment = cells.get_data().segments[0]
    assert segment.analogsignals[0].shape[0] == 1201
    spikes_after = sum(len(s) for s in segment.spiketrains)
    assert spikes_after > spikes_before > 0


def test_bad_parameter_in_set_changes_nothing(sim):
    cells = _running(sim)
    spikes_before = sum(len(s) for s in cells.get_data().segments[0].spiketrains)
    with pytest.raises(InvalidParameterValueError, match="tau_m"):
        cells.set(tau_m=-5.0)
    assert np.all(cells.get("tau_m") == 20.0)
    _assert_continues(sim, cells, spikes_before)


def test_failed_recompile_after_a_bad_parameter_keeps_data_and_clock(sim):
    cells = _running(sim)
    spikes_before = sum(len(s) for s in cells.get_data().segments[0].spiketrains)
    # a value that only the compiler refuses (set() refuses this one now: stored directly)
    cells._parameters["tau_m"][:] = -5.0
    sim.simulator.state.mark_changed()
    with pytest.raises(ParameterRangeError):
        sim.run(50.0)
    assert sim.get_current_time() == pytest.approx(100.0)
    segment = cells.get_data().segments[0]
    assert segment.analogsignals[0].shape[0] == 1001
    assert sum(len(s) for s in segment.spiketrains) == spikes_before
    cells.set(tau_m=20.0)
    _assert_continues(sim, cells, spikes_before)


def test_bad_delay_in_set_changes_nothing(sim):
    cells = _running(sim)
    projection = sim.Projection(cells, cells, sim.OneToOneConnector(),
                                sim.StaticSynapse(weight=0.01, delay=1.0), label="loop")
    spikes_before = sum(len(s) for s in cells.get_data().segments[0].spiketrains)
    with pytest.raises(ParameterRangeError, match="'loop'"):
        projection.set(delay=0.04)
    assert set(projection.get("delay", format="list", with_address=False)) == {1.0}
    _assert_continues(sim, cells, spikes_before)


def test_failing_new_projection_keeps_the_run(sim):
    cells = _running(sim)
    spikes_before = sum(len(s) for s in cells.get_data().segments[0].spiketrains)
    with pytest.raises(ParameterRangeError):
        sim.Projection(cells, cells, sim.OneToOneConnector(),
                       sim.StaticSynapse(weight=0.01, delay=0.01), label="too_fast")
    _assert_continues(sim, cells, spikes_before)
    v = cells.get_data().segments[0].analogsignals[0]
    assert not np.isnan(np.asarray(v)).any()
