"""IF_curr_alpha: leaky integrate-and-fire, alpha-shaped current synapses (NEST iaf_psc_alpha).

Integration scheme: exact integration (the propagator matrix of the linear system, as NEST's
iaf_psc_alpha computes it) in NEST's order within a tick: the membrane (if not refractory) from the
old synaptic state, the alpha-current propagation (I <- P21*dI + P22*I, dI <- P11*dI), the new input
(dI += e/tau_syn * weight, so a weight w gives a current peaking at w nA tau_syn after the spike),
threshold, reset. The propagators are computed in double precision on the host with NEST's formulas,
including its switch to the tau_syn == tau_m limit where the general formula is numerically
unstable; the state is float32 with v kept relative to v_rest. Against NEST 3.10
(tests/neuron_models/test_model_if_curr_alpha.py) the spike times are identical at dt 0.1 and 1.0 ms
and v differs by at most 1.1e-5 mV (float32 rounding).

Each synapse type has two state variables, I (nA) and dI (nA/ms). The initial values isyn_exc
and isyn_inh set I with dI = 0 (NEST's iaf_psc_alpha always starts from zero currents).
"""

from __future__ import annotations

import numpy as np
from pyNN.standardmodels import cells

from .base import (Block, NativeModel, TickContext, exp_decay, f32, read_relative_v,
                   if_membrane, require_positive, threshold_and_reset)


def alpha_propagators(tau_syn, tau_m, cm, dt: float) -> tuple[np.ndarray, np.ndarray]:
    """NEST's exact propagators from an alpha current's (dI, I) to the membrane (P31, P32).

    With the synaptic state pair (dI, I): dV/dt = -V/tau_m + I/cm, dI/dt (of I) = dI - I/tau_syn,
    d(dI)/dt = -dI/tau_syn; over one step h, V(h) = P33*V + P31*dI + P32*I. Units: ms, nF;
    P31 in mV per nA/ms, P32 in mV per nA.
    Like NEST's PropagatorAlpha, uses the tau_syn == tau_m limit where the two are equal or
    within 0.1 ms and the general formula deviates from the limit by more than twice its
    linear correction (cancellation).
    """
    tau_syn, tau_m, cm = (np.asarray(a, dtype=np.float64) for a in (tau_syn, tau_m, cm))
    h = float(dt)
    equal = tau_syn == tau_m
    diff = np.where(equal, 1.0, tau_m - tau_syn)
    beta = tau_syn * tau_m / diff
    gamma = beta / cm
    exp_syn = np.exp(-h / tau_syn)
    expm1_h = np.expm1(-h / tau_m + h / tau_syn)
    p31 = gamma * exp_syn * (beta * expm1_h - h)
    p32 = gamma * exp_syn * expm1_h

    exp_m = np.exp(-h / tau_m)
    alpha = (tau_syn - tau_m) / (cm * tau_m * tau_m)
    near = np.abs(tau_m - tau_syn) < 0.1
    p31_singular = h * h / 2.0 / cm * exp_m
    p32_singular = h / cm * exp_m
    p31_linear = alpha * h ** 3 * exp_m / 3.0
    p32_linear = alpha * h * h * exp_m / 2.0
    use31 = equal | (near & (np.abs(p31 - p31_singular) > 2.0 * np.abs(p31_linear)))
    use32 = equal | (near & (np.abs(p32 - p32_singular) > 2.0 * np.abs(p32_linear)))
    return np.where(use31, p31_singular, p31), np.where(use32, p32_singular, p32)


def build_block(params, initial, dt: float) -> Block:
    require_positive(params, "tau_m", "cm", "tau_syn_E", "tau_syn_I")
    tau_m, cm = params["tau_m"], params["cm"]
    tau_e, tau_i = params["tau_syn_E"], params["tau_syn_I"]
    p31_e, p32_e = alpha_propagators(tau_e, tau_m, cm, dt)
    p31_i, p32_i = alpha_propagators(tau_i, tau_m, cm, dt)
    decay_e, decay_i = exp_decay(tau_e, dt), exp_decay(tau_i, dt)
    return {
        **if_membrane(params, initial, dt),
        "expm1_v": f32(np.expm1(-dt / np.asarray(tau_m, dtype=np.float64))),
        "dc_to_v": f32(-np.asarray(tau_m) / np.asarray(cm)
                       * np.expm1(-dt / np.asarray(tau_m, dtype=np.float64))),
        "decay_exc": f32(decay_e),
        "decay_inh": f32(decay_i),
        "dexc_to_exc": f32(dt * decay_e),
        "dinh_to_inh": f32(dt * decay_i),
        "dexc_to_v": f32(p31_e),
        "exc_to_v": f32(p32_e),
        "dinh_to_v": f32(p31_i),
        "inh_to_v": f32(p32_i),
        "weight_to_dexc": f32(np.e / np.asarray(tau_e, dtype=np.float64)),
        "weight_to_dinh": f32(np.e / np.asarray(tau_i, dtype=np.float64)),
        # state
        "isyn_exc": f32(initial["isyn_exc"]),
        "disyn_exc": np.zeros(np.shape(tau_m), dtype=np.float32),
        "isyn_inh": f32(initial["isyn_inh"]),
        "disyn_inh": np.zeros(np.shape(tau_m), dtype=np.float32),
    }


def step(b: Block, inputs: np.ndarray, ctx: TickContext) -> np.ndarray:
    active = b["refrac_count"] == 0
    v = b["v_rel"]
    v_new = (b["i_offset"] * b["dc_to_v"]
             + b["dexc_to_v"] * b["disyn_exc"] + b["exc_to_v"] * b["isyn_exc"]
             + b["dinh_to_v"] * b["disyn_inh"] + b["inh_to_v"] * b["isyn_inh"]
             + b["expm1_v"] * v + v)
    np.copyto(v, v_new, where=active)
    np.subtract(b["refrac_count"], 1, out=b["refrac_count"], where=~active)
    for rec, kind, to_d in ((0, "exc", "dexc_to_exc"), (1, "inh", "dinh_to_inh")):
        current, slope = b[f"isyn_{kind}"], b[f"disyn_{kind}"]
        current *= b[f"decay_{kind}"]
        current += b[to_d] * slope
        slope *= b[f"decay_{kind}"]
        slope += b[f"weight_to_d{kind}"] * inputs[rec]
    return threshold_and_reset(b)


read = read_relative_v


MODEL = NativeModel(
    name="if_curr_alpha", pynn_class=cells.IF_curr_alpha, kind="neuron",
    parameters=("tau_m", "cm", "v_rest", "v_thresh", "v_reset", "tau_refrac", "i_offset",
                "tau_syn_E", "tau_syn_I"),
    state=("v", "isyn_exc", "isyn_inh"), recordable=("v", "isyn_exc", "isyn_inh"),
    receptors=("excitatory", "inhibitory"), receptor_signs=(1, -1),
    build_block=build_block, step=step, read=read,
    state_keys=("v_rel", "isyn_exc", "disyn_exc", "isyn_inh", "disyn_inh", "refrac_count"))
