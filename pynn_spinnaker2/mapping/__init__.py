"""The compiler: NetworkSpec -> MappedNetwork, one stage after another.

In:  NetworkSpec (frozen IR), Config.
Out: MappedNetwork: placements, router tables, per-PE programs, DRAM images and a MappingReport.
Raises: MappingError subclasses (see errors.py) naming the PyNN object and the fix.
"""

from __future__ import annotations

import logging
import time
from functools import partial
from dataclasses import replace
from typing import Any, Callable, TypeVar

import numpy as np

from .. import machine as hw
from ..compiled.network import MappedNetwork, SlicePlacement
from ..compiled.program import PEProgram
from ..compiled.report import MappingReport
from ..compiled.router import RouterTable
from ..compiled.stages import Partition, Placements
from ..config import Config
from ..ir import NetworkSpec
from ..machine import Machine
from .agreed import ALONE, Agreement, synapse_counts
from .delay_extensions import add_delay_extensions, own_inputs_only, split_positions
from .keys import allocate_keys
from .partition import partition
from .place import PLACERS, place_by_connectivity
from .poisson_fold import fold_poisson_sources, poisson_inputs
from .programs import build_programs
from .route import route
from .router_tables import build_router_tables
from .slice_pairs import count_slice_pairs
from .synaptic_matrices import build_synaptic_data
from . import validate

__all__ = ["MappedNetwork", "SlicePlacement", "compile_network", "select_machine"]

logger = logging.getLogger("pynn_spinnaker2")
T = TypeVar("T")


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
                    projection_positions: dict[int, np.ndarray] | None = None,
                    agree: Agreement = ALONE) -> MappedNetwork:
    """Run every stage in order; time and log each; after each, check its invariants when
    config.validate (validate.py).

    The first two stages rewrite the network: Poisson sources with only one-to-one static
    projections are folded onto their targets' PEs (unless config.fold_poisson is False), and
    delay extensions are added where delays exceed 64 ticks; the others work on the rewritten
    network.

    Under MPI (``agree``: K > 1 ranks) each rank's network holds only the synapses onto the
    neurons of the slices it emulates (parallel/compile.py); the stages agree over the ranks
    on every fact they read from synapses, so each rank compiles the same machine and writes
    only its own rows. The invariant checks then run only in one process (they count every
    synapse).
    """
    seconds: dict[str, float] = {}

    def timed(name: str, counted: Callable[[Any], str], fn: Callable[..., T], *args: Any) -> T:
        start = time.perf_counter()
        result = fn(*args)
        seconds[name] = time.perf_counter() - start
        logger.info("%-14s %-40s %8.1f ms", name, counted(result), seconds[name] * 1000)
        return result

    def check(stage: str, *args: Any) -> None:
        if config.validate and agree.size == 1:
            start = time.perf_counter()
            validate.CHECKS[stage](*args)
            seconds["validate"] = seconds.get("validate", 0.0) + time.perf_counter() - start

    user_network = network
    folded = timed("poisson_fold", lambda n: f"{len(n.folded_poisson)} Poisson population(s) "
                   "folded onto their targets", fold_poisson_sources, user_network,
                   config.fold_poisson, agree)
    check("poisson_fold", user_network, folded)
    network = timed("delay_extensions", lambda n: f"{len(n.delay_extensions)} extension(s), "
                    f"{n.n_neurons - user_network.n_neurons} (neuron, stage) entries",
                    add_delay_extensions, folded, agree)
    check("delay_extensions", folded, network)
    parts = timed("partition", lambda p: f"{p.n_slices} PE slices", partition, network, config,
                  agree)
    network = own_inputs_only(network, parts, agree)
    counts = synapse_counts(user_network, agree)
    check("partition", network, parts)
    machine = select_machine(config, parts.n_slices)
    placements = timed("place", lambda p: f"on {len(np.unique(p.chip))} of "
                       f"{machine.n_chips} chip(s)", _placer(config.placer, network, agree),
                       parts, machine, network)
    check("place", parts, placements, machine)
    keys = timed("allocate_keys", lambda k: f"{len(k.base)} key blocks", allocate_keys, parts)
    check("allocate_keys", parts, keys)
    pairs = timed("slice_pairs", lambda p: f"{len(p.count)} row blocks", count_slice_pairs,
                  network, parts, agree)
    check("slice_pairs", network, pairs)
    trees = timed("route", lambda t: f"{len(t.node_slice)} tree nodes, "
                  f"{len(t.delivery_pe)} deliveries", route, network, parts, placements, machine,
                  pairs)
    check("route", network, parts, placements, trees)
    tables = timed("router_tables", lambda t: f"{sum(map(len, t.values()))} entries on "
                   f"{len(t)} chip(s)", build_router_tables, trees, keys, machine)
    check("router_tables", network, parts, placements, keys, tables, machine)
    data = timed("synaptic_rows", lambda d: f"{network.n_synapses} synapses in "
                 f"{len(d.block_slice)} row blocks", build_synaptic_data, network, parts,
                 placements, pairs, config.weight_bits, agree)
    check("synaptic_rows", pairs, data)
    inputs = timed("poisson_inputs", lambda i: f"{sum(map(len, i.tables))} folded input "
                   "table(s)", poisson_inputs, network, parts, data.weight_exponent,
                   config.weight_bits)
    programs = timed("pe_programs", lambda p: f"{len(p)} programs", build_programs, network,
                     parts, placements, keys, data, inputs)
    worst = {**data.worst_relative_error, **inputs.worst_relative_error}
    report = _report(network, user_network, int(counts.sum()), machine, parts, placements,
                     tables, programs, data.dram, worst, seconds)
    mapped = MappedNetwork(
        network=user_network, compiled_network=network, machine=machine, dt=network.dt,
        partition=parts, placements=placements, keys=keys, trees=trees, tables_by_index=tables,
        programs=tuple(programs), dram=data.dram, report=report,
        projection_ids=projection_ids or {}, weight_bits=config.weight_bits,
        current_sources=tuple((c.kind, dict(c.params), c.recorded)
                              for c in network.current_sources),
        stdp_words=data.stdp_words,
        projection_positions=split_positions(folded, network, projection_positions or {}))
    check("pe_programs", mapped)
    return mapped


def _placer(name: str, network: NetworkSpec, agree: Agreement) -> Callable[..., Placements]:
    """The configured placer; under MPI the connectivity placer weighs every rank's synapses."""
    if name == "connectivity" and agree.size > 1:
        return partial(place_by_connectivity, counts=synapse_counts(network, agree))
    return PLACERS[name]


def _report(network: NetworkSpec, user_network: NetworkSpec, n_synapses: int, machine: Machine,
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
        n_synapses=n_synapses,
        pes_used=parts.n_slices, chips_used=len(np.unique(placements.chip)),
        boards=machine.n_boards, sram_bytes_total=sum(sram), sram_bytes_max_pe=max(sram, default=0),
        dram_bytes_total=sum(dram_bytes), dram_bytes_max_chip=max(dram_bytes, default=0),
        router_entries_total=sum(entries), router_entries_max_chip=max(entries, default=0),
        worst_weight_error=max(worst.values(), default=0.0), stage_seconds=dict(seconds),
        populations=pops)
