"""The emulator's synaptic fabric: the compiled tables (compiled/synapse_tables.py) plus the
plastic state the emulator writes and carries between runs.

In:  the per-PE tables and chip DRAM images the compiler generated.
Out: SynapseFabric: lookups and fetches of SynapseTables; restore_state (reset),
     carry_state_from (a change between runs) and the arrays of the compiled scatter pass.
"""

from __future__ import annotations

import numpy as np

from .. import formats
from ..compiled.synapse_tables import Decoded, SynapseTables
from ..ranges import expand_ranges

__all__ = ["Decoded", "SynapseFabric", "expand_ranges"]


class SynapseFabric(SynapseTables):
    """SynapseTables whose plastic state (short-term records, STDP rows) the emulator updates."""

    def restore_state(self) -> None:
        """Plastic state back to its initial values (reset)."""
        if self.initial_dram is not None:
            self.dram[:] = self.initial_dram

    def stdp_header_addresses(self) -> np.ndarray:
        """Addresses of the STDP state words (formats.STDP_HEADER_FIELDS) of every STDP row."""
        blocks = np.flatnonzero(self.addr_rule >= 0)
        owner, row = expand_ranges(np.zeros(len(blocks), np.int64), self.addr_rows[blocks])
        rows = self.addr_block[blocks][owner] + row * self.addr_entry[blocks][owner]
        return (rows[:, None] + formats.ROW_OFFSET_WORDS
                + np.arange(formats.STDP_HEADER_WORDS)[None, :]).ravel()

    def carry_state_from(self, old: "SynapseFabric") -> None:
        """Keep the dynamic plastic state of ``old`` where the layout is unchanged (a change of
        parameters or weights between runs): the u, x, y and last spike of short-term plastic
        records, and the pre-synaptic STDP state of STDP rows."""
        headers = self.stdp_header_addresses()
        if len(headers) and np.array_equal(headers, old.stdp_header_addresses()):
            self.dram[headers] = old.dram[headers]
        if not self.state_spans or self.state_spans != old.state_spans:
            return
        blocks = np.flatnonzero(self.addr_state >= 0)
        if not np.array_equal(self.addr_dynamics[blocks], old.addr_dynamics[blocks]):
            return
        # each record's dynamic words (formats.DYNAMIC_WORDS of its kind)
        table = formats.row_table_words(self.addr_rows[blocks], self.addr_rule[blocks] >= 0)
        count = self.dram[self.addr_block[blocks] + self.addr_rows[blocks]
                          * self.addr_entry[blocks]].astype(np.int64) - table
        per_kind = np.zeros(max(formats.DYNAMIC_WORDS) + 1, dtype=np.int64)
        per_kind[list(formats.DYNAMIC_WORDS)] = list(formats.DYNAMIC_WORDS.values())
        owner, record = expand_ranges(np.zeros(len(blocks), np.int64), count)
        words = np.arange(formats.STP_WORDS)[None, :]
        keep = words < per_kind[self.addr_dynamics[blocks]][owner][:, None]
        address = (self.addr_state[blocks][owner] + record * formats.STP_WORDS)[:, None] + words
        self.dram[address[keep]] = old.dram[address[keep]]

    def scatter_arrays(self) -> dict[str, np.ndarray]:
        """The fabric's part of ``scatter.ScatterTables``, by field name."""
        names = ("entry_offsets", "entry_low", "entry_mask", "entry_start", "entry_count",
                 "addr_block", "addr_entry", "addr_state", "addr_rule", "dram")
        return {name: getattr(self, name) for name in names}
