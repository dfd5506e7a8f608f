"""Bad input gets one of our errors (each also the built-in a user would catch), naming the
object, the value and the fix; never an internal error or a silent wrong model."""

import math

import numpy as np

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
    for use in (lambda: old.record("v"), lambda: old.set(tau_m=10.0),
                lambda: old.initialize(v=-60.0)):
        with pytest.raises(SimulationStateError, match="'old'"):
            use()


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


def _cells(sim, n=5, label="cells"):
    return sim.Population(n, sim.IF_curr_exp(), label=label)


def test_connector_and_target_errors_name_the_projection(sim):
    from pyNN.errors import ConnectionError as PyNNConnectionError
    sim.setup()
    a, b = _cells(sim, label="a"), _cells(sim, label="b")
    with pytest.raises(PyNNConnectionError, match="p_connect=1.5"):
        sim.FixedProbabilityConnector(1.5)         # ours: refused when made
    from pyNN.connectors import FixedProbabilityConnector    # PyNN's own: when used
    with pytest.raises(PyNNConnectionError, match="'a→b'.*p_connect=1.5"):
        sim.Projection(a, b, FixedProbabilityConnector(1.5))
    with pytest.raises(ValueError, match=r"'ab'.*shape \(3, 3\).*\(5, 5\)"):
        sim.Projection(a, b, sim.ArrayConnector(np.ones((3, 3), bool)), label="ab")
    source = sim.Population(3, sim.SpikeSourcePoisson(), label="drive")
    with pytest.raises(PyNNConnectionError, match="'drive' is a SpikeSourcePoisson"):
        sim.Projection(a, source, sim.AllToAllConnector())


@pytest.mark.parametrize("weight", [np.inf, np.nan])
def test_non_finite_weights_are_refused(sim, weight):
    sim.setup()
    a = _cells(sim)
    with pytest.raises(InvalidParameterValueError, match="weight"):
        sim.Projection(a, a, sim.AllToAllConnector(), sim.StaticSynapse(weight=weight))
    projection = sim.Projection(a, a, sim.AllToAllConnector(), sim.StaticSynapse(weight=0.1))
    with pytest.raises(InvalidParameterValueError, match="weight"):
        projection.set(weight=weight)
    assert set(projection.get("weight", format="list", with_address=False)) == {0.1}


def test_parameter_arrays_must_fit_the_population(sim):
    sim.setup()
    with pytest.raises(InvalidParameterValueError, match="'cells'.*3 neuron"):
        sim.Population(3, sim.IF_curr_exp(tau_m=np.array([10.0, 20.0])), label="cells")
    with pytest.raises(InvalidParameterValueError, match="3 neuron"):
        sim.Population(3, sim.SpikeSourceArray(spike_times=[[1.0], [2.0]]))


def test_one_neuron_population_with_a_random_parameter_runs(sim):
    sim.setup()
    cell = sim.Population(1, sim.IF_curr_exp(
        tau_m=sim.RandomDistribution("uniform", (10.0, 20.0), rng=sim.NumpyRNG(1))))
    assert 10.0 <= cell.get("tau_m") <= 20.0
    sim.run(5.0)


def test_initialize_checks_the_variable_and_its_value(sim):
    sim.setup()
    cells = _cells(sim)
    with pytest.raises(InvalidParameterValueError, match="no state variable 'u'.*v"):
        cells.initialize(u=1.0)
    with pytest.raises(InvalidParameterValueError, match="v = nan"):
        cells.initialize(v=np.nan)
    with pytest.raises(InvalidParameterValueError, match="v = inf"):
        cells[1:3].initialize(v=np.inf)


@pytest.mark.parametrize("make, match", [
    (lambda sim: sim.DCSource(amplitude=np.nan), "amplitude = nan"),
    (lambda sim: sim.ACSource(frequency=np.inf), "frequency = inf"),
    (lambda sim: sim.NoisyCurrentSource(stdev=-1.0), "stdev = -1"),
    (lambda sim: sim.NoisyCurrentSource(dt=0.01), "dt = 0.01"),
    (lambda sim: sim.NoisyCurrentSource(dt=0.15), "dt = 0.15"),
])
def test_bad_current_source_values(sim, make, match):
    sim.setup(timestep=0.1)
    with pytest.raises(ValueError, match=match):
        make(sim)


def test_bad_current_source_change_keeps_the_old_value(sim):
    sim.setup(timestep=0.1)
    source = sim.DCSource(amplitude=0.5)
    with pytest.raises(ValueError, match="amplitude = inf"):
        source.amplitude = np.inf
    assert source.amplitude == 0.5
