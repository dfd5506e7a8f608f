"""Snapshot the PyNN objects into the frozen IR.

In:  the simulator State (its populations and projections).
Out: (NetworkSpec, {PyNN projection number: IR projection ids}).
Raises: NotSupportedError for a cell type that has no native model.
"""

from __future__ import annotations

from types import MappingProxyType

import numpy as np
from pyNN.recording import Variable

from .errors import NotSupportedError
from .ir import (CurrentSourceSpec, NetworkSpec, _frozen, make_population_spec,
                 make_projection_spec)
from .neuron_models import NATIVE_MODELS


def _population_spec(pop) -> object:
    celltype = pop.celltype
    native = getattr(celltype, "native_model", None)
    if native not in NATIVE_MODELS:
        raise NotSupportedError(f"Population '{pop.label}': cell type "
                                f"{type(celltype).__name__} is not supported by pynn_spinnaker2.")
    model = NATIVE_MODELS[native]
    params = {name: np.asarray(pop._parameters[name], dtype=float) for name in model.parameters}
    initial = {var: pop._initial_arrays()[var] for var in model.state}
    recorded = {}
    for variable, ids in pop.recorder.recorded.items():
        name = variable.name if isinstance(variable, Variable) else str(variable)
        mask = np.zeros(pop.size, dtype=bool)
        if ids:
            mask[np.fromiter(ids, dtype=np.int64) - int(pop.first_id)] = True
        recorded[name] = mask
    trains = None
    if native == "spike_source_array":
        trains = [np.asarray(seq.value, dtype=float) for seq in pop._parameters["spike_times"]]
    return make_population_spec(pop._number, pop.label, pop.size, native, params, initial,
                                recorded, trains)


def to_ir(state) -> tuple[NetworkSpec, dict[int, tuple[int, ...]]]:
    """Freeze every population and projection of the current simulation."""
    populations = tuple(_population_spec(p) for p in state.populations)
    first_ids = np.array([int(p.first_id) for p in state.populations], dtype=np.int64)
    projections, ids_of = [], {}
    for proj in state.projections:
        # cell ids as int64 once per side (all_cells holds ID objects, slow to index)
        pre_ids = np.asarray(proj.pre.all_cells, dtype=np.int64)[proj._pre]
        post_ids = np.asarray(proj.post.all_cells, dtype=np.int64)[proj._post]
        pre_pop, pre_index = _locate(pre_ids, first_ids)
        post_pop, post_index = _locate(post_ids, first_ids)
        ids = []
        pair = pre_pop * len(populations) + post_pop
        pairs = np.unique(pair)
        for combined in pairs:
            sel = pair == combined if len(pairs) > 1 else slice(None)
            a, b = divmod(int(combined), len(populations))
            receptors = NATIVE_MODELS[populations[b].model].receptors
            syn_type = receptors.index(proj.receptor_type)
            dynamics = getattr(proj.synapse_type, "dynamics", "static")
            params = (_tsodyks_markram_params(proj, populations[b], post_index[sel], sel)
                      if dynamics == "tsodyks_markram" else None)
            ids.append(len(projections))
            projections.append(make_projection_spec(
                len(projections), proj.label, a, b, pre_index[sel], post_index[sel],
                proj._weight[sel], proj._delay[sel], syn_type, proj.receptor_type,
                dynamics, params))
        ids_of[proj._number] = tuple(ids)
    sources = []
    for source in state.current_sources:
        pop, index = _locate(source.cell_ids, first_ids)
        sources.append(CurrentSourceSpec(
            source._number, source.kind, MappingProxyType(source.native_values()),
            _frozen(pop), _frozen(index), bool(source.recording)))
    network = NetworkSpec(state.dt, state.config.rng_seed, populations, tuple(projections),
                          current_sources=tuple(sources))
    return network, ids_of


def _tsodyks_markram_params(proj, post_spec, post_index: np.ndarray, sel) -> dict:
    """Per-synapse U, tau_rec, tau_facil, u0, and tau_psc: the post-synaptic current's time
    constant of the receptor (NEST's tsodyks_synapse needs it; pyNN.nest sets it the same way).
    """
    name = {"excitatory": "tau_syn_E", "inhibitory": "tau_syn_I"}[proj.receptor_type]
    if name not in post_spec.params:
        raise NotSupportedError(
            f"Projection '{proj.label}': TsodyksMarkramSynapse needs a post-synaptic model with "
            f"{name}; {post_spec.model} has none.")
    attrs = proj._attributes
    u0 = attrs.get("u", np.zeros(len(proj)))
    return {"U": attrs["U"][sel], "tau_rec": attrs["tau_rec"][sel],
            "tau_facil": attrs["tau_facil"][sel], "u0": np.asarray(u0)[sel],
            "tau_psc": post_spec.params[name][post_index]}


def _locate(ids: np.ndarray, first_ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(population number, index in population) of global cell ids."""
    pop = np.searchsorted(first_ids, ids, side="right") - 1
    return pop, ids - first_ids[pop]
