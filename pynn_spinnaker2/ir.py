"""The frozen intermediate representation (IR) of a network: ``NetworkSpec``.

The snapshot is taken from the PyNN objects at ``run()`` (or ``get_mapping()``); no later stage
touches a PyNN object. Everything here is plain numpy data identified by integer ids; PyNN labels
are kept only for messages.

In:  PyNN populations and projections of this backend (``to_ir``).
Out: ``NetworkSpec``.
Raises: NotSupportedError for a feature this backend does not support.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from types import MappingProxyType
from typing import Mapping

import numpy as np


def _frozen(array: np.ndarray) -> np.ndarray:
    """A read-only view (no copy: a broadcast scalar stays one value, and the array it views,
    e.g. a PyNN projection's, stays writable for its owner, who replaces rather than modifies
    arrays the IR may reference)."""
    view = np.asarray(array).view()
    view.setflags(write=False)
    return view


def _indices(array: np.ndarray) -> np.ndarray:
    """Integer indices as given (int32 or int64); anything else as int64."""
    array = np.asarray(array)
    return array if array.dtype in (np.int32, np.int64) else array.astype(np.int64)


def _values(array, n: int) -> np.ndarray:
    """n float values: a float32 or float64 array as given, a scalar broadcast (no copy)."""
    array = np.asarray(array)
    if array.dtype not in (np.float32, np.float64):
        array = array.astype(np.float64)
    return np.broadcast_to(array, (n,))


@dataclass(frozen=True)
class PopulationSpec:
    """One population: size, native model name, per-neuron native parameters and state.

    spike_offsets/spike_times: for spike-time sources, CSR spike times in ms per neuron
    (neuron i's times are ``spike_times[spike_offsets[i]:spike_offsets[i+1]]``).
    recorded: variable name -> boolean mask of recorded neurons.
    sample_every: ticks between two samples of the recorded state variables (PyNN's
    sampling_interval / dt); spikes are recorded every tick.
    """

    id: int
    label: str
    size: int
    model: str
    params: Mapping[str, np.ndarray]
    initial: Mapping[str, np.ndarray]
    recorded: Mapping[str, np.ndarray]
    spike_offsets: np.ndarray | None = None
    spike_times: np.ndarray | None = None
    neurons_per_core: int | None = None     # the population's own limit, if it set one
    sample_every: int = 1


@dataclass(frozen=True)
class ProjectionSpec:
    """One projection between two populations (views and assemblies already resolved).

    weight is in PyNN units with PyNN's sign convention; delay in ms;
    synapse_type is the receptor's index in the post-synaptic model's receptor list.
    Arrays are read-only views, often of the PyNN projection's own arrays: indices int32 or
    int64, values float32 or float64, and a homogeneous value a broadcast scalar (stride 0).
    """

    id: int
    label: str
    pre: int
    post: int
    pre_index: np.ndarray
    post_index: np.ndarray
    weight: np.ndarray
    delay: np.ndarray
    synapse_type: int
    receptor: str
    # "static"; "tsodyks_markram" with per-synapse arrays U, tau_rec, tau_facil, tau_psc, u0;
    # "stdp" with the rule (snapshot.STDP_RULE_PARAMETERS), one value per projection
    dynamics: str = "static"
    dynamics_params: Mapping[str, np.ndarray] = field(default_factory=dict)
    # a part of a user projection that goes through a delay extension (see DelayExtensionSpec):
    # that projection's id; -1 for the user's own projections and the extensions' inputs
    origin: int = -1

    @property
    def n_synapses(self) -> int:
        return len(self.pre_index)

    @cached_property
    def post_order(self) -> np.ndarray | None:
        """None when the synapses are sorted by post_index (as PyNN projections of this
        backend store them), else the stable order that sorts them."""
        post = self.post_index
        if len(post) < 2 or bool(np.all(post[1:] >= post[:-1])):
            return None
        order = np.argsort(post, kind="stable")
        return order.astype(np.int32) if len(post) < 2**31 else order


@dataclass(frozen=True)
class CurrentSourceSpec:
    """A current source: kind ("dc", "ac", "step", "noisy"), parameters in PyNN units, the
    (population, index) of every cell it injects into, and whether its current is recorded."""

    id: int
    kind: str
    params: Mapping[str, object]
    target_pop: np.ndarray
    target_index: np.ndarray
    recorded: bool


@dataclass(frozen=True)
class DelayExtensionSpec:
    """A delay-extension population the compiler added (mapping/delay_extensions.py).

    Its neuron ``i * n_stages + s - 1`` stands for stage s (1..n_stages) of neuron i of
    ``source``: it re-emits i's spikes ``s * stage_ticks`` ticks late. ``input_projection`` is
    the internal projection that brings the source's spikes to the extension.
    """

    population: int
    source: int
    n_stages: int
    stage_ticks: int
    input_projection: int


@dataclass(frozen=True)
class FoldedPoissonSpec:
    """A SpikeSourcePoisson population drawn on its targets' PEs (mapping/poisson_fold.py).

    ``projections``: its projections as snapshotted (the network keeps each id with no
    synapses); the targets' PE programs hold one Poisson input per synapse.
    """

    population: int
    projections: tuple[ProjectionSpec, ...]


@dataclass(frozen=True)
class FoldedInputsSpec:
    """What the Poisson inputs folded onto one target population ask of its PEs, as the fold
    (mapping/poisson_fold.py) found them; partition and synaptic_rows read them from here.

    ``inputs_per_neuron``: the most folded inputs any of its neurons receives (SRAM);
    ``max_delay_ticks``: their longest delay in ticks (ring buffer; 0 when none);
    ``weight_bounds``: (synapse type, largest |weight|) for each synapse type they arrive on
    (weight exponents).
    """

    population: int
    inputs_per_neuron: int = 0
    max_delay_ticks: int = 0
    weight_bounds: tuple[tuple[int, float], ...] = ()


@dataclass(frozen=True)
class NetworkSpec:
    """The whole network, frozen.

    delay_extensions: empty as snapshotted; filled by the compiler's rewrite, whose added
    populations and projections come after the user's (their ids are unchanged).
    """

    dt: float
    seed: int
    populations: tuple[PopulationSpec, ...]
    projections: tuple[ProjectionSpec, ...]
    current_sources: tuple[CurrentSourceSpec, ...] = ()
    delay_extensions: tuple[DelayExtensionSpec, ...] = ()
    folded_poisson: tuple[FoldedPoissonSpec, ...] = ()
    # per population with folded Poisson inputs, what they ask of its PEs (filled with
    # folded_poisson)
    folded_inputs: tuple[FoldedInputsSpec, ...] = ()
    # (population, synapse type, magnitude): weights that may arrive at run time besides the
    # projections' (structural plasticity's new synapses), for the weight exponents
    weight_bounds: tuple[tuple[int, int, float], ...] = ()
    # populations whose spikes must leave their PEs as packets (structural projections' sources
    # are rewired at run time: never folded)
    keep_sending: tuple[int, ...] = ()

    def folded_populations(self) -> set[int]:
        """Ids of the populations folded onto their targets' PEs (no PEs of their own)."""
        return {f.population for f in self.folded_poisson}

    def folded_inputs_of(self, population: int) -> FoldedInputsSpec:
        """The FoldedInputsSpec of ``population`` (all zero when it has no folded inputs)."""
        return next((f for f in self.folded_inputs if f.population == population),
                    FoldedInputsSpec(population))

    def extension_of(self, population: int) -> DelayExtensionSpec | None:
        """The DelayExtensionSpec whose population is ``population``, or None."""
        return next((d for d in self.delay_extensions if d.population == population), None)

    @property
    def n_neurons(self) -> int:
        return sum(p.size for p in self.populations)

    @property
    def n_synapses(self) -> int:
        return sum(p.n_synapses for p in self.projections)


def make_population_spec(id: int, label: str, size: int, model: str,
                         params: Mapping[str, np.ndarray | float | int | bool],
                         initial: Mapping[str, np.ndarray],
                         recorded: Mapping[str, np.ndarray],
                         spike_trains: list[np.ndarray] | None = None,
                         neurons_per_core: int | None = None,
                         sample_every: int = 1) -> PopulationSpec:
    """Build a PopulationSpec with read-only arrays.

    In: per-neuron arrays of length ``size``; spike_trains, one array of times per neuron.
    """
    offsets = times = None
    if spike_trains is not None:
        lengths = np.array([len(t) for t in spike_trains], dtype=np.int64)
        offsets = _frozen(np.concatenate([[0], np.cumsum(lengths)]))
        times = _frozen(np.concatenate([np.asarray(t, dtype=np.float64) for t in spike_trains])
                        if spike_trains else np.zeros(0))
    return PopulationSpec(
        id, label, size, model,
        MappingProxyType({k: _frozen(np.broadcast_to(np.asarray(v, dtype=np.float64), (size,)))
                          for k, v in params.items()}),
        MappingProxyType({k: _frozen(np.broadcast_to(np.asarray(v, dtype=np.float64), (size,)))
                          for k, v in initial.items()}),
        MappingProxyType({k: _frozen(np.asarray(v, dtype=bool)) for k, v in recorded.items()}),
        offsets, times, neurons_per_core, int(sample_every))


def make_projection_spec(id: int, label: str, pre: int, post: int, pre_index: np.ndarray,
                         post_index: np.ndarray, weight: np.ndarray | float,
                         delay: np.ndarray | float,
                         synapse_type: int, receptor: str, dynamics: str = "static",
                         dynamics_params: Mapping[str, np.ndarray] | None = None,
                         origin: int = -1) -> ProjectionSpec:
    """Build a ProjectionSpec with read-only arrays of equal length, viewing the given arrays
    (no copy) where their types allow (see ProjectionSpec)."""
    n = len(pre_index)
    extra = MappingProxyType({k: _frozen(_values(v, n))
                              for k, v in (dynamics_params or {}).items()})
    return ProjectionSpec(
        id, label, pre, post, _frozen(_indices(pre_index)), _frozen(_indices(post_index)),
        _frozen(_values(weight, n)), _frozen(_values(delay, n)),
        synapse_type, receptor, dynamics, extra, origin)
