"""Values outside a model's range are refused where NEST refuses them, or earlier: at
Population / Projection creation and set(), with our InvalidParameterValueError (also PyNN's)
naming the object, the parameter, the value and the range (pynn_spinnaker2/parameter_checks.py);
connector arguments PyNN would stop at a bare assert; file names no format matches."""

import numpy as np
import pytest

from pynn_spinnaker2.errors import (DataFileError, InvalidConnectionError,
                                    InvalidParameterValueError)


@pytest.mark.parametrize("cell,values,match", [
    ("IF_curr_exp", {"tau_refrac": -0.5}, r"tau_refrac = -0.5 .*tau_refrac >= 0"),
    ("IF_curr_exp", {"tau_m": 0.0}, r"tau_m = 0 .*tau_m > 0"),
    ("IF_cond_alpha", {"cm": -1.0}, r"cm = -1 .*cm > 0"),
    ("IF_curr_alpha", {"tau_syn_I": -2.0}, r"tau_syn_I > 0"),
    ("IF_curr_delta", {"v_reset": -50.0}, r"v_reset = -50 and v_thresh = -50.*v_reset < v_thresh"),
    ("IF_cond_exp", {"v_reset": -40.0}, r"v_reset < v_thresh"),
    ("EIF_cond_exp_isfa_ista", {"tau_w": 0.0}, r"tau_w > 0"),
    ("EIF_cond_alpha_isfa_ista", {"delta_T": -1.0}, r"delta_T >= 0"),
    ("EIF_cond_exp_isfa_ista", {"v_spike": -60.0}, r"v_thresh <= v_spike"),
    ("HH_cond_exp", {"gbar_K": -1.0}, r"gbar_K >= 0"),
    ("SpikeSourcePoisson", {"rate": -5.0}, r"rate = -5 .*rate >= 0"),
    ("SpikeSourcePoisson", {"start": -1.0}, r"start >= 0"),
    ("SpikeSourceGamma", {"duration": -1.0}, r"duration >= 0"),
])
def test_cell_parameters_outside_their_range_are_refused_at_creation(sim, cell, values, match):
    sim.setup(timestep=0.1)
    with pytest.raises(InvalidParameterValueError, match=f"Population 'bad'.*{match}"):
        sim.Population(4, getattr(sim, cell)(**values), label="bad")


def test_the_first_bad_neuron_is_named(sim):
    sim.setup(timestep=0.1)
    with pytest.raises(InvalidParameterValueError, match="tau_m = -3 for neuron 2"):
        sim.Population(4, sim.IF_curr_exp(tau_m=[10.0, 20.0, -3.0, 5.0]), label="bad")


def test_set_outside_the_range_changes_nothing(sim):
    sim.setup(timestep=0.1)
    cells = sim.Population(4, sim.IF_curr_exp(), label="cells")
    with pytest.raises(InvalidParameterValueError, match="'cells'.*tau_refrac"):
        cells.set(tau_refrac=-1.0)
    with pytest.raises(InvalidParameterValueError, match="v_reset < v_thresh"):
        cells.set(v_thresh=-70.0)          # below the unchanged v_reset
    with pytest.raises(InvalidParameterValueError, match="v_reset < v_thresh"):
        cells[1:3].set(v_reset=-45.0)
    with pytest.raises(InvalidParameterValueError, match="finite"):
        cells[0:2].set(i_offset=float("nan"))
    assert np.all(cells.get("tau_refrac") == 0.1)
    assert np.all(cells.get("v_thresh") == -50.0) and np.all(cells.get("v_reset") == -65.0)
    assert np.all(cells.get("i_offset") == 0.0)
    cells.set(v_reset=-45.0, v_thresh=-40.0)   # both at once: in order
    cells[1:3].set(v_reset=-60.0)
    assert cells.get("v_reset").tolist() == [-45.0, -60.0, -60.0, -45.0]


def test_composed_models_are_checked_by_parameter_name(sim):
    sim.setup(timestep=0.1)
    with pytest.raises(InvalidParameterValueError, match="AMPA.tau_syn = -1"):
        sim.Population(2, sim.PointNeuron(sim.LIF(), AMPA=sim.CondExpPostSynapticResponse(
            tau_syn=-1.0)), label="pn")
    with pytest.raises(InvalidParameterValueError, match="v_reset < v_thresh"):
        sim.Population(2, sim.PointNeuron(
            sim.LIF(v_reset=-40.0), AMPA=sim.CondExpPostSynapticResponse(tau_syn=1.0)),
            label="pn")


@pytest.mark.parametrize("synapse,match", [
    (dict(U=1.5), r"U = 1.5 for synapse 0 .*U in \[0, 1\]"),
    (dict(U=-0.1), r"U in \[0, 1\]"),
    (dict(tau_rec=-1.0), r"tau_rec > 0"),
    (dict(tau_facil=-1.0), r"tau_facil >= 0"),
])
def test_tsodyks_markram_ranges(sim, synapse, match):
    sim.setup(timestep=0.1)
    cells = sim.Population(3, sim.IF_curr_exp(), label="cells")
    with pytest.raises(InvalidParameterValueError, match=f"Projection 'tm'.*{match}"):
        sim.Projection(cells, cells, sim.AllToAllConnector(),
                       sim.TsodyksMarkramSynapse(weight=0.1, **synapse), label="tm")


def test_synapse_set_outside_the_range_changes_nothing(sim):
    sim.setup(timestep=0.1)
    cells = sim.Population(3, sim.IF_curr_exp(), label="cells")
    projection = sim.Projection(cells, cells, sim.AllToAllConnector(),
                                sim.TsodyksMarkramSynapse(weight=0.1, U=0.3), label="tm")
    with pytest.raises(InvalidParameterValueError, match="U in"):
        projection.set(U=2.0)
    assert set(projection.get("U", format="list", with_address=False)) == {0.3}


@pytest.mark.parametrize("rule,match", [
    (dict(tau_plus=-1.0), "tau_plus > 0"), (dict(tau_minus=0.0), "tau_minus > 0")])
def test_stdp_time_constants(sim, rule, match):
    sim.setup(timestep=0.1)
    cells = sim.Population(3, sim.IF_curr_exp(), label="cells")
    stdp = sim.STDPMechanism(timing_dependence=sim.SpikePairRule(**rule),
                             weight_dependence=sim.AdditiveWeightDependence(), weight=0.1)
    with pytest.raises(InvalidParameterValueError, match=match):
        sim.Projection(cells, cells, sim.AllToAllConnector(), stdp, label="stdp")


@pytest.mark.parametrize("make,match", [
    (lambda sim: sim.FixedProbabilityConnector(p_connect=-0.1), "p_connect=-0.1"),
    (lambda sim: sim.FixedProbabilityConnector(p_connect=float("nan")), "probability"),
    (lambda sim: sim.FixedNumberPreConnector(n=-2), "n=-2"),
    (lambda sim: sim.FixedTotalNumberConnector(n=2.5), "whole number"),
    (lambda sim: sim.AllToAllConnector(allow_self_connections="yes"), "True or False"),
    (lambda sim: sim.SmallWorldConnector(degree=2.0, rewiring=1.5), "rewiring"),
    (lambda sim: sim.DistanceDependentProbabilityConnector("-d"), ">= 0"),
    (lambda sim: sim.DistanceDependentProbabilityConnector("exp(-dist)"), "NameError"),
])
def test_connector_arguments_get_our_error_not_an_assert(sim, make, match):
    sim.setup(timestep=0.1)
    with pytest.raises(InvalidConnectionError, match=match):
        make(sim)


def test_checked_connectors_take_the_array_code(sim):
    from pyNN import connectors as pc

    from pynn_spinnaker2 import connectors
    sim.setup(timestep=0.1)
    cells = sim.Population(30, sim.IF_curr_exp(), label="cells")
    connector = sim.FixedProbabilityConnector(0.2, rng=sim.NumpyRNG(3))
    assert isinstance(connector, pc.FixedProbabilityConnector)
    projection = sim.Projection(cells, cells, connector, sim.StaticSynapse(weight=0.1))
    pre, post = connectors.connection_indices(
        sim.FixedProbabilityConnector(0.2, rng=sim.NumpyRNG(3)), projection)
    assert projection.size() == len(pre) > 0


@pytest.mark.parametrize("filename", ["out.xyz", "out.txt", "out"])
def test_unknown_file_extensions_are_refused_when_given(sim, filename, tmp_path):
    sim.setup(timestep=0.1)
    cells = sim.Population(3, sim.IF_curr_exp(), label="cells")
    with pytest.raises(DataFileError, match="'cells'.*Use one of"):
        cells.record("v", to_file=str(tmp_path / filename))
    cells.record("v")
    sim.run(1.0)
    with pytest.raises(DataFileError, match="'cells'"):
        cells.write_data(str(tmp_path / filename))
    with pytest.raises(ValueError):                      # what a user would catch
        cells[0:1].write_data(str(tmp_path / filename))
