"""Native neuron models of the PE application: their parameters, state and neuron block.

The neuron block is what the host writes into a PE's SRAM: per-neuron float32 constants
precomputed on the host (decay factors such as exp(-dt/tau)), and the initial state.
The matching per-tick kernels live in ``emulator/neurons.py``.

In:  native parameters (PyNN units) per neuron, the timestep.
Out: a dict of named float32/int32 arrays (the neuron block).
Raises: ParameterRangeError for a parameter the PE cannot represent.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Mapping

import numpy as np

from .errors import ParameterRangeError

Block = dict[str, np.ndarray]


@dataclass(frozen=True)
class NativeModel:
    """What the compiler and the emulator know of one PE neuron model.

    state: state variables, in the order stored in the neuron block (all recordable).
    receptors: receptor type names; the position is the synapse type of the synapse word.
    receptor_signs: +1 or -1 per receptor: the sign of the weight in PyNN's convention
    (current-based inhibitory weights are negative; the words hold magnitudes).
    """

    name: str
    parameters: tuple[str, ...]
    state: tuple[str, ...]
    receptors: tuple[str, ...]
    receptor_signs: tuple[int, ...]
    is_source: bool
    build_block: Callable[[Mapping[str, np.ndarray], Mapping[str, np.ndarray], float], Block]

    def block_bytes(self, block: Block) -> int:
        """SRAM bytes of a built neuron block."""
        return int(sum(a.nbytes for a in block.values()))

    def block_bytes_per_neuron(self) -> int:
        """SRAM bytes per neuron of this model's neuron block (4-byte words)."""
        probe = self.build_block({p: np.ones(1) for p in self.parameters},
                                 {s: np.zeros(1) for s in self.state}, 1.0)
        return self.block_bytes(probe)


def _f32(x: np.ndarray) -> np.ndarray:
    return np.ascontiguousarray(x, dtype=np.float32)


def exp_decay(tau: np.ndarray, dt: float) -> np.ndarray:
    """exp(-dt/tau), the per-tick decay factor."""
    return np.exp(-dt / np.asarray(tau, dtype=np.float64))


def psc_exp_propagator(tau_syn: np.ndarray, tau_m: np.ndarray, cm: np.ndarray,
                       dt: float) -> np.ndarray:
    """Exact propagator from an exponentially decaying current to the membrane (mV per nA).

    Solves dV/dt = -V/tau_m + I/cm with dI/dt = -I/tau_syn over one step, as NEST's
    iaf_psc_exp does; falls back to the limit dt*exp(-dt/tau)/cm when tau_syn == tau_m.
    """
    tau_syn, tau_m, cm = (np.asarray(a, dtype=np.float64) for a in (tau_syn, tau_m, cm))
    same = np.isclose(tau_syn, tau_m, rtol=1e-9, atol=0.0)
    safe_diff = np.where(same, 1.0, tau_syn - tau_m)
    general = (tau_m * tau_syn / safe_diff / cm
               * (np.exp(-dt / tau_syn) - np.exp(-dt / tau_m)))
    limit = dt * np.exp(-dt / tau_m) / cm
    return np.where(same, limit, general)


def _require_positive(params: Mapping[str, np.ndarray], *names: str) -> None:
    for name in names:
        if np.any(np.asarray(params[name]) <= 0):
            raise ParameterRangeError(f"parameter {name} must be > 0")


def _if_curr_exp_block(params: Mapping[str, np.ndarray], initial: Mapping[str, np.ndarray],
                       dt: float) -> Block:
    _require_positive(params, "tau_m", "cm", "tau_syn_E", "tau_syn_I")
    tau_m, cm = params["tau_m"], params["cm"]
    v_rest = params["v_rest"]
    # NEST rounds a refractory period up to whole steps (0.1 ms at dt = 1 ms is one step)
    refrac_ticks = np.ceil(np.asarray(params["tau_refrac"]) / dt - 1e-9)
    return {
        "decay_v": _f32(exp_decay(tau_m, dt)),
        "decay_exc": _f32(exp_decay(params["tau_syn_E"], dt)),
        "decay_inh": _f32(exp_decay(params["tau_syn_I"], dt)),
        "exc_to_v": _f32(psc_exp_propagator(params["tau_syn_E"], tau_m, cm, dt)),
        "inh_to_v": _f32(psc_exp_propagator(params["tau_syn_I"], tau_m, cm, dt)),
        "dc_to_v": _f32(tau_m / cm * (1.0 - exp_decay(tau_m, dt))),
        "v_rest": _f32(v_rest),
        "v_thresh_rel": _f32(np.asarray(params["v_thresh"]) - v_rest),
        "v_reset_rel": _f32(np.asarray(params["v_reset"]) - v_rest),
        "i_offset": _f32(params["i_offset"]),
        "refrac_ticks": np.ascontiguousarray(refrac_ticks, dtype=np.int32),
        # initial state
        "v_rel": _f32(np.asarray(initial["v"]) - v_rest),
        "isyn_exc": _f32(initial["isyn_exc"]),
        "isyn_inh": _f32(initial["isyn_inh"]),
        "refrac_count": np.zeros(np.shape(tau_m), dtype=np.int32),
    }


def _poisson_block(params: Mapping[str, np.ndarray], initial: Mapping[str, np.ndarray],
                   dt: float) -> Block:
    rate = np.asarray(params["rate"], dtype=np.float64)
    if np.any(rate < 0):
        raise ParameterRangeError("parameter rate must be >= 0 Hz")
    probability = rate * dt / 1000.0
    if np.any(probability > 1.0):
        raise ParameterRangeError(
            f"rate {rate.max():g} Hz exceeds one spike per timestep ({1000.0 / dt:g} Hz)")
    start = np.asarray(params["start"], dtype=np.float64)
    stop = start + np.asarray(params["duration"], dtype=np.float64)
    last = 2.0 ** 31 - 1
    return {
        # spike in a tick when the neuron's uniform 32-bit draw is below this threshold
        # (a probability of 1 saturates at 2**32 - 1: one miss in 4e9 draws)
        "threshold": np.ascontiguousarray(
            np.minimum(np.round(probability * 2.0 ** 32), 2.0 ** 32 - 1), dtype=np.uint32),
        # active for ticks whose end time s satisfies start < s <= stop
        "first_tick": np.ascontiguousarray(np.minimum(np.floor(start / dt + 1e-9), last),
                                           dtype=np.int32),
        "stop_tick": np.ascontiguousarray(np.minimum(np.floor(stop / dt + 1e-9), last),
                                          dtype=np.int32),
    }


def _array_source_block(params: Mapping[str, np.ndarray], initial: Mapping[str, np.ndarray],
                        dt: float) -> Block:
    # The spike times themselves are a separate per-PE region (see synaptic_matrices).
    return {}


IF_CURR_EXP = NativeModel(
    name="if_curr_exp",
    parameters=("tau_m", "cm", "v_rest", "v_thresh", "v_reset", "tau_refrac", "i_offset",
                "tau_syn_E", "tau_syn_I"),
    state=("v", "isyn_exc", "isyn_inh"),
    receptors=("excitatory", "inhibitory"),
    receptor_signs=(1, -1),
    is_source=False,
    build_block=_if_curr_exp_block,
)

SPIKE_SOURCE_POISSON = NativeModel(
    name="spike_source_poisson",
    parameters=("rate", "start", "duration"),
    state=(),
    receptors=(),
    receptor_signs=(),
    is_source=True,
    build_block=_poisson_block,
)

SPIKE_SOURCE_ARRAY = NativeModel(
    name="spike_source_array",
    parameters=(),
    state=(),
    receptors=(),
    receptor_signs=(),
    is_source=True,
    build_block=_array_source_block,
)

NATIVE_MODELS: dict[str, NativeModel] = {
    m.name: m for m in (IF_CURR_EXP, SPIKE_SOURCE_POISSON, SPIKE_SOURCE_ARRAY)}
