"""Router-table minimisation by ordered covering, for tables over the router's capacity.

In:  a chip's table (entries that each cover one key block), the keys that pass through the chip
     by default routing (they have no entry and must keep matching nothing), the capacity.
Out: an equivalent table: every key reaching the chip gets the same route as before.
Raises: RouterTableOverflowError (by the caller) when even the minimised table does not fit.

Entries are merged bottom-up over aligned power-of-two blocks of keys: in a block, the entries
sharing the most common route become one entry whose mask drops the block's bits; entries of the
block with other routes stay as they are and are ordered before it (first match wins, and the
table is sorted most specific first). A block is not merged when a default-routed key falls in
it, since the merged entry would catch that key. Merging stops as soon as the table fits.
"""

from __future__ import annotations

import numpy as np

from .. import machine as hw
from ..compiled.router import RouterTable

def _ordered(key: np.ndarray, mask: np.ndarray, route: np.ndarray) -> RouterTable:
    """Most specific entries first (more mask bits), then by key."""
    specificity = np.array([bin(int(m)).count("1") for m in mask])
    order = np.lexsort((key, -specificity))
    return RouterTable(key[order].astype(np.uint32), mask[order].astype(np.uint32),
                       route[order])


def minimise(table: RouterTable, default_keys: np.ndarray, capacity: int) -> RouterTable:
    """Merge entries until the table has at most ``capacity`` entries (or no merge is left)."""
    if len(table) <= capacity:
        return table
    key = table.key.astype(np.int64)
    mask = table.mask.astype(np.int64)
    route = table.route.copy()
    default_keys = np.asarray(default_keys, dtype=np.int64)
    # the lowest bit that every entry's mask keeps: blocks start above the neuron-index bits
    lowest = min(int(m & -m).bit_length() - 1 for m in mask.tolist())
    for bit in range(lowest, hw.KEY_BITS):
        if len(key) <= capacity:
            break
        block_mask = (0xFFFFFFFF << (bit + 1)) & 0xFFFFFFFF
        block = key & block_mask
        blocked = set((default_keys & block_mask).tolist())
        new_key: list[int] = []
        new_mask: list[int] = []
        new_route: list[np.ndarray] = []
        order = np.lexsort((key, block))
        key, mask, route, block = key[order], mask[order], route[order], block[order]
        starts = np.flatnonzero(np.r_[True, block[1:] != block[:-1]])
        ends = np.r_[starts[1:], len(key)]
        for lo, hi in zip(starts.tolist(), ends.tolist()):
            if hi - lo < 2 or int(block[lo]) in blocked:
                new_key.extend(key[lo:hi].tolist())
                new_mask.extend(mask[lo:hi].tolist())
                new_route.extend(route[lo:hi])
                continue
            patterns, inverse, counts = np.unique(route[lo:hi], axis=0, return_inverse=True,
                                                  return_counts=True)
            common = int(np.argmax(counts))
            if counts[common] < 2:
                new_key.extend(key[lo:hi].tolist())
                new_mask.extend(mask[lo:hi].tolist())
                new_route.extend(route[lo:hi])
                continue
            same = inverse.ravel() == common
            others = np.flatnonzero(~same) + lo
            # an entry lying inside another route's broader entry must stay ahead of it, so it
            # cannot be absorbed into the (even broader, hence later) block entry
            candidates = np.flatnonzero(same) + lo
            inside = ((key[candidates, None] & mask[None, others]) == key[None, others]) & (
                mask[None, others] != mask[candidates, None])
            stuck = candidates[inside.any(axis=1)] if len(others) else candidates[:0]
            absorbed = np.setdiff1d(candidates, stuck)
            if len(absorbed) < 2:
                new_key.extend(key[lo:hi].tolist())
                new_mask.extend(mask[lo:hi].tolist())
                new_route.extend(route[lo:hi])
                continue
            kept = np.concatenate([others, stuck])
            new_key.extend(key[kept].tolist())
            new_mask.extend(mask[kept].tolist())
            new_route.extend(route[kept])
            new_key.append(int(block[lo]))
            new_mask.append(block_mask)
            new_route.append(patterns[common])
        key = np.array(new_key, dtype=np.int64)
        mask = np.array(new_mask, dtype=np.int64)
        route = np.array(new_route, dtype=bool).reshape(len(key), -1)
    return _ordered(key, mask, route)
