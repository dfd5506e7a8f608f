"""Index ranges as flat arrays (used by the compiler and the emulator alike)."""

from __future__ import annotations

import numpy as np


def expand_ranges(starts: np.ndarray, counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Flatten ranges [start, start + count): (owner index, value) per element.

    In: equal-length arrays of range starts and lengths (lengths >= 0).
    Out: int64 arrays: the range each element belongs to, and its value.
    """
    counts = np.asarray(counts, dtype=np.int64)
    owner = np.repeat(np.arange(len(counts)), counts)
    first = np.cumsum(counts) - counts
    return owner, np.repeat(np.asarray(starts, dtype=np.int64), counts) + (
        np.arange(counts.sum()) - np.repeat(first, counts))
