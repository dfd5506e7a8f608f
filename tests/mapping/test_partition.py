"""Stage partition on hand-made networks, with validate.check_partition on the output.

A population is cut into equal slices (numpy.linspace rounded) of at most its neurons per PE."""

import numpy as np
import pytest

from factories import config, lif, network, one_to_one, poisson, projection
from pynn_spinnaker2.compiled.stages import Partition
from pynn_spinnaker2.errors import InvariantError
from pynn_spinnaker2.mapping.delay_extensions import add_delay_extensions
from pynn_spinnaker2.mapping.partition import partition
from pynn_spinnaker2.mapping.poisson_fold import fold_poisson_sources
from pynn_spinnaker2.mapping.validate import CHECKS


def _ranges(parts: Partition, pop: int) -> list[tuple[int, int]]:
    ids = parts.slices_of(pop)
    return list(zip(parts.lo[ids].tolist(), parts.hi[ids].tolist()))


def test_600_neurons_at_256_per_core_make_three_equal_slices():
    net = network([lif(0, 600)])
    parts = partition(net, config(neurons_per_core=256))
    CHECKS["partition"](net, parts)
    assert _ranges(parts, 0) == [(0, 200), (200, 400), (400, 600)]


def test_a_population_limit_overrides_setup_and_slices_follow_population_order():
    net = network([lif(0, 10), lif(1, 250, neurons_per_core=100), lif(2, 256)])
    parts = partition(net, config(neurons_per_core=256))
    CHECKS["partition"](net, parts)
    np.testing.assert_array_equal(parts.pop, [0, 1, 1, 1, 2])
    assert _ranges(parts, 1) == [(0, 83), (83, 167), (167, 250)]
    assert _ranges(parts, 0) == [(0, 10)] and _ranges(parts, 2) == [(0, 256)]


def test_a_folded_poisson_population_gets_no_slice():
    net = fold_poisson_sources(network([poisson(0, 5), lif(1, 5)],
                                       [projection(0, 0, 1, one_to_one(5))]))
    parts = partition(net, config())
    CHECKS["partition"](net, parts)
    np.testing.assert_array_equal(parts.pop, [1])


def test_delay_extension_slices_hold_whole_source_neurons():
    """Source of 200 neurons in one slice; delays of 193 ticks need (193 - 1) // 64 = 3 stages,
    so 256 // 3 = 85 source neurons per extension PE: the source slice is cut into 3 equal
    parts, 0, 67, 133, 200, and the extension's slices are those times 3."""
    pre = np.arange(200)
    net = add_delay_extensions(network([lif(0, 200), lif(1, 200)],
                                       [projection(0, 0, 1, (pre, pre), delay=193.0)]))
    parts = partition(net, config())
    CHECKS["partition"](net, parts)
    assert _ranges(parts, 2) == [(0, 201), (201, 399), (399, 600)]


def test_check_partition_catches_a_gap_and_an_oversized_slice():
    net = network([lif(0, 600)])
    gap = Partition(pop=np.array([0, 0]), lo=np.array([0, 300]), hi=np.array([299, 600]))
    with pytest.raises(InvariantError, match="'partition'.*not tiled"):
        CHECKS["partition"](net, gap)
    big = Partition(pop=np.array([0, 0]), lo=np.array([0, 300]), hi=np.array([300, 600]))
    with pytest.raises(InvariantError, match="more neurons than a PE may"):
        CHECKS["partition"](net, big)
