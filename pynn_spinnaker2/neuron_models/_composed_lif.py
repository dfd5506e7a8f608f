"""The LIF membrane of composed models (PyNN's ``LIF`` component) with any receptors.

Current-based receptors (``curr_exp``): IF_curr_exp's exact scheme (NEST iaf_psc_exp /
iaf_psc_exp_multisynapse), each receptor with its own propagator to the membrane::

    v <- v decay_v + sum_r I_r to_v_r + i_offset dc_to_v      (unless refractory)
    I_r <- I_r decay_r + input_r

Conductance-based receptors (``cond_exp``, ``cond_alpha``, ``cond_beta``): IF_cond_exp's scheme
(exponential Euler with the conductances' exact tick means plus the first-moment correction, see
if_cond_exp.py) with the sums over R receptors instead of two:

    <G> = g_L + sum_r <g_r>,  V_inf = (i_offset + sum_r <g_r> E_r) / <G>,
    V <- V + (V_inf - V)(1 - exp(-z)) + z / (1 + z/2 + z^2/6) sum_r M_r (E_r - V_inf),

then the clip to the range of the potentials the conductances pull towards. The sums run in
receptor order, so two cond_exp receptors give IF_cond_exp's float32 operations exactly.
Order within a tick is NEST's: membrane from the old synaptic state, receptor propagation, new
input, threshold, reset; v relative to v_rest.
"""

from __future__ import annotations

import numpy as np

from .base import (Block, TickContext, exp_decay, f32, psc_exp_propagator, read_relative_v,
                   if_membrane, require_positive, threshold_and_reset)
from ._receptors import (KINDS, receptor_block, reversal_block, rises, tick_means_and_moments,
                         time_constants, update_receptors)

PARAMETERS = ("cm", "tau_refrac", "v_reset", "v_rest", "tau_m", "i_offset", "v_thresh")
STATE = ("v",)
RECORDABLE = ("v",)
STATE_KEYS = ("v_rel", "refrac_count")
INJECTION = ("i_offset", 1.0)
_HALF, _SIXTH = np.float32(0.5), np.float32(1.0 / 6.0)


def _conductance_based(receptors) -> bool:
    return KINDS[receptors[0][1]][2]


def build_block(receptors, params, initial, dt: float) -> Block:
    require_positive(params, "tau_m", "cm")
    tau_m = np.asarray(params["tau_m"], dtype=np.float64)
    cm = np.asarray(params["cm"], dtype=np.float64)
    v_rest = np.asarray(params["v_rest"], dtype=np.float64)
    block = {
        **if_membrane(params, initial, dt),
    }
    block.update(receptor_block(receptors, params, initial, dt))
    if not _conductance_based(receptors):
        block["decay_v"] = f32(exp_decay(tau_m, dt))
        block["dc_to_v"] = f32(tau_m / cm * (1.0 - exp_decay(tau_m, dt)))
        for r, (name, _) in enumerate(receptors):
            block[f"to_v_{r}"] = f32(psc_exp_propagator(params[f"{name}.tau_syn"], tau_m, cm, dt))
        return block
    reversal = reversal_block(receptors, params, v_rest)
    targets = np.stack(np.broadcast_arrays(
        *[np.asarray(e, dtype=np.float64) for e in reversal.values()],
        np.asarray(params["i_offset"]) * tau_m / cm))
    block.update(reversal)
    block.update({"g_leak": f32(cm / tau_m), "dt_over_cm": f32(dt / cm),
                  "v_lowest_target": f32(targets.min(axis=0)),
                  "v_highest_target": f32(targets.max(axis=0))})
    for r, (name, kind) in enumerate(receptors):
        sub = {p: params[f"{name}.{p}"] for p in KINDS[kind][0]}
        constants = tick_means_and_moments(*time_constants(kind, sub), dt)
        block[f"mean_g_{r}"] = f32(constants["mean_g"])
        block[f"moment_g_{r}"] = f32(constants["moment_g"] / (cm * dt))
        if rises(kind):
            block[f"mean_x_{r}"] = f32(constants["mean_x"])
            block[f"moment_x_{r}"] = f32(constants["moment_x"] / (cm * dt))
    return block


def _current_step(b: Block, receptors, inputs: np.ndarray) -> None:
    active = b["refrac_count"] == 0
    v = b["v_rel"]
    v_new = v * b["decay_v"]
    for r in range(len(receptors)):
        v_new += b[f"g_{r}"] * b[f"to_v_{r}"]
    v_new += b["i_offset"] * b["dc_to_v"]
    np.copyto(v, v_new, where=active)
    np.subtract(b["refrac_count"], 1, out=b["refrac_count"], where=~active)


def _tick_terms(b: Block, r: int, kind: str, name: str) -> np.ndarray:
    g = b[f"g_{r}"] * b[f"{name}_g_{r}"]
    if rises(kind):
        g += b[f"x_{r}"] * b[f"{name}_x_{r}"]
    return g


def _conductance_step(b: Block, receptors) -> None:
    """One tick of the membrane from the receptors' exact tick means and moments."""
    active = b["refrac_count"] == 0
    v = b["v_rel"]
    means = [_tick_terms(b, r, kind, "mean") for r, (_, kind) in enumerate(receptors)]
    moments = [_tick_terms(b, r, kind, "moment") for r, (_, kind) in enumerate(receptors)]
    reversal = [b[f"e_rel_{r}"] for r in range(len(receptors))]
    g_total, drive = b["g_leak"], b["i_offset"]
    for mean, e in zip(means, reversal):
        g_total = g_total + mean
        drive = drive + mean * e
    v_inf = drive / g_total
    z = g_total * b["dt_over_cm"]
    v_new = v + (v_inf - v) * -np.expm1(-z)
    weight = z / (1 + z * (_HALF + z * _SIXTH))
    correction = moments[0] * (reversal[0] - v_inf)
    for moment, e in zip(moments[1:], reversal[1:]):
        correction = correction + moment * (e - v_inf)
    v_new += weight * correction
    np.maximum(v_new, np.minimum(b["v_lowest_target"], v), out=v_new)
    np.minimum(v_new, np.maximum(b["v_highest_target"], v), out=v_new)
    np.copyto(v, v_new, where=active)
    np.subtract(b["refrac_count"], 1, out=b["refrac_count"], where=~active)


def step(receptors, b: Block, inputs: np.ndarray, ctx: TickContext) -> np.ndarray:
    if _conductance_based(receptors):
        _conductance_step(b, receptors)
    else:
        _current_step(b, receptors, inputs)
    update_receptors(b, receptors, inputs)
    return threshold_and_reset(b)


read = read_relative_v
