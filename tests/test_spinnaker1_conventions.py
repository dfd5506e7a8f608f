"""sPyNNaker's conveniences, its conventions (sPyNNaker mode only, one warning each) and the
refusals of robot/FPGA devices and splitters."""

import warnings

import numpy as np
import pytest
from pyNN import errors as pynn_errors

from pynn_spinnaker2.errors import (ConfigurationError, NotSupportedError, RefusedDeviceError,
                                    SpiNNaker1ConventionWarning)
from pynn_spinnaker2.spinnaker1 import mode, neo_convertor
from pynn_spinnaker2.standardmodels import cells


@pytest.fixture
def spynnaker(sim):
    """The backend in sPyNNaker mode, with fresh one-per-convention warnings."""
    mode.enable()
    mode.reset_warnings()
    yield sim
    mode.enable(False)
    mode.reset_warnings()


def _inhibited_v(sim, weight):
    sim.setup(timestep=1.0)
    src = sim.Population(1, sim.SpikeSourceArray(spike_times=[3.0]))
    cells = sim.Population(1, sim.IF_curr_exp())
    cells.record(["v", "gsyn_inh"] if mode.active() else ["v", "isyn_inh"])
    sim.Projection(src, cells, sim.OneToOneConnector(),
                   sim.StaticSynapse(weight=weight, delay=1.0), receptor_type="inhibitory")
    sim.run(20.0)
    segment = cells.get_data().segments[0]
    return {s.name: np.asarray(s.magnitude)[:, 0] for s in segment.analogsignals}


def test_positive_inhibitory_weights_inhibit_in_spynnaker_mode_only(sim):
    with pytest.raises(pynn_errors.ConnectionError):
        _inhibited_v(sim, 2.0)
    reference = _inhibited_v(sim, -2.0)
    mode.enable()
    mode.reset_warnings()
    try:
        with pytest.warns(SpiNNaker1ConventionWarning, match="positive weights"):
            positive = _inhibited_v(sim, 2.0)
    finally:
        mode.enable(False)
    assert positive["v"].min() < -65.5                     # inhibited
    np.testing.assert_array_equal(positive["v"], reference["v"])
    # gsyn_inh on a current-based cell is its synaptic input current
    np.testing.assert_array_equal(positive["gsyn_inh"], reference["isyn_inh"])
    assert positive["gsyn_inh"].min() < 0


def test_each_convention_warns_once(spynnaker):
    sim = spynnaker
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for _ in range(2):
            _inhibited_v(sim, 1.0)
            sim.Population(2, sim.IF_curr_exp(v=-60.0))
    kinds = [str(w.message) for w in caught if w.category is SpiNNaker1ConventionWarning]
    assert len(kinds) == 3, kinds           # weights, gsyn, initial value: once each


def test_initial_values_given_as_parameters(spynnaker):
    sim = spynnaker
    sim.setup(timestep=1.0)
    cells = sim.Population(3, sim.IF_curr_exp, {"v_init": -50.0, "tau_m": 10.0})
    other = sim.Population(2, sim.IF_cond_exp(v=-55.0))
    assert cells.get("tau_m") == 10.0
    cells.record("v")
    other.record("v")
    sim.run(2.0)
    assert float(cells.get_data().segments[0].analogsignals[0][0, 0]) == -50.0
    assert float(other.get_data().segments[0].analogsignals[0][0, 0]) == -55.0


def test_initial_values_as_parameters_are_refused_outside_spynnaker_mode(sim):
    sim.setup(timestep=1.0)
    with pytest.raises(pynn_errors.NonExistentParameterError):
        sim.IF_curr_exp(v=-60.0)


def test_izhikevich_gets_exponential_current_synapses(spynnaker):
    sim = spynnaker
    sim.setup(timestep=0.1)
    src = sim.Population(1, sim.SpikeSourceArray(spike_times=[1.0]))
    with pytest.warns(SpiNNaker1ConventionWarning, match="exponential current synapses"):
        cell = sim.Izhikevich(a=0.02, tau_syn_E=2.0, v=-70.0)
    spynnaker_pop = sim.Population(1, cell)
    composed = sim.Population(1, sim.PointNeuron(     # PyNN's Izhikevich as a component
        cells.Izhikevich(a=0.02), excitatory=sim.CurrExpPostSynapticResponse(tau_syn=2.0),
        inhibitory=sim.CurrExpPostSynapticResponse(tau_syn=5.0)))
    for pop in (spynnaker_pop, composed):
        sim.Projection(src, pop, sim.OneToOneConnector(), sim.StaticSynapse(weight=0.5))
    spynnaker_pop.record(["v", "gsyn_exc"])
    composed.record(["v", "excitatory.isyn"])
    sim.run(20.0)
    mine = spynnaker_pop.get_data().segments[0]
    theirs = composed.get_data().segments[0]
    np.testing.assert_array_equal(mine.filter(name="v")[0].magnitude,
                                  theirs.filter(name="v")[0].magnitude)
    current = np.asarray(mine.filter(name="gsyn_exc")[0].magnitude)[:, 0]
    peak = int(np.argmax(current))
    assert current[peak] == pytest.approx(0.5, rel=1e-3)
    # exponential decay with tau_syn_E = 2 ms: 10 steps of 0.1 ms -> factor exp(-0.5)
    assert current[peak + 10] / current[peak] == pytest.approx(np.exp(-0.5), rel=1e-3)


def test_izhikevich_outside_spynnaker_mode_is_pynn_s(sim):
    sim.setup(timestep=0.1)
    assert type(sim.Izhikevich()).__name__ == "Izhikevich"
    with pytest.raises(pynn_errors.NonExistentParameterError):
        sim.Izhikevich(tau_syn_E=2.0)


def test_set_number_of_neurons_per_core_splits_populations_of_that_type(sim):
    sim.setup(timestep=1.0)
    sim.Population(300, sim.IF_curr_exp(), label="lif")
    sim.Population(300, sim.IF_cond_exp(), label="cond")
    sim.set_number_of_neurons_per_core(sim.IF_curr_exp, 200 / 2)    # a whole float
    programs = sim.get_mapping().programs
    assert len(programs) == 3 + 2            # 300 / 100 and 300 / 256 (rounded up)
    with pytest.raises(ConfigurationError):
        sim.set_number_of_neurons_per_core(sim.IF_curr_exp, 2.5)
    with pytest.warns(UserWarning, match="at most 256"):
        sim.set_number_of_neurons_per_core(sim.SpikeSourcePoisson, 1000)


def test_setup_options_name_and_machine(sim):
    sim.setup(timestep=1.0, n_chips_required=1, time_scale_factor=10)
    machine = sim.get_machine()
    assert (machine.n_chips, machine.auto, machine.pes_per_chip) == (1, False, 152)
    assert sim.simulator.state.config.time_scale_factor == 10
    sim.setup(timestep=1.0, n_boards_required=4)
    assert sim.get_machine().n_boards == 4 and sim.get_machine().n_chips == 4 * 48
    sim.setup(timestep=1.0, n_chips_required=100)
    assert sim.get_machine().n_boards == 3
    sim.setup(timestep=1.0)
    assert sim.get_machine().auto and "SpiNNaker2 machine" in str(sim.get_machine())
    assert "SpiNNaker2" in sim.name()
    assert sim.extra_models.__name__ == "pynn_spinnaker2.extra_models"
    assert sim.external_devices.__name__ == "pynn_spinnaker2.external_devices"


def test_synapse_cores_and_delay_extensions_are_accepted(sim):
    sim.setup(timestep=1.0)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        sim.set_number_of_synapse_cores(sim.IF_curr_exp, 1)
        sim.set_allow_delay_extensions(sim.IF_curr_exp, False)
    assert len(caught) <= 2


def test_neo_convertor_tables(sim):
    sim.setup(timestep=1.0)
    src = sim.Population(3, sim.SpikeSourceArray(spike_times=[[2.0, 5.0], [], [1.0]]))
    lif = sim.Population(2, sim.IF_curr_exp())
    src.record("spikes")
    lif.record("v")
    sim.run(4.0)
    spikes = neo_convertor.convert_spikes(src.get_data())
    np.testing.assert_array_equal(spikes, [[0, 2.0], [2, 1.0]])
    assert neo_convertor.count_spikes(src.get_data()) == 2
    v = neo_convertor.convert_data(lif.get_data(), "v")
    assert v.shape == (2 * 5, 3)                  # samples at 0, 1, 2, 3, 4 ms
    np.testing.assert_array_equal(v[:, 0], [0] * 5 + [1] * 5)
    np.testing.assert_array_equal(v[:5, 1], [0, 1, 2, 3, 4])
    np.testing.assert_array_equal(v[:, 2], -65.0)
    with pytest.raises(ValueError, match="was not recorded"):
        neo_convertor.convert_data(lif.get_data(), "gsyn_exc")


def test_all_but_me_connector(sim):
    sim.setup(timestep=1.0)
    pop = sim.Population(4, sim.IF_curr_exp())
    proj = sim.Projection(pop, pop, sim.extra_models.AllButMeConnector(),
                          sim.StaticSynapse(weight=1.0))
    pairs = {(int(i), int(j)) for i, j, _ in proj.get("weight", "list")}
    assert pairs == {(i, j) for i in range(4) for j in range(4) if i != j}
    with pytest.raises(NotSupportedError):
        sim.extra_models.AllButMeConnector(weights=np.ones((4, 4)))


@pytest.mark.parametrize("device", ["PushBotRetinaViewer", "ExternalFPGARetinaDevice",
                                    "MunichMotorDevice", "PushBotLifSpinnakerLink"])
def test_robot_and_fpga_devices_are_refused_by_name(sim, device):
    refused = getattr(sim.external_devices, device)
    with pytest.raises(RefusedDeviceError, match=device):
        refused(label="x")
    with pytest.raises(NotImplementedError, match=f"{device}.MODE"):
        refused.MODE


def test_splitters_in_additional_parameters_are_refused_and_tuning_keys_ignored(sim):
    sim.setup(timestep=1.0)

    class SplitterPopulationVertexFixed:
        pass

    with pytest.raises(RefusedDeviceError, match="SplitterPopulationVertexFixed"):
        sim.Population(2, sim.IF_curr_exp(), additional_parameters={
            "splitter_object": SplitterPopulationVertexFixed()})
    with pytest.warns(UserWarning, match="spikes_per_second"):
        pop = sim.Population(2, sim.SpikeSourcePoisson(), seed=3,
                             additional_parameters={"spikes_per_second": 100})
    assert pop.size == 2


def test_all_but_me_connector_with_positive_inhibitory_weights(spynnaker):
    sim = spynnaker
    sim.setup(timestep=1.0)
    pop = sim.Population(3, sim.IF_curr_exp())
    proj = sim.Projection(pop, pop, sim.extra_models.AllButMeConnector(),
                          sim.StaticSynapse(weight=10.0), receptor_type="inhibitory")
    assert {w for _, _, w in proj.get("weight", "list")} == {-10.0}


def test_convolution_connector_is_refused_by_name(sim):
    with pytest.raises(RefusedDeviceError, match="ConvolutionConnector.*FromListConnector"):
        sim.ConvolutionConnector(kernel_weights=np.ones((3, 3)))


def test_if_curr_alpha_records_its_synaptic_currents(sim):
    sim.setup(timestep=0.1)
    src = sim.Population(1, sim.SpikeSourceArray(spike_times=[1.0]))
    cell = sim.Population(1, sim.IF_curr_alpha(tau_syn_E=2.0))
    sim.Projection(src, cell, sim.OneToOneConnector(), sim.StaticSynapse(weight=1.0, delay=1.0))
    cell.record(["isyn_exc", "isyn_inh"])
    sim.run(10.0)
    segment = cell.get_data().segments[0]
    current = np.asarray(segment.filter(name="isyn_exc")[0].magnitude).ravel()
    # arrives at 2 ms; an alpha current of weight w peaks at w, tau_syn after its arrival
    assert int(np.argmax(current)) == 40
    assert current.max() == pytest.approx(1.0, rel=1e-5)
    assert not np.asarray(segment.filter(name="isyn_inh")[0].magnitude).any()


def test_gsyn_of_delta_cells_is_the_tick_input(spynnaker):
    sim = spynnaker
    sim.setup(timestep=1.0)
    src = sim.Population(1, sim.SpikeSourceArray(spike_times=[2.0, 5.0]))
    cell = sim.Population(1, sim.IF_curr_delta())
    sim.Projection(src, cell, sim.OneToOneConnector(), sim.StaticSynapse(weight=1.5, delay=1.0))
    sim.Projection(src, cell, sim.OneToOneConnector(), sim.StaticSynapse(weight=0.5, delay=2.0),
                   receptor_type="inhibitory")
    cell.record(["v", "gsyn_exc", "gsyn_inh"])
    sim.run(8.0)
    segment = cell.get_data().segments[0]
    exc = np.asarray(segment.filter(name="gsyn_exc")[0].magnitude).ravel()
    inh = np.asarray(segment.filter(name="gsyn_inh")[0].magnitude).ravel()
    v = np.asarray(segment.filter(name="v")[0].magnitude).ravel()
    np.testing.assert_array_equal(np.flatnonzero(exc), [3, 6])     # spikes + 1 ms delay
    np.testing.assert_array_equal(exc[[3, 6]], 1.5)
    np.testing.assert_array_equal(np.flatnonzero(inh), [4, 7])
    np.testing.assert_array_equal(inh[[4, 7]], -0.5)
    assert v[3] - v[2] == pytest.approx(1.5, abs=1e-4)                # the jump it records
    assert str(segment.filter(name="gsyn_exc")[0].units.dimensionality) == "mV"


def test_negative_conductance_weights_are_magnitudes_in_spynnaker_mode(spynnaker):
    sim = spynnaker
    sim.setup(timestep=1.0)
    src = sim.Population(1, sim.SpikeSourceArray(spike_times=[2.0]))
    cell = sim.Population(1, sim.IF_cond_exp())
    with pytest.warns(SpiNNaker1ConventionWarning, match="magnitudes"):
        proj = sim.Projection(src, cell, sim.OneToOneConnector(),
                              sim.StaticSynapse(weight=-0.01), receptor_type="inhibitory")
    assert proj.get("weight", "list")[0][2] == 0.01


def test_spinnaker_get_data_tables(spynnaker):
    sim = spynnaker
    sim.setup(timestep=1.0)
    src = sim.Population(2, sim.SpikeSourceArray(spike_times=[[3.0], [1.0, 2.0]]))
    src.record("spikes")
    lif = sim.Population(1, sim.IF_curr_exp())
    lif.record("v")
    sim.run(3.0)
    np.testing.assert_array_equal(src.spinnaker_get_data("spikes"),
                                  [[0, 3.0], [1, 1.0], [1, 2.0]])
    assert lif.spinnaker_get_data(["v"]).shape == (4, 3)


def _spike_times(sim):
    sim.setup(timestep=1.0)
    src = sim.Population(1, sim.SpikeSourceArray(spike_times=[3.0, 7.0]))
    cell = sim.Population(1, sim.IF_curr_exp(i_offset=2.0, tau_refrac=0.0))
    src.record("spikes")
    cell.record("spikes")
    sim.run(40.0)
    return ([np.asarray(p.get_data().segments[0].spiketrains[0]) for p in (src, cell)])


def test_neuron_spikes_are_stamped_at_the_tick_start_in_spynnaker_mode(sim):
    source, neuron = _spike_times(sim)
    mode.enable()
    mode.reset_warnings()
    try:
        with pytest.warns(SpiNNaker1ConventionWarning, match="start of the tick"):
            spynnaker_source, spynnaker_neuron = _spike_times(sim)
    finally:
        mode.enable(False)
    assert len(neuron) > 2
    np.testing.assert_array_equal(spynnaker_neuron, neuron - 1.0)
    np.testing.assert_array_equal(spynnaker_source, source)
    np.testing.assert_array_equal(source, [3.0, 7.0])
