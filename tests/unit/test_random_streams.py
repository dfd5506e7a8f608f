"""The compiled random streams against splitmix64 written with numpy operations."""

import numpy as np

from pynn_spinnaker2.random_streams import uniform_u32


def _mix(x):
    x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return x ^ (x >> np.uint64(31))


def _numpy_uniform_u32(seed, streams, tick):
    golden = np.uint64(0x9E3779B97F4A7C15)
    with np.errstate(over="ignore"):
        key = _mix(np.uint64(seed & 0xFFFFFFFFFFFFFFFF) * golden + np.uint64(tick))
        x = _mix(np.asarray(streams, dtype=np.uint64) * golden ^ key)
    return x >> np.uint64(32)


def test_compiled_draws_equal_numpy_splitmix64():
    rng = np.random.default_rng(3)
    streams = rng.integers(0, 2 ** 63, size=500, dtype=np.uint64) | np.uint64(2 ** 63)
    streams[:3] = [0, 1, (7 << 32) | 5]
    for seed in (0, 1, 4242, 2 ** 64 - 1, -5):
        for tick in (0, 1, 999, 2 ** 31 - 1):
            got = uniform_u32(seed, streams, tick)
            assert got.dtype == np.uint64
            np.testing.assert_array_equal(got, _numpy_uniform_u32(seed, streams, tick))
    one = uniform_u32(4242, np.array([9], dtype=np.uint64), 3)
    assert one.shape == (1,) and one[0] == _numpy_uniform_u32(4242, [9], 3)[0]
    assert uniform_u32(1, np.zeros(0, dtype=np.uint64), 0).shape == (0,)


def test_hashed_draw_equals_the_stream_draw():
    from numba import njit

    from pynn_spinnaker2.random_streams import (draw, draw_hashed, seed_u64, stream_hashes,
                                                tick_key)

    @njit
    def both(key, streams, hashed):
        out = np.empty((2, len(streams)), dtype=np.uint64)
        for i in range(len(streams)):
            out[0, i] = draw(key, streams[i])
            out[1, i] = draw_hashed(key, hashed[i])
        return out

    streams = np.random.default_rng(4).integers(0, 2 ** 63, 300, dtype=np.uint64)
    for tick in (0, 17, 2 ** 31 - 1):
        key = np.uint64(tick_key(seed_u64(42), np.uint64(tick)))   # a Python int outside numba
        got = both(key, streams, stream_hashes(streams))
        np.testing.assert_array_equal(got[0], got[1])
        np.testing.assert_array_equal(got[0], _numpy_uniform_u32(42, streams, tick))
