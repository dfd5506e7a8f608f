"""Stages poisson_fold (fold_poisson_sources) and poisson_inputs on hand-made networks, with
validate.check_folding on the output."""

import dataclasses

import numpy as np
import pytest

from factories import lif, network, one_to_one, all_to_all, poisson, projection
from pynn_spinnaker2.compiled.stages import Partition
from pynn_spinnaker2.errors import InvariantError
from pynn_spinnaker2.mapping.poisson_fold import fold_poisson_sources, poisson_inputs
from pynn_spinnaker2.mapping.validate import CHECKS


def _one_to_one_net(**proj_kwargs):
    return network([poisson(0, 4, rate=20.0), lif(1, 4)],
                   [projection(0, 0, 1, one_to_one(4), weight=0.25, delay=3.0, **proj_kwargs)])


def test_one_to_one_static_poisson_is_folded_and_its_projection_emptied():
    user = _one_to_one_net()
    folded = fold_poisson_sources(user)
    CHECKS["poisson_fold"](user, folded)
    assert folded.folded_populations() == {0}
    (fold,) = folded.folded_poisson
    assert fold.projections[0] is user.projections[0]       # kept as the user built it
    assert folded.projections[0].id == 0 and folded.projections[0].n_synapses == 0
    assert folded.populations == user.populations


@pytest.mark.parametrize("why", ["all_to_all", "disabled", "stdp-like dynamics", "long delay"])
def test_a_poisson_source_is_not_folded_when_it_may_not_be(why):
    if why == "all_to_all":       # a source neuron with two synapses
        user = network([poisson(0, 2), lif(1, 2)], [projection(0, 0, 1, all_to_all(2, 2))])
    elif why == "stdp-like dynamics":
        user = _one_to_one_net(dynamics="tsodyks_markram",
                               dynamics_params={"U": 0.5, "tau_rec": 100.0, "tau_facil": 0.0,
                                                "tau_psc": 5.0, "u0": 0.5})
    elif why == "long delay":     # 65 ticks: beyond the ring buffer
        user = network([poisson(0, 4), lif(1, 4)],
                       [projection(0, 0, 1, one_to_one(4), delay=65.0)])
    else:
        user = _one_to_one_net()
    folded = fold_poisson_sources(user, enabled=why != "disabled")
    CHECKS["poisson_fold"](user, folded)
    assert folded.folded_poisson == ()
    assert folded.projections[0].n_synapses == user.projections[0].n_synapses


def test_check_folding_catches_a_folded_projection_that_keeps_its_synapses():
    user = _one_to_one_net()
    folded = fold_poisson_sources(user)
    corrupt = dataclasses.replace(folded, projections=user.projections)
    with pytest.raises(InvariantError, match="'poisson_fold'.*keeps synapses"):
        CHECKS["poisson_fold"](user, corrupt)


def test_check_folding_catches_a_folded_non_poisson_population():
    user = _one_to_one_net()
    folded = fold_poisson_sources(user)
    fold = dataclasses.replace(folded.folded_poisson[0], population=1)
    with pytest.raises(InvariantError, match="is not Poisson"):
        CHECKS["poisson_fold"](user, dataclasses.replace(folded, folded_poisson=(fold,)))


def test_poisson_inputs_puts_one_input_per_synapse_on_the_target_slice():
    """Target lif1 of 4 neurons in two slices [0, 2), [2, 4) (slices 0 and 1; the folded source
    has none); weight 0.25 with exponent 10 is 256 (2**10 * 0.25), delay 3 ms = 3 ticks."""
    folded = fold_poisson_sources(_one_to_one_net())
    parts = Partition(pop=np.array([1, 1]), lo=np.array([0, 2]), hi=np.array([2, 4]))
    exponent = np.full((2, 2), 10)
    inputs = poisson_inputs(folded, parts, exponent, 16)
    assert len(inputs.tables) == 2
    for s in (0, 1):
        table = inputs.tables[s]
        np.testing.assert_array_equal(table["target"], [0, 1])
        np.testing.assert_array_equal(table["stream"], [2 * s, 2 * s + 1])   # pop 0 << 32 | i
        np.testing.assert_array_equal(table["weight"], [256, 256])
        np.testing.assert_array_equal(table["delay"], [3, 3])
        np.testing.assert_array_equal(table["projection"], [0, 0])
    assert inputs.worst_relative_error == {0: 0.0}


def test_poisson_inputs_of_an_unfolded_network_are_empty():
    user = network([lif(0, 3)], [projection(0, 0, 0, one_to_one(3))])
    parts = Partition(pop=np.array([0]), lo=np.array([0]), hi=np.array([3]))
    inputs = poisson_inputs(fold_poisson_sources(user), parts, np.zeros((1, 2), int), 16)
    assert inputs.tables == [{}] and inputs.worst_relative_error == {}
