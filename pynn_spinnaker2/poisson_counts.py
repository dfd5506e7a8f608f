"""Poisson spike counts per tick from the counter-based random streams (any rate).

A Poisson source's spikes in one tick are a Poisson(lambda) count, lambda = rate * dt, as NEST's
poisson_generator draws them; several spikes of one tick travel as one multicast packet whose
payload is the count (formats.md).

The count is the inverse of the Poisson tail under the source's uniform 32-bit draw u of the
tick (random_streams.draw): count = #{k >= 1 : u < P(N >= k) * 2**32}. Only the first test,
``u < threshold`` with threshold = round(P(N >= 1) * 2**32), is needed when the source stays
silent, so a silent tick costs what the one-spike draw did; the count loop runs only on a
spike. A mean above CHUNK_MEAN is split into ceil(lambda / CHUNK_MEAN) equal chunks (a sum of
Poisson counts is Poisson), chunk c drawn under the sub-key ``tick_key(key, c)``, so that
exp(-lambda) never underflows and the loop stays short.

In:  the tick key, the stream's hash, the source's threshold and mean (build_counts).
Out: the count (int64).
"""

from __future__ import annotations

import numpy as np
from numba import njit

from .random_streams import draw_hashed, tick_key

CHUNK_MEAN = 16.0
_TWO32 = 4294967296.0
_MAX_COUNT = 256         # per chunk: P(N >= 256) for a mean <= 16 is far below 2**-32


def build_counts(mean: np.ndarray) -> dict[str, np.ndarray]:
    """In: lambda per source (spikes per tick, >= 0).
    Out: ``threshold`` (uint32, P(N >= 1) * 2**32 of one chunk) and ``mean`` (float32 lambda,
    the value the kernel computes with)."""
    mean32 = np.ascontiguousarray(mean, dtype=np.float32)
    chunk = _chunk_mean(mean32.astype(np.float64))
    threshold = np.minimum(np.round(-np.expm1(-chunk) * _TWO32), _TWO32 - 1)
    return {"threshold": np.ascontiguousarray(threshold, dtype=np.uint32), "mean": mean32}


def _chunk_mean(mean: np.ndarray) -> np.ndarray:
    return mean / np.maximum(np.ceil(mean / CHUNK_MEAN), 1.0)


@njit(cache=True, nogil=True)
def _chunk_count(u: np.uint64, threshold: np.uint32, lam: float) -> int:
    """The count of one chunk of mean ``lam`` under draw ``u``."""
    if u >= np.uint64(threshold):
        return 0
    p = lam * np.exp(-lam)                  # P(N = 1)
    tail = -np.expm1(-lam) - p              # P(N >= 2)
    x = float(u)
    k = 1
    while k < _MAX_COUNT and p > 0.0 and x < tail * _TWO32:
        k += 1
        p *= lam / k
        tail -= p
    return k


@njit(cache=True, nogil=True)
def spike_count(key: np.uint64, hashed: np.uint64, threshold: np.uint32,
                mean: np.float32) -> int:
    """The source's spike count in the tick of ``key`` (random_streams.tick_key);
    ``hashed`` is its stream hash (random_streams.stream_hashes)."""
    lam = float(mean)
    if lam <= CHUNK_MEAN:
        return _chunk_count(draw_hashed(key, hashed), threshold, lam)
    chunks = int(np.ceil(lam / CHUNK_MEAN))
    lam /= chunks
    total = _chunk_count(draw_hashed(key, hashed), threshold, lam)
    for c in range(1, chunks):
        total += _chunk_count(draw_hashed(tick_key(key, np.uint64(c)), hashed), threshold, lam)
    return total
