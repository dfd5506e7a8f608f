"""IF_curr_exp_sEMD (sPyNNaker's extra model): the spiking elementary motion detector (Milde et
al. 2018, "Spiking elementary motion detector in neuromorphic systems", Neural Computation
30:2384): a leaky integrate-and-fire neuron whose second excitatory input (the trigger) is
multiplied by the first (the facilitation), sampled when the trigger response starts.

Three exponentially decaying currents, a spike of weight w adding w nA: I_f (receptor
``excitatory``, tau_syn_E), I_t (``excitatory2``, tau_syn_E2) and I_i (``inhibitory``,
tau_syn_I, negative weights). The facilitation current does not reach the membrane itself; it
sets the gain of the trigger current::

    C dV/dt = -C/tau_m (V - v_rest) + scaling_factor * m * I_t + I_i + i_offset

The multiplicator m (nA) is latched at the start of each tick: when the trigger response becomes
active (I_t >= 0.001 nA now, below it at the previous tick, m = 0) m takes the facilitation
current I_f of that moment; while I_t stays active m keeps its value; when I_t falls below
0.001 nA, m returns to 0. So the response to a trigger spike grows with how recently the
facilitation input came (the time to travel between two detectors' receptive fields).
exc2_old is I_t at the previous tick (sPyNNaker's state name). sPyNNaker latches only when the
previous I_t is exactly 0, which its fixed-point arithmetic reaches some 3.5 tau_syn_E2 after the
response fell below 0.001 nA; here "below 0.001 nA" is the same condition without that dead time.

Between two ticks m is constant, so all three currents are integrated exactly
(_lif_currents.py: IF_curr_exp's scheme, the trigger's propagator times scaling_factor * m), in
NEST's order: latch, membrane (unless refractory) from the old currents, decay and input,
threshold and reset. Recorded gsyn_exc is sPyNNaker's excitatory input, scaling_factor * m * I_t
(nA), gsyn_inh is I_i.
"""

from __future__ import annotations

import numpy as np

from .base import Block, NativeModel, TickContext, f32, read_relative_v, threshold_and_reset
from ._lif_currents import current_block, decay_and_add, membrane_step

CURRENTS = {"isyn_exc": "tau_syn_E", "isyn_exc2": "tau_syn_E2", "isyn_inh": "tau_syn_I"}
ACTIVE_NA = np.float32(0.001)   # a trigger response at least this large is active


def build_block(params, initial, dt: float) -> Block:
    block = current_block(params, initial, dt, CURRENTS)
    shape = np.shape(block["v_rel"])
    block["scaling_factor"] = f32(np.broadcast_to(params["scaling_factor"], shape))
    block["multiplicator"] = f32(np.broadcast_to(initial["multiplicator"], shape))
    block["exc2_old"] = f32(np.broadcast_to(initial["exc2_old"], shape))
    return block


def latch(b: Block) -> None:
    """The multiplicator's update at the start of a tick (module docstring)."""
    trigger, m = b["isyn_exc2"], b["multiplicator"]
    active = trigger >= ACTIVE_NA
    onset = active & (b["exc2_old"] < ACTIVE_NA) & (m == 0)
    m[onset] = b["isyn_exc"][onset]
    m[~active] = 0
    b["exc2_old"][...] = trigger


def trigger_current(b: Block) -> np.ndarray:
    """scaling_factor * m * I_t (nA): what the trigger input drives the membrane with."""
    return b["scaling_factor"] * b["multiplicator"] * b["isyn_exc2"]


def step(b: Block, inputs: np.ndarray, ctx: TickContext) -> np.ndarray:
    latch(b)
    membrane_step(b, [trigger_current(b) * b["to_v_isyn_exc2"],
                      b["isyn_inh"] * b["to_v_isyn_inh"]])
    decay_and_add(b, CURRENTS, inputs)
    return threshold_and_reset(b)


def read(b: Block, variable: str) -> np.ndarray:
    if variable == "gsyn_exc":
        return trigger_current(b)
    if variable == "gsyn_inh":
        return b["isyn_inh"]
    return read_relative_v(b, variable)


PARAMETERS = ("tau_m", "cm", "v_rest", "v_reset", "v_thresh", "tau_syn_E", "tau_syn_E2",
              "tau_syn_I", "tau_refrac", "i_offset", "scaling_factor")
STATE = ("v", "isyn_exc", "isyn_exc2", "isyn_inh", "multiplicator", "exc2_old")

MODEL = NativeModel(
    name="if_curr_exp_semd", pynn_class=None, kind="neuron", parameters=PARAMETERS,
    state=STATE, recordable=(*STATE, "gsyn_exc", "gsyn_inh"),
    receptors=("excitatory", "excitatory2", "inhibitory"), receptor_signs=(1, 1, -1),
    build_block=build_block, step=step, read=read,
    state_keys=("v_rel", *CURRENTS, "multiplicator", "exc2_old", "refrac_count"))
