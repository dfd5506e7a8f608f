"""The membrane update of if_cond_exp (see its docstring) for any number of exponentially
decaying conductances and a per-tick current: shared by IF_cond_exp_gsfa_grr (four
conductances: synaptic, adaptation, relative refractory) and GIF_cond_exp (synaptic
conductances, the spike-triggered current as part of the drive).

Per tick and neuron: one expm1, two divisions, and per conductance about 8 multiplies, adds and
compares. V is relative to v_rest, float32.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np

from .base import Block, f32
from .if_cond_exp import exp_synapse_constants

_HALF, _SIXTH = np.float32(0.5), np.float32(1.0 / 6.0)


def loss_factor(tau, dt: float) -> np.ndarray:
    """1 - exp(-dt/tau) in float32, for the decay x <- x - x * loss (see decay()).

    A float32 factor exp(-dt/tau) is off by up to 6e-8 relative, and that error compounds:
    after 10^4 ticks (1 s at dt 0.1 ms) a slow kernel is off by up to 6e-4 of its value,
    enough to move a deterministic GIF spike by ticks at dt 0.01. The same float32 rounding on
    the loss factor is 6e-8 of (1 - exp(-dt/tau)), negligible.
    """
    return f32(-np.expm1(-dt / np.asarray(tau, dtype=np.float64)))


def decay(values: np.ndarray, loss: np.ndarray) -> None:
    """One tick of exponential decay in place: values <- values - values * loss."""
    values -= values * loss


def channel_constants(tau, cm, dt: float) -> dict[str, np.ndarray]:
    """Per-tick constants of a conductance g(t) = g0 exp(-t/tau): its loss factor (decay()),
    its mean over the tick and its first moment about the tick's middle over (C dt), each per
    unit g0."""
    mean, moment = exp_synapse_constants(tau, cm, dt)
    return {"loss": loss_factor(tau, dt), "mean": f32(mean), "moment": f32(moment)}


def membrane_update(b: Block, channels: Sequence[tuple[np.ndarray, np.ndarray, np.ndarray,
                                                       np.ndarray]],
                    current: np.ndarray, active: np.ndarray) -> None:
    """Advance v_rel of the ``active`` neurons by one tick (if_cond_exp's scheme).

    In: the block (g_leak uS, dt_over_cm ms/nF, v_rel mV); channels, per conductance
    (g at the start of the tick in uS, mean factor, moment factor, reversal potential relative
    to v_rest); current, the constant drive in nA; active, where V evolves.
    Out: None (v_rel updated in place).
    """
    v = b["v_rel"]
    g_leak = b["g_leak"]
    g_total = g_leak.copy()
    drive = current.astype(np.float32, copy=True)
    for g, mean, _, e in channels:
        g_mean = g * mean
        g_total += g_mean
        drive += g_mean * e
    v_inf = drive / g_total
    z = g_total * b["dt_over_cm"]
    v_new = v + (v_inf - v) * -np.expm1(-z)
    weight = z / (1 + z * (_HALF + z * _SIXTH))
    correction = np.zeros_like(v)
    lowest = highest = current / g_leak
    for g, _, moment, e in channels:
        correction += g * moment * (e - v_inf)
        lowest, highest = np.minimum(lowest, e), np.maximum(highest, e)
    v_new += weight * correction
    # the exact solution stays between v and the potentials the conductances pull towards
    np.maximum(v_new, np.minimum(lowest, v), out=v_new)
    np.minimum(v_new, np.maximum(highest, v), out=v_new)
    np.copyto(v, v_new, where=active)
