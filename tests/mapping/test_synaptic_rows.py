"""Stage synaptic_rows (build_synaptic_data) on a hand-made partition and placement, with
validate.check_synaptic_rows on the output; the DRAM words are read back by hand
(docs/formats.md: a row table of rows + 1 offsets, then the synapse words, weight 16 | delay - 1
6 | type 2 | target index 8 bits).

pre (pop 0) slices 0 = [0, 3), 1 = [3, 6); post (pop 1) slices 2 = [0, 2), 3 = [2, 4); all four
on chip 0. SYNAPSES: (pre, post, weight, delay in ticks at dt = 1).
"""

import dataclasses

import numpy as np
import pytest

from factories import lif, network, projection
from pynn_spinnaker2.compiled.stages import Partition, Placements
from pynn_spinnaker2.errors import InvariantError
from pynn_spinnaker2.formats import unpack_synapse_words
from pynn_spinnaker2.mapping.slice_pairs import count_slice_pairs
from pynn_spinnaker2.mapping.synaptic_matrices import build_synaptic_data
from pynn_spinnaker2.mapping.validate import CHECKS

SYNAPSES = [(0, 0, 0.5, 1), (1, 0, 0.25, 2), (4, 1, 0.5, 3), (5, 2, 0.5, 5), (2, 3, 0.125, 1),
            (5, 3, 0.5, 1)]
PARTS = Partition(pop=np.array([0, 0, 1, 1]), lo=np.array([0, 3, 0, 2]),
                  hi=np.array([3, 6, 2, 4]))
PLACED = Placements(chip=np.zeros(4, int), pe=np.arange(4))


def _build():
    pre, post, weight, delay = (np.array(c) for c in zip(*SYNAPSES))
    net = network([lif(0, 6), lif(1, 4)],
                  [projection(0, 0, 1, (pre, post), weight=weight, delay=delay.astype(float))])
    pairs = count_slice_pairs(net, PARTS)
    return pairs, build_synaptic_data(net, PARTS, PLACED, pairs, 16)


def _block(data, b):
    """(row offsets, [(weight, delay, type, index)] of its synapse words) of block b."""
    image, start, rows = data.dram[0], int(data.block_address[b]), int(data.block_rows[b])
    offsets = image[start:start + rows + 1].tolist()
    words = image[start + offsets[0]:start + offsets[-1]]
    return offsets, list(zip(*(f.tolist() for f in unpack_synapse_words(words))))


def test_blocks_lie_back_to_back_with_the_hand_packed_words():
    pairs, data = _build()
    CHECKS["synaptic_rows"](pairs, data)
    # blocks (target, source): (2, 0), (2, 1), (3, 0), (3, 1); rows = the source slice's 3
    np.testing.assert_array_equal(data.block_slice, [2, 2, 3, 3])
    np.testing.assert_array_equal(data.block_source, [0, 1, 0, 1])
    np.testing.assert_array_equal(data.block_rows, [3, 3, 3, 3])
    # size (rows + 1) + synapses: 6, 5, 5, 6 words
    np.testing.assert_array_equal(data.block_address, [0, 6, 11, 16])
    assert data.dram[0].size == 22
    # exponent: the largest weight onto pop 1 is 0.5, so floor(log2(65535 / 0.5)) = 16
    np.testing.assert_array_equal(data.weight_exponent[:, 0], [0, 0, 16, 16])
    assert not data.weight_exponent[:, 1:].any()
    # ring: slice 2's longest delay 3 ticks -> 4 slots, slice 3's 5 ticks -> 8
    np.testing.assert_array_equal(data.ring_slots[2:], [4, 8])
    assert data.worst_relative_error == {0: 0.0}
    # block 0: neuron 0 -> post 0 (0.5, 1 tick), neuron 1 -> post 0 (0.25, 2 ticks)
    assert _block(data, 0) == ([4, 5, 6, 6], [(32768, 1, 0, 0), (16384, 2, 0, 0)])
    # block 3: neuron 5 -> post 2 (index 0, 5 ticks) and post 3 (index 1, 1 tick)
    assert _block(data, 3) == ([4, 4, 4, 6], [(32768, 5, 0, 0), (32768, 1, 0, 1)])
    # block 2: neuron 2 -> post 3 (index 1), 0.125 * 2**16
    assert _block(data, 2) == ([4, 4, 4, 5], [(8192, 1, 0, 1)])


def test_check_synaptic_rows_catches_a_misplaced_or_miscounted_block():
    pairs, data = _build()
    before = dataclasses.replace(data, block_address=data.block_address - 1)
    with pytest.raises(InvariantError, match="'synaptic_rows'.*before its chip's image"):
        CHECKS["synaptic_rows"](pairs, before)
    fewer = dataclasses.replace(data, block_synapses=data.block_synapses - 1)
    with pytest.raises(InvariantError, match="row blocks differ from the slice pairs"):
        CHECKS["synaptic_rows"](pairs, fewer)
