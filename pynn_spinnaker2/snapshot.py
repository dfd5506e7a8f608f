"""Snapshot the PyNN objects into the frozen IR.

In:  the simulator State (its populations and projections).
Out: (NetworkSpec, {PyNN projection number: IR projection ids}).
Raises: NotSupportedError for a cell type that has no native model.
"""

from __future__ import annotations

from types import MappingProxyType

import numpy as np
from pyNN import common
from pyNN.recording import Variable

from . import formats
from .errors import NotSupportedError, ParameterRangeError
from .ir import (CurrentSourceSpec, NetworkSpec, _frozen, make_population_spec,
                 make_projection_spec)
from .parallel.ownership import connection_positions
from .neuromodulation_params import dopamine_params, modulate
from .neuron_models import NATIVE_MODELS
from .spinnaker1.conventions import neurons_per_core_of, recorded_name
from .stochastic_params import STOCHASTIC, stochastic_params


def _population_spec(pop) -> object:
    celltype = pop.celltype
    native = getattr(celltype, "native_model", None)
    if native not in NATIVE_MODELS:
        raise NotSupportedError(f"Population '{pop.label}': cell type "
                                f"{type(celltype).__name__} is not supported by pynn_spinnaker2.")
    model = NATIVE_MODELS[native]
    params = model.parameter_arrays(pop._parameters)
    initial = {var: pop._initial_arrays()[var] for var in model.state}
    recorded = {}
    for variable, ids in pop.recorder.recorded.items():
        name = variable.name if isinstance(variable, Variable) else str(variable)
        name = recorded_name(celltype, name)           # sPyNNaker mode's gsyn aliases
        mask = np.zeros(pop.size, dtype=bool)
        if ids:
            mask[np.fromiter(ids, dtype=np.int64) - int(pop.first_id)] = True
        recorded[name] = mask
    trains = None
    if native == "spike_source_array":
        trains = [np.asarray(seq.value, dtype=float) for seq in pop._parameters["spike_times"]]
    return make_population_spec(pop._number, pop.label, pop.size, native, params, initial,
                                recorded, trains, neurons_per_core_of(pop),
                                pop.recorder.sample_every)


def to_ir(state) -> tuple[NetworkSpec, dict[int, tuple[int, ...]], dict[int, np.ndarray]]:
    """Freeze every population and projection of the current simulation.

    Out: the NetworkSpec; per PyNN projection number, its IR projection ids (one per pair of
    populations it connects); per IR projection with STDP, the positions of its synapses in its
    PyNN projection (to write learned weights back).
    """
    populations = tuple(_population_spec(p) for p in state.populations)
    first_ids = np.array([int(p.first_id) for p in state.populations], dtype=np.int64)
    projections, ids_of, positions, bounds, senders = [], {}, {}, [], []
    for proj in state.projections:
        if getattr(proj.synapse_type, "structural", False):   # rewired by structural/
            ids_of[proj._number] = ()
            senders.extend(np.unique(np.atleast_1d(_endpoints(proj.pre, proj._pre,
                                                              first_ids)[0])).tolist())
            post = getattr(proj.post, "_number", None)
            receptors = NATIVE_MODELS[populations[post].model].receptors if post is not None \
                else ()
            if proj.receptor_type in receptors:
                bounds.append((post, receptors.index(proj.receptor_type),
                               proj.synapse_type.largest_weight(proj._weight)))
            continue
        pre_pop, pre_index = _endpoints(proj.pre, proj._pre, first_ids)
        post_pop, post_index = _endpoints(proj.post, proj._post, first_ids)
        ids = []
        if np.ndim(pre_pop) == 0 and np.ndim(post_pop) == 0:   # population to population
            pairs, pair = [int(pre_pop) * len(populations) + int(post_pop)], None
        else:
            pair = (np.broadcast_to(pre_pop, len(proj)).astype(np.int64) * len(populations)
                    + np.broadcast_to(post_pop, len(proj)))
            pairs = np.unique(pair)
        for combined in pairs:
            sel = pair == combined if len(pairs) > 1 else slice(None)
            a, b = divmod(int(combined), len(populations))
            receptors = NATIVE_MODELS[populations[b].model].receptors
            dynamics = getattr(proj.synapse_type, "dynamics", "static")
            # Neuromodulation's own receptors feed the dopamine, not a synapse type
            syn_type = 0 if dynamics == "neuromodulation" else receptors.index(
                proj.receptor_type)
            params = (_tsodyks_markram_params(proj, populations[b], post_index[sel], sel)
                      if dynamics == "tsodyks_markram" else
                      _stdp_params(proj, sel, state.dt) if dynamics == "stdp" else
                      dopamine_params(proj, sel) if dynamics == "neuromodulation" else
                      stochastic_params(proj, dynamics, sel) if dynamics in STOCHASTIC else None)
            ids.append(len(projections))
            if dynamics == "stdp":
                positions[len(projections)] = np.arange(len(proj))[sel]
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
    projections = modulate(projections, [p.label for p in populations])
    network = NetworkSpec(state.dt, state.config.rng_seed, populations, tuple(projections),
                          current_sources=tuple(sources), weight_bounds=tuple(bounds),
                          keep_sending=tuple(sorted(set(senders))))
    return network, ids_of, positions


def _tsodyks_markram_params(proj, post_spec, post_index: np.ndarray, sel) -> dict:
    """Per-synapse U, tau_rec, tau_facil, u0, and tau_psc: the post-synaptic current's time
    constant of the receptor (NEST's tsodyks_synapse needs it; pyNN.nest sets it the same way).
    """
    name = {"excitatory": "tau_syn_E", "inhibitory": "tau_syn_I"}.get(
        proj.receptor_type, f"{proj.receptor_type}.tau_syn")    # composed models' receptors
    if name not in post_spec.params:
        raise NotSupportedError(
            f"Projection '{proj.label}': TsodyksMarkramSynapse needs a post-synaptic model with "
            f"{name}; {post_spec.model} has none.")
    attrs = proj._attributes
    u0 = attrs.get("u", np.zeros(len(proj)))
    return {"U": attrs["U"][sel], "tau_rec": attrs["tau_rec"][sel],
            "tau_facil": attrs["tau_facil"][sel], "u0": np.asarray(u0)[sel],
            "tau_psc": post_spec.params[name][post_index]}


# the pair rule's; every STDP synapse type lists its own (``rule_parameters``, stdp_rules.py)
STDP_RULE_PARAMETERS = ("tau_plus", "tau_minus", "A_plus", "A_minus", "w_min", "w_max",
                        "mu_plus", "mu_minus", "dendritic_delay_fraction")


def _declared(proj, name: str) -> float:
    """A rule parameter as the synapse type declares it (for a projection without synapses):
    its single value, or NaN when it is random (no synapse carries it, nothing to check)."""
    extra = proj.synapse_type.weight_dependence.extra_parameters
    if name in extra:
        return float(extra[name])
    value = proj.synapse_type.parameter_space[name]
    return float(value.base_value) if value.is_homogeneous else float("nan")


def _stdp_params(proj, sel, dt: float) -> dict:
    """The STDP rule's parameters of a projection, one value each (the PE keeps one rule per
    projection).

    Raises: NotSupportedError for a parameter that varies across the projection, a
    dendritic_delay_fraction below 0.5 or a negative w_min; ParameterRangeError for a weight
    outside [w_min, w_max].
    """
    # fixed exponents of a weight dependence are not per-synapse attributes
    attrs = {**proj.synapse_type.weight_dependence.extra_parameters, **proj._attributes}
    rule = {"kind": float(formats.STDP_RULE_KINDS[proj.synapse_type.rule_kind])}
    for name in proj.synapse_type.rule_parameters:
        values = np.broadcast_to(attrs[name], (len(proj),))[sel]
        if len(values) and np.ptp(values) > 0:
            raise NotSupportedError(
                f"Projection '{proj.label}': the STDP parameter {name} varies across its "
                "synapses; the PE holds one rule per projection. Use one value, or split the "
                "projection.")
        rule[name] = float(values[0]) if len(values) else _declared(proj, name)
    if proj.synapse_type.rule_kind == "recurrent":
        # the time step (its windows are in ticks) and each synapse's random stream, as the
        # stochastic synapses' (stochastic_params.py)
        rule["dt"] = float(dt)
        rule["stream"] = (np.float64(proj._number) * 2.0 ** 32
                          + connection_positions(proj).astype(np.float64)[sel])
    if rule["dendritic_delay_fraction"] < 0.5:
        raise NotSupportedError(
            f"Projection '{proj.label}': dendritic_delay_fraction "
            f"{rule['dendritic_delay_fraction']:g} is not supported: the PE applies the rule "
            "when the pre-synaptic spike's row is fetched, so the post-synaptic spikes it pairs "
            "with must be known by then. Use a fraction from 0.5 to 1 (NEST supports only 1).")
    if rule["w_min"] < 0 or rule["w_max"] < rule["w_min"]:
        raise NotSupportedError(
            f"Projection '{proj.label}': the STDP bounds must satisfy 0 <= w_min <= w_max "
            f"(got w_min={rule['w_min']:g}, w_max={rule['w_max']:g}); the rule acts on the "
            "weight's magnitude, so give inhibitory bounds as positive numbers.")
    magnitude = np.abs(proj._weight[sel])
    outside = (magnitude < rule["w_min"] - 1e-12) | (magnitude > rule["w_max"] + 1e-12)
    if outside.any():
        raise ParameterRangeError(
            f"Projection '{proj.label}': weight {float(proj._weight[sel][outside][0]):g} is "
            f"outside the STDP rule's bounds [{rule['w_min']:g}, {rule['w_max']:g}]. Give "
            "initial weights within the bounds.")
    return rule


def _endpoints(cells, index: np.ndarray, first_ids: np.ndarray) -> tuple:
    """(population number, index in population) of a projection side's connections: for a
    Population, its number and the projection's own index array (no copy); for a view or an
    assembly, arrays."""
    if isinstance(cells, common.Population):
        return cells._number, index
    # cell ids as int64 once per side (all_cells holds ID objects, slow to index)
    pop, local = _locate(np.asarray(cells.all_cells, dtype=np.int64)[index], first_ids)
    return pop, local.astype(np.int32)


def _locate(ids: np.ndarray, first_ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(population number, index in population) of global cell ids."""
    pop = np.searchsorted(first_ids, ids, side="right") - 1
    return pop, ids - first_ids[pop]
