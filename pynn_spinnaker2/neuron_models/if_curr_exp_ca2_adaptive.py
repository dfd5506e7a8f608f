"""IFCurrExpCa2Adaptive (sPyNNaker's extra model): leaky integrate-and-fire with exponential
current synapses and a calcium-activated adaptation current (Liu & Wang 2001, "Spike-frequency
adaptation of a generalized leaky integrate-and-fire model neuron", J Comput Neurosci 10:25,
in its current-based form)::

    C dV/dt = -C/tau_m (V - v_rest) + I_e + I_i + i_offset - I_Ca2
    dI_x/dt = -I_x / tau_syn_x,   dI_Ca2/dt = -I_Ca2 / tau_ca2
    on each spike: I_Ca2 <- I_Ca2 + i_alpha

so that every spike adds i_alpha nA of hyperpolarising current, decaying with tau_ca2: the rate
adapts. (sPyNNaker's state variable and parameter names: i_ca2, i_alpha, tau_ca2; its kernel
also subtracts i_ca2 from the input current.)

All three currents are linear, so a tick is integrated exactly (_lif_currents.py, IF_curr_exp's
scheme with I_Ca2 as a third current of gain -1), in NEST's order: the membrane (unless
refractory) from the old currents, decay and input, threshold and reset, then the spike's
calcium influx. v relative to v_rest, float32.
"""

from __future__ import annotations

import numpy as np

from .base import Block, NativeModel, TickContext, f32, read_relative_v, threshold_and_reset
from ._lif_currents import current_block, decay_and_add, membrane_step

SYNAPTIC = {"isyn_exc": "tau_syn_E", "isyn_inh": "tau_syn_I"}


def build_block(params, initial, dt: float) -> Block:
    block = current_block(params, initial, dt, {**SYNAPTIC, "i_ca2": "tau_ca2"})
    block["i_alpha"] = f32(np.broadcast_to(params["i_alpha"], np.shape(block["v_rel"])))
    return block


def step(b: Block, inputs: np.ndarray, ctx: TickContext) -> np.ndarray:
    membrane_step(b, [b["isyn_exc"] * b["to_v_isyn_exc"], b["isyn_inh"] * b["to_v_isyn_inh"],
                      -(b["i_ca2"] * b["to_v_i_ca2"])])
    decay_and_add(b, SYNAPTIC, inputs)
    b["i_ca2"] *= b["decay_i_ca2"]
    spikes = threshold_and_reset(b)
    b["i_ca2"][spikes] += b["i_alpha"][spikes]
    return spikes


def read(b: Block, variable: str) -> np.ndarray:
    if variable in ("gsyn_exc", "gsyn_inh"):
        return b[variable.replace("gsyn", "isyn")]
    return read_relative_v(b, variable)


PARAMETERS = ("tau_m", "cm", "v_rest", "v_reset", "v_thresh", "tau_syn_E", "tau_syn_I",
              "tau_refrac", "i_offset", "tau_ca2", "i_alpha")

MODEL = NativeModel(
    name="if_curr_exp_ca2_adaptive", pynn_class=None, kind="neuron", parameters=PARAMETERS,
    state=("v", "isyn_exc", "isyn_inh", "i_ca2"),
    recordable=("v", "isyn_exc", "isyn_inh", "i_ca2", "gsyn_exc", "gsyn_inh"),
    receptors=("excitatory", "inhibitory"), receptor_signs=(1, -1),
    build_block=build_block, step=step, read=read,
    state_keys=("v_rel", "isyn_exc", "isyn_inh", "i_ca2", "refrac_count"))
