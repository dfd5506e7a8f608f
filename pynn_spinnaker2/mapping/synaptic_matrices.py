"""Synaptic rows (in chip DRAM) and master population tables (in PE SRAM).

In:  NetworkSpec, Partition, Placements, KeyAllocation, Machine, Config.
Out: SynapticData: per chip a uint32 DRAM image of row blocks; per target slice its master
     population table (key, mask -> address-list range), its address list (row block address,
     row length) and its weight exponent per synapse type.
Raises: ParameterRangeError for a delay that is not a whole number of ticks in 1..64 (longer ones
     were moved onto delay extensions by mapping/delay_extensions.py), or a weight whose sign
     contradicts the receptor; warns when quantisation loses more than 1e-3.

Every synapse becomes one 32-bit word (``formats.py``). Weights are stored as unsigned
magnitudes scaled by 2**exponent, the exponent chosen per (target PE, synapse type) as the
largest that keeps the biggest weight within the weight field.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np

from .. import formats
from .. import machine as hw
from ..config import Config
from ..errors import NotSupportedError, ParameterRangeError
from ..ir import NetworkSpec
from ..neuron_models import NATIVE_MODELS
from .keys import KeyAllocation
from .partition import Partition
from .place import Placements
from .poisson_fold import folded_weights

QUANTISATION_WARN_REL_ERROR = 1e-3


class WeightQuantisationWarning(UserWarning):
    """Weights were rounded to the 16-bit fixed-point format with a noticeable error."""


@dataclass(frozen=True)
class SynapticData:
    """Row blocks and lookup tables of every target slice.

    Per block b (one per target slice, source slice and projection): block_slice, block_source,
    block_projection, block_address (word offset in its chip's DRAM), block_row_length.
    Per target slice s: mpt_* entries in key order, rows [mpt_start, mpt_start + mpt_count) of the
    slice's address list; address lists are the blocks of that slice, in block order.
    """

    dram: dict[int, np.ndarray]
    block_slice: np.ndarray
    block_source: np.ndarray
    block_projection: np.ndarray
    block_address: np.ndarray
    block_row_length: np.ndarray
    weight_exponent: np.ndarray      # (n_slices, N_SYNAPSE_TYPES) int
    ring_slots: np.ndarray           # (n_slices,) ring-buffer depth
    worst_relative_error: dict[int, float]
    block_state: np.ndarray          # word address of a block's plastic state region, or -1
    block_rule: np.ndarray           # (n_blocks, STDP_RULE_WORDS) STDP rule, NaN for non-STDP
    # host-side: per STDP projection, the (chip, word address) of each synapse's word, in the
    # projection's synapse order (to read learned weights back)
    stdp_words: dict[int, tuple[np.ndarray, np.ndarray]]
    stdp_tau_minus: np.ndarray       # (n_slices,) post-synaptic trace time constant, 0 if none
    block_rows: np.ndarray           # rows (source neurons) per block

    @property
    def block_stdp(self) -> np.ndarray:
        return ~np.isnan(self.block_rule[:, 0])


@dataclass(frozen=True)
class _Synapses:
    projection: np.ndarray
    src_slice: np.ndarray
    dst_slice: np.ndarray
    row: np.ndarray
    target: np.ndarray
    delay_ticks: np.ndarray
    synapse_type: np.ndarray
    magnitude: np.ndarray
    bound: np.ndarray        # largest magnitude the weight may take (w_max under STDP)


def delay_ticks(delay_ms: np.ndarray, dt: float, label: str,
                max_ticks: int = hw.MAX_DELAY_TICKS) -> np.ndarray:
    """Delays in ticks.

    In: delays in ms; the longest delay allowed, in ticks (the synapse word's 64 by default;
    mapping/delay_extensions.py passes the longest delay extensions can make).
    Raises: ParameterRangeError naming the projection for a delay off the dt grid, below one
    tick or above ``max_ticks``.
    """
    ticks = np.round(np.asarray(delay_ms) / dt).astype(np.int64)
    if ticks.size == 0:
        return ticks
    off_grid = np.abs(ticks * dt - delay_ms) > 1e-6 * max(dt, 1.0)
    if off_grid.any():
        bad = float(np.asarray(delay_ms)[off_grid][0])
        raise ParameterRangeError(
            f"Projection '{label}': delay {bad:g} ms is not a multiple of the timestep {dt:g} ms. "
            "Round the delays to the timestep.")
    if ticks.min() < 1 or ticks.max() > max_ticks:
        bad = ticks.min() if ticks.min() < 1 else ticks.max()
        fix = ("Use delays of at least one timestep." if ticks.min() < 1 else
               f"Longer delays need more than the {hw.MAX_DELAY_STAGES} delay stages of "
               f"{hw.DELAY_STAGE_TICKS} ticks a delay-extension PE holds; use shorter delays "
               "or a larger timestep." if max_ticks > hw.MAX_DELAY_TICKS else
               "This is a compiler bug: longer delays go through delay extensions.")
        raise ParameterRangeError(
            f"Projection '{label}': delay {bad * dt:g} ms is outside the delays it can have "
            f"({dt:g} to {max_ticks * dt:g} ms at timestep {dt:g} ms). {fix}")
    return ticks


def _collect(network: NetworkSpec, partition: Partition) -> _Synapses:
    parts = []
    for proj in network.projections:
        post_model = NATIVE_MODELS[network.populations[proj.post].model]
        sign = post_model.receptor_signs[proj.synapse_type]
        if proj.n_synapses and np.any(proj.weight * sign < 0):
            raise ParameterRangeError(
                f"Projection '{proj.label}': weights onto receptor '{proj.receptor}' must be "
                f"{'positive' if sign > 0 else 'negative'} (PyNN's convention). Flip their sign.")
        src = partition.slice_of_neuron(proj.pre, proj.pre_index)
        dst = partition.slice_of_neuron(proj.post, proj.post_index)
        parts.append(dict(
            projection=np.full(proj.n_synapses, proj.id, dtype=np.int64),
            src_slice=src, dst_slice=dst,
            row=proj.pre_index - partition.lo[src],
            target=proj.post_index - partition.lo[dst],
            delay_ticks=delay_ticks(proj.delay, network.dt, proj.label),
            synapse_type=np.full(proj.n_synapses, proj.synapse_type, dtype=np.int64),
            magnitude=np.abs(proj.weight),
            bound=(np.full(proj.n_synapses, proj.dynamics_params["w_max"][0])
                   if proj.dynamics == "stdp" and proj.n_synapses else np.abs(proj.weight))))
    names = _Synapses.__dataclass_fields__
    if not parts:
        return _Synapses(**{k: np.zeros(0, dtype=np.int64) for k in names})
    if len(parts) == 1:
        return _Synapses(**parts[0])
    return _Synapses(**{k: np.concatenate([p[k] for p in parts]) for k in names})


def choose_weight_exponents(dst_slice: np.ndarray, synapse_type: np.ndarray,
                            magnitude: np.ndarray, n_slices: int, weight_bits: int) -> np.ndarray:
    """Largest power-of-two exponent per (slice, type) that keeps the biggest weight in range.

    Out: (n_slices, N_SYNAPSE_TYPES) int64; 0 where there are no non-zero weights.
    """
    largest = np.zeros(n_slices * hw.N_SYNAPSE_TYPES)
    np.maximum.at(largest, dst_slice * hw.N_SYNAPSE_TYPES + synapse_type, magnitude)
    with np.errstate(divide="ignore"):
        exponent = np.floor(np.log2(((1 << weight_bits) - 1) / largest))
    exponent = np.where(largest > 0, exponent, 0).astype(np.int64)
    return exponent.reshape(n_slices, hw.N_SYNAPSE_TYPES)


def build_synaptic_data(network: NetworkSpec, partition: Partition, placements: Placements,
                        keys: KeyAllocation, config: Config) -> SynapticData:
    """Quantise, pack and lay out every synapse; build every master population table."""
    syn = _collect(network, partition)
    n_slices = partition.n_slices
    # folded Poisson inputs (poisson_fold.py) share their target PE's exponent
    f_dst, f_type, f_magnitude = folded_weights(network, partition)
    exponent = choose_weight_exponents(np.concatenate([syn.dst_slice, f_dst]),
                                       np.concatenate([syn.synapse_type, f_type]),
                                       np.concatenate([np.maximum(syn.magnitude, syn.bound),
                                                       f_magnitude]), n_slices,
                                       config.weight_bits)
    scale = np.ldexp(1.0, exponent[syn.dst_slice, syn.synapse_type])
    weight_int = np.minimum(np.round(syn.magnitude * scale), (1 << config.weight_bits) - 1)
    worst = _warn_quantisation(network, syn, weight_int / scale)

    # one block per (target slice, source slice, projection); blocks ordered by chip
    order, group, sorted_fields = _sort_synapses(syn, partition, placements,
                                                 len(network.projections))
    row, target, delay, group_dst, group_src, group_proj = sorted_fields
    weight_int = weight_int[order].astype(np.int64)
    new_group = np.ones(len(order), dtype=bool)
    if len(order):
        new_group[1:] = group[1:] != group[:-1]
    group = np.cumsum(new_group) - 1
    first = np.flatnonzero(new_group)
    n_blocks = len(first)
    proj_type = np.array([p.synapse_type for p in network.projections], dtype=np.int64)
    s = {"dst_slice": group_dst, "src_slice": group_src, "projection": group_proj,
         "row": row, "target": target, "delay_ticks": delay,
         "synapse_type": proj_type[group_proj] if len(proj_type) else group_proj}
    chip_of = placements.chip[group_dst]

    # position of each synapse within its row, and each block's row length
    row_id = group * hw.MAX_NEURONS_PER_PE + s["row"]
    new_row = np.ones(len(order), dtype=bool)
    if len(order):
        new_row[1:] = row_id[1:] != row_id[:-1]
    row_start = np.flatnonzero(new_row)
    position = np.arange(len(order)) - np.repeat(row_start, np.diff(np.append(row_start,
                                                                               len(order))))
    row_count = np.bincount(row_id, minlength=n_blocks * hw.MAX_NEURONS_PER_PE)
    row_length = row_count.reshape(n_blocks, hw.MAX_NEURONS_PER_PE).max(axis=1)

    block_slice = s["dst_slice"][first]
    block_source = s["src_slice"][first]
    block_chip = chip_of[first]
    n_rows = partition.hi[block_source] - partition.lo[block_source]
    stdp_projections = [p.id for p in network.projections if p.dynamics == "stdp"]
    block_is_stdp = np.isin(s["projection"][first], stdp_projections)
    header = formats.row_header_words(block_is_stdp)
    stride = header + row_length
    block_words = n_rows * stride
    # word address of each block within its chip's DRAM
    block_address = np.zeros(n_blocks, dtype=np.int64)
    dram: dict[int, np.ndarray] = {}
    chip_bounds = np.searchsorted(block_chip, np.unique(block_chip))
    for i, lo in enumerate(chip_bounds):
        hi = chip_bounds[i + 1] if i + 1 < len(chip_bounds) else n_blocks
        offsets = np.concatenate([[0], np.cumsum(block_words[lo:hi])])
        block_address[lo:hi] = offsets[:-1]
        dram[int(block_chip[lo])] = np.zeros(int(offsets[-1]), dtype=np.uint32)

    # headers (synapse counts; STDP state starts at zero) and words
    counts = row_count.reshape(n_blocks, hw.MAX_NEURONS_PER_PE)
    word_chip = np.zeros(len(order), dtype=np.int64)
    word_address = np.zeros(len(order), dtype=np.int64)
    for chip, image in dram.items():
        blocks = np.flatnonzero(block_chip == chip)
        rows_per_block = n_rows[blocks]
        b = np.repeat(blocks, rows_per_block)
        r = np.arange(rows_per_block.sum()) - np.repeat(np.cumsum(rows_per_block)
                                                         - rows_per_block, rows_per_block)
        image[block_address[b] + r * stride[b]] = counts[b, r]
        mine = chip_of == chip
        g = group[mine]
        address = block_address[g] + s["row"][mine] * stride[g] + header[g] + position[mine]
        image[address] = formats.pack_synapse_words(
            weight_int[mine], s["delay_ticks"][mine], s["synapse_type"][mine], s["target"][mine])
        word_chip[mine], word_address[mine] = chip, address

    block_state = _add_plastic_state(network, dram, order, group, first, s, position,
                                     chip_of, block_chip, n_rows, row_length)
    max_delay = np.ones(n_slices, dtype=np.int64)
    np.maximum.at(max_delay, syn.dst_slice, syn.delay_ticks)
    ring = np.array([1 << int(np.ceil(np.log2(d))) for d in max_delay], dtype=np.int64)
    block_type = proj_type[s["projection"][first]] if n_blocks else np.zeros(0, np.int64)
    block_rule = _stdp_rules(network, s["projection"][first],
                             exponent[block_slice, block_type] if n_blocks else block_type)
    stdp_words = {}
    offsets = np.concatenate([[0], np.cumsum([p.n_synapses for p in network.projections])])
    for pid in stdp_projections:
        sel = np.flatnonzero(s["projection"] == pid)
        local = np.empty(len(sel), dtype=np.int64)
        local[order[sel] - offsets[pid]] = sel
        stdp_words[pid] = (word_chip[local], word_address[local])
    return SynapticData(dram, block_slice, block_source, s["projection"][first],
                        block_address, row_length, exponent, ring, worst, block_state,
                        block_rule, stdp_words, _post_trace_time_constants(network, partition),
                        n_rows)


def _stdp_rules(network: NetworkSpec, block_projection: np.ndarray,
                block_exponent: np.ndarray) -> np.ndarray:
    """Each block's STDP rule record (formats.STP_RULE_FIELDS), weights in the integer units of
    its target PE and synapse type; NaN rows for blocks without STDP."""
    rules = np.full((len(block_projection), formats.STDP_RULE_WORDS), np.nan)
    for proj in network.projections:
        if proj.dynamics != "stdp" or not proj.n_synapses:
            continue
        blocks = block_projection == proj.id
        p = {k: float(v[0]) for k, v in proj.dynamics_params.items()}
        scale = np.ldexp(1.0, block_exponent[blocks])
        span = p["w_max"] - p["w_min"]
        values = {"tau_plus": p["tau_plus"], "tau_minus": p["tau_minus"],
                  "a_plus": p["A_plus"] * span * scale, "a_minus": p["A_minus"] * span * scale,
                  "w_min": p["w_min"] * scale, "w_max": p["w_max"] * scale,
                  "mu_plus": p["mu_plus"], "mu_minus": p["mu_minus"],
                  "dendritic_delay_fraction": p["dendritic_delay_fraction"]}
        for k, name in enumerate(formats.STDP_RULE_FIELDS):
            rules[blocks, k] = values[name]
    return rules


def _post_trace_time_constants(network: NetworkSpec, partition: Partition) -> np.ndarray:
    """tau_minus of each slice whose neurons receive STDP synapses (0 for the others).

    The post-synaptic trace is kept once per neuron, so every STDP projection onto a population
    must share tau_minus (NEST keeps it on the neuron too).
    Raises: NotSupportedError naming the projections when they disagree.
    """
    tau = np.zeros(partition.n_slices)
    seen: dict[int, tuple[float, str]] = {}
    for proj in network.projections:
        if proj.dynamics != "stdp" or not proj.n_synapses:
            continue
        value = float(proj.dynamics_params["tau_minus"][0])
        other = seen.setdefault(proj.post, (value, proj.label))
        if other[0] != value:
            raise NotSupportedError(
                f"Projections '{other[1]}' and '{proj.label}' give the population "
                f"'{network.populations[proj.post].label}' different STDP tau_minus "
                f"({other[0]:g} and {value:g} ms); the post-synaptic trace is one per neuron. "
                "Use the same tau_minus.")
        tau[partition.slices_of(proj.post)] = value
    return tau


def _add_plastic_state(network: NetworkSpec, dram: dict[int, np.ndarray], order: np.ndarray,
                       group: np.ndarray, first: np.ndarray, s: dict, position: np.ndarray,
                       chip_of: np.ndarray, block_chip: np.ndarray, n_rows: np.ndarray,
                       row_length: np.ndarray) -> np.ndarray:
    """Append a state region to every short-term-plastic row block (formats.STP_FIELDS per
    synapse slot) and fill it with the initial state and the synapse's parameters.

    Out: per block, the word address of its region in its chip's DRAM, or -1 (static).
    """
    block_state = np.full(len(first), -1, dtype=np.int64)
    plastic = [p.id for p in network.projections if p.dynamics == "tsodyks_markram"]
    if not plastic:
        return block_state
    offsets = np.concatenate([[0], np.cumsum([p.n_synapses for p in network.projections])])
    is_plastic = np.isin(s["projection"][first], plastic)
    for chip in list(dram):
        blocks = np.flatnonzero((block_chip == chip) & is_plastic)
        if not len(blocks):
            continue
        sizes = n_rows[blocks] * row_length[blocks] * formats.STP_WORDS
        block_state[blocks] = len(dram[chip]) + np.cumsum(sizes) - sizes
        region = np.zeros(int(sizes.sum()), dtype=np.uint32)
        values = region.view(np.float32)
        mine = np.flatnonzero((chip_of == chip) & is_plastic[group])
        g = group[mine]
        record = (block_state[g] - len(dram[chip])
                  + (s["row"][mine] * row_length[g] + position[mine]) * formats.STP_WORDS)
        projection = s["projection"][mine]
        for pid in np.unique(projection):
            sel = projection == pid
            local = order[mine[sel]] - offsets[pid]
            initial = formats.stp_initial_record(network.projections[pid].dynamics_params)
            for k, name in enumerate(formats.STP_FIELDS):
                value = initial[name]
                values[record[sel] + k] = value[local] if np.ndim(value) else value
        dram[chip] = np.concatenate([dram[chip], region])
    return block_state


_FIELD_BITS = hw.KEY_NEURON_BITS + 8 + 6     # row (source neuron), target index, delay - 1


def _sort_synapses(syn: _Synapses, partition: Partition, placements: Placements,
                   n_projections: int) -> tuple[np.ndarray, np.ndarray, tuple[np.ndarray, ...]]:
    """Sort synapses by (chip, target slice, source slice, projection, row, target, delay).

    One int64 key holds every field, so a single argsort replaces a 7-key lexsort and the sorted
    fields are decoded from the sorted keys instead of gathered array by array.
    Out: the order, a group code per sorted synapse (equal within a row block), and the sorted
    row, target, delay, target slice, source slice and projection.
    """
    n_slices = partition.n_slices
    by_chip = np.lexsort((np.arange(n_slices), placements.chip))
    rank = np.empty(n_slices, dtype=np.int64)
    rank[by_chip] = np.arange(n_slices)
    n_proj = max(n_projections, 1)
    packed = n_slices * n_slices * n_proj < 1 << (62 - _FIELD_BITS)
    if packed:
        group = (rank[syn.dst_slice] * n_slices + syn.src_slice) * n_proj + syn.projection
    else:   # too many slices to pack: rank the (target, source, projection) triples instead
        triples = np.stack([rank[syn.dst_slice], syn.src_slice, syn.projection])
        group = np.unique(triples, axis=1, return_inverse=True)[1].ravel()
    key = ((group << _FIELD_BITS) | (syn.row << 14) | (syn.target << 6)
           | (syn.delay_ticks - 1))
    order = np.argsort(key, kind="stable")
    key = key[order]
    group_sorted = key >> _FIELD_BITS
    fields = ((key >> 14) & 0xFF, (key >> 6) & 0xFF, (key & 0x3F) + 1)
    if packed:
        slices = (by_chip[group_sorted // (n_slices * n_proj)],
                  (group_sorted // n_proj) % n_slices, group_sorted % n_proj)
    else:
        slices = (syn.dst_slice[order], syn.src_slice[order], syn.projection[order])
    return order, group_sorted, fields + slices


def _warn_quantisation(network: NetworkSpec, syn: _Synapses,
                       quantised: np.ndarray) -> dict[int, float]:
    """Worst relative weight error per projection; warn for those above the threshold."""
    nonzero = syn.magnitude > 0
    rel = np.zeros(len(syn.magnitude))
    rel[nonzero] = np.abs(quantised[nonzero] - syn.magnitude[nonzero]) / syn.magnitude[nonzero]
    worst = np.zeros(len(network.projections))
    np.maximum.at(worst, syn.projection, rel)
    for proj in network.projections:
        if worst[proj.id] > QUANTISATION_WARN_REL_ERROR:
            warnings.warn(
                f"Projection '{proj.label}': weights quantised to the PE's fixed-point format "
                f"with a worst relative error of {worst[proj.id]:.2e}. Weights that differ by "
                "large factors onto the same PE and receptor lose precision.",
                WeightQuantisationWarning, stacklevel=2)
    return {p.id: float(worst[p.id]) for p in network.projections}


def master_population_table(data: SynapticData, keys: KeyAllocation,
                            slice_id: int) -> dict[str, np.ndarray]:
    """The master population table and address list of one target slice.

    Out: mpt_key, mpt_mask, mpt_start, mpt_count (entries sorted by key) and the address list
    addr_block (word address in chip DRAM), addr_row_length, addr_rows, addr_state (word
    address of the block's short-term-plasticity state region, -1 for static rows), addr_rule
    (index into the PE's STDP rule table stdp_rules, -1 for non-STDP rows), addr_projection
    (host-side only: which projection each block came from; the PE never reads it);
    stdp_rules (one record per STDP projection onto the PE, formats.STDP_RULE_FIELDS) and
    stdp_tau_minus (the post-synaptic trace's time constant, empty without STDP input).
    """
    blocks = np.flatnonzero(data.block_slice == slice_id)
    sources = data.block_source[blocks]
    order = np.lexsort((data.block_projection[blocks], keys.base[sources]))
    blocks, sources = blocks[order], sources[order]
    unique_sources, start, count = np.unique(sources, return_index=True, return_counts=True)
    stdp = data.block_stdp[blocks]
    rule_projections, rule_first, rule_index = np.unique(
        data.block_projection[blocks][stdp], return_index=True, return_inverse=True)
    addr_rule = np.full(len(blocks), -1, dtype=np.int64)
    addr_rule[stdp] = rule_index
    return {
        "mpt_key": keys.base[unique_sources].astype(np.uint32),
        "mpt_mask": keys.mask[unique_sources].astype(np.uint32),
        "mpt_start": start.astype(np.uint32),
        "mpt_count": count.astype(np.uint32),
        "addr_block": data.block_address[blocks].astype(np.uint32),
        "addr_row_length": data.block_row_length[blocks].astype(np.uint32),
        "addr_rows": data.block_rows[blocks].astype(np.uint32),
        "addr_projection": data.block_projection[blocks].astype(np.int64),
        "addr_state": data.block_state[blocks].astype(np.int64),
        "addr_rule": addr_rule,
        "stdp_rules": data.block_rule[blocks][stdp][rule_first].astype(np.float32).reshape(
            -1, formats.STDP_RULE_WORDS),
        "stdp_tau_minus": np.array([data.stdp_tau_minus[slice_id]] if stdp.any() else [],
                                   dtype=np.float32),
    }
