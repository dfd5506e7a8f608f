"""The folded Poisson kernel counts spikes from a table of tail thresholds; the counts must be
exactly those of the direct computation (poisson_counts._chunk_count), for every draw."""

import numpy as np

from pynn_spinnaker2.poisson_counts import _chunk_count, _threshold, table_count, tail_tables


def test_table_counts_equal_the_direct_counts():
    rng = np.random.default_rng(0)
    means = np.array([0.001, 0.05, 0.3, 1.0, 2.0, 5.3, 15.9, 16.0, 40.0], dtype=np.float32)
    table, row = tail_tables(means)
    assert row[-1] == -1                           # several chunks: the direct path
    for i, lam in enumerate(means[:-1]):
        threshold = np.uint64(_threshold(np.array([float(lam)]))[0])
        draws = np.concatenate([rng.integers(0, int(threshold), 5000, dtype=np.uint64),
                                np.arange(50, dtype=np.uint64)])
        direct = [_chunk_count(u, threshold, float(lam)) for u in draws]
        tabled = [table_count(u, table[row[i]]) for u in draws]
        assert direct == tabled
        assert max(direct) > 1 or lam < 0.01       # the test reaches counts above one
