"""What the host loads onto one PE: its program and its master population table.

In:  nothing (frozen records the compiler fills: mapping/programs.py, synaptic_matrices.py).
Out: PEProgram and MasterPopulationTable, read by the emulator and the readers of this package.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


@dataclass(frozen=True)
class MasterPopulationTable:
    """The master population table and address list of one target PE (formats.md).

    Entries, sorted by key: mpt_key, mpt_mask, mpt_start (first address-list index), mpt_count
    (address-list entries). Address list, one per row block: addr_block (word address of the
    row block in chip DRAM), addr_rows (its row-table entries), addr_state (word address of
    the block's short-term-plasticity state region, -1 for static rows), addr_rule (index into
    stdp_rules, -1 for non-STDP rows), addr_dynamics (formats.DYNAMICS_CODES: which record the
    block's state region holds; on the PE it shares the entry's second word with the row
    count), addr_projection (host-side only: which projection each block came from; the PE
    never reads it). stdp_rules: one record per STDP projection onto the PE
    (formats.STDP_RULE_FIELDS); stdp_tau_minus: the post-synaptic trace's time constant, empty
    without STDP input.
    """

    mpt_key: np.ndarray
    mpt_mask: np.ndarray
    mpt_start: np.ndarray
    mpt_count: np.ndarray
    addr_block: np.ndarray
    addr_rows: np.ndarray
    addr_projection: np.ndarray
    addr_state: np.ndarray
    addr_rule: np.ndarray
    addr_dynamics: np.ndarray
    stdp_rules: np.ndarray
    stdp_tau_minus: np.ndarray


@dataclass(frozen=True)
class PEProgram:
    """What the host loads onto one PE.

    neuron_block: named float32/int32 arrays (parameters, precomputed constants, initial state).
    weight_exponent: per synapse type, words' weights are ``value * 2**-exponent``.
    tables: master population table and address list (MasterPopulationTable).
    source_ticks/source_offsets: for spike-time sources, CSR per neuron of the ticks in which the
    neuron emits (held in DRAM and streamed in; counted as DRAM).
    sends_packets: whether any PE holds targets of this slice (a PE with none sends nothing).
    rng_stream: for random sources, the first per-neuron stream id of this PE.
    recorded: variable -> boolean mask over the PE's neurons.
    sample_every: the PE writes its recorded state variables every this many ticks.
    delay_source: host-side only, for a delay-extension PE: the population whose spikes it
    delays (-1 otherwise); lets a new emulation carry the extension's history over.
    poisson_inputs: the Poisson inputs drawn on this PE (folded sources,
    mapping/poisson_fold.py's input_tables), a dict of equal-length arrays; empty when none.
    """

    slice_id: int
    chip: int
    pe: int
    model: str
    n_neurons: int
    key: int
    mask: int
    neuron_block: dict[str, np.ndarray]
    weight_exponent: np.ndarray
    ring_buffer_slots: int
    tables: MasterPopulationTable
    recorded: dict[str, np.ndarray]
    sends_packets: bool = False
    rng_stream: int = 0
    source_offsets: np.ndarray | None = None
    source_ticks: np.ndarray | None = None
    sram: dict[str, int] = field(default_factory=dict)
    dram_bytes: int = 0
    # current sources injecting into this PE's neurons: (source id, local neuron index) pairs
    current_source: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    current_neuron: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    delay_source: int = -1
    poisson_inputs: dict[str, np.ndarray] = field(default_factory=dict)
    sample_every: int = 1

    @property
    def sram_bytes(self) -> int:
        return sum(self.sram.values())
