"""The neurons' read of their ring-buffer slot: integer sums to float32 input, compiled.

In:  the ring buffer (slots, receptors, neurons) of int64 weight sums, the slot of this tick,
     the per-receptor, per-neuron input scale (sign * 2**-exponent, float64), a gid range.
Out: ``out[r, i] = float32(ring[slot, r, lo + i] * scale[r, lo + i])``, written in place (as
     the numpy expression ``(ring[slot, :, lo:hi] * scale[:, lo:hi]).astype(float32)``), and
     those ring entries set to zero (the slot is consumed, as the PE clears it after reading).
Raises: nothing (shapes are the emulator's own).
"""

from __future__ import annotations

import numpy as np
from numba import njit


@njit(cache=True, nogil=True)
def take_slot(ring: np.ndarray, slot: int, scale: np.ndarray, lo: int, out: np.ndarray) -> None:
    """Fill ``out`` (receptors, n) with the scaled input of gids lo .. lo + n and clear those
    entries of the slot (1-D views in the inner loop, which numba vectorises)."""
    n = out.shape[1]
    for r in range(out.shape[0]):
        sums, factor, dst = ring[slot, r, lo:lo + n], scale[r, lo:lo + n], out[r]
        for i in range(n):
            dst[i] = np.float32(np.float64(sums[i]) * factor[i])
            sums[i] = 0
