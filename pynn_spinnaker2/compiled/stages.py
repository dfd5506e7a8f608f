"""The data each compiler stage hands on: one home for the stage types, so that no stage
imports another for a type.

In:  nothing (plain frozen records of numpy arrays).
Out: Partition (partition), Placements (place), KeyAllocation (allocate_keys), SlicePairs
     (slice_pairs), RoutingTrees (route), SynapticData (synaptic_rows), PoissonInputs
     (poisson_inputs).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import numpy as np


@dataclass(frozen=True)
class Partition:
    """Slices, indexed by slice id, in population order."""

    pop: np.ndarray
    lo: np.ndarray
    hi: np.ndarray

    @property
    def n_slices(self) -> int:
        return len(self.pop)

    def slices_of(self, pop_id: int) -> np.ndarray:
        """Slice ids of a population, in neuron order."""
        return np.flatnonzero(self.pop == pop_id)

    def slice_of_neuron(self, pop_id: int, index: np.ndarray) -> np.ndarray:
        """Slice id holding each neuron index of a population."""
        ids = self.slices_of(pop_id)
        return ids[np.searchsorted(self.lo[ids], index, side="right") - 1]

    def neuron_slices(self, pop_id: int) -> np.ndarray:
        """Slice id of every neuron of a population (int32, one per neuron): a lookup table,
        faster than ``slice_of_neuron`` for many synapses."""
        ids = self.slices_of(pop_id)
        return np.repeat(ids.astype(np.int32), self.hi[ids] - self.lo[ids])


@dataclass(frozen=True)
class Placements:
    """chip[s] is the machine chip index of slice s, pe[s] its PE number on that chip."""

    chip: np.ndarray
    pe: np.ndarray


@dataclass(frozen=True)
class KeyAllocation:
    """base[s] | neuron index is the key of a spike of slice s; mask[s] covers base[s]."""

    base: np.ndarray
    mask: np.ndarray


@dataclass(frozen=True)
class SlicePairs:
    """One entry per row block, sorted by projection, then target slice, then source slice."""

    projection: np.ndarray
    src_slice: np.ndarray
    dst_slice: np.ndarray
    count: np.ndarray        # synapses in the block

    def of_projection(self, proj_id: int, first: int, stop: int) -> slice:
        """The entries of one projection onto target slices [first, stop)."""
        key = self.projection * (1 << 32) + self.dst_slice
        lo, hi = np.searchsorted(key, [proj_id * (1 << 32) + first, proj_id * (1 << 32) + stop])
        return slice(int(lo), int(hi))


@dataclass(frozen=True)
class RoutingTrees:
    """Tree nodes, one per (source slice, chip), and local deliveries.

    in_link is the link a packet arrives on at that chip (-1 at the source chip);
    out_links is a bitmask over the 6 links. Deliveries: (delivery_node, delivery_pe).
    """

    node_slice: np.ndarray
    node_chip: np.ndarray
    node_in_link: np.ndarray
    node_out_links: np.ndarray
    delivery_node: np.ndarray
    delivery_pe: np.ndarray


@dataclass(frozen=True)
class SynapticData:
    """Row blocks and lookup tables of every target slice.

    Per block b (one per target slice, source slice and projection, in SlicePairs order):
    block_slice, block_source, block_projection, block_address (word offset in its chip's
    DRAM), block_rows (row-table entries: the source slice's neurons), block_synapses.
    The master population table of a slice is built from these (master_population_table).
    """

    dram: dict[int, np.ndarray]      # per chip, a view of one buffer (chips in index order)
    block_slice: np.ndarray
    block_source: np.ndarray
    block_projection: np.ndarray
    block_address: np.ndarray
    block_rows: np.ndarray
    block_synapses: np.ndarray
    weight_exponent: np.ndarray      # (n_slices, N_SYNAPSE_TYPES) int
    ring_slots: np.ndarray           # (n_slices,) ring-buffer depth
    worst_relative_error: dict[int, float]
    block_state: np.ndarray          # word address of a block's plastic state region, or -1
    block_rule: np.ndarray           # (n_blocks, STDP_RULE_WORDS) STDP rule, NaN for non-STDP
    block_dynamics: np.ndarray       # formats.DYNAMICS_CODES of each block's records (0: none)
    # host-side: per STDP projection, the (chip, word address) of each synapse's word, in the
    # projection's synapse order (to read learned weights back)
    stdp_words: dict[int, tuple[np.ndarray, np.ndarray]]
    # per slice, the time constants of the post-synaptic trace, of the triplet rule's second
    # post-synaptic trace (tau_y) and of the dopamine trace (tau_d), 0 if none
    stdp_tau: tuple[np.ndarray, np.ndarray, np.ndarray]

    @property
    def block_stdp(self) -> np.ndarray:
        return ~np.isnan(self.block_rule[:, 0])


class PoissonInputs(NamedTuple):
    """Per slice, its folded Poisson inputs (a dict of equal-length arrays, empty when none:
    mapping/poisson_fold.py's input_tables); the worst relative weight error per folded
    projection id; per slice, the SRAM bytes of its table."""

    tables: list[dict[str, np.ndarray]]
    worst_relative_error: dict[int, float]
    sram_bytes: list[int]
