"""Shared kernel of the adaptive exponential integrate-and-fire models (EIF_cond_*_isfa_ista).

NEST's aeif_cond_exp / aeif_cond_alpha (Brette & Gerstner 2005), in PyNN units (mV, nA, uS,
nF, ms; ``a`` in nS)::

    C dV/dt = -g_L (V - E_L) + g_L D_T exp((V - V_T) / D_T) - g_e (V - E_e) - g_i (V - E_i)
              - w + i_offset
    tau_w dw/dt = a (V - E_L) - w

with g_L = cm / tau_m.  As in NEST, the right-hand side is evaluated at min(V, v_spike), the
spike condition V >= v_spike is tested after every (sub-)step and the reset (V to v_reset,
w += b) happens there, inside the tick; a refractory neuron holds V at v_reset for the rest of
the tick and for ``refractory_ticks`` more ticks while w and the conductances keep evolving.
With delta_T == 0 the exponential term vanishes and the threshold is v_thresh (NEST's rule).

Integration (NEST uses adaptive RKF45 with error tolerance 1e-6): classic RK4 on (V, w) with
``n_substeps = ceil(dt / H_MAX_MS)`` fixed sub-steps per tick (4 at dt = 0.1 ms, 40 at dt =
1.0 ms), in float32.  The conductances are not part of the RK4 system: they are linear, so each
model supplies their exact values at the start, middle and end of every sub-step, and at the end
of the tick recomputes them exactly from the tick's start values (so that sub-step rounding does
not accumulate) before adding the tick's input, as NEST adds its spike ring buffer after the
update.  V is kept relative to E_L (v_rel) for float32 resolution.

The exponent (V - V_T) / D_T is capped at EXP_ARG_MAX so that exp() cannot overflow float32
when (v_spike - v_thresh) / delta_T is large (NEST allows up to about 660 in double); once the
cap is reached V crosses v_spike within the sub-step anyway.

Only one spike per tick can be emitted.  With tau_refrac == 0 NEST may fire several times in one
step; here every crossing still resets V and adds b, but the tick reports a single spike.

Cost on the PE: 4 right-hand-side evaluations (one expf each) per sub-step.
"""

from __future__ import annotations

import numpy as np

from ..errors import ParameterRangeError
from .base import Block, f32, refractory_ticks, require_positive

H_MAX_MS = 0.025           # longest RK4 sub-step (ms)
EXP_ARG_MAX = np.float32(50.0)   # cap on (V - V_T) / delta_T: exp(50) ~ 5e21, far from overflow

ADEX_PARAMETERS = ("cm", "tau_refrac", "v_spike", "v_reset", "v_rest", "tau_m", "i_offset", "a",
                   "b", "delta_T", "tau_w", "v_thresh", "e_rev_E", "tau_syn_E", "e_rev_I",
                   "tau_syn_I")
ADEX_STATE = ("v", "w", "gsyn_exc", "gsyn_inh")
ADEX_RECORDABLE = ("v", "w", "gsyn_exc", "gsyn_inh")


def n_substeps(dt: float) -> int:
    return max(1, int(np.ceil(dt / H_MAX_MS - 1e-9)))


def check_parameters(params) -> None:
    """NEST's checks for aeif_cond_* (Parameters_::set), as ParameterRangeError."""
    require_positive(params, "cm", "tau_m", "tau_w", "tau_syn_E", "tau_syn_I")
    arr = {k: np.asarray(params[k], dtype=np.float64) for k in params}
    if np.any(arr["delta_T"] < 0):
        raise ParameterRangeError("parameter delta_T must be >= 0")
    if np.any(arr["tau_refrac"] < 0):
        raise ParameterRangeError("parameter tau_refrac must be >= 0")
    if np.any(arr["v_spike"] < arr["v_thresh"]):
        raise ParameterRangeError("parameter v_spike must be >= v_thresh")
    # NEST requires v_reset < v_spike; equality is let through because NativeModel's
    # block_bytes_per_neuron() probes build_block with every parameter set to 1.
    if np.any(arr["v_reset"] > arr["v_spike"]):
        raise ParameterRangeError("parameter v_reset must be < v_spike")


def build_common(params, initial, dt: float) -> tuple[Block, int, float]:
    """Membrane and adaptation constants and state shared by both models.

    Out: (block, n_substeps, sub-step h in ms).
    """
    check_parameters(params)
    p = {k: np.asarray(params[k], dtype=np.float64) for k in ADEX_PARAMETERS}
    v_rest = p["v_rest"]
    shape = np.shape(p["cm"])
    has_exp = p["delta_T"] > 0
    n_sub = n_substeps(dt)
    h = dt / n_sub
    block = {
        "v_rest": f32(v_rest),
        "inv_tau_m": f32(1.0 / p["tau_m"]),
        "inv_cm": f32(1.0 / p["cm"]),
        # g_L D_T / C = D_T / tau_m; zero (and no exponential) when delta_T == 0
        "exp_scale": f32(np.where(has_exp, p["delta_T"] / p["tau_m"], 0.0)),
        "inv_delta_T": f32(np.where(has_exp, 1.0 / np.where(has_exp, p["delta_T"], 1.0), 0.0)),
        "v_th_rel": f32(p["v_thresh"] - v_rest),
        "v_peak_rel": f32(np.where(has_exp, p["v_spike"], p["v_thresh"]) - v_rest),
        "v_reset_rel": f32(p["v_reset"] - v_rest),
        "e_exc_rel": f32(p["e_rev_E"] - v_rest),
        "e_inh_rel": f32(p["e_rev_I"] - v_rest),
        "i_offset": f32(p["i_offset"]),
        "a_over_tau_w": f32(p["a"] / 1000.0 / p["tau_w"]),   # nS -> uS; uS/ms
        "inv_tau_w": f32(1.0 / p["tau_w"]),
        "b": f32(p["b"]),
        "refrac_ticks": refractory_ticks(p["tau_refrac"], dt),
        "n_substeps": np.full(shape, n_sub, dtype=np.int32),
        "h": f32(np.full(shape, h)),
        # state
        "v_rel": f32(np.asarray(initial["v"], dtype=np.float64) - v_rest),
        "w": f32(np.broadcast_to(initial["w"], shape)),
        "gsyn_exc": f32(np.broadcast_to(initial["gsyn_exc"], shape)),
        "gsyn_inh": f32(np.broadcast_to(initial["gsyn_inh"], shape)),
        "refrac_count": np.zeros(shape, dtype=np.int32),
    }
    return block, n_sub, h


def _rhs(b: Block, v, w, conductances, reversal, free):
    """(dV/dt, dw/dt) in mV/ms and nA/ms; dV/dt is 0 for refractory neurons.

    conductances: one array per receptor (uS, or nA for a current receptor, whose reversal is
    None), in the order of ``reversal``.
    """
    v_eff = np.minimum(v, b["v_peak_rel"])
    x = np.minimum((v_eff - b["v_th_rel"]) * b["inv_delta_T"], EXP_ARG_MAX)
    current = b["i_offset"] - w
    for g, e in zip(conductances, reversal):
        current = current + g if e is None else current - g * (v_eff - e)
    dv = b["exp_scale"] * np.exp(x) - b["inv_tau_m"] * v_eff + current * b["inv_cm"]
    dw = b["a_over_tau_w"] * v_eff - b["inv_tau_w"] * w
    return np.where(free, dv, np.float32(0.0)), dw


def integrate_tick(b: Block, conductance_stages, reversal=None) -> np.ndarray:
    """Advance V and w of every neuron by one tick, resetting where V reaches v_spike.

    conductance_stages: an iterable with one item per sub-step, ((ge0, gi0), (ge_mid, gi_mid),
    (ge_end, gi_end)), the conductances (uS) at the start, middle and end of that sub-step
    (composed models: one entry per receptor in each of the three tuples).
    reversal: per receptor, its reversal potential relative to E_L (None: a current);
    default the block's (e_exc_rel, e_inh_rel).
    Updates v_rel, w and refrac_count in place (not the conductances).
    Out: bool array, the neurons that spiked in this tick.
    """
    v, w = b["v_rel"].copy(), b["w"].copy()
    h = b["h"]
    half_h = h * np.float32(0.5)
    sixth_h = h / np.float32(6.0)
    refractory = b["refrac_count"] > 0
    free = ~refractory
    spiked = np.zeros(v.shape, dtype=bool)
    can_be_refractory = b["refrac_ticks"] > 0
    if reversal is None:
        reversal = (b["e_exc_rel"], b["e_inh_rel"])
    for g0, g1, g2 in conductance_stages:
        k1v, k1w = _rhs(b, v, w, g0, reversal, free)
        k2v, k2w = _rhs(b, v + half_h * k1v, w + half_h * k1w, g1, reversal, free)
        k3v, k3w = _rhs(b, v + half_h * k2v, w + half_h * k2w, g1, reversal, free)
        k4v, k4w = _rhs(b, v + h * k3v, w + h * k3w, g2, reversal, free)
        v = v + sixth_h * (k1v + 2 * k2v + 2 * k3v + k4v)
        w = w + sixth_h * (k1w + 2 * k2w + 2 * k3w + k4w)
        fire = free & (v >= b["v_peak_rel"])
        v = np.where(fire, b["v_reset_rel"], v)
        w = np.where(fire, w + b["b"], w)
        spiked |= fire
        free &= ~(fire & can_be_refractory)
    b["v_rel"][...] = v
    b["w"][...] = w
    np.subtract(b["refrac_count"], 1, out=b["refrac_count"], where=refractory)
    np.copyto(b["refrac_count"], b["refrac_ticks"], where=spiked)
    return spiked


def read(b: Block, variable: str) -> np.ndarray:
    if variable == "v":
        return b["v_rel"] + b["v_rest"]
    return b[variable]
