"""Which rank holds which neurons and slices under MPI, and the compiler's agreement over
ranks, without MPI: mapping/agreed.py and parallel/ownership.py."""

import numpy as np
import pytest
from hypothesis import given, strategies as st

from pynn_spinnaker2.compiled.stages import Partition
from pynn_spinnaker2.mapping.agreed import ALONE, neuron_owner, slice_owners
from pynn_spinnaker2.parallel import PeerFailed
from pynn_spinnaker2.parallel.ownership import AgreementOverMPI, _Payload


@given(st.integers(0, 2000), st.integers(1, 9))
def test_every_rank_holds_one_contiguous_share_of_a_population(size, ranks):
    owner = neuron_owner(np.arange(size), size, ranks)
    assert np.all(np.diff(owner) >= 0) and np.all((owner >= 0) & (owner < ranks))
    shares = np.bincount(owner, minlength=ranks)
    assert shares.sum() == size and shares.max() - shares.min() <= 1


def test_a_slice_belongs_to_the_rank_of_its_first_neuron():
    # population 0: 100 neurons in 4 slices; population 1: 3 neurons in one slice
    parts = Partition(np.array([0, 0, 0, 0, 1]), np.array([0, 25, 50, 75, 0]),
                      np.array([25, 50, 75, 100, 3]))
    assert slice_owners(parts, [100, 3], 2).tolist() == [0, 0, 1, 1, 0]
    assert slice_owners(parts, [100, 3], 3).tolist() == [0, 0, 1, 2, 0]
    assert slice_owners(parts, [100, 3], 1).tolist() == [0] * 5


def test_one_process_agrees_with_itself():
    values = np.array([3, 1, 2])
    assert ALONE.reduce(values, "max").tolist() == [3, 1, 2]
    assert ALONE.reduce(values, "sum").tolist() == [3, 1, 2]
    assert ALONE.gather("x") == ["x"]


class _TwoRanks:
    """A World whose other rank sends ``other`` in every allgather."""

    rank, size = 0, 2

    def __init__(self, other):
        self.other = other

    def allgather(self, value):
        return [value, self.other]


def test_agreement_reduces_every_rank_part():
    agree = AgreementOverMPI(_TwoRanks(_Payload(np.array([5, 0, 7]))))
    mine = np.array([1, 4, 7])
    assert agree.reduce(mine, "max").tolist() == [5, 4, 7]
    assert agree.reduce(mine, "min").tolist() == [1, 0, 7]
    assert agree.reduce(mine, "sum").tolist() == [6, 4, 14]
    assert AgreementOverMPI(_TwoRanks(_Payload(np.array([True, False])))).reduce(
        np.array([False, False]), "or").tolist() == [True, False]


def test_a_rank_that_failed_inside_a_collective_step_is_reported():
    failure = ("MemoryError", "no memory on rank 1", "Traceback ...")
    agree = AgreementOverMPI(_TwoRanks(failure))
    with pytest.raises(PeerFailed) as caught:
        agree.reduce(np.array([1]), "max")
    assert caught.value.failed == [(1, failure)]
