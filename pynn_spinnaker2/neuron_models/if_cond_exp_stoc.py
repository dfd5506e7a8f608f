"""IFCondExpStoc (sPyNNaker's extra model): leaky integrate-and-fire with exponentially decaying
conductance synapses and a stochastic (soft) threshold, the escape noise of Habenschuss, Jonke
and Maass (2013), "Stochastic computations in cortical microcircuit models", PLoS Comput Biol
9:e1003311::

    C dV/dt = -C/tau_m (V - v_rest) - g_e (V - e_rev_E) - g_i (V - e_rev_I) + i_offset
    rho(V) = exp((V - v_thresh) / du_th) / tau_th          (firing intensity, per ms)

In each tick a neuron that is not refractory fires with probability 1 - exp(-rho(V) dt), V the
membrane potential at the end of the tick; then V <- v_reset and it is refractory for
ceil(tau_refrac / dt) ticks (V held at v_reset). The draw comes from the neuron's own
counter-based stream (random_streams.py: population << 32 | index, the tick, the seed), so the
same seed gives the same spikes whatever the mapping. The exponent is capped at 80 (float32).

sPyNNaker's kernel differs in two ways that are not in the paper: it multiplies rho by dt / 10
instead of dt, and caps the probability at 0.8 per tick (jumping to 0.8 where the exponent
reaches 5). Here the published intensity is used as it is.

The membrane and conductances are if_cond_exp.py's (its scheme and float32 operations); the
initial conductances are sPyNNaker's state variables isyn_exc and isyn_inh (uS), recorded also
as gsyn_exc and gsyn_inh.
"""

from __future__ import annotations

import numpy as np

from ..random_streams import uniform_u32
from .base import (Block, NativeModel, TickContext, exp_decay, f32, read_relative_v,
                   require_positive)
from .if_cond_exp import conductance_step, exp_synapse_constants, membrane_block

EXP_ARG_MAX = np.float32(80.0)
TWO_32 = 2.0 ** 32


def build_block(params, initial, dt: float) -> Block:
    renamed = {"v": initial["v"], "gsyn_exc": initial["isyn_exc"],
               "gsyn_inh": initial["isyn_inh"]}
    block = membrane_block(params, renamed, dt)
    for kind, tau in (("exc", params["tau_syn_E"]), ("inh", params["tau_syn_I"])):
        mean, moment = exp_synapse_constants(tau, params["cm"], dt)
        block.update({f"decay_{kind}": f32(exp_decay(tau, dt)),
                      f"mean_{kind}": f32(mean), f"moment_{kind}": f32(moment)})
    require_positive(params, "du_th", "tau_th")
    du_th = np.asarray(params["du_th"], dtype=np.float64)
    tau_th = np.asarray(params["tau_th"], dtype=np.float64)
    block["inv_du_th"] = f32(1.0 / du_th)
    block["dt_over_tau_th"] = f32(dt / tau_th)
    return block


def firing_probability(b: Block) -> np.ndarray:
    """1 - exp(-rho(V) dt) per neuron, from v_rel and the block's constants (float32)."""
    exponent = np.minimum((b["v_rel"] - b["v_thresh_rel"]) * b["inv_du_th"], EXP_ARG_MAX)
    return -np.expm1(-b["dt_over_tau_th"] * np.exp(exponent))


def step(b: Block, inputs: np.ndarray, ctx: TickContext) -> np.ndarray:
    refractory = b["refrac_count"] > 0
    conductance_step(b, inputs)
    draws = uniform_u32(ctx.seed, ctx.streams, ctx.tick)
    # the draw as (d + 1/2) / 2^32, in (0, 1): a draw of 0 (which the stream hash gives for
    # seed 0, stream 0, tick 0) does not fire a neuron whose probability is 1e-25
    spikes = ~refractory & (draws + 0.5 < firing_probability(b).astype(np.float64) * TWO_32)
    b["v_rel"][spikes] = b["v_reset_rel"][spikes]
    b["refrac_count"][spikes] = b["refrac_ticks"][spikes]
    return spikes


def read(b: Block, variable: str) -> np.ndarray:
    if variable in ("isyn_exc", "isyn_inh"):
        return b[variable.replace("isyn", "gsyn")]
    return read_relative_v(b, variable)


PARAMETERS = ("tau_m", "cm", "v_rest", "v_reset", "v_thresh", "tau_syn_E", "tau_syn_I",
              "tau_refrac", "i_offset", "e_rev_E", "e_rev_I", "du_th", "tau_th")

MODEL = NativeModel(
    name="if_cond_exp_stoc", pynn_class=None, kind="neuron", parameters=PARAMETERS,
    state=("v", "isyn_exc", "isyn_inh"),
    recordable=("v", "gsyn_exc", "gsyn_inh", "isyn_exc", "isyn_inh"),
    receptors=("excitatory", "inhibitory"), receptor_signs=(1, 1),
    build_block=build_block, step=step, read=read,
    state_keys=("v_rel", "gsyn_exc", "gsyn_inh", "refrac_count"), stochastic=True)
