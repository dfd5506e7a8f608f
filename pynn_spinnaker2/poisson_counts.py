"""Poisson spike counts per tick from the counter-based random streams (any rate).

A Poisson source's spikes in one tick are a Poisson(lambda) count, lambda = rate * dt, as NEST's
poisson_generator draws them; several spikes of one tick travel as one multicast packet whose
payload is the count (formats.md).

The count is the inverse of the Poisson tail under the source's uniform 32-bit draw u of the
tick (random_streams.draw): count = #{k >= 1 : u < P(N >= k) * 2**32}. Only the first test,
``u < threshold`` with threshold = round(P(N >= 1) * 2**32), is needed when the source stays
silent, so a silent tick costs what the one-spike draw did; the count loop runs only on a
spike. A mean above CHUNK_MEAN is split
into ceil(lambda / CHUNK_MEAN) equal chunks (a sum of Poisson counts is Poisson), chunk c drawn
under the sub-key ``tick_key(key, c)``, so that P(N = 0) of a chunk stays well above the draw's
resolution and the loop stays short; such a source's threshold is 2**32 - 1 (the count is
computed every tick; a draw of exactly 2**32 - 1, once in 4e9 ticks, gives 0).

In:  the tick key, the stream's hash, the source's threshold and mean (build_counts).
Out: the count (int64).
"""

from __future__ import annotations

import numpy as np
from numba import njit

from .random_streams import draw_hashed, tick_key

CHUNK_MEAN = 16.0
_TWO32 = 4294967296.0


def build_counts(mean: np.ndarray) -> dict[str, np.ndarray]:
    """In: lambda per source (spikes per tick, >= 0).
    Out: ``threshold`` (uint32: round(P(N >= 1) * 2**32) of a one-chunk mean, 2**32 - 1 for a
    mean of several chunks) and ``mean`` (float32 lambda, the value the kernels compute with)."""
    mean32 = np.ascontiguousarray(mean, dtype=np.float32)
    return {"threshold": np.ascontiguousarray(_threshold(mean32.astype(np.float64)),
                                              dtype=np.uint32),
            "mean": mean32}


def _threshold(mean: np.ndarray) -> np.ndarray:
    one_chunk = np.minimum(np.round(-np.expm1(-np.minimum(mean, CHUNK_MEAN)) * _TWO32),
                           _TWO32 - 1)
    return np.where(mean > CHUNK_MEAN, _TWO32 - 1, one_chunk)


@njit(cache=True, nogil=True)
def _chunk_count(u: np.uint64, threshold: np.uint64, lam: float) -> int:
    """The count of one chunk of mean ``lam`` and threshold round(P(N >= 1) * 2**32) under
    draw ``u``: the Poisson tail is computed exactly (float64) from exp(-lam), so the terms
    sum to 1 and the count stays finite; it stops at lam + 20 sqrt(lam) + 20 (P below 1e-30)."""
    if u >= threshold:
        return 0
    p = lam * np.exp(-lam)                  # P(N = 1)
    tail = -np.expm1(-lam) - p              # P(N >= 2)
    x = float(u)
    most = lam + 20.0 * np.sqrt(lam) + 20.0
    k = 1
    while k < most and x < tail * _TWO32:
        k += 1
        p *= lam / k
        tail -= p
    return k


@njit(cache=True, nogil=True)
def count_of_draw(u: np.uint64, key: np.uint64, hashed: np.uint64, threshold: np.uint32,
                  mean: np.float32) -> int:
    """The count of a source whose draw of the tick, ``u`` = draw_hashed(key, hashed), is
    below its threshold (the kernels test that first: a silent tick costs one compare)."""
    lam = float(mean)
    if lam <= CHUNK_MEAN:
        return _chunk_count(u, np.uint64(threshold), lam)
    chunks = int(np.ceil(lam / CHUNK_MEAN))
    lam /= chunks
    chunk_threshold = np.uint64(min(round(-np.expm1(-lam) * _TWO32), _TWO32 - 1))
    total = _chunk_count(u, chunk_threshold, lam)
    for c in range(1, chunks):
        total += _chunk_count(draw_hashed(tick_key(key, np.uint64(c)), hashed),
                              chunk_threshold, lam)
    return total


@njit(cache=True, nogil=True)
def spike_count(key: np.uint64, hashed: np.uint64, threshold: np.uint32,
                mean: np.float32) -> int:
    """The source's spike count in the tick of ``key`` (random_streams.tick_key);
    ``hashed`` is its stream hash (random_streams.stream_hashes)."""
    u = draw_hashed(key, hashed)
    return count_of_draw(u, key, hashed, threshold, mean) if u < np.uint64(threshold) else 0


@njit(cache=True)
def _tail_row(lam: float, out: np.ndarray) -> int:
    """The thresholds _chunk_count compares a draw with, computed as it computes them:
    out[j] = P(N >= j + 2) * 2**32 while 1 + j < lam + 20 sqrt(lam) + 20. Out: their number."""
    p = lam * np.exp(-lam)
    tail = -np.expm1(-lam) - p
    most = lam + 20.0 * np.sqrt(lam) + 20.0
    k, j = 1, 0
    while k < most and j < len(out):
        out[j] = tail * _TWO32
        k += 1
        j += 1
        p *= lam / k
        tail -= p
    return j


def tail_tables(mean: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per distinct one-chunk mean, its row of Poisson tail thresholds (padded with -1), so
    that a count needs only compares (table_count), not the exponentials of _chunk_count.

    In: float32 lambda per source. Out: (float64 table (distinct means, longest row), int64
    row per source; -1 for a mean above CHUNK_MEAN, which keeps count_of_draw)."""
    mean = np.asarray(mean, dtype=np.float32)
    distinct, row = np.unique(mean, return_inverse=True)
    longest = int(np.ceil(float(np.minimum(distinct, CHUNK_MEAN).max(initial=0.0))
                          + 20.0 * np.sqrt(CHUNK_MEAN) + 21.0))
    table = np.full((max(len(distinct), 1), longest), -1.0)
    for r, lam in enumerate(distinct):
        if lam <= CHUNK_MEAN:
            _tail_row(float(lam), table[r])
    row = np.where(mean[row.reshape(-1)] > CHUNK_MEAN, -1, row.reshape(-1)) if len(mean) \
        else np.zeros(0, dtype=np.int64)
    return table, np.asarray(row, dtype=np.int64)


@njit(cache=True, nogil=True)
def table_count(u: np.uint64, tails: np.ndarray) -> int:
    """The count of a one-chunk source whose draw ``u`` is below its threshold, from its row
    of tail thresholds (tail_tables): the same count as _chunk_count."""
    x = float(u)
    k = 1
    for j in range(len(tails)):
        if not x < tails[j]:
            break
        k += 1
    return k
