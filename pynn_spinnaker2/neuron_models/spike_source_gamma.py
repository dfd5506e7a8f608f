"""SpikeSourceGamma: a gamma process of integer order alpha, one draw per neuron per tick.

The inter-spike intervals are gamma distributed with shape ``alpha`` (an integer >= 1) and rate
parameter ``beta`` (Hz): mean ISI alpha/beta, rate beta/alpha, CV 1/sqrt(alpha). pyNN.nest runs
NEST's gamma_sup_generator for this class (gamma_shape = alpha, rate = beta/alpha, n_proc = 1).

Algorithm (per neuron; p = beta * dt / 1000): an integer-order gamma ISI is the sum of alpha
exponential phases of rate beta. The block holds ``phase`` in 0 .. alpha-1, the number of phases
the neuron has completed since its last spike. In an active tick the neuron completes the
current phase when its uniform 32-bit draw ``uniform_u32(seed, stream, tick)`` is below
p * 2**32; completing the last phase (alpha - 1) is a spike and sets the phase back to 0.
Neurons start in the last phase, as NEST's gamma_sup_generator with n_proc = 1 does, so the
first spike comes after one phase (mean 1/beta) rather than a whole interval. At most one phase
per tick, so at most one spike per tick. An ISI is the sum of alpha geometric numbers of ticks
(on {1, 2, ...}, success probability p):

* mean ISI = alpha / p ticks = alpha / beta exactly, for every dt;
* minimum ISI = alpha ticks;
* ISI CV = sqrt((1 - p) / alpha).

This is the discrete-time process gamma_sup_generator runs (one binomial transition draw per
phase and step, with one component process), so NEST's statistics and these agree at every dt.

Discretisation error against the continuous gamma process: the rate is exact; the CV is low by
the factor sqrt(1 - p) and intervals shorter than alpha ticks do not occur. At dt = 0.1 ms the
effect is small (alpha 5, beta 250 Hz: p = 0.025, CV 0.442 instead of 0.447). At dt = 1 ms it
shows: alpha 4, beta 400 Hz (100 Hz) gives p = 0.4, CV 0.387 instead of 0.5 and no interval
below 4 ms; NEST at dt = 1 ms gives the same (tests/golden/sources_statistics.json).

Active for ticks whose end time s satisfies start < s <= start + duration (as
SpikeSourcePoisson); the phase advances only in active ticks. Raises ParameterRangeError for an
alpha that is not an integer >= 1, a negative beta, or beta above one phase per timestep
(1000 / dt Hz).
"""

from __future__ import annotations

import numpy as np
from pyNN.standardmodels import cells

from ..errors import ParameterRangeError
from ..random_streams import uniform_u32
from .base import Block, NativeModel, TickContext, read_block
from .spike_source_poisson import active_ticks, is_active


def build_block(params, initial, dt: float) -> Block:
    alpha = np.atleast_1d(np.asarray(params["alpha"], dtype=np.float64))
    beta = np.atleast_1d(np.asarray(params["beta"], dtype=np.float64))
    if np.any(alpha < 1) or np.any(alpha != np.round(alpha)) or np.any(alpha > 2 ** 31 - 1):
        raise ParameterRangeError("parameter alpha must be an integer >= 1 (the gamma process's "
                                  "shape is implemented as a number of exponential phases)")
    if np.any(beta < 0):
        raise ParameterRangeError("parameter beta must be >= 0 Hz")
    probability = beta * dt / 1000.0
    if np.any(probability > 1.0 + 1e-9):
        raise ParameterRangeError(
            f"beta {beta.max():g} Hz exceeds one gamma phase per timestep ({1000.0 / dt:g} Hz)")
    threshold = np.minimum(np.round(np.minimum(probability, 1.0) * 2.0 ** 32), 2.0 ** 32 - 1)
    last_phase = np.ascontiguousarray(alpha - 1, dtype=np.int32)
    return {"threshold": np.ascontiguousarray(threshold, dtype=np.uint32),
            "last_phase": last_phase,
            "phase": last_phase.copy(),
            **active_ticks(params, dt)}


def step(b: Block, inputs, ctx: TickContext) -> np.ndarray:
    draw = uniform_u32(ctx.seed, ctx.streams, ctx.tick)
    advance = is_active(b, ctx.tick) & (draw < b["threshold"])
    # >= rather than ==: a phase kept from a run with a larger alpha ends at the next advance
    spikes = advance & (b["phase"] >= b["last_phase"])
    b["phase"][:] = np.where(spikes, 0, b["phase"] + advance)
    return spikes


MODEL = NativeModel(
    name="spike_source_gamma", pynn_class=cells.SpikeSourceGamma, kind="random_source",
    parameters=("alpha", "beta", "start", "duration"), state=(), recordable=(), receptors=(),
    receptor_signs=(), build_block=build_block, step=step, read=read_block,
    state_keys=("phase",))
