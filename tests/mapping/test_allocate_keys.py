"""Stage allocate_keys on hand-made partitions, with validate.check_keys on the output."""

import numpy as np
import pytest

from pynn_spinnaker2.compiled.stages import KeyAllocation, Partition
from pynn_spinnaker2.errors import InvariantError
from pynn_spinnaker2.mapping.keys import allocate_keys
from pynn_spinnaker2.mapping.validate import CHECKS

PARTS = Partition(pop=np.array([0, 0, 1]), lo=np.array([0, 200, 0]),
                  hi=np.array([200, 400, 256]))


def test_slice_s_gets_key_s_shifted_by_8_under_one_mask():
    keys = allocate_keys(PARTS)
    CHECKS["allocate_keys"](PARTS, keys)
    np.testing.assert_array_equal(keys.base, [0x000, 0x100, 0x200])
    np.testing.assert_array_equal(keys.mask, [0xFFFFFF00] * 3)


def test_key_blocks_do_not_overlap_and_hold_every_neuron_of_their_slice():
    keys = allocate_keys(PARTS)
    base, mask = keys.base.astype(np.int64), keys.mask.astype(np.int64)
    for s in range(PARTS.n_slices):
        spike_keys = base[s] | np.arange(PARTS.hi[s] - PARTS.lo[s])
        owners = [t for t in range(PARTS.n_slices) if (spike_keys[-1] & mask[t]) == base[t]]
        assert owners == [s]
        assert np.all((spike_keys & mask[s]) == base[s])


def test_check_keys_catches_shared_and_too_narrow_blocks():
    shared = KeyAllocation(base=np.array([0, 0, 0x200], np.uint32),
                           mask=np.full(3, 0xFFFFFF00, np.uint32))
    with pytest.raises(InvariantError, match="'allocate_keys'.*share a key"):
        CHECKS["allocate_keys"](PARTS, shared)
    narrow = KeyAllocation(base=np.array([0, 0x100, 0x200], np.uint32),
                           mask=np.full(3, 0xFFFFFF80, np.uint32))
    with pytest.raises(InvariantError, match="more neurons than its key block"):
        CHECKS["allocate_keys"](PARTS, narrow)
