"""IF_curr_delta: leaky integrate-and-fire, delta current synapses (NEST iaf_psc_delta).

A synaptic weight is in mV, not nA: each arriving spike makes the membrane jump by its weight
(pyNN.nest passes it to iaf_psc_delta unscaled, by the cell type's receptor_scale = 1e-3).

Integration scheme: exact integration in NEST iaf_psc_delta's order within a tick: if not
refractory, v <- v*exp(-dt/tau_m) + i_offset*tau_m/cm*(1 - exp(-dt/tau_m)) + the weights arriving
this tick; spikes arriving during the refractory period are discarded (NEST's default
refractory_input = False); then threshold and reset. NEST's V_min (default -inf; pyNN does not set
it) is not modelled. The state is float32 with v kept relative to v_rest. Against NEST 3.10
(tests/neuron_models/test_model_if_curr_delta.py) the spike times are identical at dt 0.1 and 1.0 ms
and v differs by at most 9.1e-6 mV (float32 rounding).
"""

from __future__ import annotations

import numpy as np
from numba import njit
from pyNN.standardmodels import cells

from .base import (Block, NativeModel, TickContext, f32, read_relative_v, if_membrane,
                   require_positive)


def build_block(params, initial, dt: float) -> Block:
    require_positive(params, "tau_m", "cm")
    tau_m = np.asarray(params["tau_m"], dtype=np.float64)
    cm = np.asarray(params["cm"], dtype=np.float64)
    expm1_v = np.expm1(-dt / tau_m)
    return {
        **if_membrane(params, initial, dt),
        "expm1_v": f32(expm1_v),
        "dc_to_v": f32(-tau_m / cm * expm1_v),
        # this tick's summed input per receptor (mV), readable as input_exc / input_inh
        # (sPyNNaker records it as gsyn_exc / gsyn_inh); not state
        "input_exc": np.zeros(np.shape(tau_m), dtype=np.float32),
        "input_inh": np.zeros(np.shape(tau_m), dtype=np.float32),
    }


@njit(cache=True, nogil=True)
def _kernel(v_rel, refrac_count, i_offset, dc_to_v, expm1_v, v_thresh_rel, v_reset_rel,
            refrac_ticks, inputs, spikes) -> None:
    """One tick of every neuron in float32, in the order of the numpy expressions it replaced
    (``i_offset*dc_to_v + expm1_v*v + v + (in_exc + in_inh)``, left to right; numba does not
    contract to fused multiply-adds without fastmath), then threshold_and_reset."""
    for i in range(len(v_rel)):
        if refrac_count[i] == 0:
            v = v_rel[i]
            v_rel[i] = (i_offset[i] * dc_to_v[i] + expm1_v[i] * v + v
                        + (inputs[0, i] + inputs[1, i]))
        else:
            refrac_count[i] -= 1
        fired = v_rel[i] >= v_thresh_rel[i]
        spikes[i] = fired
        if fired:
            v_rel[i] = v_reset_rel[i]
            refrac_count[i] = refrac_ticks[i]


def step(b: Block, inputs: np.ndarray, ctx: TickContext) -> np.ndarray:
    """Membrane decay, bias and this tick's jumps (unless refractory), threshold and reset.
    Out: the spike array."""
    spikes = np.empty(len(b["v_rel"]), dtype=np.bool_)
    _kernel(b["v_rel"], b["refrac_count"], b["i_offset"], b["dc_to_v"], b["expm1_v"],
            b["v_thresh_rel"], b["v_reset_rel"], b["refrac_ticks"],
            np.ascontiguousarray(inputs, dtype=np.float32), spikes)
    b["input_exc"][:] = inputs[0]
    b["input_inh"][:] = inputs[1]
    return spikes


read = read_relative_v


MODEL = NativeModel(
    name="if_curr_delta", pynn_class=cells.IF_curr_delta, kind="neuron",
    parameters=("tau_m", "cm", "v_rest", "v_thresh", "v_reset", "tau_refrac", "i_offset"),
    state=("v",), recordable=("v",),
    receptors=("excitatory", "inhibitory"), receptor_signs=(1, -1),
    build_block=build_block, step=step, read=read, state_keys=("v_rel", "refrac_count"))
