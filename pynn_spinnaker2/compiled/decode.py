"""Read connectivity back from the generated router tables and synaptic words alone.

In:  a MappedNetwork's router tables, PE programs and DRAM images (plus the host's knowledge of
     which slice is which population, and which row block came from which projection).
Out: (n, 4) arrays of (pre index, post index, weight in PyNN units, delay in ms); for a user
     projection, ``decode_user_projection`` follows its part through a delay extension back to
     the source neuron and the full delay.

This is the same path the emulator takes (fabric routing, master population table lookup, row
decode), so agreeing with the IR checks the whole mapping chain.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ..errors import InvariantError
from ..neuron_models import NATIVE_MODELS
from ..ranges import expand_ranges
from .routing import route_slice_keys
from .synapse_tables import SynapseTables

if TYPE_CHECKING:
    from .network import MappedNetwork


def sort_connections(rows: np.ndarray) -> np.ndarray:
    """(n, 4) (pre, post, weight, delay) rows sorted by pre, then post, weight, delay."""
    rows = np.asarray(rows, dtype=np.float64).reshape(-1, 4)
    return rows[np.lexsort((rows[:, 3], rows[:, 2], rows[:, 1], rows[:, 0]))]


def by_delay(rows: np.ndarray) -> np.ndarray:
    """(n, 4) rows sorted by pre, post, delay, then weight: the order to compare decoded with
    exact rows in, since quantisation keeps delays exact and the order of weights (but may make
    two weights equal, which in ``sort_connections`` order could swap their delays)."""
    rows = np.asarray(rows, dtype=np.float64).reshape(-1, 4)
    return rows[np.lexsort((rows[:, 2], rows[:, 3], rows[:, 1], rows[:, 0]))]


def decode_projections(mapped: "MappedNetwork", projection_ids: list[int],
                       fabric: SynapseTables | None = None) -> np.ndarray:
    """Decoded (pre, post, weight, delay) rows of the given IR projections, sorted."""
    fabric = fabric or SynapseTables(mapped.programs, mapped.dram)
    partition, programs = mapped.partition, mapped.programs
    where = {(p.chip, p.pe): i for i, p in enumerate(programs)}
    pres = {mapped.compiled_network.projections[i].pre for i in projection_ids}
    sources = np.concatenate([partition.slices_of(p) for p in sorted(pres)]
                             + [np.zeros(0, np.int64)]).astype(np.int64)
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


def decode_user_projection(mapped: "MappedNetwork", projection_id: int) -> np.ndarray:
    """(pre, post, weight, delay) of a user projection, decoded from the tables and rows alone,
    the part through a delay extension included. That part counts only where the whole path is
    there: the source neuron's key reaches the extension's stage-1 entry (its input rows), the
    extension sends that (neuron, stage) (its block's ``sends`` flag), and the (neuron, stage)
    key reaches the target. The key becomes the source neuron again, and the stage delay is
    added to the synapse word's delay.

    A folded Poisson projection is read from its targets' Poisson input tables.

    In: a MappedNetwork, the projection's IR id (the same before and after the rewrite).
    Out: (n, 4) float array sorted by pre, post, weight, delay; indices in the user's populations.
    """
    network = mapped.compiled_network
    folded = decode_folded(mapped, projection_id)
    if folded is not None:
        return sort_connections(folded)
    parts = [decode_projections(mapped, [projection_id])]
    for part in network.projections:
        if part.origin != projection_id:
            continue
        extension = network.extension_of(part.pre)
        if extension is None:
            raise InvariantError(f"projection part {part.label} (of projection {projection_id}) "
                                 "has no delay extension as its source")
        n_stages = extension.n_stages
        inputs = decode_projections(mapped, [extension.input_projection])
        reached = inputs[inputs[:, 1] == inputs[:, 0] * n_stages, 0].astype(np.int64)
        rows = decode_projections(mapped, [part.id])
        index = rows[:, 0].astype(np.int64)
        source, stage = np.divmod(index, n_stages)
        ok = np.isin(source, reached) & _sends(mapped, extension.population)[index]
        total = (np.round(rows[:, 3] / mapped.dt).astype(np.int64)
                 + (stage + 1) * extension.stage_ticks)
        parts.append(np.column_stack([source, rows[:, 1], rows[:, 2], total * mapped.dt])[ok])
    return sort_connections(np.concatenate(parts))


def decode_folded(mapped: "MappedNetwork", projection_id: int) -> np.ndarray | None:
    """(pre, post, weight, delay) of a folded projection, read from its targets' Poisson input
    tables (PE programs) alone; None when the projection is not folded.

    In: a MappedNetwork, a projection's IR id.
    """
    network = mapped.compiled_network
    spec = next((p for f in network.folded_poisson for p in f.projections
                 if p.id == projection_id), None)
    if spec is None:
        return None
    sign = NATIVE_MODELS[network.populations[spec.post].model].receptor_signs[
        spec.synapse_type]
    rows = [np.zeros((0, 4))]
    for s in mapped.partition.slices_of(spec.post).tolist():
        t = mapped.programs[s].poisson_inputs
        if not t:
            continue
        mine = t["projection"] == projection_id
        exponent = int(mapped.programs[s].weight_exponent[spec.synapse_type])
        rows.append(np.column_stack([
            (t["stream"][mine] & np.uint64(0xFFFFFFFF)).astype(np.float64),
            (t["target"][mine] + mapped.partition.lo[s]).astype(np.float64),
            sign * np.ldexp(t["weight"][mine].astype(np.float64), -exponent),
            t["delay"][mine] * mapped.dt]))
    return np.concatenate(rows)


def _sends(mapped: "MappedNetwork", population: int) -> np.ndarray:
    """The ``sends`` flag of every (neuron, stage) of a delay extension, from its PE programs."""
    partition = mapped.partition
    flags = np.zeros(mapped.compiled_network.populations[population].size, dtype=bool)
    for s in partition.slices_of(population).tolist():
        flags[partition.lo[s]:partition.hi[s]] = mapped.programs[s].neuron_block["sends"] != 0
    return flags
