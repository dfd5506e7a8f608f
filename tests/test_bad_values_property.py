"""Property: a bad value anywhere gets our error classes or PyNN's named errors, never an
internal error (IndexError, AssertionError, TypeError, OverflowError, ... from our code, numpy or
lazyarray), a crash or a hang.

Hypothesis draws, for every parameter of every standard cell type, synapse type, connector,
current source and setup() option, a bad value: NaN, +-inf, a negative number, a wrong type (a
string, None, a list where a number belongs) or a list of the wrong length. The object is made
and, when nothing refused it (a negative v_rest is legal), a 1 ms run must go through.
"""

import math
import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from pyNN import errors as pynn_errors

import pynn_spinnaker2 as sim
from pynn_spinnaker2.errors import SpiNNaker2Error
from pynn_spinnaker2.standardmodels.cells import SUPPORTED

ALLOWED = (SpiNNaker2Error, pynn_errors.InvalidParameterValueError,
           pynn_errors.NonExistentParameterError, pynn_errors.ConnectionError,
           pynn_errors.InvalidDimensionsError, pynn_errors.InvalidModelError)
SIZE = 3

BAD_NUMBERS = st.sampled_from([math.nan, math.inf, -math.inf, -1.0, -1e9, 1e300])
WRONG_TYPES = st.sampled_from(["abc", None, [1.0, 2.0], {"a": 1}])
WRONG_LENGTH = st.sampled_from([[1.0] * (SIZE + 1), [1.0] * (SIZE - 1), []])
BAD = st.one_of(BAD_NUMBERS, WRONG_TYPES, WRONG_LENGTH)


def _outcome(make) -> None:
    """``make()`` then a 1 ms run: either goes through or raises one of ALLOWED."""
    sim.setup(timestep=0.1, hardware_summary=False, progress_bar=False)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            make()
            sim.run(1.0)
    except ALLOWED:
        pass
    finally:
        sim.end()


CELL_PARAMETERS = [(cell, name) for cell in SUPPORTED for name in cell.default_parameters]


@given(case=st.sampled_from(CELL_PARAMETERS), value=BAD, via_set=st.booleans())
def test_cell_parameters(case, value, via_set):
    cell, name = case

    def make():
        if via_set:
            cells = sim.Population(SIZE, getattr(sim, cell.__name__)(), label="cells")
            cells.set(**{name: value})
        else:
            cells = sim.Population(SIZE, getattr(sim, cell.__name__)(**{name: value}),
                                   label="cells")
        cells.record("spikes")
    _outcome(make)


@given(name=st.sampled_from(["v", "isyn_exc", "w", "u", "nonexistent"]), value=BAD)
def test_initial_values(name, value):
    def make():
        cells = sim.Population(SIZE, sim.IF_curr_exp(), label="cells")
        cells.initialize(**{name: value})
    _outcome(make)


SYNAPSES = {
    "StaticSynapse": ["weight", "delay"],
    "TsodyksMarkramSynapse": ["weight", "delay", "U", "tau_rec", "tau_facil"],
    "SimpleStochasticSynapse": ["weight", "delay", "p"],
    "StochasticTsodyksMarkramSynapse": ["weight", "delay", "U", "tau_rec", "tau_facil"],
    "MultiQuantalSynapse": ["weight", "delay", "U", "n", "tau_rec", "tau_facil"],
    "SpikePairRule": ["tau_plus", "tau_minus", "A_plus", "A_minus"],
    "AdditiveWeightDependence": ["w_min", "w_max"],
    "MultiplicativeWeightDependence": ["w_min", "w_max"],
    "STDPMechanism": ["weight", "delay", "dendritic_delay_fraction"],
}


def _synapse(kind: str, name: str, value):
    if kind in ("SpikePairRule", "AdditiveWeightDependence", "MultiplicativeWeightDependence"):
        timing = sim.SpikePairRule(**({name: value} if kind == "SpikePairRule" else {}))
        weight_dependence = getattr(sim, kind if kind != "SpikePairRule"
                                    else "AdditiveWeightDependence")(
            **({name: value} if kind != "SpikePairRule" else {}))
        return sim.STDPMechanism(timing_dependence=timing, weight_dependence=weight_dependence,
                                 weight=0.1, delay=1.0)
    if kind == "STDPMechanism":
        args = dict(weight=0.1, delay=1.0)
        args[name] = value
        return sim.STDPMechanism(timing_dependence=sim.SpikePairRule(),
                                 weight_dependence=sim.AdditiveWeightDependence(), **args)
    return getattr(sim, kind)(**{"weight": 0.1, name: value})


@given(case=st.sampled_from([(k, n) for k, names in SYNAPSES.items() for n in names]),
       value=BAD, via_set=st.booleans())
def test_synapse_parameters(case, value, via_set):
    kind, name = case

    def make():
        pre = sim.Population(SIZE, sim.SpikeSourceArray(spike_times=[0.5]), label="pre")
        post = sim.Population(SIZE, sim.IF_curr_exp(), label="post")
        if via_set and kind not in ("SpikePairRule", "AdditiveWeightDependence",
                                    "MultiplicativeWeightDependence", "STDPMechanism"):
            projection = sim.Projection(pre, post, sim.AllToAllConnector(),
                                        getattr(sim, kind)(weight=0.1), label="proj")
            projection.set(**{name: value})
        else:
            sim.Projection(pre, post, sim.AllToAllConnector(), _synapse(kind, name, value),
                           label="proj")
    _outcome(make)


CONNECTORS = {
    "AllToAllConnector": ["allow_self_connections"],
    "OneToOneConnector": [],
    "FixedProbabilityConnector": ["p_connect", "allow_self_connections"],
    "FixedNumberPreConnector": ["n", "allow_self_connections", "with_replacement"],
    "FixedNumberPostConnector": ["n", "allow_self_connections"],
    "FixedTotalNumberConnector": ["n"],
    "DistanceDependentProbabilityConnector": ["d_expression"],
    "ArrayConnector": ["array"],
    "FromListConnector": ["conn_list"],
    "SmallWorldConnector": ["degree", "rewiring"],
}
CONNECTOR_DEFAULTS = {"FixedProbabilityConnector": {"p_connect": 0.5},
                      "FixedNumberPreConnector": {"n": 2}, "FixedNumberPostConnector": {"n": 2},
                      "FixedTotalNumberConnector": {"n": 4},
                      "DistanceDependentProbabilityConnector": {"d_expression": "exp(-d)"},
                      "ArrayConnector": {"array": np.ones((SIZE, SIZE), bool)},
                      "FromListConnector": {"conn_list": [(0, 1, 0.1, 1.0)]},
                      "SmallWorldConnector": {"degree": 2.0, "rewiring": 0.1}}
CONNECTOR_BAD = st.one_of(BAD, st.sampled_from(["-d", "exp(-dd)", "1/0", [(0, 99)],
                                                 [(0, 1, math.nan, 1.0)], [(-1, 0)]]))


@given(case=st.sampled_from([(k, n) for k, names in CONNECTORS.items() for n in names]
                            + [("OneToOneConnector", None)]),
       value=CONNECTOR_BAD)
def test_connector_arguments(case, value):
    kind, name = case

    def make():
        pre = sim.Population(SIZE, sim.IF_curr_exp(), label="pre")
        post = sim.Population(SIZE + (name is None), sim.IF_curr_exp(), label="post")
        args = dict(CONNECTOR_DEFAULTS.get(kind, {}))
        if name is not None:
            args[name] = value
        sim.Projection(pre, post, getattr(sim, kind)(**args), sim.StaticSynapse(weight=0.1),
                       label="proj")
    _outcome(make)


CURRENT_SOURCES = {
    "DCSource": ["amplitude", "start", "stop"],
    "ACSource": ["amplitude", "offset", "frequency", "phase", "start", "stop"],
    "StepCurrentSource": ["times", "amplitudes"],
    "NoisyCurrentSource": ["mean", "stdev", "dt", "start", "stop"],
}
SOURCE_DEFAULTS = {"StepCurrentSource": {"times": [0.5, 0.7], "amplitudes": [0.1, 0.2]}}


@given(case=st.sampled_from([(k, n) for k, names in CURRENT_SOURCES.items() for n in names]),
       value=BAD)
def test_current_source_parameters(case, value):
    kind, name = case

    def make():
        cells = sim.Population(SIZE, sim.IF_curr_exp(), label="cells")
        args = dict(SOURCE_DEFAULTS.get(kind, {}))
        args[name] = value
        getattr(sim, kind)(**args).inject_into(cells)
    _outcome(make)


SETUP_OPTIONS = ["timestep", "min_delay", "max_delay", "machine", "boards", "rng_seed",
                 "neurons_per_core", "weight_bits", "usable_pes_per_chip", "performance_level",
                 "pl_threshold", "time_scale_factor", "placer", "fold_poisson", "strict_timing",
                 "validate", "dead_chips", "dead_pes", "dead_links"]


@given(name=st.sampled_from(SETUP_OPTIONS), value=st.one_of(BAD, st.just(0), st.just("x")))
def test_setup_options(name, value):
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            sim.setup(**{name: value, "hardware_summary": False, "progress_bar": False})
            cells = sim.Population(SIZE, sim.IF_curr_exp(i_offset=1.0), label="cells")
            cells.record("spikes")
            sim.run(1.0)
    except ALLOWED:
        pass
    finally:
        sim.end()


@given(value=st.one_of(BAD_NUMBERS, st.sampled_from(["1", None, 0.0])))
def test_run_times(value):
    _outcome(lambda: sim.run(value))


@pytest.mark.parametrize("error", [IndexError, AssertionError, TypeError, OverflowError])
def test_internal_errors_are_not_allowed(error):
    assert not issubclass(error, ALLOWED) or issubclass(error, SpiNNaker2Error)
