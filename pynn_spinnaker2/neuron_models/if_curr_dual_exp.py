"""IF_curr_dual_exp (sPyNNaker's extra model): leaky integrate-and-fire with two excitatory and
one inhibitory exponentially decaying current synapse.

Receptors ``excitatory`` (tau_syn_E), ``excitatory2`` (tau_syn_E2) and ``inhibitory``
(tau_syn_I); a spike of weight w adds w nA to its current::

    C dV/dt = -C/tau_m (V - v_rest) + I_e + I_e2 + I_i + i_offset,  dI_x/dt = -I_x / tau_x

Exact integration in NEST iaf_psc_exp's order (_lif_currents.py): the membrane (if not
refractory) from the old currents, current decay, new input, threshold, reset. Inhibitory
weights are negative (PyNN's current-based convention), so I_i <= 0. Recordable besides v and
the three currents: sPyNNaker's ``gsyn_exc`` (I_e + I_e2) and ``gsyn_inh`` (I_i), the
synaptic input it records under those names for current-based cells.

sPyNNaker itself adds a tick's input before the membrane update and integrates the membrane as
if the input were constant over the tick (scaling each weight to compensate); here the equations
are integrated exactly, so a response is in the same place as IF_curr_exp's.
"""

from __future__ import annotations

import numpy as np

from .base import Block, NativeModel, TickContext, read_relative_v, threshold_and_reset
from ._lif_currents import current_block, decay_and_add, membrane_step

CURRENTS = {"isyn_exc": "tau_syn_E", "isyn_exc2": "tau_syn_E2", "isyn_inh": "tau_syn_I"}


def build_block(params, initial, dt: float) -> Block:
    return current_block(params, initial, dt, CURRENTS)


def step(b: Block, inputs: np.ndarray, ctx: TickContext) -> np.ndarray:
    membrane_step(b, [b[name] * b[f"to_v_{name}"] for name in CURRENTS])
    decay_and_add(b, CURRENTS, inputs)
    return threshold_and_reset(b)


def read(b: Block, variable: str) -> np.ndarray:
    if variable == "gsyn_exc":
        return b["isyn_exc"] + b["isyn_exc2"]
    if variable == "gsyn_inh":
        return b["isyn_inh"]
    return read_relative_v(b, variable)


PARAMETERS = ("tau_m", "cm", "v_rest", "v_reset", "v_thresh", "tau_syn_E", "tau_syn_E2",
              "tau_syn_I", "tau_refrac", "i_offset")

MODEL = NativeModel(
    name="if_curr_dual_exp", pynn_class=None, kind="neuron", parameters=PARAMETERS,
    state=("v", "isyn_exc", "isyn_exc2", "isyn_inh"),
    recordable=("v", "isyn_exc", "isyn_exc2", "isyn_inh", "gsyn_exc", "gsyn_inh"),
    receptors=("excitatory", "excitatory2", "inhibitory"), receptor_signs=(1, 1, -1),
    build_block=build_block, step=step, read=read,
    state_keys=("v_rel", *CURRENTS, "refrac_count"))
