"""The AdExp membrane of composed models (PyNN's ``AdExp`` component) with any receptors.

NEST's aeif_cond_alpha_multisynapse / aeif_cond_beta_multisynapse (what pyNN.nest maps
``PointNeuron(AdExp, **AlphaPSR/BetaPSR)`` to): the AdEx equations of _adex.py with the synaptic
current sum_r g_r (E_r - V) over any number of receptors (plus sum_r I_r for current-based
receptors, which NEST has no multisynapse AdEx for).

Integration: _adex.py's RK4 with ceil(dt / 0.025 ms) sub-steps per tick, the spike test and
reset after every sub-step. Each receptor's g (and rise state x) is exact at the RK4 stage times
(start, middle, end of every sub-step: g(s) = g0 exp(-s/tau_d) + x0 P(s), _receptors.py) and
recomputed exactly from the tick's start at the end of the tick, before the tick's input.
"""

from __future__ import annotations

import numpy as np

from . import _adex
from .base import Block, TickContext, f32
from ._receptors import (KINDS, profile, receptor_block, reversal_block, rises, time_constants,
                         update_receptors)

PARAMETERS = ("cm", "tau_refrac", "v_spike", "v_reset", "v_rest", "tau_m", "i_offset", "a",
              "b", "delta_T", "tau_w", "v_thresh")
STATE = ("v", "w")
RECORDABLE = ("v", "w")
STATE_KEYS = ("v_rel", "w", "refrac_count")
INJECTION = ("i_offset", 1.0)
# _adex.build_common's synaptic entries, which composed models replace by their receptors'
_MONOLITHIC_ONLY = ("e_exc_rel", "e_inh_rel", "gsyn_exc", "gsyn_inh")


def build_block(receptors, params, initial, dt: float) -> Block:
    shape = np.shape(params["cm"])
    filled = {**params, "tau_syn_E": np.ones(shape), "tau_syn_I": np.ones(shape),
              "e_rev_E": np.zeros(shape), "e_rev_I": np.zeros(shape)}
    block, _, h = _adex.build_common(
        filled, {**initial, "gsyn_exc": 0.0, "gsyn_inh": 0.0}, dt)
    for key in _MONOLITHIC_ONLY:
        del block[key]
    block.update(receptor_block(receptors, params, initial, dt))
    block.update(reversal_block(receptors, params, np.asarray(params["v_rest"], np.float64)))
    for r, (name, kind) in enumerate(receptors):
        tau_rise, tau_decay = time_constants(
            kind, {p: params[f"{name}.{p}"] for p in KINDS[kind][0]})
        for label, span in (("half", h / 2.0), ("sub", h)):
            block[f"decay_g_{label}_{r}"] = f32(np.exp(-span / tau_decay))
            if rises(kind):
                block[f"x_to_g_{label}_{r}"] = f32(profile(tau_rise, tau_decay, span))
        if rises(kind):
            block[f"decay_x_sub_{r}"] = f32(np.exp(-h / tau_rise))
    return block


def _stages(b: Block, receptors):
    """Exact receptor states at the start, middle and end of every sub-step."""
    n = len(receptors)
    g = [b[f"g_{r}"] for r in range(n)]
    x = [b[f"x_{r}"] if rises(kind) else None for r, (_, kind) in enumerate(receptors)]
    for _ in range(int(b["n_substeps"].max(initial=0))):
        mid, end = [], []
        for r in range(n):
            mid.append(g[r] * b[f"decay_g_half_{r}"])
            end.append(g[r] * b[f"decay_g_sub_{r}"])
            if x[r] is not None:
                mid[r] = mid[r] + x[r] * b[f"x_to_g_half_{r}"]
                end[r] = end[r] + x[r] * b[f"x_to_g_sub_{r}"]
        yield tuple(g), tuple(mid), tuple(end)
        g = end
        x = [None if xr is None else xr * b[f"decay_x_sub_{r}"] for r, xr in enumerate(x)]


def step(receptors, b: Block, inputs: np.ndarray, ctx: TickContext) -> np.ndarray:
    reversal = tuple(b.get(f"e_rel_{r}") for r in range(len(receptors)))
    spikes = _adex.integrate_tick(b, _stages(b, receptors), reversal)
    update_receptors(b, receptors, inputs)
    return spikes


read = _adex.read
