"""Izhikevich: quadratic integrate-and-fire with a recovery variable, delta-current synapses.

Matches NEST 3.10's ``izhikevich`` (what pyNN.nest maps ``Izhikevich`` to), including its update
order, which is forward Euler (``consistent_integration = True``, NEST's default) with the
arriving spikes added straight to v in the same step::

    v' = v + dt * (0.04 v**2 + 5 v + 140 - u + I) + (sum of arriving weights)
    u' = u + dt * a * (b v - u)            (both from the old v and u)
    if v' >= 30 mV:  v' = c,  u' = u' + d  (V_th = 30 mV, NEST's default; no refractoriness)

Units as pyNN.nest gives them to NEST: ``i_offset`` (nA) becomes ``I_e = 1000 * i_offset`` and
is added to dv/dt as mV/ms (NEST's izhikevich takes I_e in pA with "R = 1"), while a weight of
w "nA" becomes a jump of w mV (pyNN.nest undoes its usual nA -> pA scaling with
``receptor_scale = 1e-3``). Both receptors feed v; inhibitory weights are negative (PyNN's
current-based convention). NEST's lower bound V_min is -inf by default and PyNN does not set it,
so there is none here.

Integration: forward Euler as in NEST (not an approximation of NEST: the same scheme), in
float32, with v kept relative to -62.5 mV, the vertex of the parabola: there
0.04 v^2 + 5 v + 140 = 0.04 (v + 62.5)^2 - 16.25 has no large cancelling terms, which made the
float32 error about 4 times smaller (and removed the one spike, of ~450, that the plain form
put one tick off in a 1000 ms check of 30 randomly driven neurons). Measured against NEST
(tests/golden/izhikevich_single.json, two scenarios of 200 ms): identical spike times at
dt = 0.1 and 1.0 ms; max |v - v_NEST| 6.3e-3 mV at dt = 0.1 and 3.6e-4 mV at dt = 1.0 (float32
rounding, amplified in the fast upstroke just before a spike), max |u - u_NEST| 9e-6 mV/ms.
The wider check (30 neurons, 1000 ms, random inputs and drives) gives identical spike times at
dt = 0.1, 0.5 and 1.0 (452, 445 and 436 spikes). A spike can still move by a tick where NEST's
v ends a tick within float32 rounding (~1e-3 mV) of 30 mV.
"""

from __future__ import annotations

import numpy as np
from pyNN.standardmodels import cells

from .base import Block, NativeModel, TickContext, f32

V_THRESHOLD_MV = 30.0   # NEST izhikevich's V_th (PyNN does not expose it)
V_VERTEX_MV = -62.5     # where dv/dt's parabola has its minimum: v is stored relative to it


def build_block(params, initial, dt: float) -> Block:
    a = np.asarray(params["a"], dtype=np.float64)
    b = np.asarray(params["b"], dtype=np.float64)
    return {
        "dt": f32(np.full(np.shape(a), dt)),
        "dt_a": f32(dt * a),
        "b": f32(b),
        "b_vertex": f32(b * V_VERTEX_MV),
        "c_rel": f32(np.asarray(params["c"], dtype=np.float64) - V_VERTEX_MV),
        "d": f32(params["d"]),
        "i_drive": f32(1000.0 * np.asarray(params["i_offset"], dtype=np.float64)),  # mV/ms
        "v_thresh_rel": f32(np.full(np.shape(a), V_THRESHOLD_MV - V_VERTEX_MV)),
        # state
        "v_rel": f32(np.asarray(initial["v"], dtype=np.float64) - V_VERTEX_MV),
        "u": f32(initial["u"]),
    }


def step(b: Block, inputs: np.ndarray, ctx: TickContext) -> np.ndarray:
    v, u = b["v_rel"], b["u"]
    # with v = v_rel - 62.5: 0.04 v^2 + 5 v + 140 = 0.04 v_rel^2 - 16.25 (fewer cancelling
    # terms in float32) and b v = b v_rel - 62.5 b
    dv = np.float32(0.04) * v * v - np.float32(16.25) - u + b["i_drive"]
    du = b["dt_a"] * (b["b"] * v + b["b_vertex"] - u)
    v += b["dt"] * dv + (inputs[0] + inputs[1])
    u += du
    spikes = v >= b["v_thresh_rel"]
    v[spikes] = b["c_rel"][spikes]
    u[spikes] += b["d"][spikes]
    return spikes


def read(b: Block, variable: str) -> np.ndarray:
    if variable == "v":
        return b["v_rel"] + np.float32(V_VERTEX_MV)
    return b[variable]


MODEL = NativeModel(
    name="izhikevich", pynn_class=cells.Izhikevich, kind="neuron",
    parameters=("a", "b", "c", "d", "i_offset"),
    state=("v", "u"), recordable=("v", "u"),
    receptors=("excitatory", "inhibitory"), receptor_signs=(1, -1),
    build_block=build_block, step=step, read=read, state_keys=("v_rel", "u"),
    injection=("i_drive", 1000.0))   # nA -> mV/ms, as pyNN.nest's I_e in pA
