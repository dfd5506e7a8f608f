"""A leaky integrate-and-fire membrane driven by any number of exponentially decaying currents:
shared by sPyNNaker's extra current-based models (IF_curr_dual_exp, IFCurrExpCa2Adaptive,
IF_curr_exp_sEMD).

Each current I_k (nA) obeys dI_k/dt = -I_k / tau_k and reaches the membrane with a gain g_k
(+1 for synaptic currents, -1 for a hyperpolarising adaptation current, a latched factor for
the sEMD's trigger current)::

    C dV/dt = -C/tau_m (V - v_rest) + sum_k g_k I_k + i_offset

Both are linear, so one tick is integrated exactly as NEST's iaf_psc_exp does (IF_curr_exp's
scheme, if_curr_exp.py), with one propagator per current::

    V <- V exp(-dt/tau_m) + sum_k g_k I_k P_k + i_offset tau_m/C (1 - exp(-dt/tau_m))
    I_k <- I_k exp(-dt/tau_k) + (this tick's input)

P_k = psc_exp_propagator(tau_k, tau_m, C, dt). V is relative to v_rest, float32.

In:  per-neuron parameters (PyNN names, PyNN units), the currents' names and time constants.
Out: block entries (``current_block``); one tick of the membrane (``membrane_step``) and of the
     currents (``decay_and_add``).
Raises: ParameterRangeError for a time constant or capacitance that is not > 0.
"""

from __future__ import annotations

from typing import Iterable, Mapping, Sequence

import numpy as np

from .base import Block, exp_decay, f32, if_membrane, psc_exp_propagator, require_positive


def current_block(params: Mapping[str, np.ndarray], initial: Mapping[str, np.ndarray],
                  dt: float, currents: Mapping[str, str]) -> Block:
    """The membrane entries plus, per current ``name -> tau parameter``: its state ``name``
    (from ``initial``, 0 where it has none), ``decay_<name>`` and ``to_v_<name>`` (mV per nA).

    Raises: ParameterRangeError (module docstring)."""
    require_positive(params, "tau_m", "cm", *currents.values())
    tau_m = np.asarray(params["tau_m"], dtype=np.float64)
    cm = np.asarray(params["cm"], dtype=np.float64)
    block = {
        **if_membrane(params, initial, dt),
        "decay_v": f32(exp_decay(tau_m, dt)),
        "dc_to_v": f32(tau_m / cm * (1.0 - exp_decay(tau_m, dt))),
    }
    for name, tau_name in currents.items():
        tau = params[tau_name]
        block[f"decay_{name}"] = f32(exp_decay(tau, dt))
        block[f"to_v_{name}"] = f32(psc_exp_propagator(tau, tau_m, cm, dt))
        start = initial[name] if name in initial else np.zeros(np.shape(tau_m))
        block[name] = f32(np.broadcast_to(start, np.shape(tau_m)))
    return block


def membrane_step(b: Block, drives: Sequence[np.ndarray]) -> None:
    """Advance v_rel by one tick where not refractory; count the refractory ticks down.

    In: drives, per current, its value times its gain times its propagator (mV), from the
    state at the start of the tick."""
    active = b["refrac_count"] == 0
    v = b["v_rel"]
    v_new = v * b["decay_v"]
    for drive in drives:
        v_new += drive
    v_new += b["i_offset"] * b["dc_to_v"]
    np.copyto(v, v_new, where=active)
    np.subtract(b["refrac_count"], 1, out=b["refrac_count"], where=~active)


def decay_and_add(b: Block, names: Iterable[str], inputs: np.ndarray) -> None:
    """Each named current decays over the tick, then takes its row of ``inputs`` (in order)."""
    for row, name in enumerate(names):
        current = b[name]
        current *= b[f"decay_{name}"]
        current += inputs[row]
