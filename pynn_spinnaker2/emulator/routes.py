"""The inter-chip routes of the compiled router tables, cached per source slice, and the
routing function that turns packets leaving chips into deliveries to PEs.

In:  router tables per chip, the Machine, the PE programs, which programs this process emulates.
Out: ``Routes``: per source program, the target programs its packets are delivered to (only
     the emulated ones), and the links and routers one packet crosses (the hardware trace);
     ``deliver_packets``: (target program, key, packet) of every delivery of a list of packets.
Raises: ValueError when a table entry is finer than a slice or a route ends at a PE that runs
     no program; RoutingLoopError (compiled/routing.py) when the tables route a packet in circles.

Every table entry covers whole slices (checked), so the route of a key is found by walking the
tables once per source slice and reused for every packet with that slice's keys.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping, Sequence

import numpy as np
from scipy import sparse

from .. import machine as hw
from ..machine import Machine
from ..compiled.program import PEProgram
from ..compiled.router import RouterTable
from ..compiled.routing import Routed, route_slice_keys, senders
from .synapses import expand_ranges


@dataclass(frozen=True)
class Routes:
    """The route cache: source program s delivers to ``targets[offsets[s]:offsets[s + 1]]``."""

    offsets: np.ndarray          # int64 (n_programs + 1,)
    targets: np.ndarray          # int64 target program per delivery
    hops: sparse.csr_matrix      # (programs, used links): links one packet of a slice crosses
    routers: sparse.csr_matrix   # (programs, used routers): routers it passes
    drops: np.ndarray            # per program: deliveries dropped per packet
    link_ids: np.ndarray         # used link ids (chip * N_LINKS + direction)
    router_chips: np.ndarray     # used routers (chip index)


def build_routes(tables: Mapping[int, RouterTable], machine: Machine,
                 programs: Sequence[PEProgram], emulated: np.ndarray | None = None) -> Routes:
    """Walk the tables once per sending slice.

    In:  ``emulated`` (bool per program; None: all) keeps only deliveries to those programs in
         the route cache (a process emulating part of the machine); the trace incidence is
         always the whole machine's.
    Raises: ValueError, RoutingLoopError (see the module docstring).
    """
    for chip, table in tables.items():
        if np.any(table.mask & np.uint32((1 << hw.KEY_NEURON_BITS) - 1)):
            raise ValueError(f"router table of chip {chip} has an entry finer than a slice; "
                             "the emulator's per-slice route cache would be wrong")
    where = {(p.chip, p.pe): i for i, p in enumerate(programs)}
    routed = route_slice_keys(tables, machine, programs, senders(programs))
    targets = np.array([where.get((c, pe), -1) for c, pe in
                        zip(routed.delivery_chip.tolist(), routed.delivery_pe.tolist())],
                       dtype=np.int64)
    if np.any(targets < 0):
        raise ValueError("router tables deliver packets to a PE that runs no program")
    packet = routed.delivery_packet
    if emulated is not None:
        kept = np.asarray(emulated, dtype=bool)[targets]
        packet, targets = packet[kept], targets[kept]
    order = np.argsort(packet, kind="stable")
    offsets = np.searchsorted(packet[order], np.arange(len(programs) + 1))
    return Routes(offsets, targets[order], *_incidence(routed, machine, programs))


def _incidence(routed: Routed, machine: Machine, programs: Sequence[PEProgram]) -> tuple:
    """Links and routers that one packet of each slice crosses (for the hardware trace).
    Out: (hops, routers, drops, link_ids, router_chips) of ``Routes``."""
    n = len(programs)
    link = routed.hop_chip * hw.N_LINKS + routed.hop_link
    link_ids, link_col = np.unique(link, return_inverse=True)
    # a packet passes the router of its source chip and of every chip a hop reaches
    senders_ = np.unique(np.concatenate([routed.hop_packet, routed.delivery_packet,
                                         routed.dropped_packet]))
    source_chip = np.array([programs[i].chip for i in senders_], dtype=np.int64)
    reached = machine.neighbours[routed.hop_chip, routed.hop_link]
    visits_pkt = np.concatenate([senders_, routed.hop_packet]).astype(np.int64)
    visits_chip = np.concatenate([source_chip, reached]).astype(np.int64)
    router_chips, router_col = np.unique(visits_chip, return_inverse=True)
    ones = lambda k: np.ones(k, dtype=np.int64)  # noqa: E731
    hops = sparse.csr_matrix((ones(len(link)), (routed.hop_packet, link_col)),
                             shape=(n, len(link_ids)))
    routers = sparse.csr_matrix((ones(len(visits_chip)), (visits_pkt, router_col)),
                                shape=(n, len(router_chips)))
    return hops, routers, np.bincount(routed.dropped_packet, minlength=n), link_ids, router_chips


def deliver_packets(routes: Routes, source_program: np.ndarray, keys: np.ndarray
                    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The routing function: packets (their source slice's program and key) that left their
    chips -> every delivery to a PE.

    Out: (target program, key, index of the packet) per delivery, packet by packet, each
    packet's deliveries in route order.
    """
    packet, target = expand_ranges(routes.offsets[source_program],
                                   routes.offsets[source_program + 1]
                                   - routes.offsets[source_program])
    return routes.targets[target], keys[packet], packet
