"""Neuromodulation in the IR (snapshot.py): the rule parameters of a Neuromodulation projection
(its rows are "dopamine" rules, stdp_rules.py), and the neuromodulated STDP of the plastic
projections onto a population that receives one.

In:  PyNN projections (their synapse types and per-synapse attributes), the IR projections.
Out: dynamics parameters; the IR projections with neuromodulated STDP.
Raises: NotSupportedError for parameters that differ between a population's Neuromodulation
     projections, or for a rule other than SpikePairRule with AdditiveWeightDependence onto a
     neuromodulated population.
"""

from __future__ import annotations

import dataclasses
from types import MappingProxyType

import numpy as np

from . import formats
from .errors import NotSupportedError
from .ir import ProjectionSpec, _frozen, _values

SHARED = ("tau_c", "tau_d", "w_min", "w_max")


def dopamine_params(proj, sel) -> dict:
    """A Neuromodulation projection's rule parameters: its kind, sign (+1 reward, -1
    punishment) and SHARED values (one each)."""
    attrs = proj._attributes
    out = {"kind": float(formats.STDP_RULE_KINDS["dopamine"]),
           "sign": 1.0 if proj.receptor_type == "reward" else -1.0,
           "dendritic_delay_fraction": 1.0}
    for name in SHARED:
        values = np.broadcast_to(attrs[name], (len(proj),))[sel]
        if len(values) and np.ptp(values) > 0:
            raise NotSupportedError(
                f"Projection '{proj.label}': Neuromodulation's {name} varies across its "
                "synapses; give one value.")
        out[name] = float(values[0]) if len(values) else float("nan")
    return out


def modulate(projections: list[ProjectionSpec], labels: list[str]) -> list[ProjectionSpec]:
    """The IR projections, the STDP ones onto a population that receives Neuromodulation made
    neuromodulated (kind, tau_c, tau_d, nm_w_min, nm_w_max added to their rule parameters).

    In: the IR projections, the populations' labels.
    """
    shared: dict[int, tuple[tuple[float, ...], str]] = {}
    for proj in projections:
        if proj.dynamics != "neuromodulation" or not proj.n_synapses:
            continue
        values = tuple(float(proj.dynamics_params[k][0]) for k in SHARED)
        other = shared.setdefault(proj.post, (values, proj.label))
        if other[0] != values:
            raise NotSupportedError(
                f"Projections '{other[1]}' and '{proj.label}' give the population "
                f"'{labels[proj.post]}' Neuromodulation with different (tau_c, tau_d, w_min, "
                f"w_max) {other[0]} and {values}; sPyNNaker needs them equal too. Use the same "
                "values.")
    out = []
    for proj in projections:
        if proj.dynamics == "stdp" and proj.post in shared:
            proj = _modulated(proj, shared[proj.post][0], labels)
        out.append(proj)
    return out


def _modulated(proj: ProjectionSpec, values: tuple[float, ...],
               labels: list[str]) -> ProjectionSpec:
    params = dict(proj.dynamics_params)
    if proj.n_synapses and (int(params["kind"][0]) != formats.STDP_RULE_KINDS["pair"]
                            or float(params["mu_plus"][0]) != 0
                            or float(params["mu_minus"][0]) != 0):
        raise NotSupportedError(
            f"Projection '{proj.label}': the population '{labels[proj.post]}' receives "
            "Neuromodulation, which needs its STDP to be SpikePairRule with "
            "AdditiveWeightDependence (as in sPyNNaker). Use those.")
    n = proj.n_synapses
    extra = dict(zip(("tau_c", "tau_d", "nm_w_min", "nm_w_max"), values),
                 kind=float(formats.STDP_RULE_KINDS["neuromodulated"]))
    params.update({k: _frozen(_values(v, n)) for k, v in extra.items()})
    return dataclasses.replace(proj, dynamics_params=MappingProxyType(params))
