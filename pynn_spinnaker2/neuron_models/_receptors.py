"""Post-synaptic responses (PSRs) of composed neuron models: one receptor's kinetics.

Every receptor kind is the same linear two-state system, so that one kernel serves them all::

    x' = -x / tau_rise          (the rise state; zero for exponential responses)
    g' = x - g / tau_decay      (the conductance in uS, or the current in nA)

A spike of weight W adds ``in_g * W`` to g and ``in_x * W`` to x:

* ``curr_exp`` / ``cond_exp`` (PyNN's CurrExp/CondExpPostSynapticResponse): in_g = 1, in_x = 0;
  tau_decay = tau_syn (x stays zero).
* ``cond_alpha``: tau_rise = tau_decay = tau_syn, in_x = e / tau_syn (g peaks at W after
  tau_syn, as NEST's iaf_cond_alpha and aeif_cond_alpha_multisynapse).
* ``cond_beta``: in_x = NEST's beta normalisation (g peaks at W at
  t_peak = tau_d tau_r ln(tau_d / tau_r) / (tau_d - tau_r); the alpha factor when the two
  time constants are equal), as aeif_cond_beta_multisynapse.

Over t in [0, h] the exact solution is g(t) = g0 exp(-t/tau_decay) + x0 P(t) with
P(t) = (exp(-t/tau_d) - exp(-t/tau_r)) / (1/tau_r - 1/tau_d) (t exp(-t/tau) when equal), so
that every propagator, tick mean and tick moment is a host constant times g0 plus one times x0.

In:  per-neuron parameters of one receptor (PyNN names, PyNN units), the step.
Out: float64 constants; ``receptor_block`` and ``reversal_block`` put them (float32) into a
     composed model's neuron block, ``update_receptors`` advances them by one tick.
Raises: ParameterRangeError for a time constant that is not > 0.
"""

from __future__ import annotations

import numpy as np

from ..errors import ParameterRangeError
from .base import Block, f32
from .if_cond_exp import decay_moments

# PSR kind -> its PyNN parameters (besides "locations"), its state variable, conductance-based
KINDS: dict[str, tuple[tuple[str, ...], str, bool]] = {
    "curr_exp": (("tau_syn",), "isyn", False),
    "cond_exp": (("tau_syn", "e_syn"), "gsyn", True),
    "cond_alpha": (("tau_syn", "e_syn"), "gsyn", True),
    "cond_beta": (("tau_rise", "tau_decay", "e_syn"), "gsyn", True),
}
_SAME = 1e-9   # relative difference below which tau_rise and tau_decay count as equal


def time_constants(kind: str, params) -> tuple[np.ndarray, np.ndarray]:
    """(tau_rise, tau_decay) in ms, float64; for exponential kinds tau_rise = tau_decay."""
    names = ("tau_rise", "tau_decay") if kind == "cond_beta" else ("tau_syn", "tau_syn")
    out = []
    for name in names:
        tau = np.asarray(params[name], dtype=np.float64)
        if np.any(tau <= 0):
            raise ParameterRangeError(f"parameter {name} of a {kind} receptor must be > 0")
        out.append(tau)
    return out[0], out[1]


def input_factors(kind: str, tau_rise: np.ndarray,
                  tau_decay: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(in_g, in_x): what a spike of weight 1 adds to g and to x."""
    one, zero = np.ones_like(tau_decay), np.zeros_like(tau_decay)
    if kind in ("curr_exp", "cond_exp"):
        return one, zero
    same = np.abs(tau_decay - tau_rise) <= _SAME * tau_decay
    safe_rise = np.where(same, tau_decay * 0.5, tau_rise)   # any other value: masked below
    t_peak = tau_decay * safe_rise * np.log(tau_decay / safe_rise) / (tau_decay - safe_rise)
    peak = np.exp(-t_peak / tau_decay) - np.exp(-t_peak / safe_rise)
    beta = (1.0 / safe_rise - 1.0 / tau_decay) / np.where(same, 1.0, peak)
    return zero, np.where(same, np.e / tau_decay, beta)


def _profile_moments(tau_rise, tau_decay, h: float) -> tuple[np.ndarray, ...]:
    """int_0^h t^k P(t) dt for k = 0, 1 (the x0 coefficients)."""
    same = np.abs(tau_decay - tau_rise) <= _SAME * tau_decay
    safe_rise = np.where(same, tau_decay * 0.5, tau_rise)
    d0, d1, d2 = decay_moments(tau_decay, h)
    r0, r1, _ = decay_moments(safe_rise, h)
    k = 1.0 / safe_rise - 1.0 / tau_decay
    return np.where(same, d1, (d0 - r0) / k), np.where(same, d2, (d1 - r1) / k)


def profile(tau_rise, tau_decay, t: float) -> np.ndarray:
    """P(t): g at t from x0 = 1, g0 = 0."""
    same = np.abs(tau_decay - tau_rise) <= _SAME * tau_decay
    safe_rise = np.where(same, tau_decay * 0.5, tau_rise)
    general = ((np.exp(-t / tau_decay) - np.exp(-t / safe_rise))
               / (1.0 / safe_rise - 1.0 / tau_decay))
    return np.where(same, t * np.exp(-t / tau_decay), general)


def propagators(tau_rise, tau_decay, h: float) -> dict[str, np.ndarray]:
    """Exact step of length h: g <- decay_g g + x_to_g x; x <- decay_x x."""
    return {"decay_g": np.exp(-h / tau_decay), "decay_x": np.exp(-h / tau_rise),
            "x_to_g": profile(tau_rise, tau_decay, h)}


def tick_means_and_moments(tau_rise, tau_decay, h: float) -> dict[str, np.ndarray]:
    """Coefficients of g0 and x0 in the tick mean (1/h) int g dt and in the first moment about
    the middle of the tick, int (t - h/2) g dt (not yet divided by C h)."""
    g0, g1, _ = decay_moments(tau_decay, h)
    p0, p1 = _profile_moments(tau_rise, tau_decay, h)
    return {"mean_g": g0 / h, "mean_x": p0 / h,
            "moment_g": g1 - 0.5 * h * g0, "moment_x": p1 - 0.5 * h * p0}


# --- the receptors' part of a composed model's neuron block (formats.md) ---

def receptor_block(receptors: list[tuple[str, str]], params, initial, dt: float) -> Block:
    """Per receptor r: its state g_r (and x_r for rising kinds) and the per-tick propagators.

    Exponential kinds have no x state: their kernels skip the rise terms.
    """
    block = {}
    for r, (name, kind) in enumerate(receptors):
        sub = {p: params[f"{name}.{p}"] for p in KINDS[kind][0]}
        tau_rise, tau_decay = time_constants(kind, sub)
        prop = propagators(tau_rise, tau_decay, dt)
        block[f"g_{r}"] = f32(initial[f"{name}.{KINDS[kind][1]}"])
        block[f"decay_g_{r}"] = f32(prop["decay_g"])
        if rises(kind):
            in_g, in_x = input_factors(kind, tau_rise, tau_decay)
            block[f"x_{r}"] = np.zeros(np.shape(tau_decay), dtype=np.float32)
            block[f"decay_x_{r}"] = f32(prop["decay_x"])
            block[f"x_to_g_{r}"] = f32(prop["x_to_g"])
            block[f"in_x_{r}"] = f32(in_x)
    return block


def rises(kind: str) -> bool:
    """Has a rise state x (alpha, beta)."""
    return kind in ("cond_alpha", "cond_beta")


def update_receptors(b: Block, receptors: list[tuple[str, str]], inputs: np.ndarray) -> None:
    """Exact propagation of every receptor over the tick, then the tick's input (in place)."""
    for r, (_, kind) in enumerate(receptors):
        g = b[f"g_{r}"]
        g *= b[f"decay_g_{r}"]
        if rises(kind):
            x = b[f"x_{r}"]
            g += b[f"x_to_g_{r}"] * x
            x *= b[f"decay_x_{r}"]
            x += b[f"in_x_{r}"] * inputs[r]
        else:
            g += inputs[r]


def receptor_state_keys(receptors: list[tuple[str, str]]) -> tuple[str, ...]:
    keys = []
    for r, (_, kind) in enumerate(receptors):
        keys += [f"g_{r}", f"x_{r}"] if rises(kind) else [f"g_{r}"]
    return tuple(keys)


def reversal_block(receptors, params, reference: np.ndarray) -> Block:
    """e_rel_r = e_syn - reference for each conductance-based receptor."""
    return {f"e_rel_{r}": f32(np.asarray(params[f"{name}.e_syn"], dtype=np.float64) - reference)
            for r, (name, kind) in enumerate(receptors) if KINDS[kind][2]}
