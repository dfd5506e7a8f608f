"""What every native neuron model of the PE application declares.

A model module defines ``MODEL = NativeModel(...)``: the PyNN standard cell it implements, its
parameters and state, its receptors, how the host builds its neuron block (``build_block``) and
how the PE advances it by one tick (``step``) and reads a recordable (``read``).

In:  per-neuron parameters and initial values in PyNN units, the timestep.
Out: the neuron block (named float32/int32 arrays); per tick, a boolean spike array.
Raises: ParameterRangeError for a value the model cannot represent.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Mapping

import numpy as np

from ..delays import steps_as_nest_ceils
from ..errors import ParameterRangeError

Block = dict[str, np.ndarray]


@dataclass(frozen=True)
class TickContext:
    """What a kernel may know besides its block and input: the tick, the random-stream keys."""

    tick: int
    dt: float
    seed: int = 0
    streams: np.ndarray | None = None   # per-neuron random stream ids (population << 32 | index)


@dataclass(frozen=True)
class NativeModel:
    """One PE neuron model.

    kind: "neuron" (receives synaptic input), "random_source" (draws from its per-neuron
    streams), "array_source" (emits given spike times; the emulator handles it) or
    "delay_extension" (receives packets through its ring buffer like a neuron and re-emits them
    later; added by the compiler, never a PyNN cell type, so its pynn_class is None).
    parameters: PyNN parameter names, stored in PyNN units.
    state: state variables that initialize() sets (PyNN's default_initial_values).
    recordable: analog variables besides spikes.
    receptors / receptor_signs: synapse types in order; the sign PyNN's convention gives
    their weights (the synapse words hold magnitudes).
    """

    name: str
    pynn_class: type | None
    kind: str
    parameters: tuple[str, ...]
    state: tuple[str, ...]
    recordable: tuple[str, ...]
    receptors: tuple[str, ...]
    receptor_signs: tuple[int, ...]
    build_block: Callable[[Mapping[str, np.ndarray], Mapping[str, np.ndarray], float], Block]
    step: Callable[[Block, np.ndarray | None, TickContext], np.ndarray]
    read: Callable[[Block, str], np.ndarray]
    # block arrays that change while running (membrane, synaptic state, refractory counters,
    # source state): kept when parameters change between runs; the rest is rebuilt
    state_keys: tuple[str, ...] = ()
    # where injected current (nA) goes: the block array it is added to, and the factor from nA
    # to that array's units (a number, or the name of a per-neuron block array)
    injection: tuple[str, float | str] = ("i_offset", 1.0)
    # a "neuron" whose spiking draws from its per-neuron random streams (escape noise)
    stochastic: bool = False
    # turns the population's stored PyNN parameters into the per-neuron float arrays named by
    # ``parameters`` (models with PyNN array parameters); None: take each by name
    expand_parameters: Callable[[Mapping[str, np.ndarray]], dict[str, np.ndarray]] | None = None

    @property
    def is_source(self) -> bool:
        """A PyNN spike source: receives no synaptic input."""
        return self.kind not in ("neuron", "delay_extension")

    @property
    def draws_random(self) -> bool:
        """Steps with its per-neuron random stream ids (TickContext.streams)."""
        return self.kind == "random_source" or self.stochastic

    def parameter_arrays(self, stored: Mapping[str, np.ndarray]) -> dict[str, np.ndarray]:
        """In: a population's stored PyNN parameters (one entry per neuron).
        Out: one float array per name in ``parameters``.
        Raises: ParameterRangeError from expand_parameters."""
        if self.expand_parameters is not None:
            return self.expand_parameters(stored)
        return {name: np.asarray(stored[name], dtype=float) for name in self.parameters}

    @property
    def receives_input(self) -> bool:
        """Has a ring buffer and is stepped with its input."""
        return not self.is_source

    def bias_current(self, block: Block) -> np.ndarray | None:
        """A copy of the block's own bias (the array injected current adds to), or None."""
        key = self.injection[0]
        return block[key].copy() if key in block else None

    def inject(self, block: Block, bias: np.ndarray, current: np.ndarray) -> None:
        """Set the block's drive to its own bias plus ``current`` (nA), in the block's units."""
        key, scale = self.injection
        factor = block[scale] if isinstance(scale, str) else scale
        block[key][:] = bias + factor * current

    def block_bytes(self, block: Block) -> int:
        """SRAM bytes of a built neuron block."""
        return int(sum(a.nbytes for a in block.values()))

    def block_bytes_per_neuron(self) -> int:
        """SRAM bytes per neuron of this model's neuron block."""
        probe = self.build_block({p: np.ones(1) for p in self.parameters},
                                 {s: np.zeros(1) for s in self.state}, 1.0)
        return self.block_bytes(probe)


def f32(x) -> np.ndarray:
    return np.ascontiguousarray(x, dtype=np.float32)


def exp_decay(tau, dt: float) -> np.ndarray:
    """exp(-dt/tau), the per-tick decay factor."""
    return np.exp(-dt / np.asarray(tau, dtype=np.float64))


def psc_exp_propagator(tau_syn, tau_m, cm, dt: float) -> np.ndarray:
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


def refractory_ticks(tau_refrac, dt: float) -> np.ndarray:
    """Refractory period in whole ticks as NEST counts it: to its 1 us tic grid first, then
    rounded up (0.1 ms at dt 1 ms is 1; 2.0001 ms at dt 0.1 is 20)."""
    return np.ascontiguousarray(steps_as_nest_ceils(tau_refrac, dt), dtype=np.int32)


def if_membrane(params: Mapping[str, np.ndarray], initial: Mapping[str, np.ndarray],
                   dt: float) -> Block:
    """The integrate-and-fire membrane entries every IF model's block holds: v_rest, threshold
    and reset relative to it, i_offset, the refractory period in ticks, and the state v_rel
    (v relative to v_rest) and refrac_count."""
    v_rest = np.asarray(params["v_rest"], dtype=np.float64)
    return {
        "v_rest": f32(v_rest),
        "v_thresh_rel": f32(np.asarray(params["v_thresh"]) - v_rest),
        "v_reset_rel": f32(np.asarray(params["v_reset"]) - v_rest),
        "i_offset": f32(params["i_offset"]),
        "refrac_ticks": refractory_ticks(params["tau_refrac"], dt),
        "v_rel": f32(np.asarray(initial["v"], dtype=np.float64) - v_rest),
        "refrac_count": np.zeros(np.shape(v_rest), dtype=np.int32),
    }


def require_positive(params: Mapping[str, np.ndarray], *names: str) -> None:
    """Raises ParameterRangeError naming the first parameter that is not > 0."""
    for name in names:
        if np.any(np.asarray(params[name]) <= 0):
            raise ParameterRangeError(f"parameter {name} must be > 0")


def threshold_and_reset(b: Block) -> np.ndarray:
    """Integrate-and-fire spike: v_rel >= v_thresh_rel; reset to v_reset_rel, start the
    refractory count. Out: the spike array."""
    v = b["v_rel"]
    spikes = v >= b["v_thresh_rel"]
    v[spikes] = b["v_reset_rel"][spikes]
    b["refrac_count"][spikes] = b["refrac_ticks"][spikes]
    return spikes


def read_relative_v(block: Block, variable: str) -> np.ndarray:
    """Read for models that keep v relative to v_rest (as v_rel): v in mV, others as stored."""
    if variable == "v":
        return block["v_rel"] + block["v_rest"]
    return block[variable]


def read_block(block: Block, variable: str) -> np.ndarray:
    """Default read: the block array of that name."""
    return block[variable]


def no_step(block: Block, inputs, ctx: TickContext) -> np.ndarray:
    """For array sources, whose spikes the emulator takes from the program's spike ticks."""
    raise RuntimeError("array sources are stepped by the emulator, not by a kernel")
