"""A chip's multicast router table, as the compiler writes it and the router reads it.

In:  nothing (a frozen record the compiler fills: mapping/router_tables.py).
Out: RouterTable (key, mask, route per entry; first match wins) and ROUTE_WIDTH.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .. import machine as hw

ROUTE_WIDTH = hw.N_LINKS + hw.PES_PER_CHIP


@dataclass(frozen=True)
class RouterTable:
    """key/mask/route entries; first match wins.

    route[i, :6] are the links (E, NE, N, W, SW, S); route[i, 6 + p] is PE p of the chip.
    """

    key: np.ndarray
    mask: np.ndarray
    route: np.ndarray

    def __len__(self) -> int:
        return len(self.key)

    @property
    def links(self) -> np.ndarray:
        return self.route[:, :hw.N_LINKS]

    @property
    def pes(self) -> np.ndarray:
        return self.route[:, hw.N_LINKS:]

    def lookup(self, keys: np.ndarray) -> np.ndarray:
        """Index of the first entry matching each key, -1 where none matches."""
        keys = np.asarray(keys, dtype=np.uint32)
        found = np.full(len(keys), -1, dtype=np.int64)
        for mask in np.unique(self.mask):
            rows = np.flatnonzero(self.mask == mask)
            order = np.argsort(self.key[rows], kind="stable")
            sorted_keys = self.key[rows][order]
            masked = keys & mask
            pos = np.clip(np.searchsorted(sorted_keys, masked), 0, max(len(rows) - 1, 0))
            hit = sorted_keys[pos] == masked
            entry = np.where(hit, rows[order][pos], -1)
            better = hit & ((found < 0) | (entry < found))
            found[better] = entry[better]
        return found
