"""SpikeSourcePoissonRefractory: a Poisson process with dead time, one draw per neuron per tick.

``rate`` is the mean output rate *including* the dead time, as in NEST's ppd_sup_generator, which
pyNN.nest runs for this class: the mean inter-spike interval is 1/rate, of which tau_refrac is
dead time, so while not dead the process spikes with hazard 1 / (1000/rate - tau_refrac) per ms.

Algorithm (per neuron; R = floor(tau_refrac / dt) dead ticks, p = dt / (1000/rate - R*dt)):
the block holds ``dead``, the ticks the neuron must still wait (0 at the start). In an active
tick with ``dead == 0`` the neuron spikes when its uniform 32-bit draw
``uniform_u32(seed, stream, tick)`` is below p * 2**32; a spike sets ``dead = R``, every other
tick counts it down to 0. So an inter-spike interval is R + G ticks, G geometric on {1, 2, ...}
with success probability p:

* mean ISI = R + 1/p ticks = 1000/rate ms exactly, for every tau_refrac and dt;
* minimum ISI = R + 1 ticks > tau_refrac (R dt + dt when tau_refrac is a multiple of dt);
* ISI CV = sqrt(1 - p) * (1000/rate - R*dt) / (1000/rate).

This is the discrete-time process NEST's ppd_sup_generator runs with n_proc = 1 (floor(d/h)
dead bins after the spike step, then a Bernoulli draw per step), and it also starts with the
neuron able to spike (not from the stationary age distribution). One difference: for a dead
time that is not a multiple of dt NEST keeps p = dt / (1000/rate - tau_refrac), which makes its
rate too high (105.3 Hz for rate 100 Hz, tau_refrac 2.5 ms, dt 1 ms); here p uses R*dt so that
the rate stays the one asked for (the ISI CV then differs from NEST's too).

Discretisation error against the continuous process (ISI = tau_refrac + exponential): the rate
is exact; the dead time is effectively (R + 1) * dt, i.e. up to one tick longer (the hazard is
raised to compensate); the CV is low by the factor sqrt(1 - p). At dt = 0.1 ms these are small
(rate 100 Hz, tau_refrac 5 ms: p = 0.02, CV 0.495 instead of 0.5, minimum ISI 5.1 ms). At
dt = 1 ms they show: rate 100 Hz, tau_refrac 5 ms gives p = 0.2, CV 0.447 instead of 0.5 and
minimum ISI 6 ms; NEST at dt = 1 ms gives the same (tests/golden/sources_statistics.json).

Active for ticks whose end time s satisfies start < s <= start + duration (as
SpikeSourcePoisson); the dead-time countdown runs in every tick. Raises ParameterRangeError for
a negative rate or tau_refrac, and for 1000/rate < (R + 1) * dt (p > 1: more than one spike per
R + 1 ticks is impossible).
"""

from __future__ import annotations

import numpy as np
from pyNN.standardmodels import cells

from ..errors import ParameterRangeError
from ..random_streams import uniform_u32
from .base import Block, NativeModel, TickContext, read_block
from .spike_source_poisson import active_ticks, is_active


def build_block(params, initial, dt: float) -> Block:
    rate = np.atleast_1d(np.asarray(params["rate"], dtype=np.float64))
    tau_refrac = np.atleast_1d(np.asarray(params["tau_refrac"], dtype=np.float64))
    if np.any(rate < 0):
        raise ParameterRangeError("parameter rate must be >= 0 Hz")
    if np.any(tau_refrac < 0):
        raise ParameterRangeError("parameter tau_refrac must be >= 0 ms")
    dead_ticks = np.floor(tau_refrac / dt + 1e-9)
    # mean ISI in ms minus the dead ticks: the mean waiting time once the neuron can spike
    period = np.divide(1000.0, rate, out=np.full_like(rate, np.inf), where=rate > 0)
    waiting = period - dead_ticks * dt
    with np.errstate(divide="ignore"):
        probability = np.divide(dt, waiting, out=np.zeros_like(rate), where=rate > 0)
    if np.any(waiting < dt * (1.0 - 1e-9)):
        bad = int(np.argmax(waiting < dt * (1.0 - 1e-9)))
        raise ParameterRangeError(
            f"rate {rate[bad]:g} Hz with tau_refrac {tau_refrac[bad]:g} ms exceeds one spike per "
            f"{(dead_ticks[bad] + 1) * dt:g} ms (the dead time rounded down to whole timesteps "
            f"of {dt:g} ms, plus one timestep), i.e. {1000.0 / ((dead_ticks[bad] + 1) * dt):g} Hz")
    probability = np.minimum(probability, 1.0)
    # spike when the neuron's uniform 32-bit draw is below the threshold (as SpikeSourcePoisson)
    threshold = np.minimum(np.round(probability * 2.0 ** 32), 2.0 ** 32 - 1)
    return {"threshold": np.ascontiguousarray(threshold, dtype=np.uint32),
            "dead_ticks": np.ascontiguousarray(dead_ticks, dtype=np.int32),
            "dead": np.zeros(rate.shape, dtype=np.int32),
            **active_ticks(params, dt)}


def step(b: Block, inputs, ctx: TickContext) -> np.ndarray:
    draw = uniform_u32(ctx.seed, ctx.streams, ctx.tick)
    spikes = is_active(b, ctx.tick) & (b["dead"] == 0) & (draw < b["threshold"])
    b["dead"][:] = np.where(spikes, b["dead_ticks"], np.maximum(b["dead"] - 1, 0))
    return spikes


MODEL = NativeModel(
    name="spike_source_poisson_refractory", pynn_class=cells.SpikeSourcePoissonRefractory,
    kind="random_source", parameters=("rate", "tau_refrac", "start", "duration"), state=(),
    recordable=(), receptors=(), receptor_signs=(), build_block=build_block, step=step,
    read=read_block, state_keys=("dead",))
