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
from .synaptic_matrices import delay_ticks

STAGE = hw.DELAY_STAGE_TICKS


def add_delay_extensions(network: NetworkSpec) -> NetworkSpec:
    """Insert delay extensions where delays exceed the ring buffer (see the module docstring)."""
    dt = network.dt
    ticks = {p.id: delay_ticks(p.delay, dt, p.label, hw.MAX_TOTAL_DELAY_TICKS)
             for p in network.projections if _may_be_long(p, dt)}
    # a projection without long delays needs no ticks here; synaptic_matrices checks its
    # delays when it packs them
    long = {p.id: ticks[p.id] > hw.MAX_DELAY_TICKS if p.id in ticks
            else np.zeros(0, dtype=bool) for p in network.projections}
    sources = sorted({p.pre for p in network.projections if long[p.id].any()})
    if not sources:
        return network
    populations = list(network.populations)
    projections = list(network.projections)
    extensions = []
    for source in sources:
        mine = [p for p in network.projections if p.pre == source and long[p.id].any()]
        stage = {p.id: (ticks[p.id][long[p.id]] - 1) // STAGE for p in mine}
        n_stages = int(max(s.max() for s in stage.values()))
        spec = network.populations[source]
        ext_index = {p.id: p.pre_index[long[p.id]] * n_stages + stage[p.id] - 1 for p in mine}
        sends = np.zeros(spec.size * n_stages, dtype=bool)
        sends[np.concatenate(list(ext_index.values()))] = True
        ext_id, input_id = len(populations), len(projections)
        populations.append(make_population_spec(
            ext_id, f"delay extension of {spec.label}", spec.size * n_stages, "delay_extension",
            {"stage": np.tile(np.arange(1, n_stages + 1), spec.size), "n_stages": n_stages,
             "sends": sends}, {}, {}))
        delayed = np.unique(np.concatenate([p.pre_index[long[p.id]] for p in mine]))
        projections.append(make_projection_spec(
            input_id, f"delay extension input of {spec.label}", source, ext_id, delayed,
            delayed * n_stages, 1.0, dt, 0, "excitatory"))
        for proj in mine:
            keep = ~long[proj.id]
            projections[proj.id] = _subset(proj, keep)
            projections.append(make_projection_spec(
                len(projections), proj.label, ext_id, proj.post, ext_index[proj.id],
                proj.post_index[~keep], proj.weight[~keep],
                (ticks[proj.id][~keep] - stage[proj.id] * STAGE) * dt, proj.synapse_type,
                proj.receptor, proj.dynamics,
                {k: v[~keep] for k, v in proj.dynamics_params.items()}, origin=proj.id))
        extensions.append(DelayExtensionSpec(ext_id, source, n_stages, STAGE, input_id))
    return replace(network, populations=tuple(populations), projections=tuple(projections),
                   delay_extensions=tuple(extensions))


def _may_be_long(proj: ProjectionSpec, dt: float) -> bool:
    """Whether a projection may have a delay above the ring buffer's (cheap: its largest)."""
    return proj.n_synapses > 0 and float(proj.delay.max()) > (hw.MAX_DELAY_TICKS + 0.5) * dt


def _subset(proj: ProjectionSpec, keep: np.ndarray) -> ProjectionSpec:
    """The projection restricted to the synapses in ``keep`` (same id, label, receptor)."""
    return replace(proj, pre_index=_frozen(proj.pre_index[keep]),
                   post_index=_frozen(proj.post_index[keep]), weight=_frozen(proj.weight[keep]),
                   delay=_frozen(proj.delay[keep]),
                   dynamics_params={k: _frozen(v[keep]) for k, v in proj.dynamics_params.items()})


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
