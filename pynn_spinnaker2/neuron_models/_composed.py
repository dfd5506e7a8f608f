"""Composed neuron models (PyNN's ``PointNeuron(neuron, **receptors)``) as native models.

A composed model is named by its composition, ``point_neuron:<membrane>:<name>=<kind>,...``
(receptors in PyNN's order: sorted by name), e.g.
``point_neuron:lif:AMPA=cond_exp,GABAA=cond_alpha``. The registry (``__init__.py``) builds the
NativeModel from the name on first use, so every stage that looks a model up by name (mapping,
emulator, reference simulator) handles any composition. Populations with the same composition
share one model, and so one kernel call per tick.

Membranes: ``lif`` (_composed_lif.py), ``adexp`` (_composed_adex.py), ``izhikevich``
(_composed_izh.py). Receptor kinds: _receptors.KINDS. Receptor r is synapse type r of the
synapse word; its per-neuron parameters are ``<name>.<parameter>`` (e.g. ``AMPA.tau_syn``) and its
state ``<name>.gsyn`` (uS) or ``<name>.isyn`` (nA), as PyNN names them.

In:  a model name (``model_for``) or a membrane and receptors (``model_name``).
Out: a NativeModel.
Raises: NotSupportedError for more receptors than the synapse-type field holds, for mixing
current- and conductance-based receptors, or for an unknown membrane or kind.
"""

from __future__ import annotations

from functools import partial

import numpy as np
from pyNN.standardmodels.base import inhibitory_receptor_types

from ..errors import NotSupportedError
from ..formats import TYPE_BITS
from . import _composed_adex, _composed_izh, _composed_lif
from .base import Block, NativeModel
from ._receptors import KINDS, receptor_state_keys

MEMBRANES = {"lif": _composed_lif, "adexp": _composed_adex, "izhikevich": _composed_izh}

PREFIX = "point_neuron"
MAX_COMPOSED_RECEPTORS = 1 << TYPE_BITS   # the synapse word's synapse-type field


def model_name(membrane: str, receptors: dict[str, str]) -> str:
    """The registry name of a composition. receptors: name -> kind (any order).

    Raises: NotSupportedError (see the module docstring).
    """
    names = sorted(receptors)
    check(membrane, [(n, receptors[n]) for n in names])
    return f"{PREFIX}:{membrane}:" + ",".join(f"{n}={receptors[n]}" for n in names)


def check(membrane: str, receptors: list[tuple[str, str]]):
    """In: a membrane name and (receptor name, kind) pairs. Out: the membrane's module.

    Raises: NotSupportedError (see the module docstring).
    """
    if membrane not in MEMBRANES:
        raise NotSupportedError(f"composed neuron models need a LIF, AdExp or Izhikevich neuron "
                                f"component, not '{membrane}'")
    if not receptors:
        raise NotSupportedError("a PointNeuron needs at least one post-synaptic response")
    if len(receptors) > MAX_COMPOSED_RECEPTORS:
        raise NotSupportedError(
            f"a PointNeuron with {len(receptors)} receptor types "
            f"({', '.join(n for n, _ in receptors)}) is not supported: the synapse word's "
            f"{TYPE_BITS}-bit synapse-type field holds at most {MAX_COMPOSED_RECEPTORS}. Merge "
            "receptors that share their time constants and reversal potential.")
    unknown = [k for _, k in receptors if k not in KINDS]
    if unknown:
        raise NotSupportedError(f"unknown post-synaptic response kind(s) {unknown}; "
                                f"supported: {', '.join(KINDS)}")
    if len({KINDS[k][2] for _, k in receptors}) > 1:
        raise NotSupportedError(
            "a PointNeuron cannot mix current-based and conductance-based post-synaptic "
            f"responses ({', '.join(f'{n}={k}' for n, k in receptors)}), as in PyNN; use one "
            "family for all its receptors.")
    return MEMBRANES[membrane]


def parse(name: str) -> tuple[str, list[tuple[str, str]]]:
    """(membrane, [(receptor name, kind), ...]) of a composed model name.

    Raises: KeyError when ``name`` is not a composed model name.
    """
    if not isinstance(name, str):
        raise KeyError(name)
    parts = name.split(":")
    if len(parts) != 3 or parts[0] != PREFIX or not parts[2]:
        raise KeyError(name)
    receptors = [tuple(item.split("=", 1)) for item in parts[2].split(",")]
    if any(len(r) != 2 for r in receptors):
        raise KeyError(name)
    return parts[1], receptors


def receptor_sign(name: str, kind: str) -> int:
    """PyNN's convention: a current-based receptor named as inhibitory (GABAA, inhibitory, ...)
    takes negative weights; every other receptor positive ones."""
    return -1 if not KINDS[kind][2] and name in inhibitory_receptor_types else 1


def _read(membrane_read, receptors, block: Block, variable: str) -> np.ndarray:
    if "." in variable:
        name = variable.split(".", 1)[0]
        r = [n for n, _ in receptors].index(name)
        return block[f"g_{r}"]
    return membrane_read(block, variable)


def model_for(name: str) -> NativeModel:
    """The NativeModel of a composed model name.

    Raises: KeyError for a name that is not a composed model; NotSupportedError (check()).
    """
    membrane, receptors = parse(name)
    module = check(membrane, receptors)
    params = tuple(module.PARAMETERS) + tuple(
        f"{n}.{p}" for n, k in receptors for p in KINDS[k][0])
    state_vars = tuple(f"{n}.{KINDS[k][1]}" for n, k in receptors)
    return NativeModel(
        name=name, pynn_class=None, kind="neuron", parameters=params,
        state=tuple(module.STATE) + state_vars,
        recordable=tuple(module.RECORDABLE) + state_vars,
        receptors=tuple(n for n, _ in receptors),
        receptor_signs=tuple(receptor_sign(n, k) for n, k in receptors),
        build_block=partial(module.build_block, receptors),
        step=partial(module.step, receptors),
        read=partial(_read, module.read, receptors),
        state_keys=tuple(module.STATE_KEYS) + receptor_state_keys(receptors),
        injection=module.INJECTION)
