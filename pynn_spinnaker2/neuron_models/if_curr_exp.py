"""IF_curr_exp: leaky integrate-and-fire, exponentially decaying current synapses.

Exact integration in NEST iaf_psc_exp's order: the membrane (if not refractory) from the old
currents, current decay, new input, threshold, reset. State in float32; v kept relative to v_rest.
"""

from __future__ import annotations

import numpy as np
from pyNN.standardmodels import cells

from .base import (Block, NativeModel, TickContext, exp_decay, f32, psc_exp_propagator,
                   read_relative_v, refractory_ticks, require_positive, threshold_and_reset)


def build_block(params, initial, dt: float) -> Block:
    require_positive(params, "tau_m", "cm", "tau_syn_E", "tau_syn_I")
    tau_m, cm, v_rest = params["tau_m"], params["cm"], params["v_rest"]
    return {
        "decay_v": f32(exp_decay(tau_m, dt)),
        "decay_exc": f32(exp_decay(params["tau_syn_E"], dt)),
        "decay_inh": f32(exp_decay(params["tau_syn_I"], dt)),
        "exc_to_v": f32(psc_exp_propagator(params["tau_syn_E"], tau_m, cm, dt)),
        "inh_to_v": f32(psc_exp_propagator(params["tau_syn_I"], tau_m, cm, dt)),
        "dc_to_v": f32(tau_m / cm * (1.0 - exp_decay(tau_m, dt))),
        "v_rest": f32(v_rest),
        "v_thresh_rel": f32(np.asarray(params["v_thresh"]) - v_rest),
        "v_reset_rel": f32(np.asarray(params["v_reset"]) - v_rest),
        "i_offset": f32(params["i_offset"]),
        "refrac_ticks": refractory_ticks(params["tau_refrac"], dt),
        # state
        "v_rel": f32(np.asarray(initial["v"]) - v_rest),
        "isyn_exc": f32(initial["isyn_exc"]),
        "isyn_inh": f32(initial["isyn_inh"]),
        "refrac_count": np.zeros(np.shape(tau_m), dtype=np.int32),
    }


def step(b: Block, inputs: np.ndarray, ctx: TickContext) -> np.ndarray:
    active = b["refrac_count"] == 0
    v_new = (b["v_rel"] * b["decay_v"] + b["isyn_exc"] * b["exc_to_v"]
             + b["isyn_inh"] * b["inh_to_v"] + b["i_offset"] * b["dc_to_v"])
    np.copyto(b["v_rel"], v_new, where=active)
    np.subtract(b["refrac_count"], 1, out=b["refrac_count"], where=~active)
    b["isyn_exc"] *= b["decay_exc"]
    b["isyn_exc"] += inputs[0]
    b["isyn_inh"] *= b["decay_inh"]
    b["isyn_inh"] += inputs[1]
    return threshold_and_reset(b)


read = read_relative_v


MODEL = NativeModel(
    name="if_curr_exp", pynn_class=cells.IF_curr_exp, kind="neuron",
    parameters=("tau_m", "cm", "v_rest", "v_thresh", "v_reset", "tau_refrac", "i_offset",
                "tau_syn_E", "tau_syn_I"),
    state=("v", "isyn_exc", "isyn_inh"), recordable=("v", "isyn_exc", "isyn_inh"),
    receptors=("excitatory", "inhibitory"), receptor_signs=(1, -1),
    build_block=build_block, step=step, read=read,
    state_keys=("v_rel", "isyn_exc", "isyn_inh", "refrac_count"))
