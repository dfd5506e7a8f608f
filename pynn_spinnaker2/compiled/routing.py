"""Route multicast packets through the chip mesh by the generated router tables.

In:  router tables per chip, the Machine, packets as (source chip, key).
Out: Routed: deliveries (packet, chip, PE), link hops (packet, chip, link) and dropped packets.

Rules (HARDWARE.md): first matching entry wins; a packet that matches no entry and arrived over a
link is default-routed to the opposite link; one from a local PE that matches nothing is dropped.
A packet sent over a link to a missing chip is dropped too. Nothing is dropped silently: every
drop is returned.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping, Sequence

import numpy as np

from .. import machine as hw
from ..machine import Machine
from ..errors import RoutingLoopError
from .program import PEProgram
from .router import RouterTable


@dataclass(frozen=True)
class Routed:
    delivery_packet: np.ndarray
    delivery_chip: np.ndarray
    delivery_pe: np.ndarray
    hop_packet: np.ndarray
    hop_chip: np.ndarray
    hop_link: np.ndarray
    dropped_packet: np.ndarray
    dropped_chip: np.ndarray


def route_packets(tables: Mapping[int, RouterTable], machine: Machine,
                  source_chip: np.ndarray, keys: np.ndarray) -> Routed:
    """Follow every packet from its source chip until it is delivered or dropped."""
    keys = np.asarray(keys, dtype=np.uint32)
    pkt = np.arange(len(keys))
    chip = np.asarray(source_chip, dtype=np.int64)
    arrived = np.full(len(keys), -1, dtype=np.int64)
    out: dict[str, list[np.ndarray]] = {k: [] for k in Routed.__dataclass_fields__}
    for _ in range(machine.n_chips + 1):
        if len(pkt) == 0:
            break
        next_pkt, next_chip, next_link = [], [], []
        for c in np.unique(chip):
            here = chip == c
            p, a = pkt[here], arrived[here]
            table = tables.get(int(c))
            entry = table.lookup(keys[p]) if table is not None else np.full(len(p), -1)
            hit = entry >= 0
            if table is not None and hit.any():
                rows, cols = np.nonzero(table.route[entry[hit]])
                is_pe = cols >= hw.N_LINKS
                out["delivery_packet"].append(p[hit][rows[is_pe]])
                out["delivery_chip"].append(np.full(int(is_pe.sum()), c))
                out["delivery_pe"].append(cols[is_pe] - hw.N_LINKS)
                next_pkt.append(p[hit][rows[~is_pe]])
                next_link.append(cols[~is_pe])
                next_chip.append(np.full(int((~is_pe).sum()), c))
            default = ~hit & (a >= 0)
            next_pkt.append(p[default])
            next_link.append((a[default] + 3) % hw.N_LINKS)
            next_chip.append(np.full(int(default.sum()), c))
            lost = ~hit & (a < 0)
            out["dropped_packet"].append(p[lost])
            out["dropped_chip"].append(np.full(int(lost.sum()), c))
        pkt = np.concatenate(next_pkt) if next_pkt else np.zeros(0, dtype=np.int64)
        link = np.concatenate(next_link) if next_link else np.zeros(0, dtype=np.int64)
        from_chip = np.concatenate(next_chip) if next_chip else np.zeros(0, dtype=np.int64)
        out["hop_packet"].append(pkt)
        out["hop_chip"].append(from_chip)
        out["hop_link"].append(link)
        neighbour = machine.neighbours[from_chip, link] if len(pkt) else from_chip
        nowhere = neighbour < 0
        out["dropped_packet"].append(pkt[nowhere])
        out["dropped_chip"].append(from_chip[nowhere])
        pkt, chip = pkt[~nowhere], neighbour[~nowhere]
        arrived = ((link + 3) % hw.N_LINKS)[~nowhere]
    else:
        raise RoutingLoopError(f"{len(pkt)} packets still in flight after "
                               f"{machine.n_chips + 1} hops: the router tables form a loop")
    return Routed(**{k: (np.concatenate(v).astype(np.int64) if v else np.zeros(0, np.int64))
                     for k, v in out.items()})


def route_slice_keys(tables: Mapping[int, RouterTable], machine: Machine,
                     programs: Sequence[PEProgram], which: np.ndarray) -> Routed:
    """Route the base key of each program in ``which`` from its chip.

    Out: Routed whose *_packet fields are program indices (not positions in ``which``).
    """
    which = np.asarray(which, dtype=np.int64)
    routed = route_packets(tables, machine,
                           np.array([programs[i].chip for i in which], dtype=np.int64),
                           np.array([programs[i].key for i in which], dtype=np.uint32))
    return Routed(**{k: (which[v] if k.endswith("_packet") else v)
                     for k, v in vars(routed).items()})


def senders(programs: Sequence[PEProgram]) -> np.ndarray:
    """Indices of the programs whose slice has targets (the others send no packets)."""
    return np.array([i for i, p in enumerate(programs) if p.sends_packets], dtype=np.int64)
