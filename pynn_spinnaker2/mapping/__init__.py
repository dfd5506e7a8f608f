"""The compiler: NetworkSpec -> MappedNetwork, one stage after another.

In:  NetworkSpec (frozen IR), Config.
Out: MappedNetwork: placements, router tables, per-PE programs, DRAM images and a MappingReport.
Raises: MappingError subclasses (see errors.py) naming the PyNN object and the fix.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from .. import formats
from .. import machine as hw
from ..config import Config
from ..ir import NetworkSpec
from ..machine import Machine
from ..neuron_models import NATIVE_MODELS
from .decode import decode_user_projection
from .delay_extensions import add_delay_extensions, split_positions
from .keys import KeyAllocation, allocate_keys
from .partition import Partition, partition
from .place import PLACERS, Placements
from .poisson_fold import fold_poisson_sources, input_tables, warn_folded_quantisation
from .programs import PEProgram, build_programs
from .report import MappingReport
from .route import RoutingTrees, route
from .router_tables import RouterTable, build_router_tables
from .slice_pairs import count_slice_pairs
from .synaptic_matrices import build_synaptic_data
from . import validate

logger = logging.getLogger("pynn_spinnaker2")


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

    network: the network the stages compiled, delay extensions included (partition, programs
    and projection ids refer to it); user_network: the network as snapshotted, without them
    (what the reference simulator runs).
    """

    network: NetworkSpec
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
        out = {}
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
            spec = self.network.projections[pid]
            words = np.zeros(len(address), dtype=np.uint32)
            here = held[chip]
            words[here] = fabric.dram[base_of[chip[here]] + address[here]]
            weight_int, _, _, _ = formats.unpack_synapse_words(words)
            slices = self.partition.slice_of_neuron(spec.post, spec.post_index)
            exponent = exponents[slices, spec.synapse_type]
            sign = NATIVE_MODELS[self.network.populations[spec.post].model].receptor_signs[
                spec.synapse_type]
            out[pid] = sign * np.ldexp(weight_int.astype(np.float64), -exponent)
        return out
    user_network: NetworkSpec | None = None

    @property
    def router_tables(self) -> dict[tuple[int, int], RouterTable]:
        """Router table per chip coordinate (x, y)."""
        return {tuple(int(v) for v in self.machine.chips[c]): t
                for c, t in self.tables_by_index.items()}

    @property
    def dram_by_chip(self) -> dict[tuple[int, int], np.ndarray]:
        return {tuple(int(v) for v in self.machine.chips[c]): d for c, d in self.dram.items()}

    @property
    def slice_placements(self) -> list[SlicePlacement]:
        """(population, neuron range, chip x, y, PE) of every slice."""
        out = []
        for s in range(self.partition.n_slices):
            x, y = self.machine.chips[self.placements.chip[s]]
            out.append(SlicePlacement(self.network.populations[self.partition.pop[s]].label,
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
        entry = formats.row_entry_words(t["addr_rule"] >= 0)
        words = []
        for address, size, rows in zip(t["addr_block"].tolist(), entry.tolist(),
                                       t["addr_rows"].tolist()):
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
        return projection._to_projection_indices(parts, self.network)


def select_machine(config: Config, n_slices: int) -> Machine:
    """The configured machine, or for machine='auto' the smallest number of boards that fits;
    without the dead chips, links and PEs the configuration lists."""
    def faulty(machine: Machine) -> Machine:
        return hw.with_faults(machine, config.dead_chips, config.dead_links, config.dead_pes)

    if config.machine == "chip":
        return faulty(hw.single_chip(config.usable_pes_per_chip))
    if config.boards is not None or config.machine == "board":
        return faulty(hw.boards(config.boards or 1, config.usable_pes_per_chip))
    n = hw.boards_needed(n_slices, config.usable_pes_per_chip)
    while faulty(hw.boards(n, config.usable_pes_per_chip)).n_pes < n_slices:
        n += 1
    logger.info("machine='auto': %d PEs needed, using %d board(s)", n_slices, n)
    chosen = faulty(hw.boards(n, config.usable_pes_per_chip))
    return replace(chosen, name=f"{chosen.name} (chosen by machine='auto' for {n_slices} PEs)")


def compile_network(network: NetworkSpec, config: Config,
                    projection_ids: dict[int, tuple[int, ...]] | None = None,
                    projection_positions: dict[int, np.ndarray] | None = None
                    ) -> MappedNetwork:
    """Run every stage in order; time and log each; validate when asked.

    The first two stages rewrite the network: Poisson sources with only one-to-one static
    projections are folded onto their targets' PEs (unless config.fold_poisson is False), and
    delay extensions are added where delays exceed 64 ticks; the others work on the rewritten
    network.
    """
    seconds: dict[str, float] = {}

    def timed(name: str, counted, fn, *args):
        start = time.perf_counter()
        result = fn(*args)
        seconds[name] = time.perf_counter() - start
        logger.info("%-14s %-40s %8.1f ms", name, counted(result), seconds[name] * 1000)
        return result

    user_network = network
    network = timed("poisson_fold", lambda n: f"{len(n.folded_poisson)} Poisson population(s) "
                    "folded onto their targets", fold_poisson_sources, user_network,
                    config.fold_poisson)
    folded = network
    network = timed("delay_extensions", lambda n: f"{len(n.delay_extensions)} extension(s), "
                    f"{n.n_neurons - user_network.n_neurons} (neuron, stage) entries",
                    add_delay_extensions, folded)
    parts = timed("partition", lambda p: f"{p.n_slices} PE slices", partition, network, config)
    machine = select_machine(config, parts.n_slices)
    placements = timed("place", lambda p: f"on {len(np.unique(p.chip))} of "
                       f"{machine.n_chips} chip(s)", PLACERS[config.placer], parts, machine,
                       network)
    keys = timed("allocate_keys", lambda k: f"{len(k.base)} key blocks", allocate_keys, parts)
    pairs = timed("slice_pairs", lambda p: f"{len(p.count)} row blocks", count_slice_pairs,
                  network, parts)
    trees = timed("route", lambda t: f"{len(t.node_slice)} tree nodes, "
                  f"{len(t.delivery_pe)} deliveries", route, network, parts, placements, machine,
                  pairs)
    tables = timed("router_tables", lambda t: f"{sum(map(len, t.values()))} entries on "
                   f"{len(t)} chip(s)", build_router_tables, trees, keys, machine)
    data = timed("synaptic_rows", lambda d: f"{network.n_synapses} synapses in "
                 f"{len(d.block_slice)} row blocks", build_synaptic_data, network, parts,
                 placements, keys, config, pairs)
    poisson, folded_worst = input_tables(network, parts, data.weight_exponent,
                                         config.weight_bits)
    warn_folded_quantisation(network, folded_worst)
    programs = timed("pe_programs", lambda p: f"{len(p)} programs", build_programs, network,
                     parts, placements, keys, data, config, poisson)
    worst = {**data.worst_relative_error, **folded_worst}
    report = _report(network, user_network, machine, parts, placements, tables, programs,
                     data.dram, worst, seconds)
    mapped = MappedNetwork(network, machine, network.dt, parts, placements, keys, trees, tables,
                           tuple(programs), data.dram, report, projection_ids or {},
                           config.weight_bits,
                           tuple((c.kind, dict(c.params), c.recorded)
                                 for c in network.current_sources),
                           data.stdp_words,
                           split_positions(folded, network, projection_positions or {}),
                           user_network)
    if config.validate:
        timed("validate", lambda _: "all invariants hold", validate.check_all, mapped)
    return mapped


def _report(network: NetworkSpec, user_network: NetworkSpec, machine: Machine,
            parts: Partition, placements: Placements,
            tables: dict[int, RouterTable], programs: list[PEProgram],
            dram: dict[int, np.ndarray], worst: dict[int, float],
            seconds: dict[str, float]) -> MappingReport:
    sram = [p.sram_bytes for p in programs]
    per_chip = {chip: image.nbytes for chip, image in dram.items()}
    for prog in programs:
        per_chip[prog.chip] = per_chip.get(prog.chip, 0) + prog.dram_bytes
    dram_bytes = list(per_chip.values())
    entries = [len(t) for t in tables.values()]
    pops = tuple((spec.label, spec.size, int(np.sum(parts.pop == spec.id)))
                 for spec in network.populations)
    return MappingReport(
        machine=machine.describe(), n_neurons=user_network.n_neurons,
        n_synapses=user_network.n_synapses,
        pes_used=parts.n_slices, chips_used=len(np.unique(placements.chip)),
        boards=machine.n_boards, sram_bytes_total=sum(sram), sram_bytes_max_pe=max(sram, default=0),
        dram_bytes_total=sum(dram_bytes), dram_bytes_max_chip=max(dram_bytes, default=0),
        router_entries_total=sum(entries), router_entries_max_chip=max(entries, default=0),
        worst_weight_error=max(worst.values(), default=0.0), stage_seconds=dict(seconds),
        populations=pops)
