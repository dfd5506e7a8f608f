"""Invariant checks of the compiler's stages, run when setup(validate=True).

In:  a MappedNetwork.
Out: nothing.
Raises: InvariantError naming the stage and the broken invariant (explicit checks, so that
``python -O`` cannot turn them off).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from .. import machine as hw
from .. import stdp_rules
from ..errors import InvariantError
from ..emulator.fabric import route_slice_keys, senders
from .decode import by_delay, decode_projections, decode_user_projection
from .route import connected_slice_pairs

if TYPE_CHECKING:
    from . import MappedNetwork


def _require(holds, stage: str, what: str) -> None:
    """Raises: InvariantError for ``stage`` unless ``holds``."""
    if not bool(holds):
        raise InvariantError(f"compiler stage '{stage}' broke an invariant: {what}. This is a "
                             "bug in pynn_spinnaker2; please report it with the script.")


def check_partition(mapped: "MappedNetwork") -> None:
    """Every neuron in exactly one slice (none of a folded Poisson population); slices within
    the per-PE limit; a delay extension's slices hold whole source neurons (all their
    stages)."""
    part = mapped.partition
    folded = mapped.network.folded_populations()
    for spec in mapped.network.populations:
        ids = part.slices_of(spec.id)
        if spec.id in folded:
            _require(len(ids) == 0, "partition",
                     f"folded {spec.label} has PEs")
            continue
        covered = np.concatenate([np.arange(part.lo[i], part.hi[i]) for i in ids])
        _require(np.array_equal(covered, np.arange(spec.size)), "partition",
                 f"{spec.label} not tiled")
    _require(np.all(part.hi - part.lo <= hw.MAX_NEURONS_PER_PE), "partition",
             "a slice holds more neurons than a PE may")
    for ext in mapped.network.delay_extensions:
        ids = part.slices_of(ext.population)
        _require(np.all(part.lo[ids] % ext.n_stages == 0), "partition",
                 "extension slice splits a neuron")


def check_placement(mapped: "MappedNetwork") -> None:
    """No two slices on one PE; every PE within the chip's application PEs."""
    pl = mapped.placements
    _require(len(np.unique(pl.chip * hw.PES_PER_CHIP + pl.pe)) == len(pl.chip), "place",
             "PE shared")
    _require(np.all(pl.pe < mapped.machine.usable_pes_per_chip), "place",
             "a PE outside the chip's application PEs")


def check_routes(mapped: "MappedNetwork") -> None:
    """Every slice's key reaches exactly the PEs holding its targets, and is never dropped."""
    programs = mapped.programs
    routed = route_slice_keys(mapped.tables_by_index, mapped.machine, programs,
                              senders(programs))
    _require(len(routed.dropped_packet) == 0, "route",
             "packets dropped")
    pe_id = np.array([p.chip * hw.PES_PER_CHIP + p.pe for p in programs])
    got = set(zip(routed.delivery_packet.tolist(),
                  (routed.delivery_chip * hw.PES_PER_CHIP + routed.delivery_pe).tolist()))
    pairs = connected_slice_pairs(mapped.network, mapped.partition)
    expected = set(zip(pairs[:, 0].tolist(), pe_id[pairs[:, 1]].tolist()))
    _require(got == expected, "route",
             f"routes differ: missing {expected - got}, extra {got - expected}")
    _require(len(got) == len(routed.delivery_packet), "route",
             "a PE receives a key twice")


def check_synapses(mapped: "MappedNetwork") -> None:
    """Decoding the tables gives back every synapse of every user projection exactly once, with
    the user's delays (through the delay extensions), up to weight quantisation; and every
    extension's input projection exactly.

    A weight may move by half a quantisation step; the step of a (PE, receptor) is at most
    2 / (2**weight_bits - 1) of the largest weight (or STDP w_max) onto that population and
    receptor.
    """
    network = mapped.network
    user = mapped.user_network or network
    largest: dict[tuple[int, int], float] = {}
    folded = [p for f in network.folded_poisson for p in f.projections]
    for proj in list(network.projections) + folded:
        key = (proj.post, proj.synapse_type)
        bound = stdp_rules.weight_bound(proj)
        largest[key] = max(largest.get(key, 0.0), bound,
                           float(np.abs(proj.weight).max(initial=0.0)))
    inputs = [network.projections[e.input_projection] for e in network.delay_extensions]
    for proj, is_user in [(p, True) for p in user.projections] + [(p, False) for p in inputs]:
        decoded = by_delay(decode_user_projection(mapped, proj.id) if is_user
                           else decode_projections(mapped, [proj.id]))
        expected = by_delay(
            np.stack([proj.pre_index, proj.post_index, proj.weight, proj.delay], axis=1))
        _require(decoded.shape == expected.shape, "synaptic_rows",
                 f"{proj.label}: synapse count differs")
        _require(np.array_equal(decoded[:, :2], expected[:, :2]), "synaptic_rows",
                 f"{proj.label}: indices differ")
        _require(np.allclose(decoded[:, 3], expected[:, 3]), "synaptic_rows",
                 f"{proj.label}: delays differ")
        half_step = largest[(proj.post, proj.synapse_type)] / ((1 << mapped.weight_bits) - 1)
        error = np.abs(decoded[:, 2] - expected[:, 2]).max(initial=0.0)
        _require(error <= half_step * (1 + 1e-9), "synaptic_rows",
                 f"{proj.label}: weight error {error:g} above half a quantisation step "
                 f"{half_step:g}")


def check_budgets(mapped: "MappedNetwork") -> None:
    """SRAM per PE and router entries per chip within the hardware's capacity."""
    for prog in mapped.programs:
        _require(prog.sram_bytes <= hw.DATA_SRAM_BYTES_PER_PE, "pe_programs",
                 f"PE {prog.slice_id} over SRAM")
    for table in mapped.tables_by_index.values():
        _require(len(table) <= hw.ROUTER_ENTRIES, "pe_programs",
                 "a chip's router table is over capacity")


def check_all(mapped: "MappedNetwork") -> None:
    for check in (check_partition, check_placement, check_budgets, check_routes,
                  check_synapses):
        check(mapped)
