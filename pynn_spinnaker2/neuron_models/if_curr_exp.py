"""IF_curr_exp: leaky integrate-and-fire, exponentially decaying current synapses.

Exact integration in NEST iaf_psc_exp's order: the membrane (if not refractory) from the old
currents, current decay, new input, threshold, reset. State in float32; v kept relative to v_rest.
"""

from __future__ import annotations

import numpy as np
from numba import njit
from pyNN.standardmodels import cells

from .base import (Block, NativeModel, TickContext, exp_decay, f32, psc_exp_propagator,
                   read_relative_v, if_membrane, require_positive)


def build_block(params, initial, dt: float) -> Block:
    require_positive(params, "tau_m", "cm", "tau_syn_E", "tau_syn_I")
    tau_m, cm = params["tau_m"], params["cm"]
    return {
        **if_membrane(params, initial, dt),
        "decay_v": f32(exp_decay(tau_m, dt)),
        "decay_exc": f32(exp_decay(params["tau_syn_E"], dt)),
        "decay_inh": f32(exp_decay(params["tau_syn_I"], dt)),
        "exc_to_v": f32(psc_exp_propagator(params["tau_syn_E"], tau_m, cm, dt)),
        "inh_to_v": f32(psc_exp_propagator(params["tau_syn_I"], tau_m, cm, dt)),
        "dc_to_v": f32(tau_m / cm * (1.0 - exp_decay(tau_m, dt))),
        # state
        "isyn_exc": f32(initial["isyn_exc"]),
        "isyn_inh": f32(initial["isyn_inh"]),
    }


@njit(cache=True, nogil=True)
def _kernel(v_rel, isyn_exc, isyn_inh, refrac_count, decay_v, exc_to_v, inh_to_v, i_offset,
            dc_to_v, decay_exc, decay_inh, v_thresh_rel, v_reset_rel, refrac_ticks,
            inputs, spikes) -> None:
    """One tick of every neuron, in float32, in the order of the numpy expressions it replaces
    (no fused multiply-add: numba does not contract without fastmath)."""
    for i in range(len(v_rel)):
        if refrac_count[i] == 0:
            v_rel[i] = (v_rel[i] * decay_v[i] + isyn_exc[i] * exc_to_v[i]
                        + isyn_inh[i] * inh_to_v[i] + i_offset[i] * dc_to_v[i])
        else:
            refrac_count[i] -= 1
        isyn_exc[i] = isyn_exc[i] * decay_exc[i] + inputs[0, i]
        isyn_inh[i] = isyn_inh[i] * decay_inh[i] + inputs[1, i]
        fired = v_rel[i] >= v_thresh_rel[i]
        spikes[i] = fired
        if fired:
            v_rel[i] = v_reset_rel[i]
            refrac_count[i] = refrac_ticks[i]


def step(b: Block, inputs: np.ndarray, ctx: TickContext) -> np.ndarray:
    """Membrane from the old currents (unless refractory), current decay plus new input,
    threshold and reset (as threshold_and_reset). Out: the spike array."""
    spikes = np.empty(len(b["v_rel"]), dtype=np.bool_)
    _kernel(b["v_rel"], b["isyn_exc"], b["isyn_inh"], b["refrac_count"], b["decay_v"],
            b["exc_to_v"], b["inh_to_v"], b["i_offset"], b["dc_to_v"], b["decay_exc"],
            b["decay_inh"], b["v_thresh_rel"], b["v_reset_rel"], b["refrac_ticks"],
            np.ascontiguousarray(inputs, dtype=np.float32), spikes)
    return spikes


read = read_relative_v


MODEL = NativeModel(
    name="if_curr_exp", pynn_class=cells.IF_curr_exp, kind="neuron",
    parameters=("tau_m", "cm", "v_rest", "v_thresh", "v_reset", "tau_refrac", "i_offset",
                "tau_syn_E", "tau_syn_I"),
    state=("v", "isyn_exc", "isyn_inh"), recordable=("v", "isyn_exc", "isyn_inh"),
    receptors=("excitatory", "inhibitory"), receptor_signs=(1, -1),
    build_block=build_block, step=step, read=read,
    state_keys=("v_rel", "isyn_exc", "isyn_inh", "refrac_count"))
