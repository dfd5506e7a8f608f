"""Bad input gets one of our errors (each also the built-in a user would catch), naming the
object, the value and the fix; never an internal error or a silent wrong model."""

import math

import pytest
from pyNN.errors import InvalidParameterValueError as PyNNInvalidParameterValueError

from pynn_spinnaker2.errors import (ConfigurationError, InvalidParameterValueError,
                                    SimulationStateError, SpiNNaker2Error)


def test_run_before_setup_is_refused():
    import pynn_spinnaker2 as sim
    sim.simulator.state.setup_done = False      # as in a fresh process
    with pytest.raises(SimulationStateError, match="before setup"):
        sim.run(10.0)
    with pytest.raises(RuntimeError):
        sim.run(10.0)


@pytest.mark.parametrize("kwargs, match", [
    (dict(timestep="0.1"), "timestep='0.1'.*str"),
    (dict(timestep=-0.1), "must be > 0"),
    (dict(timestep=math.nan), "finite"),
    (dict(timestep=True), "timestep=True"),
    (dict(timestep=0.1, min_delay=0.05), "min_delay=0.05.*at least the timestep"),
    (dict(timestep=0.1, min_delay=0.2, max_delay=0.1), "max_delay=0.1.*at least min_delay"),
])
def test_bad_setup_times_name_the_argument(sim, kwargs, match):
    with pytest.raises(ConfigurationError, match=match):
        sim.setup(**kwargs)


@pytest.mark.parametrize("size", [0, -3, 2.5])
def test_population_size_must_be_a_whole_number_of_neurons(sim, size):
    sim.setup()
    with pytest.raises(InvalidParameterValueError, match=f"'cells': size {size}"):
        sim.Population(size, sim.IF_curr_exp(), label="cells")


@pytest.mark.parametrize("value", [math.inf, -math.inf, math.nan])
def test_non_finite_parameters_are_refused_at_creation_and_set(sim, value):
    sim.setup()
    with pytest.raises(PyNNInvalidParameterValueError, match="'bad'.*i_offset"):
        sim.Population(3, sim.IF_curr_exp(i_offset=value), label="bad")
    cells = sim.Population(3, sim.IF_curr_exp(), label="cells")
    with pytest.raises(SpiNNaker2Error, match="'cells'.*v_thresh"):
        cells.set(v_thresh=value)
    assert cells.get("v_thresh") == -50.0        # nothing stored


def test_unsorted_spike_times_get_pynn_s_error(sim):
    sim.setup()
    with pytest.raises(PyNNInvalidParameterValueError, match="neuron 1.*increasing order"):
        sim.Population(2, sim.SpikeSourceArray(spike_times=[[1.0, 2.0], [3.0, 2.0]]),
                       label="src")


def test_run_for_an_infinite_time_is_refused(sim):
    sim.setup()
    sim.Population(1, sim.IF_curr_exp())
    with pytest.raises(ConfigurationError, match="finite"):
        sim.run(math.inf)


def test_objects_from_an_earlier_setup_are_refused(sim):
    sim.setup()
    old = sim.Population(3, sim.IF_curr_exp(), label="old")
    sim.setup()
    new = sim.Population(3, sim.IF_curr_exp(), label="new")
    with pytest.raises(SimulationStateError, match="'old'.*before the last sim.setup"):
        sim.Projection(old, new, sim.AllToAllConnector())


@pytest.mark.parametrize("times, amplitudes, match", [
    ([1.0, -2.0], [0.1, 0.2], "negative"),
    ([2.0, 1.0], [0.1, 0.2], "increase strictly"),
    ([1.0, 2.0], [0.1], "2 times but 1 amplitudes"),
    ([1.0, math.nan], [0.1, 0.2], "finite"),
])
def test_bad_step_current_sources(sim, times, amplitudes, match):
    sim.setup()
    with pytest.raises(ValueError, match=match):
        sim.StepCurrentSource(times=times, amplitudes=amplitudes)
