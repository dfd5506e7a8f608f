"""The compiled synaptic pass of one tick: spikes -> packets -> master population table ->
rows -> synapse words -> ring buffers, with the hardware counters, in one numba kernel.

In:  the tick's spiking neurons (emulator gids) and their spike counts, the per-slice route
     cache, the global master population table, address list and DRAM words of
     ``SynapseFabric``, the ring buffer.
Out: the ring buffer with every static synapse's weight times the spike's count added at its
     arrival slot; the tick's counters (packets sent, packets received, synapses, plastic
     synapses, DMA words, packets sent and received with a count payload, per PE);
     the number of plastic rows met, which the caller processes on the numpy path
     (``SynapseFabric.fetch(..., plastic_only=True)``).
Raises: nothing (the tables were checked when they were built).

The kernel reads the same generated data as ``SynapseFabric.fetch`` and follows the same steps
as the PE: binary search of the PE's master population table by key, neuron index from the key
bits under the mask, the row-table entry at ``block + neuron * E`` (``addr_entry`` E: one word,
or three for an STDP row), the row's words from ``block + offset`` to the next entry's offset
(formats.md), and each synapse word's fields decoded with the shifts of ``formats``. It works in
three passes over the tick (rows to fetch; their entries; their words), so that the scattered
reads overlap instead of waiting one after the other; the row list is allocated per tick inside
the kernel. A row block with a plastic state region (``addr_state >= 0``) or an STDP rule
(``addr_rule >= 0``) is counted but not added: its weights depend on the plastic state, which
the numpy path updates.

A neuron with several spikes in the tick (a fast Poisson source, a spike-time source with
spikes in one tick) sends ONE packet whose 32-bit payload is the count; the PE fetches the row
once and adds weight * count (the packet is counted once, and again in the payload counters).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numba import njit

from .. import formats

_OFFSET = formats.ROW_OFFSET_WORDS
# trace rows (see HardwareTrace.next_tick); the STDP rows are filled by the numpy path
SENT, RECEIVED, SYNAPSES, PLASTIC, DRAM_WORDS, STDP_PAIRINGS, STDP_LOST = range(7)
PAYLOAD_SENT, PAYLOAD_RECEIVED = 7, 8     # packets with a count payload (count > 1)
N_COUNTERS = 9
_W_SHIFT, _W_MASK = formats.WEIGHT_SHIFT, (1 << formats.WEIGHT_BITS) - 1
_D_SHIFT, _D_MASK = formats.DELAY_SHIFT, (1 << formats.DELAY_BITS) - 1
_T_SHIFT, _T_BITS = formats.TYPE_SHIFT, formats.TYPE_BITS
_T_MASK = (1 << _T_BITS) - 1
_I_SHIFT, _I_MASK = formats.INDEX_SHIFT, (1 << formats.INDEX_BITS) - 1
_LOW32 = 0xFFFFFFFF


class ScatterTables(NamedTuple):
    """The fixed arrays ``scatter_tick`` reads, by name (built once per emulation).

    Per emulator gid: sends (its slice has targets), gid_program, gid_key (its packet key).
    Route cache: route_offsets (per program, CSR into route_targets: the programs its packets
    reach). SynapseFabric.scatter_arrays(): entry_offsets, entry_low, entry_mask, entry_start,
    entry_count (the global master population table), addr_block, addr_entry, addr_state,
    addr_rule (the address list), dram (the global DRAM words). gid_offset: each program's
    first gid.
    """

    sends: np.ndarray
    gid_program: np.ndarray
    gid_key: np.ndarray
    route_offsets: np.ndarray
    route_targets: np.ndarray
    entry_offsets: np.ndarray
    entry_low: np.ndarray
    entry_mask: np.ndarray
    entry_start: np.ndarray
    entry_count: np.ndarray
    addr_block: np.ndarray
    addr_entry: np.ndarray
    addr_state: np.ndarray
    addr_rule: np.ndarray
    dram: np.ndarray
    gid_offset: np.ndarray


@njit(cache=True, nogil=True)
def _lookup(entry_offsets: np.ndarray, entry_low: np.ndarray, entry_mask: np.ndarray,
            program: int | np.int64, key: int | np.int64) -> int:
    """Binary search of PE ``program``'s own master population table (entries
    ``entry_offsets[program]`` .. ``entry_offsets[program + 1]``, sorted by key): the last entry
    whose key is <= ``key``, if ``key`` matches it under its mask; else -1. The same entry as
    SynapseFabric.lookup. Branch-free halving, so the search does not stall on mispredictions."""
    base = entry_offsets[program]
    n = entry_offsets[program + 1] - base
    if n == 0:
        return -1
    while n > 1:
        half = n >> 1
        base = base + half if entry_low[base + half] <= key else base
        n -= half
    if entry_low[base] <= key and (key & np.int64(entry_mask[base])) == entry_low[base]:
        return base
    return -1


@njit(cache=True, nogil=True)
def _grown(a: np.ndarray, n: int) -> np.ndarray:
    out = np.empty(2 * len(a), dtype=a.dtype)
    out[:n] = a[:n]
    return out


@njit(cache=True, nogil=True)
def _rows_of(spikes: np.ndarray, spike_counts: np.ndarray, t: ScatterTables,
             counts: np.ndarray
             ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, int]:
    """Pass 1: route each spike (route cache), look its key up in each target PE's table and
    list the rows to fetch. Counts packets sent and received (and those with a payload).
    Out: (row-table entry address, target program, address-list index, spike count) per row,
    and the row count."""
    sends, gid_program, gid_key = t.sends, t.gid_program, t.gid_key
    route_offsets, route_targets = t.route_offsets, t.route_targets
    entry_offsets, entry_low, entry_mask = t.entry_offsets, t.entry_low, t.entry_mask
    entry_start, entry_count = t.entry_start, t.entry_count
    addr_block, addr_entry = t.addr_block, t.addr_entry
    n_packets = 0
    for s in range(len(spikes)):
        src = gid_program[spikes[s]]
        n_packets += route_offsets[src + 1] - route_offsets[src]
    capacity = max(2 * n_packets, 16)
    row = np.empty(capacity, dtype=np.int64)
    program_of = np.empty(capacity, dtype=np.int64)
    addr_of = np.empty(capacity, dtype=np.int64)
    count_of = np.empty(capacity, dtype=np.int64)
    n = 0
    for s in range(len(spikes)):
        gid = spikes[s]
        if not sends[gid]:
            continue
        src = gid_program[gid]
        counts[SENT, src] += 1
        multi = spike_counts[s] > 1
        counts[PAYLOAD_SENT, src] += multi
        key = np.int64(gid_key[gid])
        for r in range(route_offsets[src], route_offsets[src + 1]):
            program = route_targets[r]
            counts[RECEIVED, program] += 1
            counts[PAYLOAD_RECEIVED, program] += multi
            entry = _lookup(entry_offsets, entry_low, entry_mask, program, key)
            if entry < 0:
                continue
            neuron = key & (np.int64(entry_mask[entry]) ^ _LOW32)
            for a in range(entry_start[entry], entry_start[entry] + entry_count[entry]):
                if n == capacity:
                    row, program_of = _grown(row, n), _grown(program_of, n)
                    addr_of, count_of = _grown(addr_of, n), _grown(count_of, n)
                    capacity *= 2
                row[n] = addr_block[a] + neuron * addr_entry[a]
                program_of[n] = program
                addr_of[n] = a
                count_of[n] = spike_counts[s]
                n += 1
    return row, program_of, addr_of, count_of, n


@njit(cache=True, nogil=True)
def scatter_tick(spikes: np.ndarray, spike_counts: np.ndarray, tables: ScatterTables,
                 ring: np.ndarray, tick: int, plastic_words: int, counts: np.ndarray) -> int:
    """Deliver the spikes of one tick (see the module docstring).

    In:  ``spikes`` gids, ``spike_counts`` their counts (>= 1); ``tables`` the emulation's
         ScatterTables; ``ring`` (slots, receptors,
         neurons) int64 with slots >= the longest delay (64); ``counts`` the tick's (N_COUNTERS,
         n_programs) trace row, added to; ``plastic_words`` the words of a
         short-term-plasticity record.
    Out: the number of plastic rows fetched (their synapses are not added to ``ring``).
    """
    row, program_of, addr_of, count_of, n_rows = _rows_of(spikes, spike_counts, tables, counts)
    addr_block, addr_entry, dram = tables.addr_block, tables.addr_entry, tables.dram
    addr_state, addr_rule, gid_offset = tables.addr_state, tables.addr_rule, tables.gid_offset
    # pass 2: every row-table entry first, as independent loads (the rows are scattered in
    # DRAM): a row's words run from its offset to the next entry's
    first_word = np.empty(n_rows, dtype=np.int64)
    n_words = np.empty(n_rows, dtype=np.int64)
    for i in range(n_rows):
        row_offset = np.int64(dram[row[i]])
        first_word[i] = addr_block[addr_of[i]] + row_offset
        n_words[i] = np.int64(dram[row[i] + addr_entry[addr_of[i]]]) - row_offset
    # pass 3: the synapse words into the ring. The delay and type fields of a word select a
    # (slot, receptor) row of the ring: one table of 64 x 4 flat offsets per tick
    n_slots, n_receptors, n_neurons = ring.shape
    flat = ring.reshape(-1)
    now = tick % n_slots
    offset = np.empty((_D_MASK + 1) << _T_BITS, dtype=np.int64)
    for d in range(_D_MASK + 1):            # delay field d: d + 1 ticks (<= n_slots)
        slot = now + d + 1
        if slot >= n_slots:
            slot -= n_slots
        for t in range(_T_MASK + 1):
            offset[(d << _T_BITS) | t] = (slot * n_receptors + t) * n_neurons
    plastic_rows = 0
    for i in range(n_rows):
        program, a, words = program_of[i], addr_of[i], n_words[i]
        counts[SYNAPSES, program] += words
        # read: the entry, the next entry's offset and the row
        counts[DRAM_WORDS, program] += addr_entry[a] + _OFFSET + words
        if addr_state[a] >= 0:      # each record read and written back
            counts[PLASTIC, program] += words
            counts[DRAM_WORDS, program] += 2 * plastic_words * words
            plastic_rows += 1
            continue
        if addr_rule[a] >= 0:       # the entry (with the STDP state) and the row written back
            counts[PLASTIC, program] += words
            counts[DRAM_WORDS, program] += addr_entry[a] + words
            plastic_rows += 1
            continue
        base, times = gid_offset[program], count_of[i]
        for w in range(first_word[i], first_word[i] + words):
            word = np.int64(dram[w])
            row_of_ring = (((word >> _D_SHIFT) & _D_MASK) << _T_BITS) | ((word >> _T_SHIFT)
                                                                          & _T_MASK)
            flat[offset[row_of_ring] + base + ((word >> _I_SHIFT) & _I_MASK)] += (
                (word >> _W_SHIFT) & _W_MASK) * times
    return plastic_rows
