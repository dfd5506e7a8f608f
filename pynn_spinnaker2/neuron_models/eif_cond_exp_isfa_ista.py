"""EIF_cond_exp_isfa_ista: adaptive exponential integrate-and-fire (AdEx), exponentially
decaying conductances; NEST's aeif_cond_exp.

Integration scheme (shared with EIF_cond_alpha_isfa_ista, see _adex.py): NEST integrates this
model with adaptive RKF45 (tolerance 1e-6); here V and w take classic RK4 in float32 with
ceil(dt / 0.025 ms) fixed sub-steps per tick (4 at dt = 0.1 ms, 40 at dt = 1.0 ms), with the
conductances g(t) = g(t0) exp(-(t - t0)/tau_syn) exact at the RK4 stage times and again exact at
the end of the tick, then the tick's input (uS) added.  The spike test V >= v_spike, reset and
w += b happen after every sub-step, as NEST does after every RKF45 step; the right-hand side
uses min(V, v_spike) and the exponent is capped at 50 so float32 cannot overflow.

Measured against NEST 3.10 (tests/golden/eif_golden.json, two 200 ms scenarios): the same
spike ticks as NEST at dt = 0.1 and at dt = 1.0 ms; max |V - V_NEST| 0.20 mV at dt = 0.1 and
0.084 mV at dt = 1.0, all of it on the spike upswing (0.013 mV outside the last ms before each
spike); max |w - w_NEST| 1.1e-4 nA; conductances within 3e-8 uS.  The error is RK4 truncation
(float64 gives the same), 0.03 mV at 0.01 ms sub-steps.
"""

from __future__ import annotations

import numpy as np
from pyNN.standardmodels import cells

from . import _adex
from .base import Block, NativeModel, TickContext, exp_decay, f32


def build_block(params, initial, dt: float) -> Block:
    block, _, h = _adex.build_common(params, initial, dt)
    for receptor, tau in (("exc", params["tau_syn_E"]), ("inh", params["tau_syn_I"])):
        block[f"{receptor}_decay_half"] = f32(exp_decay(tau, h / 2.0))
        block[f"{receptor}_decay_sub"] = f32(exp_decay(tau, h))
        block[f"{receptor}_decay_tick"] = f32(exp_decay(tau, dt))
    return block


def _stages(b: Block):
    """Exact conductances at the start, middle and end of every sub-step."""
    g_exc, g_inh = b["gsyn_exc"], b["gsyn_inh"]
    for _ in range(int(b["n_substeps"].max(initial=0))):
        mid = (g_exc * b["exc_decay_half"], g_inh * b["inh_decay_half"])
        end = (g_exc * b["exc_decay_sub"], g_inh * b["inh_decay_sub"])
        yield (g_exc, g_inh), mid, end
        g_exc, g_inh = end


def step(b: Block, inputs: np.ndarray, ctx: TickContext) -> np.ndarray:
    spikes = _adex.integrate_tick(b, _stages(b))
    b["gsyn_exc"] *= b["exc_decay_tick"]
    b["gsyn_exc"] += inputs[0]
    b["gsyn_inh"] *= b["inh_decay_tick"]
    b["gsyn_inh"] += inputs[1]
    return spikes


MODEL = NativeModel(
    name="eif_cond_exp_isfa_ista", pynn_class=cells.EIF_cond_exp_isfa_ista, kind="neuron",
    parameters=_adex.ADEX_PARAMETERS, state=_adex.ADEX_STATE, recordable=_adex.ADEX_RECORDABLE,
    receptors=("excitatory", "inhibitory"), receptor_signs=(1, 1),
    build_block=build_block, step=step, read=_adex.read,
    state_keys=("v_rel", "w", "gsyn_exc", "gsyn_inh", "refrac_count"))
