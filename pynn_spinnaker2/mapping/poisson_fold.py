"""Poisson folding: the IR rewrite that draws one-to-one Poisson input on the target's PE, and
everything else about folded inputs (one home: later stages read what it records, never call it).

In:  NetworkSpec (after snapshot, before delay extensions), Config.fold_poisson.
Out: NetworkSpec in which every *foldable* SpikeSourcePoisson population is listed in
     ``folded_poisson`` (with its projections as snapshotted) and its projections keep their
     ids but hold no synapses; and every population they target in ``folded_inputs``
     (FoldedInputsSpec: the most inputs per neuron, the longest delay in ticks, the largest
     |weight| per synapse type), which partition and synaptic_rows read. Partitioning gives
     such a population no PEs; instead each target PE holds one *Poisson input* per folded
     synapse (``input_tables``): the source neuron's spike threshold, mean count and active
     ticks, its random stream, and the synapse (target neuron, receptor, delay, quantised
     weight). Every tick the PE draws each input and adds weight times the tick's spike count
     to its ring buffer: no packets, no router entries, no rows. The stage ``poisson_inputs``
     (after synaptic_rows) builds these tables and their SRAM (PoissonInputs), which
     pe_programs reads.
Raises: ParameterRangeError naming the population for a negative rate.

A population is foldable when it is a ``spike_source_poisson``, has at least one projection,
and every projection from it is static, gives each source neuron at most one synapse (one-to-one
shaped), and has delays on the dt grid within the ring buffer (1..64 ticks), and every source
neuron whose spikes are recorded has a synapse (its spikes exist only where drawn). A source neuron
with synapses in several such projections is drawn on each target PE from the same stream, so it
fires at the same ticks everywhere; its recorded spikes are taken from one of them.

Spikes are the same as unfolded: the draw of source neuron i of population p in tick k is
``poisson_counts.spike_count`` under ``tick_key(seed, k)`` and stream ``p << 32 | i``, as on the
source's own PE, and the weight is quantised with the exponent of the target population, which
counts the folded weights (``FoldedInputsSpec.weight_bounds``), so the ring receives the same
integers at the same slots.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from .. import machine as hw
from ..errors import ParameterRangeError
from ..compiled.stages import Partition, PoissonInputs
from ..ir import FoldedInputsSpec, FoldedPoissonSpec, NetworkSpec, ProjectionSpec, _frozen
from ..neuron_models import NATIVE_MODELS
from ..neuron_models import spike_source_poisson
from .agreed import ALONE, Agreement, gathered_in_post_order
from .weights import warn_quantisation


MODEL = "spike_source_poisson"
TABLE_KEYS = ("target", "threshold", "mean", "first_tick", "stop_tick", "stream", "weight",
              "synapse_type", "delay", "records", "projection")


def _delay_ticks(proj: ProjectionSpec, dt: float) -> np.ndarray:
    return np.round(proj.delay / dt).astype(np.int64)


def _foldable_projection(proj: ProjectionSpec, network: NetworkSpec) -> bool:
    if proj.dynamics != "static" or not NATIVE_MODELS[
            network.populations[proj.post].model].receives_input:
        return False
    ticks = _delay_ticks(proj, network.dt)
    on_grid = np.all(np.abs(ticks * network.dt - proj.delay) <= 1e-6 * max(network.dt, 1.0))
    in_ring = ticks.size == 0 or (ticks.min() >= 1 and ticks.max() <= hw.MAX_DELAY_TICKS)
    one_each = len(np.unique(proj.pre_index)) == proj.n_synapses
    return bool(on_grid and in_ring and one_each)


def foldable_sources(network: NetworkSpec) -> list[int]:
    """Ids of the Poisson populations that can be folded (see the module docstring)."""
    out = []
    for spec in network.populations:
        if spec.model != MODEL or spec.id in network.keep_sending:
            continue
        mine = [p for p in network.projections if p.pre == spec.id]
        if any(p.n_synapses for p in mine) and all(_foldable_projection(p, network)
                                                   for p in mine) and _recorded_have_targets(
                                                       spec, mine):
            out.append(spec.id)
    return out


def _recorded_have_targets(spec, projections: list[ProjectionSpec]) -> bool:
    """Every source neuron whose spikes are recorded has a synapse (a folded source is drawn,
    and recorded, only on its targets' PEs)."""
    recorded = spec.recorded.get("spikes")
    if recorded is None or not np.any(recorded):
        return True
    covered = np.zeros(spec.size, dtype=bool)
    for proj in projections:
        covered[proj.pre_index] = True
    return not np.any(recorded & ~covered)


def fold_poisson_sources(network: NetworkSpec, enabled: bool = True,
                         agree: Agreement = ALONE) -> NetworkSpec:
    """Fold every foldable Poisson population onto its targets' PEs (module docstring).
    Under MPI the Poisson sources' projections are gathered whole first (``agree``): the
    decision reads every synapse, and a folded source's inputs are drawn on every PE it feeds.
    Out: the network unchanged when ``enabled`` is False or nothing can be folded."""
    if not enabled:
        return network
    whole = network if agree.size == 1 else replace(network, projections=tuple(
        gathered(p, agree) if network.populations[p.pre].model == MODEL else p
        for p in network.projections))
    sources = foldable_sources(whole)
    if not sources:
        return network
    projections = list(network.projections)
    folded = []
    for source in sources:
        mine = tuple(p for p in whole.projections if p.pre == source)
        for proj in mine:
            projections[proj.id] = _emptied(proj)
        folded.append(FoldedPoissonSpec(source, mine))
    return replace(network, projections=tuple(projections), folded_poisson=tuple(folded),
                   folded_inputs=folded_inputs(network, folded))


def gathered(proj: ProjectionSpec, agree: Agreement) -> ProjectionSpec:
    """A projection with every rank's synapses, in the one-process order (ranks hold
    disjoint post-synaptic neurons; a stable sort by post keeps each one's own order)."""
    names = sorted(proj.dynamics_params)
    post, (pre, weight, delay, *params) = gathered_in_post_order(
        agree, proj.post_index, [proj.pre_index, proj.weight, proj.delay]
        + [proj.dynamics_params[name] for name in names])
    return replace(proj, pre_index=_frozen(pre), post_index=_frozen(post),
                   weight=_frozen(weight), delay=_frozen(delay),
                   dynamics_params={name: _frozen(v) for name, v in zip(names, params)})


def _emptied(proj: ProjectionSpec) -> ProjectionSpec:
    empty = _frozen(np.zeros(0, dtype=np.int64))
    none = _frozen(np.zeros(0))
    return replace(proj, pre_index=empty, post_index=empty, weight=none, delay=none,
                   dynamics_params={k: none for k in proj.dynamics_params})


def folded_inputs(network: NetworkSpec,
                  folded: list[FoldedPoissonSpec]) -> tuple[FoldedInputsSpec, ...]:
    """What the folded inputs ask of each population they target, in population order.

    In:  the network, the folded sources (their projections as snapshotted).
    Out: per target population: the most folded inputs any of its neurons receives (for the
         SRAM estimate of partitioning), their longest delay in ticks (the ring buffer), and
         per synapse type their largest |weight| (so that the weight exponent of a target
         population covers its Poisson inputs as it would their rows).
    """
    by_target: dict[int, list[ProjectionSpec]] = {}
    for proj in (p for f in folded for p in f.projections if p.n_synapses):
        by_target.setdefault(proj.post, []).append(proj)
    out = []
    for pop in sorted(by_target):
        mine, size = by_target[pop], network.populations[pop].size
        counts = sum(np.bincount(p.post_index, minlength=size) for p in mine)
        largest: dict[int, float] = {}
        for proj in mine:
            magnitude = np.abs(proj.weight).max(initial=0.0)
            largest[proj.synapse_type] = float(np.maximum(largest.get(proj.synapse_type, 0.0),
                                                          magnitude))
        out.append(FoldedInputsSpec(
            pop, inputs_per_neuron=int(np.max(counts, initial=0)),
            max_delay_ticks=max(int(_delay_ticks(p, network.dt).max()) for p in mine),
            weight_bounds=tuple(sorted(largest.items()))))
    return tuple(out)


def _source_block(network: NetworkSpec, source: int, index: np.ndarray) -> dict:
    spec = network.populations[source]
    params = {k: v[index] for k, v in spec.params.items()}
    try:
        return spike_source_poisson.build_block(params, {}, network.dt)
    except ParameterRangeError as err:
        raise ParameterRangeError(f"Population '{spec.label}': {err}. Change the parameter "
                                  "to a value the model accepts.") from err


def input_tables(network: NetworkSpec, partition: Partition, weight_exponent: np.ndarray,
                 weight_bits: int) -> tuple[list[dict[str, np.ndarray]], dict[int, float]]:
    """Each slice's Poisson inputs, sorted by target neuron.

    In:  the folded network, its partition, the (slices, synapse types) weight exponents.
    Out: per slice a dict of equal-length arrays (TABLE_KEYS; empty dict when none): local
         target neuron, uint32 threshold, float32 mean count, int32 first/stop tick, uint64
         stream id, int64 quantised weight magnitude, synapse type, delay in ticks, and
         ``records`` (this input reports its source neuron's spikes), and host-side only,
         ``projection`` (the IR id it comes from, for decoding); and the worst relative
         weight error per folded projection id.
    """
    columns: dict[str, list[np.ndarray]] = {k: [] for k in TABLE_KEYS}
    slices, worst = [], {}
    for fold in network.folded_poisson:
        recorded = network.populations[fold.population].recorded.get("spikes")
        seen = np.zeros(network.populations[fold.population].size, dtype=bool)
        for proj in fold.projections:
            if not proj.n_synapses:
                continue
            dst = partition.slice_of_neuron(proj.post, proj.post_index)
            block = _source_block(network, fold.population, proj.pre_index)
            scale = np.ldexp(1.0, weight_exponent[dst, proj.synapse_type])
            magnitude = np.abs(proj.weight)
            weight = np.minimum(np.round(magnitude * scale), (1 << weight_bits) - 1)
            with np.errstate(divide="ignore", invalid="ignore"):
                rel = np.where(magnitude > 0, np.abs(weight / scale - magnitude) / magnitude, 0)
            worst[proj.id] = float(rel.max(initial=0.0))
            records = ~seen[proj.pre_index] & (recorded[proj.pre_index] if recorded is not None
                                               else False)
            seen[proj.pre_index] = True
            slices.append(dst)
            columns["target"].append(proj.post_index - partition.lo[dst])
            columns["threshold"].append(block["threshold"])
            columns["mean"].append(block["mean"])
            columns["first_tick"].append(block["first_tick"])
            columns["stop_tick"].append(block["stop_tick"])
            columns["stream"].append((np.uint64(fold.population) << np.uint64(32))
                                     | proj.pre_index.astype(np.uint64))
            columns["weight"].append(weight.astype(np.int64))
            columns["synapse_type"].append(np.full(proj.n_synapses, proj.synapse_type,
                                                   dtype=np.int64))
            columns["delay"].append(_delay_ticks(proj, network.dt))
            columns["records"].append(np.broadcast_to(records, proj.n_synapses).copy())
            columns["projection"].append(np.full(proj.n_synapses, proj.id, dtype=np.int64))
    tables: list[dict[str, np.ndarray]] = [{} for _ in range(partition.n_slices)]
    if not slices:
        return tables, worst
    slice_of = np.concatenate(slices)
    joined = {k: np.concatenate(v) for k, v in columns.items()}
    order = np.lexsort((joined["target"], slice_of))
    slice_of = slice_of[order]
    bounds = np.searchsorted(slice_of, np.arange(partition.n_slices + 1))
    for s in np.unique(slice_of).tolist():
        lo, hi = bounds[s], bounds[s + 1]
        tables[s] = {k: np.ascontiguousarray(v[order[lo:hi]]) for k, v in joined.items()}
    return tables, worst


def table_bytes(table: dict[str, np.ndarray]) -> int:
    """SRAM of one PE's Poisson inputs."""
    return len(table.get("target", ())) * hw.POISSON_INPUT_BYTES


def poisson_inputs(network: NetworkSpec, partition: Partition, weight_exponent: np.ndarray,
                   weight_bits: int) -> PoissonInputs:
    """The stage after synaptic_rows: every slice's Poisson input table (input_tables) and its
    SRAM (table_bytes), with a warning for every folded projection whose weights lost more
    than the threshold."""
    tables, worst = input_tables(network, partition, weight_exponent, weight_bits)
    warn_folded_quantisation(network, worst)
    return PoissonInputs(tables, worst, [table_bytes(t) for t in tables])


def warn_folded_quantisation(network: NetworkSpec, worst: dict[int, float]) -> None:
    """Warn, as for rows, for every folded projection whose weights lost more than the
    threshold to quantisation (``worst``: input_tables' worst relative error by projection)."""
    if not worst:
        return
    per_projection = np.zeros(len(network.projections))
    for pid, value in worst.items():
        per_projection[pid] = value
    warn_quantisation(network, per_projection)
