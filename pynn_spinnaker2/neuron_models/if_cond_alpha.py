"""IF_cond_alpha: leaky integrate-and-fire, alpha-shaped conductance synapses.

NEST equivalent: iaf_cond_alpha, which integrates V and the conductances with GSL's adaptive
RKF45 solver (absolute error tolerance 1e-3). Each synapse type has two state variables, g (uS)
and dg (uS/ms), with dg' = -dg/tau_syn and g' = dg - g/tau_syn; a spike of weight w adds
w e / tau_syn to dg, so that g peaks at w uS tau_syn after the spike.

Integration scheme: if_cond_exp's (see its docstring), one step per tick in float32, with
the alpha conductance's exact propagation and exact tick means and moments:

* g <- exp(-h/tau) (g + h dg), dg <- exp(-h/tau) dg (exact).
* Over a tick g(t) = exp(-t/tau) (g + t dg), so its mean and its first moment about the
  middle of the tick are host constants times g plus host constants times dg; the membrane
  takes exponential Euler with the mean conductances plus the first-moment correction.

Per neuron and tick: one expm1, two divisions and about 40 multiplies and adds.

Order within a tick is NEST's: the membrane (if not refractory) from the synaptic state before
this tick's spikes, conductance propagation, new input, threshold, reset; during the refractory
period V stays at v_reset. State in float32 with v kept relative to v_rest. The initial values
gsyn_exc and gsyn_inh set g with dg = 0.

Measured against NEST 3.10 (tests/golden/if_cond_single.json,
tests/neuron_models/test_model_if_cond.py): spike times identical at dt 0.1 and 1.0 ms; max |v -
v_NEST| 6.3e-5 mV at dt 0.1 and 0.040 mV at dt 1.0. The dt 1.0 figure is from PyNN's default
tau_syn_E = 0.3 ms with 0.25 uS bursts: the conductance transient then lies within about one tick,
which a one-step scheme cannot resolve (with tau_syn_E 1 ms and tau_syn_I 3 ms it is 1.8e-4 mV).
Without the moment correction the figures would be 6.6e-3 mV and 0.18 mV. With 40 neurons under
random input (tau_syn_E 0.5 ms, 3 seeds, 300 ms) all 2253 spikes at dt 0.1 were identical to NEST's;
at dt 1.0 three of 120 trains differed (a spike missing, added or one step early), where v came
within 0.05 mV of threshold.
"""

from __future__ import annotations

import numpy as np
from pyNN.standardmodels import cells

from .base import Block, NativeModel, TickContext, exp_decay, f32
from .if_cond_exp import (PARAMETERS, decay_moments, membrane_block, membrane_step, read,
                          threshold)


def alpha_synapse_constants(tau, cm, dt: float) -> dict[str, np.ndarray]:
    """Tick means and first moments (divided by C dt) of g(t) = exp(-t/tau) (g0 + t dg0).

    Returns the coefficients of g0 ("mean_g", "moment_g") and of dg0 ("mean_dg", "moment_dg").
    """
    i0, i1, i2 = decay_moments(tau, dt)
    c_dt = np.asarray(cm, dtype=np.float64) * dt
    return {"mean_g": i0 / dt, "mean_dg": i1 / dt,
            "moment_g": (i1 - 0.5 * dt * i0) / c_dt, "moment_dg": (i2 - 0.5 * dt * i1) / c_dt}


def build_block(params, initial, dt: float) -> Block:
    block = membrane_block(params, initial, dt)
    shape = np.shape(params["tau_m"])
    for kind, tau in (("exc", params["tau_syn_E"]), ("inh", params["tau_syn_I"])):
        decay = exp_decay(tau, dt)
        block.update({f"{name}_{kind}": f32(value) for name, value
                      in alpha_synapse_constants(tau, params["cm"], dt).items()})
        block.update({
            f"decay_{kind}": f32(decay),
            f"dg_to_g_{kind}": f32(dt * decay),
            f"weight_to_dg_{kind}": f32(np.e / np.asarray(tau, dtype=np.float64)),
            f"dgsyn_{kind}": np.zeros(shape, dtype=np.float32),
        })
    return block


def step(b: Block, inputs: np.ndarray, ctx: TickContext) -> np.ndarray:
    g_exc, dg_exc, g_inh, dg_inh = b["gsyn_exc"], b["dgsyn_exc"], b["gsyn_inh"], b["dgsyn_inh"]
    membrane_step(b,
                  g_exc * b["mean_g_exc"] + dg_exc * b["mean_dg_exc"],
                  g_inh * b["mean_g_inh"] + dg_inh * b["mean_dg_inh"],
                  g_exc * b["moment_g_exc"] + dg_exc * b["moment_dg_exc"],
                  g_inh * b["moment_g_inh"] + dg_inh * b["moment_dg_inh"])
    for receptor, kind in ((0, "exc"), (1, "inh")):
        g, dg = b[f"gsyn_{kind}"], b[f"dgsyn_{kind}"]
        g *= b[f"decay_{kind}"]
        g += b[f"dg_to_g_{kind}"] * dg
        dg *= b[f"decay_{kind}"]
        dg += b[f"weight_to_dg_{kind}"] * inputs[receptor]
    return threshold(b)


MODEL = NativeModel(
    name="if_cond_alpha", pynn_class=cells.IF_cond_alpha, kind="neuron",
    parameters=PARAMETERS,
    state=("v", "gsyn_exc", "gsyn_inh"), recordable=("v", "gsyn_exc", "gsyn_inh"),
    receptors=("excitatory", "inhibitory"), receptor_signs=(1, 1),
    build_block=build_block, step=step, read=read,
    state_keys=("v_rel", "gsyn_exc", "dgsyn_exc", "gsyn_inh", "dgsyn_inh",
                "refrac_count"))
