"""Build the compiler's IR (NetworkSpec, PopulationSpec, ProjectionSpec) from literals, without
PyNN, so that a compiler stage can be fed a network whose every synapse the test wrote down.

In:  sizes, connection lists (pre, post) or connector shapes, weights and delays in PyNN units.
Out: frozen IR records (pynn_spinnaker2.ir), a Config, and small machine look-ups.

Used by tests/mapping/test_<stage>.py.
"""

from __future__ import annotations

from typing import Any, Iterable, Sequence

import numpy as np

from pynn_spinnaker2 import machine as hw
from pynn_spinnaker2.config import Config
from pynn_spinnaker2.ir import (NetworkSpec, PopulationSpec, ProjectionSpec,
                                make_population_spec, make_projection_spec)

# IF_curr_exp's PyNN defaults (the native model if_curr_exp stores PyNN names and units)
LIF_PARAMS = {"tau_m": 20.0, "cm": 1.0, "v_rest": -65.0, "v_thresh": -50.0, "v_reset": -65.0,
              "tau_refrac": 0.1, "i_offset": 0.0, "tau_syn_E": 5.0, "tau_syn_I": 5.0}
LIF_INITIAL = {"v": -65.0, "isyn_exc": 0.0, "isyn_inh": 0.0}


def lif(id: int, size: int, label: str | None = None, neurons_per_core: int | None = None,
        record: Sequence[str] = (), **params: float) -> PopulationSpec:
    """An if_curr_exp population with PyNN's defaults (``params`` overrides some)."""
    recorded = {name: np.ones(size, dtype=bool) for name in record}
    return make_population_spec(id, label or f"lif{id}", size, "if_curr_exp",
                                {**LIF_PARAMS, **params}, dict(LIF_INITIAL), recorded,
                                neurons_per_core=neurons_per_core)


def poisson(id: int, size: int, rate: float = 10.0, label: str | None = None,
            record_spikes: bool = False, start: float = 0.0,
            duration: float = 1e10) -> PopulationSpec:
    """A spike_source_poisson population."""
    recorded = {"spikes": np.ones(size, dtype=bool)} if record_spikes else {}
    return make_population_spec(id, label or f"poisson{id}", size, "spike_source_poisson",
                                {"rate": rate, "start": start, "duration": duration}, {},
                                recorded)


def spike_array(id: int, trains: Sequence[Sequence[float]],
                label: str | None = None) -> PopulationSpec:
    """A spike_source_array population, one list of spike times (ms) per neuron."""
    return make_population_spec(id, label or f"array{id}", len(trains), "spike_source_array",
                                {}, {}, {}, spike_trains=[np.asarray(t, float) for t in trains])


def one_to_one(n: int) -> tuple[np.ndarray, np.ndarray]:
    """(pre_index, post_index) of a one-to-one connection of n neurons."""
    return np.arange(n), np.arange(n)


def all_to_all(n_pre: int, n_post: int) -> tuple[np.ndarray, np.ndarray]:
    """(pre_index, post_index) of every pair, sorted by post (as PyNN projections store them)."""
    post, pre = np.divmod(np.arange(n_pre * n_post), n_pre)
    return pre, post


def projection(id: int, pre: int, post: int,
               pairs: tuple[np.ndarray, np.ndarray] | Iterable[tuple[int, int]],
               weight: Any = 0.5, delay: Any = 1.0, receptor: str = "excitatory",
               label: str | None = None, **kwargs: Any) -> ProjectionSpec:
    """A projection from (pre_index, post_index) arrays or a list of (pre, post) pairs.

    receptor "excitatory" is synapse type 0, "inhibitory" type 1 (if_curr_exp's order).
    """
    if isinstance(pairs, tuple) and len(pairs) == 2 and isinstance(pairs[0], np.ndarray):
        pre_index, post_index = pairs
    else:
        listed = np.array(list(pairs), dtype=np.int64).reshape(-1, 2)
        pre_index, post_index = listed[:, 0], listed[:, 1]
    synapse_type = {"excitatory": 0, "inhibitory": 1}[receptor]
    return make_projection_spec(id, label or f"{pre}->{post}", pre, post,
                                np.asarray(pre_index), np.asarray(post_index), weight, delay,
                                synapse_type, receptor, **kwargs)


def network(populations: Sequence[PopulationSpec], projections: Sequence[ProjectionSpec] = (),
            dt: float = 1.0, seed: int = 1, **kwargs: Any) -> NetworkSpec:
    """A NetworkSpec; ids must equal positions (checked here, since every stage relies on it)."""
    assert [p.id for p in populations] == list(range(len(populations)))
    assert [p.id for p in projections] == list(range(len(projections)))
    return NetworkSpec(dt, seed, tuple(populations), tuple(projections), **kwargs)


def config(**kwargs: Any) -> Config:
    """setup()'s configuration with a 1 ms timestep and validation on, unless overridden."""
    return Config(**{"timestep": 1.0, "min_delay": 1.0, "validate": True, **kwargs})


def chip_index(machine: hw.Machine, x: int, y: int) -> int:
    """The index of chip (x, y) in a machine."""
    found = np.flatnonzero((machine.chips[:, 0] == x) & (machine.chips[:, 1] == y))
    assert len(found) == 1, (x, y)
    return int(found[0])


def link(name: str) -> int:
    """A link's number (machine.LINK_NAMES: E, NE, N, W, SW, S)."""
    return hw.LINK_NAMES.index(name)
