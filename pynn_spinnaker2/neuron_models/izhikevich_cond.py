"""Izhikevich_cond (sPyNNaker's extra model, its IzkCondExpBase): the Izhikevich (2003) neuron
with exponentially decaying conductance synapses, in sPyNNaker's units::

    dv/dt = 0.04 v^2 + 5 v + 140 - u + I,   du/dt = a (b v - u)
    I = i_offset + g_e (e_rev_E - v) + g_i (e_rev_I - v),   dg_x/dt = -g_x / tau_syn_x
    v >= 30 mV:  v <- c,  u <- u + d

A spike of weight w adds w uS to its conductance. As in sPyNNaker, I (nA, so uS times mV) enters
dv/dt as it is, in mV/ms: Izhikevich's own dimensionless current. (The standard Izhikevich cell,
izhikevich.py, follows pyNN.nest instead, where i_offset is scaled by 1000.)

Integration (per tick, ceil(dt / 0.1 ms) steps of the classical fourth-order Runge-Kutta method, the
conductances exact exponentials within each): after each step a neuron whose v passed 30 mV is reset
at the crossing itself (found by interpolating 1 / (v + 62.5), which falls linearly in time as v
runs away), with u advanced to it, and the rest of the step is integrated from (c, u + d); the spike
is sent at the end of the tick (at most one per tick). Order within a tick as every model here: v
and u from the conductances before this tick's spikes, conductance decay and input. No refractory
period. v is stored relative to -62.5 mV, the vertex of the parabola, as in izhikevich.py (fewer
cancelling terms in float32). (sPyNNaker takes one midpoint step per tick and resets at the tick's
end; with the reset at the tick's end, these steps put spikes up to 2.5 ms late at dt 0.1 in the
test below.) Measured against a scipy integration of the equations with the reset at the crossing
(tests/neuron_models/test_extra_izhikevich_cond.py): spike times identical at dt 0.5 and 1.0 and one
of nine a tick late at dt 0.1; median |dv| 1.6e-3 mV, p99 |du| 1.5e-3 mV/ms.
"""

from __future__ import annotations

import numpy as np

from .base import Block, NativeModel, TickContext, exp_decay, f32, require_positive
from .izhikevich import V_THRESHOLD_MV, V_VERTEX_MV


MAX_SUBSTEP_MS = 0.1   # the longest integration step: a tick of dt takes ceil(dt / 0.1) steps


def substeps(dt: float) -> int:
    """Integration steps per tick (ceil(dt / MAX_SUBSTEP_MS), at least 1)."""
    return max(1, int(np.ceil(round(dt / MAX_SUBSTEP_MS, 9))))


def build_block(params, initial, dt: float) -> Block:
    require_positive(params, "tau_syn_E", "tau_syn_I")
    a = np.asarray(params["a"], dtype=np.float64)
    b = np.asarray(params["b"], dtype=np.float64)
    shape = np.shape(a)
    h = dt / substeps(dt)
    block = {
        "h": f32(np.full(shape, h)),
        "a": f32(a),
        "b": f32(b),
        "b_vertex": f32(b * V_VERTEX_MV),
        "c_rel": f32(np.asarray(params["c"], dtype=np.float64) - V_VERTEX_MV),
        "d": f32(params["d"]),
        "i_offset": f32(params["i_offset"]),
        "v_thresh_rel": f32(np.full(shape, V_THRESHOLD_MV - V_VERTEX_MV)),
        "v_rel": f32(np.asarray(initial["v"], dtype=np.float64) - V_VERTEX_MV),
        "u": f32(initial["u"]),
    }
    for key, tau, e_rev in (("exc", "tau_syn_E", "e_rev_E"), ("inh", "tau_syn_I", "e_rev_I")):
        block[f"g_{key}"] = f32(np.broadcast_to(initial[f"isyn_{key}"], shape))
        block[f"decay_{key}"] = f32(exp_decay(params[tau], dt))
        block[f"half_decay_{key}"] = f32(exp_decay(params[tau], 0.5 * h))
        block[f"step_decay_{key}"] = f32(exp_decay(params[tau], h))
        block[f"inv_tau_{key}"] = f32(1.0 / np.asarray(params[tau], dtype=np.float64))
        block[f"e_{key}_rel"] = f32(np.asarray(params[e_rev], dtype=np.float64) - V_VERTEX_MV)
    return block


_PARAMS = ("a", "b", "b_vertex", "i_offset", "e_exc_rel", "e_inh_rel")


def _derivatives(p, v: np.ndarray, u: np.ndarray, g_exc: np.ndarray,
                 g_inh: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(dv/dt, du/dt) with v relative to the vertex: 0.04 v^2 + 5 v + 140 = 0.04 v_rel^2 - 16.25.
    p: the block, or its _PARAMS for some of the neurons."""
    current = p["i_offset"] + g_exc * (p["e_exc_rel"] - v) + g_inh * (p["e_inh_rel"] - v)
    dv = np.float32(0.04) * v * v - np.float32(16.25) - u + current
    du = p["a"] * (p["b"] * v + p["b_vertex"] - u)
    return dv, du


def _rk4(p, v, u, g_exc, g_inh, h, mid_exc, mid_inh):
    """One classical Runge-Kutta step of length h (per neuron) from (v, u); the conductances
    are g at the start, decaying by the factors mid_* every h/2. Out: (v, u) at its end."""
    half, sixth = h * np.float32(0.5), h / np.float32(6.0)
    g_mid_exc, g_mid_inh = g_exc * mid_exc, g_inh * mid_inh
    dv1, du1 = _derivatives(p, v, u, g_exc, g_inh)
    dv2, du2 = _derivatives(p, v + half * dv1, u + half * du1, g_mid_exc, g_mid_inh)
    dv3, du3 = _derivatives(p, v + half * dv2, u + half * du2, g_mid_exc, g_mid_inh)
    dv4, du4 = _derivatives(p, v + h * dv3, u + h * du3, g_mid_exc * mid_exc,
                            g_mid_inh * mid_inh)
    return (v + sixth * (dv1 + 2 * dv2 + 2 * dv3 + dv4),
            u + sixth * (du1 + 2 * du2 + 2 * du3 + du4))


def _reset_within_step(b: Block, idx: np.ndarray, v0, u0, v1, u1, g_exc, g_inh) -> None:
    """For the neurons ``idx`` whose v crossed the threshold in a step from (v0, u0) to
    (v1, u1): the crossing at the fraction theta of the step where v reaches it, there
    v <- c and u <- u(theta) + d (u(theta) from du/dt), and the rest of the step is
    integrated from that state (v1, u1 updated in place). Near a spike dv/dt ~ 0.04 v_rel^2,
    so 1 / v_rel falls linearly in time: theta interpolates 1 / v_rel (v itself where
    v_rel <= 0 at the step's start)."""
    h = b["h"][idx]
    start, end, thresh = v0[idx], v1[idx], b["v_thresh_rel"][idx]
    positive = start > 0
    safe = np.where(positive, start, np.float32(1.0))
    theta = np.where(positive, (1 / safe - 1 / thresh) / (1 / safe - 1 / end),
                     (thresh - start) / (end - start))
    theta = np.clip(theta, 0.0, 1.0)
    # u up to the crossing: du/dt with v at the mean of its start and the threshold (u1 came
    # through v's run-away beyond the threshold)
    u_start = u0[idx]
    du = b["a"][idx] * (b["b"][idx] * (0.5 * (start + thresh)) + b["b_vertex"][idx] - u_start)
    u_cross = u_start + theta * h * du + b["d"][idx]
    p = {k: b[k][idx] for k in _PARAMS}
    rest = (1 - theta) * h
    g_e = g_exc[idx] * np.exp(-theta * h * b["inv_tau_exc"][idx])
    g_i = g_inh[idx] * np.exp(-theta * h * b["inv_tau_inh"][idx])
    v1[idx], u1[idx] = _rk4(p, b["c_rel"][idx], u_cross, g_e, g_i, rest,
                            np.exp(-0.5 * rest * b["inv_tau_exc"][idx]),
                            np.exp(-0.5 * rest * b["inv_tau_inh"][idx]))


def step(b: Block, inputs: np.ndarray, ctx: TickContext) -> np.ndarray:
    """Integration steps, each with the reset at its threshold crossing; the tick's new input.
    Out: the neurons that crossed the threshold in any step of the tick."""
    v, u = b["v_rel"], b["u"]
    g_exc, g_inh = b["g_exc"].copy(), b["g_inh"].copy()
    spikes = np.zeros(len(v), dtype=np.bool_)
    for _ in range(substeps(ctx.dt)):
        v1, u1 = _rk4(b, v, u, g_exc, g_inh, b["h"], b["half_decay_exc"], b["half_decay_inh"])
        crossed = v1 >= b["v_thresh_rel"]
        if crossed.any():
            _reset_within_step(b, np.flatnonzero(crossed), v, u, v1, u1, g_exc, g_inh)
            spikes |= crossed
        v[...], u[...] = v1, u1
        g_exc *= b["step_decay_exc"]
        g_inh *= b["step_decay_inh"]
    b["g_exc"] *= b["decay_exc"]
    b["g_exc"] += inputs[0]
    b["g_inh"] *= b["decay_inh"]
    b["g_inh"] += inputs[1]
    return spikes


def read(b: Block, variable: str) -> np.ndarray:
    """v in mV, u in mV/ms, the conductances (gsyn_* or sPyNNaker's isyn_*) in uS."""
    if variable == "v":
        return b["v_rel"] + np.float32(V_VERTEX_MV)
    if variable in ("gsyn_exc", "gsyn_inh", "isyn_exc", "isyn_inh"):
        return b["g_" + variable.split("_")[1]]
    return b[variable]


PARAMETERS = ("a", "b", "c", "d", "i_offset", "tau_syn_E", "tau_syn_I", "e_rev_E", "e_rev_I")

MODEL = NativeModel(
    name="izhikevich_cond", pynn_class=None, kind="neuron", parameters=PARAMETERS,
    state=("v", "u", "isyn_exc", "isyn_inh"),
    recordable=("v", "u", "gsyn_exc", "gsyn_inh", "isyn_exc", "isyn_inh"),
    receptors=("excitatory", "inhibitory"), receptor_signs=(1, 1),
    build_block=build_block, step=step, read=read,
    state_keys=("v_rel", "u", "g_exc", "g_inh"),
    injection=("i_offset", 1.0))
