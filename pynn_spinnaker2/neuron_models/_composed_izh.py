"""The Izhikevich membrane of composed models: ``PointNeuron(Izhikevich(...), **receptors)``.

PyNN 0.13 has no Izhikevich component (pyNN.nest offers only the monolithic ``izhikevich``
with delta synapses, which izhikevich.py runs); this backend lets the standard Izhikevich cell
serve as one. Its own delta synapses are then replaced by the receptors: in NEST izhikevich's
forward-Euler step the synaptic current joins i_offset, in the same units (nA -> mV/ms, I_e's
"R = 1" scaling that pyNN.nest gives i_offset)::

    v' = v + dt (0.04 v^2 + 5 v + 140 - u + 1000 (i_offset + I_syn))
    I_syn = sum_r I_r  (current receptors)  or  sum_r g_r (E_r - v)  (conductance receptors)

with the receptors' values and v at the start of the tick; then the receptors propagate and
take the tick's input, and threshold (30 mV) and reset are izhikevich.py's.
"""

from __future__ import annotations

import numpy as np

from . import izhikevich
from .base import Block, TickContext
from ._receptors import KINDS, receptor_block, reversal_block, update_receptors

PARAMETERS = ("a", "b", "c", "d", "i_offset")
STATE = ("v", "u")
RECORDABLE = ("v", "u")
STATE_KEYS = ("v_rel", "u")
INJECTION = ("i_drive", 1000.0)


def build_block(receptors, params, initial, dt: float) -> Block:
    block = izhikevich.build_block(params, initial, dt)
    shape = np.shape(block["v_rel"])
    block.update(receptor_block(receptors, params, initial, dt))
    block.update(reversal_block(receptors, params, np.full(shape, izhikevich.V_VERTEX_MV)))
    return block


def step(receptors, b: Block, inputs: np.ndarray, ctx: TickContext) -> np.ndarray:
    v = b["v_rel"]
    synaptic = np.zeros_like(v)
    for r, (_, kind) in enumerate(receptors):
        g = b[f"g_{r}"]
        synaptic += g * (b[f"e_rel_{r}"] - v) if KINDS[kind][2] else g
    drive = b["i_drive"]
    bias = drive.copy()
    drive += np.float32(1000.0) * synaptic      # nA -> mV/ms, as i_offset
    spikes = izhikevich.step(b, np.zeros((2, len(v)), dtype=np.float32), ctx)
    drive[...] = bias
    update_receptors(b, receptors, inputs)
    return spikes


read = izhikevich.read
