"""Synaptic rows (in chip DRAM) and master population tables (in PE SRAM).

In:  NetworkSpec, Partition, Placements, KeyAllocation, Config, and the SlicePairs (counted
     here when not given).
Out: SynapticData: per chip a uint32 DRAM image of row blocks (views of one buffer); per target
     slice its master population table (key, mask -> address-list range), its address list
     (row block address, rows) and its weight exponent per synapse type.
Raises: ParameterRangeError for a delay that is not a whole number of ticks in 1..64 (longer ones
     were moved onto delay extensions by mapping/delay_extensions.py), or a weight whose sign
     contradicts the receptor; warns when quantisation loses more than 1e-3.

Every synapse becomes one 32-bit word (``formats.py``), in a compact row block
(``row_blocks.py``). Two passes over the synapses, chunk by chunk (``slice_pairs.post_chunks``),
so that the transient memory is bounded by a chunk (about 100 bytes per synapse of it), not by
the network:
1. the largest weight magnitude per (target slice, synapse type), whose maximum over the
   slices of each population sets that population's exponents (``weights.py``), and the
   longest delay per target slice, which sets the ring buffer;
2. per chunk: quantise and pack, order the words by (target slice, source neuron) with a
   stable radix sort (the chunk is in post-synaptic order, so each row comes out sorted by
   target index), and write them and the row tables in place into the buffer, whose layout
   was fixed beforehand from the block counts.
"""

from __future__ import annotations


import numpy as np

from .. import formats
from .. import machine as hw
from .. import stdp_rules
from ..errors import NotSupportedError, ParameterRangeError
from ..ir import NetworkSpec, ProjectionSpec
from ..neuron_models import NATIVE_MODELS
from ..compiled.program import MasterPopulationTable
from ..compiled.stages import KeyAllocation, Partition, Placements, SlicePairs, SynapticData
from .agreed import ALONE, Agreement
from .row_blocks import Layout, plan_layout, write_chunk
from .slice_pairs import Chunk, post_chunks
from .weights import choose_weight_exponents, quantise, warn_quantisation


def delay_ticks(delay_ms: np.ndarray, dt: float, label: str,
                max_ticks: int = hw.MAX_DELAY_TICKS) -> np.ndarray:
    """Delays in ticks.

    In: delays in ms (float32 or float64; a broadcast scalar is converted once); the longest
    delay allowed, in ticks (the synapse word's 64 by default; mapping/delay_extensions.py
    passes the longest delay extensions can make).
    Out: int64 ticks (a broadcast scalar for a broadcast input).
    Raises: ParameterRangeError naming the projection for a delay off the dt grid, below one
    tick or above ``max_ticks``.
    """
    delay_ms = np.asarray(delay_ms)
    if delay_ms.ndim == 1 and len(delay_ms) > 1 and delay_ms.strides[0] == 0:
        return np.broadcast_to(delay_ticks(delay_ms[:1].copy(), dt, label, max_ticks),
                               delay_ms.shape)
    ticks = np.round(delay_ms / dt).astype(np.int64)
    if ticks.size == 0:
        return ticks
    # a float32 delay is within half its precision of the grid
    precision = np.finfo(delay_ms.dtype).eps if delay_ms.dtype.kind == "f" else 0.0
    off_grid = np.abs(ticks * dt - delay_ms) > 1e-6 * max(dt, 1.0) + precision * np.abs(delay_ms)
    if off_grid.any():
        bad = float(delay_ms[off_grid][0])
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


def _uniform(values: np.ndarray) -> bool:
    """A broadcast scalar (the same value for every synapse, stored once)."""
    return len(values) > 1 and values.strides[0] == 0


def _check_signs(network: NetworkSpec, proj: ProjectionSpec) -> None:
    """Raises: ParameterRangeError when a weight's sign contradicts the receptor's."""
    sign = NATIVE_MODELS[network.populations[proj.post].model].receptor_signs[proj.synapse_type]
    weight = proj.weight[:1] if _uniform(proj.weight) else proj.weight
    if proj.n_synapses and (weight.min() * sign < 0 or weight.max() * sign < 0):
        raise ParameterRangeError(
            f"Projection '{proj.label}': weights onto receptor '{proj.receptor}' must be "
            f"{'positive' if sign > 0 else 'negative'} (PyNN's convention). Flip their sign.")


def _largest_per_target_slice(values: np.ndarray, chunk: Chunk,
                              absolute: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """(target slices with synapses in the chunk, the largest value, or magnitude, of each
    one's synapses)."""
    filled = np.flatnonzero(np.diff(chunk.post_bounds))
    if _uniform(values):
        value = abs(float(values[0])) if absolute else float(values[0])
        return chunk.first + filled, np.full(len(filled), value)
    mine = np.abs(values[chunk.index]) if absolute else values[chunk.index]
    return chunk.first + filled, np.maximum.reduceat(mine, chunk.post_bounds[filled])


def _slice_extremes(network: NetworkSpec,
                    partition: Partition) -> tuple[np.ndarray, np.ndarray]:
    """Pass 1: the largest weight magnitude (w_max under STDP) per (target slice, synapse type)
    and the longest delay in ticks per target slice (1 where there is none).

    Raises: ParameterRangeError for a weight of the wrong sign.
    """
    largest = np.zeros((partition.n_slices, hw.N_SYNAPSE_TYPES))
    longest = np.ones(partition.n_slices, dtype=np.int64)
    for proj in network.projections:
        _check_signs(network, proj)
        bound = stdp_rules.weight_bound(proj)
        column = largest[:, proj.synapse_type]
        for chunk in post_chunks(proj, partition, network.populations[proj.pre].size):
            slices, magnitude = _largest_per_target_slice(proj.weight, chunk, absolute=True)
            column[slices] = np.maximum(column[slices], np.maximum(magnitude, bound))
            slices, delay = _largest_per_target_slice(proj.delay, chunk)
            ticks = np.clip(np.round(delay / network.dt), 1, hw.MAX_DELAY_TICKS)
            longest[slices] = np.maximum(longest[slices], ticks.astype(np.int64))
    return largest, longest


def build_synaptic_data(network: NetworkSpec, partition: Partition, placements: Placements,
                        pairs: SlicePairs, weight_bits: int,
                        agree: Agreement = ALONE) -> SynapticData:
    """Quantise, pack and lay out every synapse into row blocks, one per slice pair.

    In: the network, its partition and placements, its slice pairs (count_slice_pairs), the
    weight field's bits. Under MPI (``agree``) each rank writes the rows it holds (those of
    the target slices it emulates) into the layout of the whole machine; the largest weights,
    longest delays and worst quantisation errors are agreed over the ranks, so every rank
    chooses the same exponents and ring buffers. The other ranks' blocks stay zero (pages
    never written cost no memory).
    """
    largest, longest = _slice_extremes(network, partition)
    largest, longest = agree.reduce(largest, "max"), agree.reduce(longest, "max")
    # weights besides the rows': folded Poisson inputs share their target population's exponent
    # (as the fold recorded them), and structural plasticity's new synapses may arrive later
    folded = [(f.population, t, m) for f in network.folded_inputs for t, m in f.weight_bounds]
    for pop, syn_type, magnitude in folded + list(network.weight_bounds):
        rows = partition.pop == pop
        largest[rows, syn_type] = np.maximum(largest[rows, syn_type], magnitude)
    exponent = choose_weight_exponents(largest, weight_bits, partition.pop)
    ring = np.left_shift(1, np.ceil(np.log2(longest)).astype(np.int64))
    codes = np.array([stdp_rules.dynamics_code(p) for p in network.projections] + [0],
                     dtype=np.int64)
    layout = plan_layout(pairs, partition, placements,
                         np.array([stdp_rules.has_rule(p) for p in network.projections], bool),
                         codes[:-1] > 0)
    worst = np.zeros(len(network.projections))
    stdp_words = {}
    for proj in network.projections:
        worst[proj.id], words = _write_projection(network, proj, partition, pairs, layout,
                                                  exponent, weight_bits)
        if words is not None:
            stdp_words[proj.id] = words
    chip_base = np.array([layout.chip_base.get(int(c), 0) for c in layout.block_chip.tolist()],
                         dtype=np.int64)
    block_type = np.array([p.synapse_type for p in network.projections] + [0])[pairs.projection]
    return SynapticData(
        dram=layout.images(), block_slice=pairs.dst_slice, block_source=pairs.src_slice,
        block_projection=pairs.projection, block_address=layout.address - chip_base,
        block_rows=layout.rows, block_synapses=pairs.count, weight_exponent=exponent,
        ring_slots=ring,
        worst_relative_error=warn_quantisation(network, agree.reduce(worst, "max")),
        block_state=np.where(layout.state >= 0, layout.state - chip_base, -1),
        block_rule=_stdp_rules(network, pairs.projection,
                               exponent[pairs.dst_slice, block_type]),
        stdp_words=stdp_words, stdp_tau=_post_trace_time_constants(network, partition),
        block_dynamics=codes[pairs.projection] if len(pairs.projection) else codes[:0])


def _write_projection(network: NetworkSpec, proj: ProjectionSpec, partition: Partition,
                      pairs: SlicePairs, layout: Layout, exponent: np.ndarray,
                      weight_bits: int) -> tuple[float, tuple[np.ndarray, np.ndarray] | None]:
    """Pass 2 for one projection: quantise, pack and write its synapses chunk by chunk, with
    their short-term-plasticity records.

    Out: its worst relative weight error; for an STDP projection, each synapse's (chip, word
    address in the chip's image), in the projection's order (else None).
    Raises: ParameterRangeError for a bad delay.
    """
    n_pre = network.populations[proj.pre].size
    scale_of = np.ldexp(1.0, exponent[:, proj.synapse_type])
    dst_of, src_of = partition.neuron_slices(proj.post), partition.neuron_slices(proj.pre)
    uniform = _uniform(proj.weight)
    worst = 0.0
    stdp = (np.zeros(proj.n_synapses, np.int64), np.zeros(proj.n_synapses, np.int64)) \
        if proj.dynamics == "stdp" else None
    for chunk in post_chunks(proj, partition, n_pre):
        post = proj.post_index[chunk.index]
        dst = dst_of[post]
        sizes = np.diff(chunk.post_bounds)
        if uniform:    # one weight: quantise once per target slice
            slices = np.arange(chunk.first, chunk.stop)
            per_slice, error = quantise(np.full(len(slices), abs(float(proj.weight[0]))),
                                        scale_of[slices], weight_bits)
            weight_int = np.repeat(per_slice, sizes)
        else:
            weight_int, error = quantise(np.abs(proj.weight[chunk.index], dtype=np.float64),
                                         scale_of[dst], weight_bits)
        worst = max(worst, error)
        words = formats.pack_synapse_words(
            weight_int, delay_ticks(proj.delay[chunk.index], network.dt, proj.label),
            proj.synapse_type, post - partition.lo[dst], checked=False)
        blocks = pairs.of_projection(proj.id, chunk.first, chunk.stop)
        order, address = write_chunk(
            layout, pairs, blocks, partition, words, proj.pre_index[chunk.index], chunk.first,
            dst - chunk.first, n_pre, chunk.stop - chunk.first, src_of)
        if proj.dynamics == "static":
            continue
        position = (np.arange(chunk.index.start, chunk.index.stop) if isinstance(
            chunk.index, slice) else chunk.index)[order]
        block = np.repeat(np.arange(blocks.start, blocks.stop), pairs.count[blocks])
        if stdp is not None:
            chip = layout.block_chip[block]
            stdp[0][position] = chip
            stdp[1][position] = address - _chip_base_of(layout, chip)
        if proj.dynamics in formats.RECORD_FIELDS:
            _write_short_term_records(proj, layout, block, address, position)
        elif stdp_rules.dynamics_code(proj) == formats.DYNAMICS_CODES["recurrent"]:
            _write_short_term_records(proj, layout, block, address, position,
                                      formats.RECURRENT_FIELDS,
                                      stdp_rules.recurrent_record(proj))
    return worst, stdp


def _chip_base_of(layout: Layout, chip: np.ndarray) -> np.ndarray:
    """First buffer word of each given chip's image."""
    chips = np.array(sorted(layout.chip_base), dtype=np.int64)
    bases = np.array([layout.chip_base[c] for c in chips.tolist()], dtype=np.int64)
    return bases[np.searchsorted(chips, chip)]


def _write_short_term_records(proj: ProjectionSpec, layout: Layout, block: np.ndarray,
                              address: np.ndarray, position: np.ndarray,
                              fields: tuple[str, ...] | None = None,
                              initial: dict | None = None) -> None:
    """The initial record (formats.RECORD_FIELDS of its dynamics, or ``fields`` with values
    ``initial``) of each written synapse.

    In: per synapse word written (DRAM order): its block, word address in the buffer and
    position in the projection.
    """
    first_word = layout.address[block] + (layout.rows[block] + 1) * layout.entry_words[block]
    record = layout.state[block] + (address - first_word) * formats.STP_WORDS
    if fields is None:
        fields = formats.RECORD_FIELDS[proj.dynamics]
        initial = formats.initial_record(proj.dynamics, proj.dynamics_params)
    if initial is None:
        raise TypeError("_write_short_term_records: give `initial` together with `fields`")
    for k, name in enumerate(fields):
        values = layout.buffer if name in formats.UINT_FIELDS else layout.buffer.view(np.float32)
        value = initial[name]
        values[record + k] = value[position] if np.ndim(value) else value


def _stdp_rules(network: NetworkSpec, block_projection: np.ndarray,
                block_exponent: np.ndarray) -> np.ndarray:
    """Each block's STDP rule record (formats.STDP_RULE_FIELDS, stdp_rules.record), weights in
    the integer units of its target PE and synapse type; NaN rows for blocks without STDP."""
    rules = np.full((len(block_projection), formats.STDP_RULE_WORDS), np.nan)
    for proj in network.projections:
        if not stdp_rules.has_rule(proj) or not proj.n_synapses:
            continue
        blocks = block_projection == proj.id
        p = {k: float(v[0]) for k, v in proj.dynamics_params.items()}
        extension = network.extension_of(proj.pre)
        values = stdp_rules.record(p, np.ldexp(1.0, block_exponent[blocks]),
                                   extension.n_stages if extension is not None else 0)
        for k, name in enumerate(formats.STDP_RULE_FIELDS):
            rules[blocks, k] = values[name]
    return rules


def _post_trace_time_constants(network: NetworkSpec, partition: Partition
                               ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The post-synaptic traces' time constants of each slice whose neurons receive STDP
    synapses: (tau_minus, tau_y, tau_d), 0 for none (tau_y: the triplet rule's second trace,
    tau_d: neuromodulated STDP's dopamine).

    The post-synaptic traces are kept once per neuron, so every STDP projection onto a
    population must share them (NEST keeps tau_minus on the neuron too).
    Raises: NotSupportedError naming the projections when they disagree.
    """
    tau = np.zeros((3, partition.n_slices))
    seen: dict[int, tuple[tuple[float, ...], str]] = {}
    for proj in network.projections:
        if proj.dynamics != "stdp" or not proj.n_synapses:
            continue
        value = stdp_rules.post_time_constants({k: float(v[0]) for k, v in
                                                proj.dynamics_params.items()})
        other = seen.setdefault(proj.post, (value, proj.label))
        if other[0] != value:
            raise NotSupportedError(
                f"Projections '{other[1]}' and '{proj.label}' give the population "
                f"'{network.populations[proj.post].label}' different STDP post-synaptic trace "
                f"time constants (tau_minus, tau_y, tau_d) {other[0]} and {value} ms; the "
                "post-synaptic traces are one per neuron. Use the same tau_minus (tau for "
                "Vogels2011Rule), tau_y and tau_d.")
        tau[:, partition.slices_of(proj.post)] = np.array(value)[:, None]
    return tau[0], tau[1], tau[2]


def master_population_table(data: SynapticData, keys: KeyAllocation,
                            slice_id: int) -> MasterPopulationTable:
    """The master population table and address list of one target slice.

    Out: MasterPopulationTable (compiled/program.py): entries sorted by key, one address-list
    entry per row block, the PE's STDP rules.
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
    return MasterPopulationTable(
        mpt_key=keys.base[unique_sources].astype(np.uint32),
        mpt_mask=keys.mask[unique_sources].astype(np.uint32),
        mpt_start=start.astype(np.uint32),
        mpt_count=count.astype(np.uint32),
        addr_block=data.block_address[blocks].astype(np.uint32),
        addr_rows=data.block_rows[blocks].astype(np.uint32),
        addr_projection=data.block_projection[blocks].astype(np.int64),
        addr_state=data.block_state[blocks].astype(np.int64),
        addr_rule=addr_rule,
        addr_dynamics=data.block_dynamics[blocks].astype(np.uint8),
        stdp_rules=data.block_rule[blocks][stdp][rule_first].astype(np.float32).reshape(
            -1, formats.STDP_RULE_WORDS),
        stdp_tau_minus=np.array([data.stdp_tau[0][slice_id]] if stdp.any() else [],
                                dtype=np.float32),
        stdp_tau_y=np.array([data.stdp_tau[1][slice_id]] if stdp.any()
                            and data.stdp_tau[1][slice_id] > 0 else [], dtype=np.float32),
        stdp_tau_d=np.array([data.stdp_tau[2][slice_id]] if stdp.any()
                            and data.stdp_tau[2][slice_id] > 0 else [], dtype=np.float32))
