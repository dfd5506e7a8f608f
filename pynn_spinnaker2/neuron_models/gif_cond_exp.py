"""GIF_cond_exp: generalized integrate-and-fire with escape noise, a spike-triggered current and
a moving threshold (Mensi et al. 2012, Pozzorini et al. 2015); NEST's gif_cond_exp.

    C dV/dt = -g_L (V - E_L) - g_e (V - E_e) - g_i (V - E_i) - sum_j eta_j + i_offset
    tau_eta_j d eta_j/dt = -eta_j,  tau_gamma_j d gamma_j/dt = -gamma_j
    v_t = v_t_star + sum_j gamma_j,  lambda = lambda0 exp((V - v_t) / delta_v)

A spike adds a_eta_j to eta_j and a_gamma_j to gamma_j. Spiking is stochastic: in each tick a
neuron that is not refractory fires with probability 1 - exp(-lambda dt), drawn from its own
counter-based stream (random_streams.py: population << 32 | index, the tick, the seed), so
the same seed gives the same spikes whatever the mapping. V is not reset in the tick of the
spike; for the next ceil(tau_refrac / dt) ticks it is held at v_reset (NEST's rule; with
tau_refrac 0 V is never reset).

Order within a tick is NEST's: i_eta = sum eta_j and v_t from the kernels at the start of the tick,
then the kernels decay (x <- x - x (1 - exp(-dt/tau)): float32 rounding of a decay factor would
compound over the long kernels, _cond_membrane.loss_factor); the membrane (unless refractory) with
i_eta constant over the tick; conductance decay and synaptic input; the escape-noise draw from the
new V; the kernel jumps. The membrane uses if_cond_exp's scheme (_cond_membrane.py); NEST integrates
with adaptive RKF45 (tolerance 1e-3). Measured error: tests/neuron_models/test_model_gif_cond_exp.py
and docs/models.md. Recorded i_eta and v_t are the values this tick used, as NEST records them
(their t = 0 sample is the initial value given; NEST cannot set them, nor can we: the kernels start
at 0).

PyNN gives tau_eta, a_eta, tau_gamma, a_gamma as one array per neuron; the PE block keeps up to
MAX_KERNELS of each per neuron (unused ones with amplitude 0). The escape-noise exponent is
capped at EXP_ARG_MAX so float32 cannot overflow (the probability is then 1 for any lambda0 dt
above 1e-32 per tick).
"""

from __future__ import annotations

from typing import Mapping

import numpy as np
from pyNN.standardmodels import cells

from ..errors import ParameterRangeError
from ..random_streams import uniform_u32
from ._cond_membrane import channel_constants, decay, loss_factor, membrane_update
from .base import Block, NativeModel, TickContext, f32, refractory_ticks, require_positive

MAX_KERNELS = 5
EXP_ARG_MAX = np.float32(80.0)
KERNELS = ("tau_eta", "a_eta", "tau_gamma", "a_gamma")
SCALARS = ("v_rest", "cm", "tau_m", "tau_refrac", "tau_syn_E", "tau_syn_I", "e_rev_E",
           "e_rev_I", "v_reset", "i_offset", "delta_v", "v_t_star", "lambda0")
PARAMETERS = (*SCALARS, "n_eta", "n_gamma",
              *(f"{name}_{j}" for name in KERNELS for j in range(MAX_KERNELS)))
STATE = ("v", "v_t", "i_eta", "gsyn_exc", "gsyn_inh")
TWO_32 = 2.0 ** 32


def _table(values: np.ndarray, pad: float) -> tuple[np.ndarray, np.ndarray]:
    """A stored array parameter (one ArrayParameter or sequence per neuron, often the same
    object for many neurons) as (lengths, table): each neuron's list length and its first
    MAX_KERNELS values, padded with ``pad``, shape (neurons, MAX_KERNELS). Only the distinct
    objects are converted one by one."""
    values = np.asarray(values)
    if values.dtype != object:                  # already numeric: (neurons, kernels)
        values = values.reshape(len(values), -1)
        lengths = np.full(len(values), values.shape[1])
        table = np.full((len(values), MAX_KERNELS), pad)
        table[:, :min(values.shape[1], MAX_KERNELS)] = values[:, :MAX_KERNELS]
        return lengths, table
    ids = np.frompyfunc(id, 1, 1)(values).astype(np.int64)
    _, first, inverse = np.unique(ids, return_index=True, return_inverse=True)
    rows = [np.atleast_1d(np.asarray(getattr(values[i], "value", values[i]), dtype=float))
            for i in first]
    lengths = np.array([len(r) for r in rows])
    table = np.full((len(rows), MAX_KERNELS), pad)
    for k, row in enumerate(rows):
        table[k, :min(len(row), MAX_KERNELS)] = row[:MAX_KERNELS]
    return lengths[inverse], table[inverse]


def expand_parameters(stored: Mapping[str, np.ndarray]) -> dict[str, np.ndarray]:
    """In: the population's stored parameters. Out: SCALARS as they are, the kernels spread
    over ``<name>_<j>`` (padded: tau 1 ms, amplitude 0) and their counts n_eta / n_gamma
    (-1 where tau and amplitude differ in length; build_block refuses both that and more than
    MAX_KERNELS)."""
    out = {name: np.asarray(stored[name], dtype=float) for name in SCALARS}
    for kind in ("eta", "gamma"):
        n_tau, taus = _table(stored[f"tau_{kind}"], 1.0)
        n_amp, amps = _table(stored[f"a_{kind}"], 0.0)
        out[f"n_{kind}"] = np.where(n_tau == n_amp, n_tau, -1).astype(float)
        for name, table in ((f"tau_{kind}", taus), (f"a_{kind}", amps)):
            out.update({f"{name}_{j}": table[:, j] for j in range(MAX_KERNELS)})
    return out


def _kernel_table(p, name: str) -> np.ndarray:
    return np.stack([np.asarray(p[f"{name}_{j}"], dtype=np.float64)
                     for j in range(MAX_KERNELS)], axis=-1)


def build_block(params, initial, dt: float) -> Block:
    """In: expanded PyNN parameters (expand_parameters), initial values. Out: the block.
    Raises: ParameterRangeError for NEST's refusals (non-positive cm, tau_m, time constants or
    delta_v, negative tau_refrac or lambda0), kernel lists of unequal length or more than
    MAX_KERNELS kernels."""
    require_positive(params, "cm", "tau_m", "tau_syn_E", "tau_syn_I", "delta_v")
    p = {k: np.asarray(params[k], dtype=np.float64) for k in SCALARS}
    for name in ("tau_refrac", "lambda0"):
        if np.any(p[name] < 0):
            raise ParameterRangeError(f"parameter {name} must be >= 0")
    for kind in ("eta", "gamma"):
        counts = np.asarray(params[f"n_{kind}"])
        if np.any(counts < 0):
            raise ParameterRangeError(f"tau_{kind} and a_{kind} must have the same length")
        if np.any(counts > MAX_KERNELS):
            raise ParameterRangeError(f"at most {MAX_KERNELS} tau_{kind} / a_{kind} kernels "
                                      f"per neuron are supported, got {int(counts.max())}")
    tau_eta, tau_gamma = _kernel_table(params, "tau_eta"), _kernel_table(params, "tau_gamma")
    if np.any(tau_eta <= 0) or np.any(tau_gamma <= 0):
        raise ParameterRangeError("parameters tau_eta and tau_gamma must be > 0")
    v_rest = p["v_rest"]
    shape = v_rest.shape
    block = {
        "g_leak": f32(p["cm"] / p["tau_m"]),
        "dt_over_cm": f32(dt / p["cm"]),
        "v_rest": f32(v_rest),
        "v_reset_rel": f32(p["v_reset"] - v_rest),
        "v_t_star_rel": f32(p["v_t_star"] - v_rest),
        "inv_delta_v": f32(1.0 / p["delta_v"]),
        "lambda0_dt": f32(p["lambda0"] / 1000.0 * dt),    # Hz -> per tick
        "i_offset": f32(p["i_offset"]),
        "refrac_ticks": refractory_ticks(p["tau_refrac"], dt),
        "eta_loss": loss_factor(tau_eta, dt),
        "gamma_loss": loss_factor(tau_gamma, dt),
        "a_eta": f32(_kernel_table(params, "a_eta")),
        "a_gamma": f32(_kernel_table(params, "a_gamma")),
        # state
        "v_rel": f32(np.asarray(initial["v"], dtype=np.float64) - v_rest),
        "gsyn_exc": f32(np.broadcast_to(initial["gsyn_exc"], shape)),
        "gsyn_inh": f32(np.broadcast_to(initial["gsyn_inh"], shape)),
        "eta": np.zeros((*shape, MAX_KERNELS), dtype=np.float32),
        "gamma": np.zeros((*shape, MAX_KERNELS), dtype=np.float32),
        "i_eta": f32(np.broadcast_to(initial["i_eta"], shape)),
        "v_t_rel": f32(np.broadcast_to(initial["v_t"], shape) - v_rest),
        "refrac_count": np.zeros(shape, dtype=np.int32),
    }
    for key, tau, e_rev in (("gsyn_exc", "tau_syn_E", "e_rev_E"),
                            ("gsyn_inh", "tau_syn_I", "e_rev_I")):
        block[f"e_{key}_rel"] = f32(p[e_rev] - v_rest)
        for name, value in channel_constants(p[tau], p["cm"], dt).items():
            block[f"{name}_{key}"] = value
    return block


def step(b: Block, inputs: np.ndarray, ctx: TickContext) -> np.ndarray:
    """One tick (module docstring). Out: the spike array."""
    b["i_eta"][...] = b["eta"].sum(axis=-1)
    b["v_t_rel"][...] = b["v_t_star_rel"] + b["gamma"].sum(axis=-1)
    decay(b["eta"], b["eta_loss"])
    decay(b["gamma"], b["gamma_loss"])
    refractory = b["refrac_count"] > 0
    membrane_update(b, [(b[key], b[f"mean_{key}"], b[f"moment_{key}"], b[f"e_{key}_rel"])
                        for key in ("gsyn_exc", "gsyn_inh")],
                    b["i_offset"] - b["i_eta"], ~refractory)
    for key in ("gsyn_exc", "gsyn_inh"):
        decay(b[key], b[f"loss_{key}"])
    b["gsyn_exc"] += inputs[0]
    b["gsyn_inh"] += inputs[1]
    # escape noise: fire with probability 1 - exp(-lambda dt)
    exponent = np.minimum((b["v_rel"] - b["v_t_rel"]) * b["inv_delta_v"], EXP_ARG_MAX)
    probability = -np.expm1(-b["lambda0_dt"] * np.exp(exponent))
    draws = uniform_u32(ctx.seed, ctx.streams, ctx.tick)
    spikes = ~refractory & (draws < probability.astype(np.float64) * TWO_32)
    b["eta"] += np.where(spikes[:, None], b["a_eta"], np.float32(0.0))
    b["gamma"] += np.where(spikes[:, None], b["a_gamma"], np.float32(0.0))
    np.subtract(b["refrac_count"], 1, out=b["refrac_count"], where=refractory)
    np.copyto(b["v_rel"], b["v_reset_rel"], where=refractory)
    np.copyto(b["refrac_count"], b["refrac_ticks"], where=spikes)
    return spikes


def read(b: Block, variable: str) -> np.ndarray:
    """v and v_t in mV, i_eta in nA, the conductances in uS."""
    if variable in ("v", "v_t"):
        return b[f"{variable}_rel"] + b["v_rest"]
    return b[variable]


MODEL = NativeModel(
    name="gif_cond_exp", pynn_class=cells.GIF_cond_exp, kind="neuron",
    parameters=PARAMETERS, state=STATE, recordable=STATE,
    receptors=("excitatory", "inhibitory"), receptor_signs=(1, 1),
    build_block=build_block, step=step, read=read,
    state_keys=("v_rel", "gsyn_exc", "gsyn_inh", "eta", "gamma", "i_eta", "v_t_rel",
                "refrac_count"),
    stochastic=True, expand_parameters=expand_parameters)
