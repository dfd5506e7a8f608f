"""Snapshot of the stochastic synapse types' parameters (SimpleStochasticSynapse,
StochasticTsodyksMarkramSynapse, MultiQuantalSynapse) into IR dynamics parameters.

In:  a PyNN projection of this backend, its dynamics name, the selection of its synapses that
     goes into one IR projection.
Out: per-synapse arrays: the synapse's parameters, its initial state and ``stream`` (the
     PyNN projection's number · 2**32 + the synapse's position in it: its random stream, the
     same whatever the mapping).
Raises: ParameterRangeError naming the projection for a parameter outside the model's range.

Initial state as pyNN.nest leaves it in NEST 3.10: StochasticTsodyksMarkramSynapse u = 0
(PyNN's default initial value is not defined; the extension's default), recovered;
MultiQuantalSynapse u = 0.5 and a = 1 (quantal_stp_synapse's defaults, which pyNN.nest does not
change: ``Projection.initialize(u=..., a=...)`` sets them, as PyNN's example does).
"""

from __future__ import annotations

import numpy as np

from .errors import ParameterRangeError
from .parallel.ownership import connection_positions

STOCHASTIC = ("bernoulli", "stochastic_tsodyks_markram", "quantal")
MAX_SITES = 0xFFFF          # n and a share one 32-bit word of the record


def stochastic_params(proj, dynamics: str, sel) -> dict:
    """The IR dynamics parameters of one IR projection (see the module docstring)."""
    attrs = proj._attributes
    n = len(proj)

    def values(name: str, default: float | None = None) -> np.ndarray:
        value = attrs.get(name, default)
        return np.broadcast_to(np.asarray(value, dtype=np.float64), (n,))[sel]

    # the position in the projection's one-process order, whatever rank holds the synapse
    position = connection_positions(proj).astype(np.float64)
    out = {"stream": np.float64(proj._number) * 2.0 ** 32 + position[sel]}
    if dynamics == "bernoulli":
        out["p"] = _within(proj, "p", values("p"), 0.0, 1.0)
        return out
    out["U"] = _within(proj, "U", values("U"), 0.0, 1.0)
    out["tau_rec"] = _positive(proj, "tau_rec", values("tau_rec"))
    out["tau_facil"] = _within(proj, "tau_facil", values("tau_facil"), 0.0, np.inf)
    if dynamics == "stochastic_tsodyks_markram":
        out["u0"] = _within(proj, "u", values("u", 0.0), 0.0, 1.0)
        return out
    out["n"] = _sites(proj, "n", values("n"), 1)
    out["u0"] = _within(proj, "u", values("u", 0.5), 0.0, 1.0)
    out["a0"] = _sites(proj, "a", values("a", 1.0), 0)
    if np.any(out["a0"] > out["n"]):
        raise ParameterRangeError(
            f"Projection '{proj.label}': MultiQuantalSynapse has more available sites a than "
            "sites n. Initialize a to at most n.")
    return out


def _within(proj, name: str, value: np.ndarray, lo: float, hi: float) -> np.ndarray:
    bad = (value < lo) | (value > hi) | np.isnan(value)
    if bad.any():
        raise ParameterRangeError(
            f"Projection '{proj.label}': {type(proj.synapse_type).__name__} {name} = "
            f"{float(value[bad][0]):g} is outside [{lo:g}, {hi:g}]. Give values within it.")
    return value


def _positive(proj, name: str, value: np.ndarray) -> np.ndarray:
    if np.any(~(value > 0)):
        raise ParameterRangeError(
            f"Projection '{proj.label}': {type(proj.synapse_type).__name__} {name} must be "
            f"> 0 (got {float(value[~(value > 0)][0]):g} ms). Give a positive time constant.")
    return value


def _sites(proj, name: str, value: np.ndarray, lo: int) -> np.ndarray:
    bad = (value != np.round(value)) | (value < lo) | (value > MAX_SITES)
    if bad.any():
        raise ParameterRangeError(
            f"Projection '{proj.label}': MultiQuantalSynapse {name} = {float(value[bad][0]):g} "
            f"must be a whole number from {lo} to {MAX_SITES}.")
    return value
