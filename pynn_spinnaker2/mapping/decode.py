"""Read connectivity back from the generated router tables and synaptic words alone.

In:  a MappedNetwork's router tables, PE programs and DRAM images (plus the host's knowledge of
     which slice is which population, and which row block came from which projection).
Out: (n, 4) arrays of (pre index, post index, weight in PyNN units, delay in ms).

This is the same path the emulator takes (fabric routing, master population table lookup, row
decode), so agreeing with the IR checks the whole mapping chain.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ..emulator.fabric import route_slice_keys
from ..emulator.synapses import SynapseFabric, expand_ranges
from ..neuron_models import NATIVE_MODELS

if TYPE_CHECKING:
    from . import MappedNetwork


def sort_connections(rows: np.ndarray) -> np.ndarray:
    """(n, 4) (pre, post, weight, delay) rows sorted by pre, then post, weight, delay."""
    rows = np.asarray(rows, dtype=np.float64).reshape(-1, 4)
    return rows[np.lexsort((rows[:, 3], rows[:, 2], rows[:, 1], rows[:, 0]))]


def decode_projections(mapped: "MappedNetwork", projection_ids: list[int],
                       fabric: SynapseFabric | None = None) -> np.ndarray:
    """Decoded (pre, post, weight, delay) rows of the given IR projections, sorted."""
    fabric = fabric or SynapseFabric(mapped.programs, mapped.dram)
    partition, programs = mapped.partition, mapped.programs
    where = {(p.chip, p.pe): i for i, p in enumerate(programs)}
    pres = {mapped.network.projections[i].pre for i in projection_ids}
    sources = np.concatenate([partition.slices_of(p) for p in sorted(pres)]) if pres else []
    sources = np.asarray(sources, dtype=np.int64)
    routed = route_slice_keys(mapped.tables_by_index, mapped.machine, programs, sources)
    src = routed.delivery_packet
    target = np.array([where[(c, pe)] for c, pe in zip(routed.delivery_chip.tolist(),
                                                       routed.delivery_pe.tolist())],
                      dtype=np.int64)
    sizes = partition.hi[src] - partition.lo[src]
    owner, neuron = expand_ranges(np.zeros(len(src), dtype=np.int64), sizes)
    keys = np.array([programs[s].key for s in src], dtype=np.uint32)[owner] | neuron.astype(
        np.uint32)
    syn = fabric.fetch(target[owner], keys)
    keep = np.isin(fabric.addr_projection[syn.block], projection_ids)
    arrival = syn.arrival[keep]
    prog = syn.program[keep]
    syn_type = syn.synapse_type[keep]
    exponent = np.array([p.weight_exponent for p in programs])[prog, syn_type]
    signs = np.array([NATIVE_MODELS[programs[i].model].receptor_signs[t] if
                      NATIVE_MODELS[programs[i].model].receptor_signs else 1
                      for i, t in zip(prog.tolist(), syn_type.tolist())])
    slice_of_prog = np.array([p.slice_id for p in programs], dtype=np.int64)
    pre = partition.lo[src[owner[arrival]]] + neuron[arrival]
    post = partition.lo[slice_of_prog[prog]] + syn.index[keep]
    weight = signs * np.ldexp(syn.weight[keep].astype(np.float64), -exponent)
    delay = syn.delay_ticks[keep] * mapped.dt
    return sort_connections(np.stack([pre, post, weight, delay], axis=1))
