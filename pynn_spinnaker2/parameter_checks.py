"""Each model's parameter ranges, checked when a Population or Projection is made or set().

In:  the PyNN object (for its label and type) and its evaluated parameter arrays (native names,
     which are PyNN's for this backend's standard models), one value per neuron or synapse.
Out: nothing.
Raises: InvalidParameterValueError (ours, also PyNN's) naming the object, the parameter, the
     first offending value (and its neuron or synapse) and the allowed range.

The ranges are NEST 3.10's (what its models refuse: time constants and capacitances > 0,
refractory times >= 0, v_reset < v_thresh for the integrate-and-fire models, U in [0, 1],
tau_rec > 0, tau_facil >= 0, rates >= 0, ...), plus a few the PE programs need (STDP time
constants > 0, HH conductances >= 0, a whole gamma order); the neuron models check them again
when compiled. Composed PointNeuron parameters ("AMPA.tau_syn") are checked by their last name.
"""

from __future__ import annotations

import functools

import numpy as np
from pyNN.standardmodels.cells import PointNeuron

from .errors import InvalidParameterValueError, SpiNNaker2Error

# kind -> (test that holds for an allowed value, the range as text)
_KINDS = {
    ">0": (lambda v: v > 0, "> 0"),
    ">=0": (lambda v: v >= 0, ">= 0"),
    "[0,1]": (lambda v: (v >= 0) & (v <= 1), "in [0, 1]"),
    "int>=1": (lambda v: (v >= 1) & (v == np.round(v)), "a whole number >= 1"),
}
_LIF = {"cm": ">0", "tau_m": ">0", "tau_refrac": ">=0", "tau_syn_E": ">0", "tau_syn_I": ">0"}
_ADEX = {**_LIF, "tau_w": ">0", "delta_T": ">=0"}
_TIMES = {"start": ">=0", "duration": ">=0"}
CELL_RANGES = {
    "IF_curr_exp": _LIF, "IF_curr_alpha": _LIF, "IF_cond_exp": _LIF, "IF_cond_alpha": _LIF,
    "IF_curr_delta": {k: v for k, v in _LIF.items() if not k.startswith("tau_syn")},
    "EIF_cond_exp_isfa_ista": _ADEX, "EIF_cond_alpha_isfa_ista": _ADEX,
    "HH_cond_exp": {"cm": ">0", "tau_syn_E": ">0", "tau_syn_I": ">0", "gbar_Na": ">=0",
                    "gbar_K": ">=0", "g_leak": ">=0"},
    "SpikeSourcePoisson": {"rate": ">=0", **_TIMES},
    "SpikeSourcePoissonRefractory": {"rate": ">=0", "tau_refrac": ">=0", **_TIMES},
    "SpikeSourceGamma": {"alpha": "int>=1", "beta": ">=0", **_TIMES},
}
# (lower, upper): lower < upper for every neuron (NEST's "reset potential must be smaller than
# threshold"; for AdEx, v_reset < v_spike and v_thresh <= v_spike)
_BELOW = (("v_reset", "v_thresh", "<"),)
CELL_ORDER = {
    **{name: _BELOW for name in ("IF_curr_exp", "IF_curr_alpha", "IF_cond_exp", "IF_cond_alpha",
                                 "IF_curr_delta")},
    "EIF_cond_exp_isfa_ista": (("v_reset", "v_spike", "<"), ("v_thresh", "v_spike", "<=")),
    "EIF_cond_alpha_isfa_ista": (("v_reset", "v_spike", "<"), ("v_thresh", "v_spike", "<=")),
}
# sPyNNaker's extra neuron models (extra_models/neurons.py)
CELL_RANGES.update({
    "IF_curr_dual_exp": {**_LIF, "tau_syn_E2": ">0"},
    "IFCurDelta": CELL_RANGES["IF_curr_delta"],
    "Izhikevich_cond": {"tau_syn_E": ">0", "tau_syn_I": ">0"},
    "IFCurrExpCa2Adaptive": {**_LIF, "tau_ca2": ">0"},
    "IFCondExpStoc": {**_LIF, "du_th": ">0", "tau_th": ">0"},   # v_reset > v_thresh allowed
    "IF_curr_exp_sEMD": {**_LIF, "tau_syn_E2": ">0"},
})
CELL_ORDER.update({name: _BELOW for name in ("IF_curr_dual_exp", "IFCurDelta",
                                              "IFCurrExpCa2Adaptive", "IF_curr_exp_sEMD")})
# a composed PointNeuron's parameters, by the last part of their name
COMPOSED_RANGES = {"cm": ">0", "tau_m": ">0", "tau_refrac": ">=0", "tau_w": ">0",
                   "delta_T": ">=0", "tau_syn": ">0", "tau_rise": ">0", "tau_decay": ">0"}
_TM = {"U": "[0,1]", "tau_rec": ">0", "tau_facil": ">=0"}
SYNAPSE_RANGES = {
    "TsodyksMarkramSynapse": _TM, "StochasticTsodyksMarkramSynapse": _TM,
    "MultiQuantalSynapse": {**_TM, "n": "int>=1"},
    "SimpleStochasticSynapse": {"p": "[0,1]"},
    "STDPMechanism": {"tau_plus": ">0", "tau_minus": ">0", "w_min": ">=0", "w_max": ">=0",
                      "dendritic_delay_fraction": "[0,1]"},
}


def _numbers(values) -> np.ndarray | None:
    """A float view of numeric values (a broadcast scalar as one value), None otherwise."""
    array = np.asarray(values)
    if array.dtype.kind not in "fiub":
        return None
    if array.ndim == 1 and len(array) > 1 and array.strides[0] == 0:
        array = array[:1]
    return array.astype(float, copy=False).reshape(-1)


def _first_outside(values, kind: str) -> tuple[int, float] | None:
    array = _numbers(values)
    if array is None or not array.size:
        return None
    with np.errstate(invalid="ignore"):
        bad = ~_KINDS[kind][0](array) & np.isfinite(array)
    if not bad.any():
        return None
    index = int(np.flatnonzero(bad)[0])
    return index, float(array[index])


def _where(what: str, index: int) -> str:
    return f" for {what} {index}" if what else ""


def check_ranges(owner: str, model: str, ranges: dict[str, str], values: dict,
                 what: str = "neuron") -> None:
    """Raises: InvalidParameterValueError for the first value of ``values`` outside its range.

    In: the object's description ("Population 'cells'"), the model's name, {name: kind}, the
    values by name, what one value belongs to ("neuron", "synapse").
    """
    for name, array in values.items():
        kind = ranges.get(name, ranges.get(name.rsplit(".", 1)[-1]) if "." in name else None)
        if kind is None:
            continue
        found = _first_outside(array, kind)
        if found is not None:
            index, value = found
            allowed = _KINDS[kind][1]
            raise InvalidParameterValueError(
                f"{owner}: {name} = {value:g}{_where(what, index)} is outside the range "
                f"{model} allows ({name} {allowed}). Give {name} {allowed}.")


def check_order(owner: str, model: str, pairs, values: dict) -> None:
    """Raises: InvalidParameterValueError for the first neuron whose (lower, upper) pair of
    ``pairs`` is out of order (``values`` must hold both parameters of each pair)."""
    for lower, upper, relation in pairs:
        if lower not in values or upper not in values:
            continue
        a, b = _numbers(values[lower]), _numbers(values[upper])
        if a is None or b is None:
            continue
        a, b = np.broadcast_arrays(a, b)
        bad = (a >= b) if relation == "<" else (a > b)
        if bad.any():
            index = int(np.flatnonzero(bad)[0])
            raise InvalidParameterValueError(
                f"{owner}: {lower} = {a[index]:g} and {upper} = {b[index]:g} for neuron {index}; "
                f"{model} needs {lower} {relation} {upper} (NEST refuses it otherwise). "
                f"Give a {lower} {relation} {upper}.")


def check_cells(population, values: dict, merged: dict | None = None) -> None:
    """Ranges of a Population's (or view's) new parameter values.

    In: the Population or PopulationView, the new values by native name, and every parameter
    as it would be after the change (for the checks between two parameters; ``values`` when
    None).
    Raises: InvalidParameterValueError naming the population.
    """
    celltype = population.celltype
    model = type(celltype).__name__
    owner = f"Population '{population.label}'"
    merged = merged if merged is not None else values
    if isinstance(celltype, PointNeuron):
        ranges = COMPOSED_RANGES
        pairs = CELL_ORDER["EIF_cond_exp_isfa_ista"] if "v_spike" in merged else _BELOW
    elif model in CELL_RANGES or model in CELL_ORDER:
        ranges, pairs = CELL_RANGES.get(model, {}), CELL_ORDER.get(model, ())
    else:
        return
    check_ranges(owner, model, ranges, values)
    if any(lo in values or hi in values for lo, hi, _ in pairs):
        check_order(owner, model, pairs, merged)


def check_synapses(projection, name: str, values) -> None:
    """Range of one synapse parameter of a Projection (weights and delays are checked
    elsewhere).

    Raises: InvalidParameterValueError naming the projection.
    """
    model = type(projection.synapse_type).__name__
    for base, ranges in SYNAPSE_RANGES.items():
        if model == base or any(c.__name__ == base for c in type(projection.synapse_type).__mro__):
            check_ranges(f"Projection '{projection.label}'", base, ranges, {name: values},
                         what="synapse")


def checked_init(init):
    """A model class's ``__init__`` whose errors on values PyNN's parameter spaces cannot hold
    (a string, a dict, inf where an int belongs) are our InvalidParameterValueError."""
    @functools.wraps(init)
    def __init__(self, *args, **kwargs):
        try:
            init(self, *args, **kwargs)
        except (ValueError, TypeError, OverflowError, KeyError, IndexError,
                AssertionError) as err:
            if isinstance(err, SpiNNaker2Error) or any(
                    c.__module__ == "pyNN.errors" for c in type(err).__mro__):
                raise
            raise InvalidParameterValueError(
                f"{type(self).__name__}({', '.join(kwargs)}=...): a value cannot be used "
                f"({type(err).__name__}: {err}); give numbers, one per neuron or synapse, or "
                "a RandomDistribution (spike times as a list or Sequence of numbers).") from err
    return __init__
