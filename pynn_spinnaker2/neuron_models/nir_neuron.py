"""NIR_Neuron: the neuron nodes of NIR (LIF, CubaLIF, IF, LI, CubaLI, I, Threshold) as one model.

NIR's continuous-time equations, in one form (S: the weighted input spikes plus the bias)::

    tau_syn dI/dt = -I + w_in S          (tau_syn = 0: no filter, I = w_in S)
    tau_mem dv/dt = (v_leak - v) + (tau_mem / tau_in) r I     (leaky = 1)
            dv/dt = r I / tau_in                              (leaky = 0: IF and I)
    v = r I                                                   (tau_mem = 0: Threshold, readout)
    spike when v > v_threshold (spiking = 1); then v <- v_reset, or v <- v - (v_threshold -
    v_reset) when reset_subtract = 1.

tau_in is the time unit of r (for LIF/CubaLIF/LI/CubaLI it equals tau_mem, for IF and I it is one
unit of the graph's time in ms).

Discretisation (docs/nir.md): a spike is a pulse of height 1 held for one tick (the convention
of the frameworks that train NIR models), and each tick first advances I, then v from the new I,
each with its input held over the tick. ``euler = 0`` (default) uses the exponential-Euler
factors (a = exp(-dt/tau), gain 1 - a), ``euler = 1`` forward Euler (a = 1 - dt/tau, gain
dt/tau), which is what snnTorch and Norse compute. The state is float32. No refractory period.

In:  per-neuron parameters (times in ms), the timestep.
Out: the neuron block; per tick the spike array.
Raises: ParameterRangeError for a negative time constant or tau_in <= 0 where it is used.
"""

from __future__ import annotations

import numpy as np
from numba import njit
from pyNN.standardmodels import StandardCellType

from ..errors import ParameterRangeError
from .base import Block, NativeModel, TickContext, f32


class NIR_Neuron(StandardCellType):
    """A NIR neuron node (LIF, CubaLIF, IF, LI, CubaLI, I or Threshold), see docs/nir.md."""

    default_parameters = {
        "tau_mem": 20.0,       # membrane time constant (ms); 0: v follows r*I
        "tau_in": 20.0,        # time unit of r (ms); = tau_mem for leaky nodes
        "tau_syn": 0.0,        # synaptic current time constant (ms); 0: no filter
        "r": 1.0,              # resistance
        "v_leak": 0.0,         # leak potential
        "v_threshold": 1.0,    # firing threshold (strict: v > v_threshold)
        "v_reset": 0.0,        # reset potential
        "w_in": 1.0,           # input weight of the synaptic current
        "bias": 0.0,           # constant input (the bias of the weight layers feeding it)
        "leaky": 1.0,          # 1: leaky membrane, 0: pure integrator (IF, I)
        "spiking": 1.0,        # 1: threshold and reset, 0: never spikes (LI, CubaLI, I)
        "reset_subtract": 0.0,  # 1: subtract (v_threshold - v_reset) instead of setting v_reset
        "euler": 0.0,          # 1: forward Euler factors, 0: exponential Euler
    }
    default_initial_values = {"v": 0.0, "isyn": 0.0}
    recordable = ["spikes", "v", "isyn"]
    units = {"v": "mV", "isyn": "nA", "tau_mem": "ms", "tau_in": "ms", "tau_syn": "ms",
             "v_leak": "mV", "v_threshold": "mV", "v_reset": "mV", "bias": "nA"}
    conductance_based = False
    receptor_types = ("excitatory", "inhibitory")


def _factors(tau: np.ndarray, dt: float, euler: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(decay, gain) per tick of tau dx/dt = -x + u with u held over the tick; tau 0 gives
    (0, 1): x follows u."""
    safe = np.where(tau > 0, tau, 1.0)
    decay = np.where(euler > 0, 1.0 - dt / safe, np.exp(-dt / safe))
    decay = np.where(tau > 0, decay, 0.0)
    return decay, 1.0 - decay


def build_block(params, initial, dt: float) -> Block:
    p = {k: np.asarray(v, dtype=np.float64) for k, v in params.items()}
    for name in ("tau_mem", "tau_syn"):
        if np.any(p[name] < 0):
            raise ParameterRangeError(f"NIR_Neuron: {name} must be >= 0 (0 switches it off)")
    leaky = p["leaky"] > 0
    if np.any(~leaky & (p["tau_in"] <= 0)):
        raise ParameterRangeError("NIR_Neuron: tau_in must be > 0 for a non-leaky (IF, I) node")
    decay_syn, gain_syn = _factors(p["tau_syn"], dt, p["euler"])
    decay_mem, gain_mem = _factors(p["tau_mem"], dt, p["euler"])
    # leaky: the drive r*I reaches v with weight tau_mem/tau_in (1 for NIR's leaky nodes)
    ratio = np.where((p["tau_mem"] > 0) & (p["tau_in"] > 0),
                     p["tau_mem"] / np.where(p["tau_in"] > 0, p["tau_in"], 1.0), 1.0)
    gain_mem = np.where(leaky, gain_mem * ratio, dt / np.where(leaky, 1.0, p["tau_in"]))
    decay_mem = np.where(leaky, decay_mem, 1.0)
    shape = np.shape(p["tau_mem"])
    threshold = np.where(p["spiking"] > 0, p["v_threshold"], np.inf)
    return {
        "decay_syn": f32(decay_syn), "gain_syn": f32(gain_syn * p["w_in"]),
        "decay_mem": f32(decay_mem), "gain_mem": f32(gain_mem * p["r"]),
        "v_leak": f32(np.broadcast_to(p["v_leak"], shape)),
        "v_threshold": f32(threshold),
        "v_reset": f32(np.broadcast_to(p["v_reset"], shape)),
        "reset_step": f32(np.where(p["reset_subtract"] > 0, p["v_threshold"] - p["v_reset"],
                                   0.0)),
        "subtract": np.ascontiguousarray(p["reset_subtract"] > 0),
        "bias": f32(np.broadcast_to(p["bias"], shape)),
        # state
        "v": f32(np.broadcast_to(np.asarray(initial["v"], dtype=np.float64), shape)),
        "isyn": f32(np.broadcast_to(np.asarray(initial["isyn"], dtype=np.float64), shape)),
    }


@njit(cache=True, nogil=True)
def _kernel(v, isyn, bias, decay_syn, gain_syn, decay_mem, gain_mem, v_leak, v_threshold,
            v_reset, reset_step, subtract, inputs, spikes) -> None:
    """One tick of every neuron in float32: current, membrane, threshold, reset."""
    for i in range(len(v)):
        drive = inputs[0, i] + inputs[1, i] + bias[i]
        isyn[i] = isyn[i] * decay_syn[i] + gain_syn[i] * drive
        v[i] = v_leak[i] + (v[i] - v_leak[i]) * decay_mem[i] + gain_mem[i] * isyn[i]
        fired = v[i] > v_threshold[i]
        spikes[i] = fired
        if fired:
            if subtract[i]:
                v[i] = v[i] - reset_step[i]
            else:
                v[i] = v_reset[i]


def step(b: Block, inputs: np.ndarray, ctx: TickContext) -> np.ndarray:
    """Advance I, then v; threshold and reset. Out: the spike array."""
    spikes = np.empty(len(b["v"]), dtype=np.bool_)
    _kernel(b["v"], b["isyn"], b["bias"], b["decay_syn"], b["gain_syn"], b["decay_mem"],
            b["gain_mem"], b["v_leak"], b["v_threshold"], b["v_reset"], b["reset_step"],
            b["subtract"], np.ascontiguousarray(inputs, dtype=np.float32), spikes)
    return spikes


def read(block: Block, variable: str) -> np.ndarray:
    return block[variable]


MODEL = NativeModel(
    name="nir_neuron", pynn_class=NIR_Neuron, kind="neuron",
    parameters=tuple(NIR_Neuron.default_parameters), state=("v", "isyn"),
    recordable=("v", "isyn"), receptors=("excitatory", "inhibitory"), receptor_signs=(1, -1),
    build_block=build_block, step=step, read=read, state_keys=("v", "isyn"),
    injection=("bias", 1.0))
