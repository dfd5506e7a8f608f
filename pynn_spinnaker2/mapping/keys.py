"""Allocate 32-bit multicast routing keys.

In:  Partition.
Out: KeyAllocation: a base key and a mask per slice; the low 8 bits carry the neuron index.
Raises: ResourceError when there are more slices than the 24 key bits can name.
"""

from __future__ import annotations


import numpy as np

from .. import machine as hw
from ..errors import ResourceError
from ..compiled.stages import KeyAllocation, Partition

SLICE_MASK = np.uint32((0xFFFFFFFF << hw.KEY_NEURON_BITS) & 0xFFFFFFFF)


def allocate_keys(partition: Partition) -> KeyAllocation:
    """Key of slice s = s << 8: unique, and every slice's keys form one key/mask block."""
    n = partition.n_slices
    if n >= 1 << (hw.KEY_BITS - hw.KEY_NEURON_BITS):
        raise ResourceError(f"{n} PE slices need more than the "
                            f"{hw.KEY_BITS - hw.KEY_NEURON_BITS} key bits available")
    base = (np.arange(n, dtype=np.uint64) << hw.KEY_NEURON_BITS).astype(np.uint32)
    return KeyAllocation(base=base, mask=np.full(n, SLICE_MASK, dtype=np.uint32))
