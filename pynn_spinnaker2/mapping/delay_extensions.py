"""Delay extensions: the IR rewrite that lets synapses have delays longer than the ring buffer.

In:  NetworkSpec as snapshotted.
Out: NetworkSpec with, for every source population that has synapses with delays above
     ``MAX_DELAY_TICKS`` (64) ticks:
     - a delay-extension population (model ``delay_extension``, label "delay extension of
       <label>"), one "neuron" per (source neuron, stage), ``n_stages`` = the most stages any of
       its synapses needs;
     - an internal projection source -> extension (each source neuron that has long delays onto
       its stage-1 entry, weight 1, delay one tick);
     - each user projection with long delays split in two: its short synapses keep the
       projection's id; the long ones form a new projection (``origin`` = the user's id) from
       the extension's (neuron, stage) with the delay reduced by the stage delay.
     Populations and projections are appended, so the user's ids are unchanged.
     A plastic projection's long part keeps its dynamics and per-synapse parameters: its
     synapses are plastic rows keyed by the extension (STDP uses the true delay: the rule
     record holds the extension's n_stages, from which the PE knows each row's stage).
Raises: ParameterRangeError naming the projection for a delay off the dt grid, below one tick,
     or longer than the extensions can make.

Stage length: 64 ticks, the ring buffer's depth. A delay of D ticks takes s = (D - 1) // 64
stages and keeps r = D - 64·s in 1..64 for the synapse word: every D is covered, with the
fewest stages (a shorter stage needs more keys and PEs, a longer one leaves remainders the word
cannot hold).
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from .. import machine as hw
from ..ir import (DelayExtensionSpec, NetworkSpec, ProjectionSpec, _frozen,
                  make_population_spec, make_projection_spec)
from ..compiled.stages import Partition
from .agreed import ALONE, Agreement, slice_owners
from .synaptic_matrices import delay_ticks

STAGE = hw.DELAY_STAGE_TICKS
# sources that may send several spikes in one tick (a packet with a count payload)
MULTI_SPIKE_MODELS = ("spike_source_poisson", "spike_source_array")


def add_delay_extensions(network: NetworkSpec, agree: Agreement = ALONE) -> NetworkSpec:
    """Insert delay extensions where delays exceed the ring buffer (see the module docstring).

    Under MPI (``agree``) each rank holds the synapses onto its own neurons: which sources
    need extensions, their number of stages, which (neuron, stage) entries send and which
    source neurons feed an extension are agreed over the ranks; the internal input projection
    is whole on every rank, and its long parts are each rank's own.
    """
    dt = network.dt
    ticks = {p.id: delay_ticks(p.delay, dt, p.label, hw.MAX_TOTAL_DELAY_TICKS)
             for p in network.projections if _may_be_long(p, dt)}
    # a projection without long delays needs no ticks here; synaptic_matrices checks its
    # delays when it packs them
    long = {p.id: ticks[p.id] > hw.MAX_DELAY_TICKS if p.id in ticks
            else np.zeros(0, dtype=bool) for p in network.projections}
    has_long = agree.reduce(np.array([long[p.id].any() for p in network.projections],
                                     dtype=bool), "or")
    sources = sorted({p.pre for p in network.projections if has_long[p.id]})
    if not sources:
        return network
    populations = list(network.populations)
    projections = list(network.projections)
    extensions = []
    for source in sources:
        mine = [p for p in network.projections if p.pre == source and has_long[p.id]]
        # per projection: which of this rank's synapses are long, and their delays in ticks
        # (a rank may hold none of a projection's long synapses)
        part = {p.id: (long[p.id], ticks[p.id][long[p.id]]) if p.id in ticks
                else (np.zeros(p.n_synapses, bool), np.zeros(0, np.int64)) for p in mine}
        stage = {pid: (long_ticks - 1) // STAGE for pid, (_, long_ticks) in part.items()}
        n_stages = int(agree.reduce(np.array([max(int(s.max(initial=0))
                                                  for s in stage.values())]), "max")[0])
        spec = network.populations[source]
        ext_index = {p.id: p.pre_index[part[p.id][0]] * n_stages + stage[p.id] - 1
                     for p in mine}
        sends = np.zeros(spec.size * n_stages, dtype=bool)
        sends[np.concatenate(list(ext_index.values()))] = True
        sends = agree.reduce(sends, "or")
        ext_id, input_id = len(populations), len(projections)
        populations.append(make_population_spec(
            ext_id, f"delay extension of {spec.label}", spec.size * n_stages, "delay_extension",
            {"stage": np.tile(np.arange(1, n_stages + 1), spec.size), "n_stages": n_stages,
             "sends": sends, "counts": spec.model in MULTI_SPIKE_MODELS}, {}, {}))
        delayed = np.flatnonzero(sends.reshape(spec.size, n_stages).any(axis=1))
        projections.append(make_projection_spec(
            input_id, f"delay extension input of {spec.label}", source, ext_id, delayed,
            delayed * n_stages, 1.0, dt, 0, "excitatory"))
        for proj in mine:
            is_long, long_ticks = part[proj.id]
            keep = ~is_long
            projections[proj.id] = subset(proj, keep)
            projections.append(make_projection_spec(
                len(projections), proj.label, ext_id, proj.post, ext_index[proj.id],
                proj.post_index[~keep], proj.weight[~keep],
                (long_ticks - stage[proj.id] * STAGE) * dt, proj.synapse_type,
                proj.receptor, proj.dynamics,
                {k: v[~keep] for k, v in proj.dynamics_params.items()}, origin=proj.id))
        extensions.append(DelayExtensionSpec(ext_id, source, n_stages, STAGE, input_id))
    return replace(network, populations=tuple(populations), projections=tuple(projections),
                   delay_extensions=tuple(extensions))


def _may_be_long(proj: ProjectionSpec, dt: float) -> bool:
    """Whether a projection may have a delay above the ring buffer's (cheap: its largest)."""
    return proj.n_synapses > 0 and float(proj.delay.max()) > (hw.MAX_DELAY_TICKS + 0.5) * dt


def subset(proj: ProjectionSpec, keep: np.ndarray) -> ProjectionSpec:
    """The projection restricted to the synapses in ``keep`` (same id, label, receptor)."""
    return replace(proj, pre_index=_frozen(proj.pre_index[keep]),
                   post_index=_frozen(proj.post_index[keep]), weight=_frozen(proj.weight[keep]),
                   delay=_frozen(proj.delay[keep]),
                   dynamics_params={k: _frozen(v[keep]) for k, v in proj.dynamics_params.items()})


def own_inputs_only(network: NetworkSpec, partition: Partition,
                    agree: Agreement) -> NetworkSpec:
    """Under MPI: each delay extension's input projection (whole on every rank after the
    rewrite) cut to the synapses onto this rank's slices, as every other projection is."""
    if agree.size == 1 or not network.delay_extensions:
        return network
    owner = slice_owners(partition, [p.size for p in network.populations], agree.size)
    projections = list(network.projections)
    for ext in network.delay_extensions:
        proj = projections[ext.input_projection]
        keep = owner[partition.slice_of_neuron(proj.post, proj.post_index)] == agree.rank
        projections[proj.id] = subset(proj, keep)
    return replace(network, projections=tuple(projections))


def split_positions(before: NetworkSpec, after: NetworkSpec,
                    positions: dict[int, np.ndarray]) -> dict[int, np.ndarray]:
    """Positions of synapses in their PyNN projections (snapshot's, per IR projection), for the
    projections of ``after`` = add_delay_extensions(``before``): a split projection's short
    part keeps its id and the positions of its short synapses, its long part (``origin``) gets
    those of the long ones, in the same order as the split."""
    out = dict(positions)
    for part in after.projections:
        if part.origin < 0 or part.origin not in positions:
            continue
        user = before.projections[part.origin]
        long = np.round(np.asarray(user.delay) / before.dt) > hw.MAX_DELAY_TICKS
        out[part.id] = positions[part.origin][long]
        out[part.origin] = positions[part.origin][~long]
    return out
