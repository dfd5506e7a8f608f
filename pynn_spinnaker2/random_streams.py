"""Counter-based random numbers keyed per neuron, so results do not depend on the mapping.

A spike source's draw for tick k is a hash of (seed, stream, k), where the stream is
``population id << 32 | neuron index``. The same neuron draws the same numbers whatever PE,
chip or MPI rank it lands on (the PE's PRNG seeded per neuron, in hardware terms).
"""

from __future__ import annotations

import numpy as np

_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)


def _mix(x: np.ndarray) -> np.ndarray:
    """splitmix64 finaliser."""
    x = (x ^ (x >> np.uint64(30))) * _M1
    x = (x ^ (x >> np.uint64(27))) * _M2
    return x ^ (x >> np.uint64(31))


def uniform_u32(seed: int, streams: np.ndarray, tick: int) -> np.ndarray:
    """One uniform 32-bit integer (as uint64) per stream for this tick."""
    with np.errstate(over="ignore"):
        key = _mix(np.uint64(seed & 0xFFFFFFFFFFFFFFFF) * _GOLDEN + np.uint64(tick))
        x = _mix(np.asarray(streams, dtype=np.uint64) * _GOLDEN ^ key)
    return x >> np.uint64(32)
