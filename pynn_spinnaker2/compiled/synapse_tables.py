"""Read the compiled synaptic data as a PE does: master population table lookup, row fetch and
decode. The emulator runs on it (emulator/synapses.py adds the plastic state); the compiler's
decode and validation read the tables back through it.

In:  the per-PE tables and chip DRAM images the compiler generated, arriving (PE, key) pairs.
Out: decoded synapses (target PE, neuron index, synapse type, delay ticks, integer weight).

``SynapseTables`` concatenates all PEs' tables into global arrays once, and views all chips'
DRAM as one global array (the compiler's buffer itself when the images are views of it, as
compiled, and nothing is plastic; else a copy), so that each tick's lookups are a few array
operations over every PE at once.

Row of source neuron n in a block (formats.md): its row-table entry is at
``entry = block + n * stride`` (stride 1, or 1 + formats.STDP_HEADER_WORDS in an STDP block,
whose entry holds the STDP state after the offset); the row's words are
``block + dram[entry]`` up to ``block + dram[entry + stride]`` (exclusive).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping, Sequence

import numpy as np

from .. import formats
from ..ranges import expand_ranges
from .program import PEProgram


@dataclass
class Decoded:
    """One element per synapse word fetched."""

    arrival: np.ndarray      # index into the arriving (PE, key) list
    program: np.ndarray      # target PE program index
    index: np.ndarray        # target neuron index on that PE
    synapse_type: np.ndarray
    delay_ticks: np.ndarray
    weight: np.ndarray       # integer weight field
    block: np.ndarray        # global address-list index (which row block)
    row_program: np.ndarray  # per row fetched: the PE that fetched it
    row_words: np.ndarray    # per row fetched: words moved by DMA (its row-table entry, the
    #                          next entry's offset, and the row's words)
    state_address: np.ndarray  # per word: its plastic state record in DRAM, -1 when static
    word_address: np.ndarray   # per word: its address in the global DRAM
    row_address: np.ndarray    # per word: the address of its row's row-table entry (the
    #                            offset word; an STDP row's state follows at +1 and +2)
    rule: np.ndarray           # per word: global STDP rule index, -1 when not STDP
    row: np.ndarray            # per word: its row's index in the block (the key's neuron bits)


class SynapseTables:
    """Global view of every PE's master population table, address list and its chip's DRAM."""

    def __init__(self, programs: Sequence[PEProgram], dram: Mapping[int, np.ndarray],
                 emulated: np.ndarray | None = None) -> None:
        """``emulated`` (bool per program; None: all) keeps only those programs' tables and
        their chips' DRAM (an MPI rank emulating part of the machine); programs keep their
        global index."""
        if emulated is None:
            chips = sorted(dram)
        else:
            chips = sorted({programs[int(i)].chip for i in np.flatnonzero(emulated)}
                           & set(dram))
        sizes = [len(dram[c]) for c in chips]
        base = dict(zip(chips, np.concatenate([[0], np.cumsum(sizes)])[:-1].tolist()))
        compiled = joined_images([dram[c] for c in chips])
        keys, masks, starts, counts, owners = [], [], [], [], []
        blocks, projections, states, rules, rule_tables, kinds = [], [], [], [], [], []
        n_rows = []
        n_addr = n_rules = 0
        for i, prog in enumerate(programs):
            if emulated is not None and not emulated[i]:
                continue
            t = prog.tables
            keys.append((np.uint64(i) << np.uint64(32)) | t.mpt_key.astype(np.uint64))
            masks.append(t.mpt_mask)
            starts.append(t.mpt_start.astype(np.int64) + n_addr)
            counts.append(t.mpt_count.astype(np.int64))
            owners.append(np.full(len(t.mpt_key), i, dtype=np.int64))
            blocks.append(t.addr_block.astype(np.int64) + base.get(prog.chip, 0))
            n_rows.append(t.addr_rows.astype(np.int64))
            projections.append(t.addr_projection)
            state = t.addr_state.astype(np.int64)
            states.append(np.where(state >= 0, state + base.get(prog.chip, 0), -1))
            rules.append(np.where(t.addr_rule >= 0, t.addr_rule + n_rules, -1))
            rule_tables.append(t.stdp_rules)
            kinds.append(t.addr_dynamics)
            n_addr += len(t.addr_block)
            n_rules += len(t.stdp_rules)
        def cat(parts: list[np.ndarray], dtype: type) -> np.ndarray:
            return np.concatenate(parts).astype(dtype) if parts else np.zeros(0, dtype)

        self.entry_key = cat(keys, np.uint64)        # sorted: program major, key minor
        self.entry_mask = cat(masks, np.uint32)
        self.entry_start = cat(starts, np.int64)
        self.entry_count = cat(counts, np.int64)
        self.entry_program = cat(owners, np.int64)
        # per-PE view of the same table for the compiled pass: PE i's entries are
        # entry_offsets[i] .. entry_offsets[i + 1], their keys as int64
        self.entry_offsets = np.searchsorted(self.entry_program,
                                             np.arange(len(programs) + 1)).astype(np.int64)
        self.entry_low = (self.entry_key & np.uint64(0xFFFFFFFF)).astype(np.int64)
        self.addr_block = cat(blocks, np.int64)
        self.addr_rows = cat(n_rows, np.int64)
        self.addr_projection = cat(projections, np.int64)
        self.addr_state = cat(states, np.int64)
        self.addr_rule = cat(rules, np.int64)
        self.addr_dynamics = cat(kinds, np.int64)   # formats.DYNAMICS_CODES
        self.addr_entry = formats.row_entry_words(self.addr_rule >= 0)
        # every PE's STDP rule table, one after another (global rule index)
        self.stdp_rules = (np.concatenate(rule_tables).astype(np.float32) if rule_tables
                           else np.zeros((0, formats.STDP_RULE_WORDS), np.float32))
        self.chip_base = base
        # each chip's plastic state regions follow its row blocks: [first region, chip end)
        ends = dict(zip(chips, (np.cumsum(sizes) if chips else [])))
        owner_chip = np.concatenate([np.full(len(p.tables.addr_state), p.chip)
                                     for i, p in enumerate(programs)
                                     if emulated is None or emulated[i]]
                                    + [np.zeros(0, np.int64)])
        self.state_spans = sorted(
            (int(self.addr_state[owner_chip == c][self.addr_state[owner_chip == c] >= 0].min()),
             int(ends[c])) for c in np.unique(owner_chip[self.addr_state >= 0]))
        plastic = bool(self.state_spans or len(self.stdp_rules))
        # plastic state is written: work on a copy, the compiled images keep the initial state
        self.initial_dram = compiled if plastic else None
        self.dram = compiled.copy() if plastic else compiled
        if not plastic:
            self.dram.setflags(write=False)
        self.dram_f32 = self.dram.view(np.float32)   # plastic state records, read and written

    def lookup(self, program: np.ndarray, keys: np.ndarray) -> np.ndarray:
        """Binary search of each PE's master population table: entry index or -1."""
        if len(self.entry_key) == 0:
            return np.full(len(keys), -1, dtype=np.int64)
        combined = (np.asarray(program, dtype=np.uint64) << np.uint64(32)) | np.asarray(
            keys, dtype=np.uint64)
        pos = np.searchsorted(self.entry_key, combined, side="right") - 1
        pos = np.maximum(pos, 0)
        mask = self.entry_mask[pos].astype(np.uint64)
        match = ((self.entry_program[pos] == program)
                 & ((np.asarray(keys, dtype=np.uint64) & mask)
                    == (self.entry_key[pos] & np.uint64(0xFFFFFFFF))))
        return np.where(match, pos, -1)

    def fetch(self, program: np.ndarray, keys: np.ndarray, plastic_only: bool = False) -> Decoded:
        """Look up, fetch and decode the rows of every arriving (PE, key).

        In:  the target program and key of each arrival; ``plastic_only`` keeps only the row
             blocks with a plastic state region or an STDP rule (the emulator's numpy path for
             plastic rows; static rows go through the compiled pass of scatter.py).
        Out: Decoded, one element per synapse word.
        """
        keys = np.asarray(keys, dtype=np.uint32)
        entry = self.lookup(program, keys)
        arrival = np.flatnonzero(entry >= 0)
        entry = entry[arrival]
        # one element per (arrival, row block) of the entry's address list
        owner, addr = expand_ranges(self.entry_start[entry], self.entry_count[entry])
        if plastic_only:
            keep = (self.addr_state[addr] >= 0) | (self.addr_rule[addr] >= 0)
            owner, addr = owner[keep], addr[keep]
        arrival = arrival[owner]
        neuron = (keys[arrival] & ~self.entry_mask[entry[owner]]).astype(np.int64)
        entry_words = self.addr_entry[addr]
        row_address = self.addr_block[addr] + neuron * entry_words     # the row-table entry
        offset = self.dram[row_address].astype(np.int64)
        n_words = self.dram[row_address + entry_words].astype(np.int64) - offset
        row_of_word, word_address = expand_ranges(self.addr_block[addr] + offset, n_words)
        weight, delay, syn_type, index = formats.unpack_synapse_words(self.dram[word_address])
        program = np.asarray(program)
        block = addr[row_of_word]
        state_base = self.addr_state[block]
        # a synapse's record follows the order of the block's words, which start after the table
        slot = word_address - self.addr_block[block] - formats.row_table_words(
            self.addr_rows[block], self.addr_rule[block] >= 0)
        state_address = np.where(state_base >= 0, state_base + slot * formats.STP_WORDS, -1)
        return Decoded(arrival[row_of_word], program[arrival[row_of_word]], index,
                       syn_type, delay, weight, block, program[arrival],
                       entry_words + formats.ROW_OFFSET_WORDS + n_words,
                       state_address, word_address, row_address[row_of_word],
                       self.addr_rule[block], neuron[row_of_word])


def joined_images(images: list[np.ndarray]) -> np.ndarray:
    """The chips' images as one array: the buffer they view when they lie back to back in it
    (as the compiler lays them out), else a concatenated copy."""
    if not images:
        return np.zeros(0, dtype=np.uint32)
    base = images[0].base
    start = images[0].__array_interface__["data"][0]
    end = start
    for image in images:
        if image.base is not base or image.__array_interface__["data"][0] != end \
                or image.dtype != np.uint32 or not image.flags.c_contiguous:
            return np.concatenate(images)
        end += image.nbytes
    if base is None or base.dtype != np.uint32 or base.ndim != 1:
        return np.concatenate(images)
    first = (start - base.__array_interface__["data"][0]) // 4
    return base[first:first + (end - start) // 4]
