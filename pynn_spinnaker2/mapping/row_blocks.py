"""Row blocks in chip DRAM: the layout of every chip's image, and writing synapses into it.

In:  SlicePairs (the blocks and their synapse counts), Partition, Placements, which projections
     are STDP or short-term plastic; then, chunk by chunk, packed synapse words.
Out: Layout: one uint32 buffer holding every chip's image back to back, and per block its
     address, rows, row-table entry size and plastic state region; ``write_chunk`` fills in a
     chunk's words and its blocks' row tables.

Format (formats.py, docs/formats.md): a block is a row table, one entry of
``formats.row_entry_words`` words per source neuron (the row's offset, then the STDP state in an
STDP block) and one more that ends the last row, then the rows' synapse words back to back,
each row sorted by target index. A chip's image holds its blocks in
(target slice, projection, source slice) order, then the short-term-plasticity state regions of
its plastic blocks in the same order. The sizes are known before any word is written (from the
block counts), so every word is written once, in place.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .. import formats
from ..ranges import expand_ranges
from ..compiled.stages import Partition, Placements, SlicePairs

RADIX_LIMIT = 1 << 16     # numpy sorts 8- and 16-bit keys stably by radix, in linear time


@dataclass(frozen=True)
class Layout:
    """Where every block lives; per-block arrays in SlicePairs order."""

    buffer: np.ndarray            # uint32: every chip's image, chips in ascending index order
    chip_base: dict[int, int]     # chip index -> first word of its image in the buffer
    chip_words: dict[int, int]    # chip index -> words of its image
    block_chip: np.ndarray
    address: np.ndarray           # first word of the block in the buffer
    rows: np.ndarray              # rows: the source slice's neurons
    entry_words: np.ndarray       # words per row-table entry (rows + 1 entries)
    state: np.ndarray             # first word of its plastic state region in the buffer, or -1

    def images(self) -> dict[int, np.ndarray]:
        """Each chip's image: a view of the buffer."""
        return {c: self.buffer[b:b + self.chip_words[c]] for c, b in self.chip_base.items()}


def plan_layout(pairs: SlicePairs, partition: Partition, placements: Placements,
                stdp: np.ndarray, short_term: np.ndarray) -> Layout:
    """Addresses of every block and state region; the zeroed buffer.

    In: per projection id, whether it is STDP and whether it is short-term plastic.
    """
    chip = placements.chip[pairs.dst_slice]
    rows = partition.hi[pairs.src_slice] - partition.lo[pairs.src_slice]
    is_stdp = stdp[pairs.projection] if len(chip) else np.zeros(0, bool)
    entry = formats.row_entry_words(is_stdp)
    words = formats.row_table_words(rows, is_stdp) + pairs.count
    state_words = np.where(short_term[pairs.projection], pairs.count * formats.STP_WORDS, 0)
    order = np.lexsort((pairs.src_slice, pairs.projection, pairs.dst_slice, chip))
    c, w, s = chip[order], words[order], state_words[order]
    chips, first = np.unique(c, return_index=True)
    which = np.searchsorted(chips, c)
    block_total = np.add.reduceat(w, first) if len(c) else w
    chip_total = block_total + (np.add.reduceat(s, first) if len(c) else s)
    base = np.cumsum(chip_total) - chip_total
    before_w, before_s = np.cumsum(w) - w, np.cumsum(s) - s   # exclusive sums
    address, state = np.empty_like(w), np.empty_like(w)
    address[order] = base[which] + before_w - before_w[first][which]
    state[order] = np.where(s > 0, base[which] + block_total[which] + before_s
                            - before_s[first][which], -1)
    return Layout(np.zeros(int(chip_total.sum()), dtype=np.uint32),
                  dict(zip(chips.tolist(), base.tolist())),
                  dict(zip(chips.tolist(), chip_total.tolist())),
                  chip, address, rows, entry, state)


def stable_order(digits: list[tuple[np.ndarray, int]]) -> np.ndarray | None:
    """The stable order sorting by several integer digits, least significant first.

    In: (values, radix) pairs, values in [0, radix). Adjacent digits are merged while the
    combined radix stays within 16 bits, and each is sorted by numpy's radix sort (a wider
    digit falls back to a comparison sort).
    Out: the order, or None when no digit has more than one value (already in order).
    """
    merged: list[tuple[np.ndarray, int]] = []
    for values, radix in digits:
        if radix <= 1:
            continue
        if merged and merged[-1][1] * radix <= RADIX_LIMIT:
            low, low_radix = merged[-1]
            merged[-1] = (low + values.astype(np.int64) * low_radix, low_radix * radix)
        else:
            merged.append((values, radix))
    order = None
    for values, radix in merged:
        key = values if order is None else values[order]
        dtype = np.uint8 if radix <= 256 else np.uint16 if radix <= RADIX_LIMIT else np.int64
        step = np.argsort(key.astype(dtype, copy=False), kind="stable")
        order = step if order is None else order[step]
    return order


def row_digits(pre: np.ndarray, dst_local: np.ndarray, n_pre: int, n_dst: int,
               src_of: np.ndarray) -> list[tuple[np.ndarray, int]]:
    """Sort digits that group a chunk's synapses by (target slice, source slice, row).

    In: pre-synaptic index and target slice (relative to the chunk's first) per synapse; the
    sizes of both ranges; the source population's neuron -> slice table.
    """
    if n_pre <= RADIX_LIMIT:   # the neuron index itself: slices are contiguous ranges of it
        return [(pre, n_pre), (dst_local, n_dst)]
    src = src_of[pre]
    row = pre - np.flatnonzero(np.diff(src_of, prepend=-1))[src - src_of[0]]
    return [(row, 256), (src - src_of[0], int(src_of[-1] - src_of[0]) + 1), (dst_local, n_dst)]


def write_chunk(layout: Layout, pairs: SlicePairs, blocks: slice, partition: Partition,
                words: np.ndarray, pre: np.ndarray, first: int, dst_local: np.ndarray,
                n_pre: int, n_dst: int, src_of: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Write one chunk's synapse words and its blocks' row tables into the buffer.

    In: the chunk's blocks (SlicePairs entries of one projection onto target slices
    [first, first + n_dst), exactly the chunk's synapses); per synapse, in the chunk's
    (post-synaptic) order: its packed word, pre-synaptic neuron index and target slice minus
    ``first``; the source population's size and neuron -> slice table.
    Out: (order, address): for each word in DRAM order, its position in the chunk and its word
    address in the buffer.
    Raises: AssertionError when the blocks' counts do not add up to the chunk (a compiler bug).
    """
    n = len(words)
    order = stable_order(row_digits(pre, dst_local, n_pre, n_dst, src_of))
    order = np.arange(n) if order is None else order
    count = pairs.count[blocks]
    assert int(count.sum()) == n, "row blocks do not hold the chunk's synapses"
    rows, entry = layout.rows[blocks], layout.entry_words[blocks]
    start = layout.address[blocks]
    before = np.cumsum(count) - count          # the block's first synapse in DRAM order
    table = (rows + 1) * entry
    address = np.repeat(start + table - before, count) + np.arange(n)
    layout.buffer[address] = words[order]

    # entry r holds the offset of row r: the table, then the words of rows 0..r-1
    row_count = np.bincount(dst_local.astype(np.int64) * n_pre + pre, minlength=n_dst * n_pre)
    owner, r = expand_ranges(np.zeros(len(rows), np.int64), rows + 1)
    source_row = (pairs.dst_slice[blocks] - first) * n_pre + partition.lo[pairs.src_slice[blocks]]
    last = r == rows[owner]                     # the entry that ends the last row
    c = np.where(last, 0, row_count[np.where(last, 0, source_row[owner] + r)])
    layout.buffer[start[owner] + r * entry[owner]] = (table - before)[owner] + np.cumsum(c) - c
    return order, address
