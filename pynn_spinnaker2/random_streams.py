"""Counter-based random numbers keyed per neuron, so results do not depend on the mapping.

A spike source's draw for tick k is a hash of (seed, stream, k), where the stream is
``population id << 32 | neuron index``. The same neuron draws the same numbers whatever PE,
chip or MPI rank it lands on (the PE's PRNG seeded per neuron, in hardware terms).

The hash is splitmix64's finaliser, in uint64 arithmetic (wrapping), compiled with numba: a
tick's draws for a few hundred sources cost one call, not a dozen numpy operations.
"""

from __future__ import annotations

import numpy as np
from numba import njit

_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_S27, _S30, _S31, _S32 = np.uint64(27), np.uint64(30), np.uint64(31), np.uint64(32)


@njit(cache=True, nogil=True)
def _mix(x: np.uint64) -> np.uint64:
    """splitmix64 finaliser."""
    x = (x ^ (x >> _S30)) * _M1
    x = (x ^ (x >> _S27)) * _M2
    return x ^ (x >> _S31)


@njit(cache=True, nogil=True)
def tick_key(seed: np.uint64, tick: np.uint64) -> np.uint64:
    """The key shared by every stream's draw in one tick (for compiled kernels)."""
    return _mix(seed * _GOLDEN + tick)


@njit(cache=True, nogil=True)
def draw(key: np.uint64, stream: np.uint64) -> np.uint64:
    """One stream's uniform 32-bit draw (as uint64) under a tick's key (for compiled kernels)."""
    return _mix((stream * _GOLDEN) ^ key) >> _S32


@njit(cache=True, nogil=True)
def draw_hashed(key: np.uint64, hashed: np.uint64) -> np.uint64:
    """``draw(key, stream)`` given ``hashed = stream_hashes(stream)``, computed once: a kernel
    that draws the same streams every tick saves a multiplication per draw."""
    return _mix(hashed ^ key) >> _S32


@njit(cache=True, nogil=True)
def stream_hash(stream: np.uint64) -> np.uint64:
    """One stream's ``stream * golden ratio`` (wrapping), for compiled kernels."""
    return stream * _GOLDEN


def stream_hashes(streams: np.ndarray) -> np.ndarray:
    """Out: uint64 ``stream * golden ratio`` (wrapping), the per-stream part of a draw."""
    with np.errstate(over="ignore"):
        return np.ascontiguousarray(streams, dtype=np.uint64) * _GOLDEN


@njit(cache=True, nogil=True)
def _draws(seed: np.uint64, streams: np.ndarray, tick: np.uint64) -> np.ndarray:
    key = tick_key(seed, tick)
    out = np.empty(streams.size, dtype=np.uint64)
    flat = streams.ravel()
    for i in range(flat.size):
        out[i] = draw(key, flat[i])
    return out


def uniform_u32(seed: int, streams: np.ndarray, tick: int) -> np.ndarray:
    """One uniform 32-bit integer (as uint64) per stream for this tick.

    In:  the simulation seed, the stream ids (any shape), the tick (>= 0).
    Out: uint64 array of the streams' shape, values in [0, 2**32).
    """
    streams = np.ascontiguousarray(streams, dtype=np.uint64)
    return _draws(seed_u64(seed), streams, np.uint64(tick)).reshape(streams.shape)


def seed_u64(seed: int) -> np.uint64:
    """The seed as the uint64 the hash starts from (its low 64 bits)."""
    return np.uint64(seed & 0xFFFFFFFFFFFFFFFF)
