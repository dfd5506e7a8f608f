"""The compiled network: everything the compiler generated, as one frozen record.

In:  the outputs of the compiler's stages (mapping/__init__.py builds it).
Out: MappedNetwork (what sim.get_mapping() returns; the emulator loads its programs, router
     tables and DRAM images) and SlicePlacement.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .. import formats
from ..ir import NetworkSpec
from ..machine import Machine
from ..neuron_models import NATIVE_MODELS
from .decode import decode_user_projection
from .program import PEProgram
from .report import MappingReport
from .router import RouterTable
from .stages import KeyAllocation, Partition, Placements, RoutingTrees


@dataclass(frozen=True)
class SlicePlacement:
    """Where one slice of a population runs."""

    population: str
    lo: int
    hi: int
    x: int
    y: int
    pe: int


@dataclass(frozen=True)
class MappedNetwork:
    """Everything the compiler generated; the emulator runs from programs, tables and DRAM.

    network: the network as the user built it (as snapshotted: what the reference simulator,
    emulator/reference.py, runs); compiled_network: the network the stages compiled, rewritten
    with Poisson sources folded onto their targets and delay extensions added (partition,
    programs and IR projection ids refer to it).
    """

    network: NetworkSpec
    compiled_network: NetworkSpec
    machine: Machine
    dt: float
    partition: Partition
    placements: Placements
    keys: KeyAllocation
    trees: RoutingTrees
    tables_by_index: dict[int, RouterTable]
    programs: tuple[PEProgram, ...]
    dram: dict[int, np.ndarray]
    report: MappingReport
    projection_ids: dict[int, tuple[int, ...]]   # PyNN projection number -> IR projection ids
    weight_bits: int = 16
    # (kind, parameters, recorded) of every current source, by id
    current_sources: tuple[tuple[str, dict, bool], ...] = ()
    # per STDP IR projection: each synapse's (chip, word address), in IR order, and its
    # position in its PyNN projection
    stdp_words: dict[int, tuple[np.ndarray, np.ndarray]] = field(default_factory=dict)
    projection_positions: dict[int, np.ndarray] = field(default_factory=dict)

    def learned_weights(self, fabric) -> dict[int, np.ndarray]:
        """Current weights (PyNN units) of every STDP IR projection, read from the synapse
        words in ``fabric``'s DRAM (the emulator's; the compiled images hold the initial ones).
        A synapse on a chip that ``fabric`` does not hold (an MPI rank holds its own chips)
        reads as weight 0.
        """
        out: dict[int, np.ndarray] = {}
        if not self.stdp_words:
            return out
        # each chip's first word in the global DRAM, indexed by chip (one lookup per synapse)
        size = max(max(fabric.chip_base, default=0), self.machine.n_chips - 1) + 1
        base_of = np.zeros(size, dtype=np.int64)
        held = np.zeros(size, dtype=bool)
        base_of[list(fabric.chip_base)] = list(fabric.chip_base.values())
        held[list(fabric.chip_base)] = True
        exponents = np.array([p.weight_exponent for p in self.programs])   # programs by slice
        for pid, (chip, address) in self.stdp_words.items():
            spec = self.compiled_network.projections[pid]
            words = np.zeros(len(address), dtype=np.uint32)
            here = held[chip]
            words[here] = fabric.dram[base_of[chip[here]] + address[here]]
            weight_int, _, _, _ = formats.unpack_synapse_words(words)
            slices = self.partition.slice_of_neuron(spec.post, spec.post_index)
            exponent = exponents[slices, spec.synapse_type]
            sign = NATIVE_MODELS[self.compiled_network.populations[spec.post].model].receptor_signs[
                spec.synapse_type]
            out[pid] = sign * np.ldexp(weight_int.astype(np.float64), -exponent)
        return out

    @property
    def router_tables(self) -> dict[tuple[int, int], RouterTable]:
        """Router table per chip coordinate (x, y)."""
        return {self._xy(c): t for c, t in self.tables_by_index.items()}

    @property
    def dram_by_chip(self) -> dict[tuple[int, int], np.ndarray]:
        return {self._xy(c): d for c, d in self.dram.items()}

    def _xy(self, chip: int) -> tuple[int, int]:
        x, y = self.machine.chips[chip]
        return int(x), int(y)

    @property
    def slice_placements(self) -> list[SlicePlacement]:
        """(population, neuron range, chip x, y, PE) of every slice."""
        out = []
        for s in range(self.partition.n_slices):
            x, y = self.machine.chips[self.placements.chip[s]]
            out.append(SlicePlacement(self.compiled_network.populations[self.partition.pop[s]].label,
                                      int(self.partition.lo[s]), int(self.partition.hi[s]),
                                      int(x), int(y), int(self.placements.pe[s])))
        return out

    def pe_words(self, slice_id: int) -> np.ndarray:
        """The raw DRAM words (row tables and synapse words) of one PE's row blocks.

        Out: uint32 array: the blocks of the PE's address list, in order, each its row table
        then its synapse words (formats.md); a block ends where its table's last entry says.
        """
        prog = self.programs[slice_id]
        image = self.dram.get(prog.chip, np.zeros(0, dtype=np.uint32))
        t = prog.tables
        entry = formats.row_entry_words(t.addr_rule >= 0)
        words = []
        for address, size, rows in zip(t.addr_block.tolist(), entry.tolist(),
                                       t.addr_rows.tolist()):
            end = int(image[address + rows * size])
            words.append(image[address:address + end])
        return np.concatenate(words) if words else np.zeros(0, dtype=np.uint32)

    def placements_of(self, population: Any) -> list[SlicePlacement]:
        """Slice placements of one population (a PyNN Population or its label)."""
        label = population if isinstance(population, str) else population.label
        return [p for p in self.slice_placements if p.population == label]

    def decode_projection(self, projection: Any) -> np.ndarray:
        """(pre index, post index, weight, delay) per synapse, read from the tables alone.

        In: a PyNN Projection of this backend. Indices are relative to the projection's pre and
        post (views and assemblies included), as ``Projection.get(..., format="list")`` gives.
        Out: (n, 4) float array sorted by pre, post, weight, delay; synapses through a delay
        extension with the source neuron and the full delay.
        """
        ids = self.projection_ids[projection._number]
        parts = [(i, decode_user_projection(self, i)) for i in ids]
        return projection._to_projection_indices(parts, self.compiled_network)
