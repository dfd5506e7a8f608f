"""Stage slice_pairs (count_slice_pairs) on a hand-made partition, with
validate.check_slice_pairs on the output.

pre (pop 0, 6 neurons) in slices 0 = [0, 3) and 1 = [3, 6); post (pop 1, 4 neurons) in slices
2 = [0, 2) and 3 = [2, 4). Synapses (pre, post) and the row block each falls in:
(0, 0), (1, 0): 0 -> 2; (4, 1): 1 -> 2; (2, 3): 0 -> 3; (5, 2), (5, 3): 1 -> 3.
"""

import dataclasses

import numpy as np
import pytest

from factories import lif, network, projection
from pynn_spinnaker2.compiled.stages import Partition
from pynn_spinnaker2.errors import InvariantError
from pynn_spinnaker2.mapping.slice_pairs import connected_slice_pairs, count_slice_pairs
from pynn_spinnaker2.mapping.validate import CHECKS

PARTS = Partition(pop=np.array([0, 0, 1, 1]), lo=np.array([0, 3, 0, 2]),
                  hi=np.array([3, 6, 2, 4]))
SYNAPSES = [(0, 0), (1, 0), (4, 1), (5, 2), (2, 3), (5, 3)]
# (projection, source slice, target slice, synapses), sorted by projection, target, source
EXPECTED = [(0, 0, 2, 2), (0, 1, 2, 1), (0, 0, 3, 1), (0, 1, 3, 2)]


def _table(pairs):
    return list(zip(pairs.projection.tolist(), pairs.src_slice.tolist(),
                    pairs.dst_slice.tolist(), pairs.count.tolist()))


def _net(synapses, extra=()):
    return network([lif(0, 6), lif(1, 4)], [projection(0, 0, 1, synapses), *extra])


def test_counts_equal_the_hand_counted_synapses_per_block():
    net = _net(SYNAPSES)
    pairs = count_slice_pairs(net, PARTS)
    CHECKS["slice_pairs"](net, pairs)
    assert _table(pairs) == EXPECTED
    np.testing.assert_array_equal(connected_slice_pairs(net, PARTS),
                                  [[0, 2], [0, 3], [1, 2], [1, 3]])


def test_synapses_not_sorted_by_post_give_the_same_blocks():
    net = _net(SYNAPSES[::-1])
    assert net.projections[0].post_order is not None
    pairs = count_slice_pairs(net, PARTS)
    CHECKS["slice_pairs"](net, pairs)
    assert _table(pairs) == EXPECTED


def test_an_empty_projection_has_no_block_and_a_second_one_follows_the_first():
    """Projection 1 (empty) has no entry; projection 2, post -> pre, (1, 4) and (0, 5): target
    slice 1 of pop 0 from source slice 2 of pop 1, two synapses."""
    extra = [projection(1, 0, 1, []), projection(2, 1, 0, [(1, 4), (0, 5)])]
    net = _net(SYNAPSES, extra)
    pairs = count_slice_pairs(net, PARTS)
    CHECKS["slice_pairs"](net, pairs)
    assert _table(pairs) == EXPECTED + [(2, 2, 1, 2)]


def test_check_slice_pairs_catches_a_miscount_and_an_empty_block():
    net = _net(SYNAPSES)
    pairs = count_slice_pairs(net, PARTS)
    more = dataclasses.replace(pairs, count=pairs.count + np.array([1, 0, 0, 0]))
    with pytest.raises(InvariantError, match="'slice_pairs'.*counts differ"):
        CHECKS["slice_pairs"](net, more)
    moved = dataclasses.replace(pairs, count=np.array([3, 0, 1, 2]))
    with pytest.raises(InvariantError, match="an empty row block"):
        CHECKS["slice_pairs"](net, moved)
