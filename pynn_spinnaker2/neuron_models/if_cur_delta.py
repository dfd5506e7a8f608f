"""IFCurDelta (sPyNNaker's extra model, its IFCurrDelta): leaky integrate-and-fire with
instantaneous (delta) current synapses, in sPyNNaker's units.

A spike of weight w is an instantaneous current pulse of charge w (nA ms = pC): V jumps by
w / cm mV when it arrives::

    C dV/dt = -C/tau_m (V - v_rest) + i_offset + sum_spikes w delta(t - t_spike)

(sPyNNaker spreads the charge over one tick, a current w/dt, which moves V by
w/cm * tau_m/dt * (1 - exp(-dt/tau_m)), within 0.25% of w/cm at dt/tau_m = 1/20.) PyNN's
standard IF_curr_delta (NEST iaf_psc_delta, if_curr_delta.py) instead takes w as the jump in mV
whatever cm is; the two agree for cm = 1 nF, sPyNNaker's default.

The integration is if_curr_delta.py's exact scheme and kernel (NEST's order: decay, bias and this
tick's jumps unless refractory, a spike arriving during the refractory period is lost; threshold;
reset), fed with the jumps w / cm. The initial values isyn_exc and isyn_inh are charges delivered
in the first tick (sPyNNaker's initial synaptic input); recorded isyn_exc / isyn_inh (and their
sPyNNaker names gsyn_exc / gsyn_inh) are the charge that arrived in each tick, inhibitory
negative (PyNN's current-based convention).
"""

from __future__ import annotations

import numpy as np

from .base import Block, NativeModel, TickContext, f32, read_relative_v
from .if_curr_delta import _kernel
from .if_curr_delta import build_block as delta_block


def build_block(params, initial, dt: float) -> Block:
    block = delta_block(params, initial, dt)
    shape = np.shape(block["v_rel"])
    block["inv_cm"] = f32(1.0 / np.asarray(params["cm"], dtype=np.float64))
    for name in ("isyn_exc", "isyn_inh"):
        block[f"pending_{name}"] = f32(np.broadcast_to(initial[name], shape))
        block[name] = f32(np.broadcast_to(initial[name], shape))
    return block


def step(b: Block, inputs: np.ndarray, ctx: TickContext) -> np.ndarray:
    """The tick's charges (plus any initial charge still pending) as jumps of w / cm, then
    if_curr_delta's kernel. Out: the spike array."""
    charge = np.stack([inputs[0] + b["pending_isyn_exc"], inputs[1] + b["pending_isyn_inh"]])
    b["isyn_exc"][...] = charge[0]
    b["isyn_inh"][...] = charge[1]
    b["pending_isyn_exc"][...] = 0.0
    b["pending_isyn_inh"][...] = 0.0
    jumps = np.ascontiguousarray(charge * b["inv_cm"], dtype=np.float32)
    spikes = np.empty(len(b["v_rel"]), dtype=np.bool_)
    _kernel(b["v_rel"], b["refrac_count"], b["i_offset"], b["dc_to_v"], b["expm1_v"],
            b["v_thresh_rel"], b["v_reset_rel"], b["refrac_ticks"], jumps, spikes)
    return spikes


def read(b: Block, variable: str) -> np.ndarray:
    if variable in ("gsyn_exc", "gsyn_inh"):
        return b[variable.replace("gsyn", "isyn")]
    return read_relative_v(b, variable)


MODEL = NativeModel(
    name="if_cur_delta", pynn_class=None, kind="neuron",
    parameters=("tau_m", "cm", "v_rest", "v_reset", "v_thresh", "tau_refrac", "i_offset"),
    state=("v", "isyn_exc", "isyn_inh"),
    recordable=("v", "isyn_exc", "isyn_inh", "gsyn_exc", "gsyn_inh"),
    receptors=("excitatory", "inhibitory"), receptor_signs=(1, -1),
    build_block=build_block, step=step, read=read,
    state_keys=("v_rel", "refrac_count", "isyn_exc", "isyn_inh", "pending_isyn_exc",
                "pending_isyn_inh"))
