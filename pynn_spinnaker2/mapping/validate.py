"""Invariant checks of the compiler's stages, one per stage, run right after that stage when
setup(validate=True) (compile_network).

In:  each stage's inputs and output (check_programs: the assembled MappedNetwork).
Out: nothing.
Raises: InvariantError naming the stage and the broken invariant (explicit checks, never
``assert``, so that ``python -O`` cannot turn them off).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable, Mapping

import numpy as np

from .. import machine as hw
from ..compiled.decode import by_delay, decode_projections, decode_user_projection
from ..compiled.router import RouterTable
from ..compiled.routing import route_packets
from ..compiled.stages import (KeyAllocation, Partition, Placements, RoutingTrees, SlicePairs,
                               SynapticData)
from .. import stdp_rules
from ..errors import InvariantError
from ..ir import NetworkSpec
from ..machine import Machine
from .slice_pairs import connected_slice_pairs, count_slice_pairs

if TYPE_CHECKING:
    from ..compiled.network import MappedNetwork


def _same(a: tuple, b: tuple) -> bool:
    """The same objects, one for one (specs hold arrays, so == would compare those)."""
    return len(a) == len(b) and all(x is y for x, y in zip(a, b))


def _require(holds: Any, stage: str, what: str) -> None:
    """Raises: InvariantError for ``stage`` unless ``holds``."""
    if not bool(holds):
        raise InvariantError(f"compiler stage '{stage}' broke an invariant: {what}. This is a "
                             "bug in pynn_spinnaker2; please report it with the script.")


def check_folding(user: NetworkSpec, folded: NetworkSpec) -> None:
    """Only Poisson populations are folded; each keeps its projections as the user built them,
    which in the folded network keep their ids but hold no synapses; ``folded_inputs`` lists
    each target of a folded synapse once, in population order, with at least one input per
    neuron somewhere and delays within the ring buffer; nothing else changes."""
    stage = "poisson_fold"
    _require(_same(folded.populations, user.populations), stage, "populations changed")
    _require(len(folded.projections) == len(user.projections), stage, "projections added")
    mine = {p.id for f in folded.folded_poisson for p in f.projections}
    for fold in folded.folded_poisson:
        spec = user.populations[fold.population]
        _require(spec.model == "spike_source_poisson", stage, f"{spec.label} is not Poisson")
        _require([p.id for p in fold.projections]
                 == [p.id for p in user.projections if p.pre == fold.population], stage,
                 f"{spec.label}: folded projections differ from the user's")
        for proj in fold.projections:
            _require(proj is user.projections[proj.id], stage, f"{proj.label} rewritten")
            _require(folded.projections[proj.id].n_synapses == 0, stage,
                     f"{proj.label} keeps synapses")
    for proj in user.projections:
        if proj.id not in mine:
            _require(folded.projections[proj.id] is proj, stage, f"{proj.label} changed")
    targets = sorted({p.post for f in folded.folded_poisson for p in f.projections
                      if p.n_synapses})
    _require([t.population for t in folded.folded_inputs] == targets, stage,
             "folded_inputs does not list the folded synapses' targets")
    for record in folded.folded_inputs:
        _require(record.inputs_per_neuron >= 1
                 and 1 <= record.max_delay_ticks <= hw.MAX_DELAY_TICKS, stage,
                 f"{user.populations[record.population].label}: folded inputs out of range")


def check_delay_extensions(folded: NetworkSpec, extended: NetworkSpec) -> None:
    """The user's populations and ids stay; every synapse of a projection is in it or in a part
    through an extension (origin = its id); every delay now fits the ring buffer."""
    stage = "delay_extensions"
    n_pops = len(folded.populations)
    _require(_same(extended.populations[:n_pops], folded.populations), stage, "populations changed")
    kept = np.zeros(len(folded.projections), dtype=np.int64)
    for proj in extended.projections:
        owner = proj.origin if proj.origin >= 0 else proj.id
        if owner < len(kept):
            kept[owner] += proj.n_synapses
        ticks = np.round(proj.delay / extended.dt)
        _require(np.all(ticks <= hw.MAX_DELAY_TICKS), stage,
                 f"{proj.label}: a delay above the ring buffer")
    _require(np.array_equal(kept, [p.n_synapses for p in folded.projections]), stage,
             "synapses lost or added")


def check_partition(network: NetworkSpec, part: Partition) -> None:
    """Every neuron in exactly one slice (none of a folded Poisson population); slices within
    the per-PE limit; a delay extension's slices hold whole source neurons (all their
    stages)."""
    folded = network.folded_populations()
    for spec in network.populations:
        ids = part.slices_of(spec.id)
        if spec.id in folded:
            _require(len(ids) == 0, "partition", f"folded {spec.label} has PEs")
            continue
        covered = np.concatenate([np.arange(part.lo[i], part.hi[i]) for i in ids])
        _require(np.array_equal(covered, np.arange(spec.size)), "partition",
                 f"{spec.label} not tiled")
    _require(np.all(part.hi - part.lo <= hw.MAX_NEURONS_PER_PE), "partition",
             "a slice holds more neurons than a PE may")
    for ext in network.delay_extensions:
        ids = part.slices_of(ext.population)
        _require(np.all(part.lo[ids] % ext.n_stages == 0), "partition",
                 "extension slice splits a neuron")


def check_placement(part: Partition, pl: Placements, machine: Machine) -> None:
    """Every slice placed; no two slices on one PE; every PE within the chip's application PEs
    and on a chip of the machine."""
    _require(len(pl.chip) == len(pl.pe) == part.n_slices, "place", "a slice not placed")
    _require(len(np.unique(pl.chip * hw.PES_PER_CHIP + pl.pe)) == len(pl.chip), "place",
             "PE shared")
    _require(np.all(pl.pe < machine.usable_pes_per_chip), "place",
             "a PE outside the chip's application PEs")
    _require(np.all((pl.chip >= 0) & (pl.chip < machine.n_chips)), "place",
             "a chip outside the machine")


def check_keys(part: Partition, keys: KeyAllocation) -> None:
    """One key block per slice, none overlapping another, each wide enough for its neurons."""
    base, mask = keys.base.astype(np.int64), keys.mask.astype(np.int64)
    _require(len(base) == part.n_slices, "allocate_keys", "a slice without a key")
    _require(np.all(base & ~mask & 0xFFFFFFFF == 0), "allocate_keys", "base outside its mask")
    _require(np.all(part.hi - part.lo <= (~mask & 0xFFFFFFFF) + 1), "allocate_keys",
             "a slice has more neurons than its key block")
    _require(len(np.unique(base)) == len(base), "allocate_keys", "two slices share a key")
    widest = mask.min(initial=0xFFFFFFFF)
    _require(len(np.unique(base & widest)) == len(base), "allocate_keys", "key blocks overlap")


def check_slice_pairs(network: NetworkSpec, pairs: SlicePairs) -> None:
    """The row blocks' synapse counts add up to every projection's synapses."""
    counts = np.bincount(pairs.projection, weights=pairs.count,
                         minlength=len(network.projections))
    _require(np.array_equal(counts, [p.n_synapses for p in network.projections]),
             "slice_pairs", "synapse counts differ from the projections'")
    _require(np.all(pairs.count > 0), "slice_pairs", "an empty row block")


def _expected_deliveries(network: NetworkSpec, part: Partition, pl: Placements) -> set:
    """(source slice, global PE) of every slice pair that shares a synapse."""
    pairs = connected_slice_pairs(network, part)
    pe_id = pl.chip * hw.PES_PER_CHIP + pl.pe
    return set(zip(pairs[:, 0].tolist(), pe_id[pairs[:, 1]].tolist()))


def check_route(network: NetworkSpec, part: Partition, pl: Placements,
                trees: RoutingTrees) -> None:
    """Each source slice's tree delivers to exactly the PEs holding its targets, once."""
    source = trees.node_slice[trees.delivery_node]
    pe_id = trees.node_chip[trees.delivery_node] * hw.PES_PER_CHIP + trees.delivery_pe
    got = set(zip(source.tolist(), pe_id.tolist()))
    expected = _expected_deliveries(network, part, pl)
    _require(got == expected, "route", f"trees differ: missing {expected - got}, extra "
             f"{got - expected}")
    _require(len(got) == len(source), "route", "a tree delivers to a PE twice")


def check_router_tables(network: NetworkSpec, part: Partition, pl: Placements,
                        keys: KeyAllocation, tables: Mapping[int, RouterTable],
                        machine: Machine) -> None:
    """Walking each source slice's key through the tables reaches exactly the PEs holding its
    targets, once, and never drops it; every table fits the router."""
    for table in tables.values():
        _require(len(table) <= hw.ROUTER_ENTRIES, "router_tables",
                 "a chip's router table is over capacity")
    expected = _expected_deliveries(network, part, pl)
    senders = np.array(sorted({s for s, _ in expected}), dtype=np.int64)
    routed = route_packets(tables, machine, pl.chip[senders], keys.base[senders])
    _require(len(routed.dropped_packet) == 0, "router_tables", "packets dropped")
    got = set(zip(senders[routed.delivery_packet].tolist(),
                  (routed.delivery_chip * hw.PES_PER_CHIP + routed.delivery_pe).tolist()))
    _require(got == expected, "router_tables",
             f"routes differ: missing {expected - got}, extra {got - expected}")
    _require(len(got) == len(routed.delivery_packet), "router_tables",
             "a PE receives a key twice")


def check_synaptic_rows(pairs: SlicePairs, data: SynapticData) -> None:
    """One row block per slice pair, with its synapses, inside its chip's DRAM image."""
    stage = "synaptic_rows"
    _require(np.array_equal(data.block_synapses, pairs.count)
             and np.array_equal(data.block_projection, pairs.projection)
             and np.array_equal(data.block_slice, pairs.dst_slice)
             and np.array_equal(data.block_source, pairs.src_slice), stage,
             "row blocks differ from the slice pairs")
    _require(np.all(data.block_address >= 0), stage, "a row block before its chip's image")
    for image in data.dram.values():
        _require(image.nbytes <= hw.DRAM_BYTES_PER_CHIP, stage, "a chip's DRAM overflows")


def check_programs(mapped: "MappedNetwork") -> None:
    """SRAM per PE within the PE's data memory; and decoding the tables gives back every
    synapse of every user projection exactly once, with the user's delays (through the delay
    extensions), up to weight quantisation, and every extension's input projection exactly.

    A weight may move by half a quantisation step; the step of a (PE, receptor) is at most
    2 / (2**weight_bits - 1) of the largest weight (or STDP w_max) onto that population and
    receptor.
    """
    for prog in mapped.programs:
        _require(prog.sram_bytes <= hw.DATA_SRAM_BYTES_PER_PE, "pe_programs",
                 f"PE {prog.slice_id} over SRAM")
    network = mapped.compiled_network
    largest: dict[tuple[int, int], float] = {}
    folded = [p for f in network.folded_poisson for p in f.projections]
    for proj in list(network.projections) + folded:
        key = (proj.post, proj.synapse_type)
        bound = stdp_rules.weight_bound(proj)
        largest[key] = max(largest.get(key, 0.0), bound,
                           float(np.abs(proj.weight).max(initial=0.0)))
    for pop, syn_type, magnitude in network.weight_bounds:      # structural plasticity
        largest[(pop, syn_type)] = max(largest.get((pop, syn_type), 0.0), magnitude)
    inputs = [network.projections[e.input_projection] for e in network.delay_extensions]
    pairs = [(p, True) for p in mapped.network.projections] + [(p, False) for p in inputs]
    for proj, is_user in pairs:
        decoded = by_delay(decode_user_projection(mapped, proj.id) if is_user
                           else decode_projections(mapped, [proj.id]))
        expected = by_delay(
            np.stack([proj.pre_index, proj.post_index, proj.weight, proj.delay], axis=1))
        _require(decoded.shape == expected.shape, "pe_programs",
                 f"{proj.label}: synapse count differs")
        _require(np.array_equal(decoded[:, :2], expected[:, :2]), "pe_programs",
                 f"{proj.label}: indices differ")
        _require(np.allclose(decoded[:, 3], expected[:, 3]), "pe_programs",
                 f"{proj.label}: delays differ")
        half_step = largest[(proj.post, proj.synapse_type)] / ((1 << mapped.weight_bits) - 1)
        error = np.abs(decoded[:, 2] - expected[:, 2]).max(initial=0.0)
        _require(error <= half_step * (1 + 1e-9), "pe_programs",
                 f"{proj.label}: weight error {error:g} above half a quantisation step "
                 f"{half_step:g}")


def check_all(mapped: "MappedNetwork") -> None:
    """Every check whose inputs a finished MappedNetwork holds (all but the two rewrites',
    whose intermediate network it does not keep), in stage order."""
    network, part, pl = mapped.compiled_network, mapped.partition, mapped.placements
    check_partition(network, part)
    check_placement(part, pl, mapped.machine)
    check_keys(part, mapped.keys)
    check_slice_pairs(network, count_slice_pairs(network, part))
    check_route(network, part, pl, mapped.trees)
    check_router_tables(network, part, pl, mapped.keys, mapped.tables_by_index, mapped.machine)
    check_programs(mapped)


# stage name (as compile_network times it) -> its check
CHECKS: dict[str, Callable[..., None]] = {
    "poisson_fold": check_folding, "delay_extensions": check_delay_extensions,
    "partition": check_partition, "place": check_placement, "allocate_keys": check_keys,
    "slice_pairs": check_slice_pairs, "route": check_route,
    "router_tables": check_router_tables, "synaptic_rows": check_synaptic_rows,
    "pe_programs": check_programs}
