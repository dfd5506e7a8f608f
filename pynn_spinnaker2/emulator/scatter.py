"""The compiled synaptic pass of one tick: spikes -> packets -> master population table ->
rows -> synapse words -> ring buffers, with the hardware counters, in one numba kernel.

In:  the tick's spiking neurons (emulator gids), the per-slice route cache, the global master
     population table, address list and DRAM words of ``SynapseFabric``, the ring buffer.
Out: the ring buffer with every static synapse's weight added at its arrival slot; the tick's
     counters (spikes sent, packets received, synapses, plastic synapses, DMA words per PE);
     the number of plastic rows met, which the caller processes on the numpy path
     (``SynapseFabric.fetch(..., plastic_only=True)``).
Raises: nothing (the tables were checked when they were built).

The kernel reads the same generated data as ``SynapseFabric.fetch`` and follows the same steps
as the PE: binary search of the PE's master population table by key, neuron index from the key
bits under the mask, row address ``block + neuron * (1 + row_length)``, row length from the row
header, and each synapse word's fields decoded with the shifts of ``formats``. A row block with
a plastic state region (``addr_state >= 0``) is counted but not added: its weights depend on the
plastic state, which the numpy path updates.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from .. import formats

# trace rows (see HardwareTrace.next_tick)
SENT, RECEIVED, SYNAPSES, PLASTIC, DRAM_WORDS = range(5)

_HEADER = formats.ROW_HEADER_WORDS
_W_SHIFT, _W_MASK = formats.WEIGHT_SHIFT, (1 << formats.WEIGHT_BITS) - 1
_D_SHIFT, _D_MASK = formats.DELAY_SHIFT, (1 << formats.DELAY_BITS) - 1
_T_SHIFT, _T_MASK = formats.TYPE_SHIFT, (1 << formats.TYPE_BITS) - 1
_I_SHIFT, _I_MASK = formats.INDEX_SHIFT, (1 << formats.INDEX_BITS) - 1
_LOW32 = 0xFFFFFFFF


@njit(cache=True, nogil=True)
def _lookup(entry_key: np.ndarray, entry_mask: np.ndarray, entry_program: np.ndarray,
            program: int, key: int) -> int:
    """Entry of ``key`` in PE ``program``'s master population table, or -1 (as
    SynapseFabric.lookup: the last entry whose (program, key) is <= the query, if it matches
    under its mask)."""
    n = len(entry_key)
    if n == 0:
        return -1
    query = (np.uint64(program) << np.uint64(32)) | np.uint64(key)
    lo, hi = 0, n
    while lo < hi:            # first entry > query
        mid = (lo + hi) >> 1
        if entry_key[mid] <= query:
            lo = mid + 1
        else:
            hi = mid
    pos = max(lo - 1, 0)
    mask = np.int64(entry_mask[pos])
    if (entry_program[pos] == program
            and (key & mask) == np.int64(entry_key[pos] & np.uint64(_LOW32))):
        return pos
    return -1


@njit(cache=True, nogil=True)
def scatter_tick(spikes: np.ndarray, sends: np.ndarray, gid_program: np.ndarray,
                 gid_key: np.ndarray, route_offsets: np.ndarray, route_targets: np.ndarray,
                 entry_key: np.ndarray, entry_mask: np.ndarray, entry_start: np.ndarray,
                 entry_count: np.ndarray, entry_program: np.ndarray, addr_block: np.ndarray,
                 addr_row_length: np.ndarray, addr_state: np.ndarray, dram: np.ndarray,
                 gid_offset: np.ndarray, ring: np.ndarray, tick: int, plastic_words: int,
                 counts: np.ndarray) -> int:
    """Deliver the spikes of one tick (see the module docstring).

    In:  ``spikes`` gids; ``counts`` the tick's (5, n_programs) trace row, added to.
    Out: the number of plastic rows fetched (their synapses are not added to ``ring``).
    """
    n_slots = ring.shape[0]
    now = tick % n_slots        # delays are 1..n_slots: one wrap at most, no division per word
    plastic_rows = 0
    for s in range(len(spikes)):
        gid = spikes[s]
        if not sends[gid]:
            continue
        src = gid_program[gid]
        counts[SENT, src] += 1
        key = np.int64(gid_key[gid])
        for r in range(route_offsets[src], route_offsets[src + 1]):
            program = route_targets[r]
            counts[RECEIVED, program] += 1
            entry = _lookup(entry_key, entry_mask, entry_program, program, key)
            if entry < 0:
                continue
            neuron = key & (np.int64(entry_mask[entry]) ^ _LOW32)
            base = gid_offset[program]
            for a in range(entry_start[entry], entry_start[entry] + entry_count[entry]):
                stride = _HEADER + addr_row_length[a]
                row = addr_block[a] + neuron * stride
                n_words = np.int64(dram[row])
                counts[SYNAPSES, program] += n_words
                counts[DRAM_WORDS, program] += stride
                if addr_state[a] >= 0:
                    counts[PLASTIC, program] += n_words
                    counts[DRAM_WORDS, program] += 2 * plastic_words * n_words
                    plastic_rows += 1
                    continue
                for w in range(row + _HEADER, row + _HEADER + n_words):
                    word = np.int64(dram[w])
                    slot = now + ((word >> _D_SHIFT) & _D_MASK) + 1
                    if slot >= n_slots:
                        slot -= n_slots
                    ring[slot, (word >> _T_SHIFT) & _T_MASK,
                         base + ((word >> _I_SHIFT) & _I_MASK)] += (word >> _W_SHIFT) & _W_MASK
    return plastic_rows
