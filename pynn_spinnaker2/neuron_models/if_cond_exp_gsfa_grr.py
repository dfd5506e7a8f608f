"""IF_cond_exp_gsfa_grr: leaky integrate-and-fire with exponential synaptic conductances, a
spike-frequency adaptation conductance g_s and a relative refractory conductance g_r (Muller
et al. 2007); NEST's iaf_cond_exp_sfa_rr.

    C dV/dt = -g_L (V - E_L) - g_e (V - E_e) - g_i (V - E_i) - g_s (V - E_sfa) - g_r (V - E_rr)
              + i_offset
    dg_s/dt = -g_s / tau_sfa,   dg_r/dt = -g_r / tau_rr

with g_L = cm / tau_m. A spike (V >= v_thresh) resets V to v_reset, starts the refractory
period and adds q_sfa to g_s and q_rr to g_r (nS in PyNN, kept in uS like the synaptic ones).

Integration scheme: if_cond_exp's (exponential Euler with the exact means and first moments of
the conductances over the tick, then the clip to the reversal potentials), with four
exponentially decaying conductances instead of two (_cond_membrane.py); all four decay exactly
(as g <- g - g (1 - exp(-dt/tau)), which keeps float32 rounding from compounding).
NEST integrates with adaptive RKF45 (tolerance 1e-3). Order within a tick is NEST's:
membrane (if not refractory) from the conductances at the start of the tick, conductance
decay, synaptic input, threshold, reset and the q_sfa / q_rr increments, so a spike's g_s and g_r
act from the next tick on.

Measured against NEST 3.10: see docs/models.md and
tests/neuron_models/test_model_if_cond_exp_gsfa_grr.py.
"""

from __future__ import annotations

import numpy as np
from pyNN.standardmodels import cells

from ..errors import ParameterRangeError
from ._cond_membrane import channel_constants, decay, membrane_update
from .base import (Block, NativeModel, TickContext, f32, if_membrane, require_positive,
                   threshold_and_reset)

PARAMETERS = ("v_rest", "cm", "tau_m", "tau_refrac", "tau_syn_E", "tau_syn_I", "e_rev_E",
              "e_rev_I", "v_thresh", "v_reset", "i_offset", "tau_sfa", "e_rev_sfa", "q_sfa",
              "tau_rr", "e_rev_rr", "q_rr")
STATE = ("v", "g_r", "g_s", "gsyn_exc", "gsyn_inh")
# conductance block key -> (time constant, reversal potential) parameters
CHANNELS = {"gsyn_exc": ("tau_syn_E", "e_rev_E"), "gsyn_inh": ("tau_syn_I", "e_rev_I"),
            "g_sfa": ("tau_sfa", "e_rev_sfa"), "g_rr": ("tau_rr", "e_rev_rr")}
NS_PER_US = 1000.0


def build_block(params, initial, dt: float) -> Block:
    """In: PyNN parameters and initial values (g_r, g_s and q_* in nS). Out: the block.
    Raises: ParameterRangeError for a non-positive cm or time constant, a negative tau_refrac
    or v_reset above v_thresh (NEST's checks)."""
    require_positive(params, "cm", "tau_m", *(tau for tau, _ in CHANNELS.values()))
    p = {k: np.asarray(params[k], dtype=np.float64) for k in PARAMETERS}
    if np.any(p["tau_refrac"] < 0):
        raise ParameterRangeError("parameter tau_refrac must be >= 0")
    if np.any(p["v_reset"] > p["v_thresh"]):
        raise ParameterRangeError("parameter v_reset must be below v_thresh")
    v_rest = p["v_rest"]
    block = {
        **if_membrane(p, initial, dt),
        "g_leak": f32(p["cm"] / p["tau_m"]),
        "dt_over_cm": f32(dt / p["cm"]),
        "q_sfa": f32(p["q_sfa"] / NS_PER_US),
        "q_rr": f32(p["q_rr"] / NS_PER_US),
        # state
        "gsyn_exc": f32(np.broadcast_to(initial["gsyn_exc"], v_rest.shape)),
        "gsyn_inh": f32(np.broadcast_to(initial["gsyn_inh"], v_rest.shape)),
        "g_sfa": f32(np.broadcast_to(initial["g_s"], v_rest.shape) / NS_PER_US),
        "g_rr": f32(np.broadcast_to(initial["g_r"], v_rest.shape) / NS_PER_US),
    }
    for key, (tau, e_rev) in CHANNELS.items():
        block[f"e_{key}_rel"] = f32(p[e_rev] - v_rest)
        for name, value in channel_constants(p[tau], p["cm"], dt).items():
            block[f"{name}_{key}"] = value
    return block


def step(b: Block, inputs: np.ndarray, ctx: TickContext) -> np.ndarray:
    """One tick (module docstring). Out: the spike array."""
    active = b["refrac_count"] == 0
    membrane_update(b, [(b[key], b[f"mean_{key}"], b[f"moment_{key}"], b[f"e_{key}_rel"])
                        for key in CHANNELS], b["i_offset"], active)
    np.subtract(b["refrac_count"], 1, out=b["refrac_count"], where=~active)
    for key in CHANNELS:
        decay(b[key], b[f"loss_{key}"])
    b["gsyn_exc"] += inputs[0]
    b["gsyn_inh"] += inputs[1]
    spikes = threshold_and_reset(b)
    b["g_sfa"] += np.where(spikes, b["q_sfa"], np.float32(0.0))
    b["g_rr"] += np.where(spikes, b["q_rr"], np.float32(0.0))
    return spikes


def read(b: Block, variable: str) -> np.ndarray:
    """v in mV, g_s / g_r in nS (PyNN's units), the synaptic conductances in uS."""
    if variable == "v":
        return b["v_rel"] + b["v_rest"]
    if variable in ("g_s", "g_r"):
        return b["g_sfa" if variable == "g_s" else "g_rr"] * np.float32(NS_PER_US)
    return b[variable]


MODEL = NativeModel(
    name="if_cond_exp_gsfa_grr", pynn_class=cells.IF_cond_exp_gsfa_grr, kind="neuron",
    parameters=PARAMETERS, state=STATE, recordable=STATE,
    receptors=("excitatory", "inhibitory"), receptor_signs=(1, 1),
    build_block=build_block, step=step, read=read,
    state_keys=("v_rel", "gsyn_exc", "gsyn_inh", "g_sfa", "g_rr", "refrac_count"))
