"""Projection: connections held as numpy arrays (pre, post, weight, delay).

PyNN's connectors call ``_convergent_connect`` once per post-synaptic neuron with arrays; the
common connectors (all-to-all, one-to-one, fixed probability) are built here directly as arrays.
"""

from __future__ import annotations

import numpy as np
from pyNN import common, connectors
from pyNN.random import RandomDistribution
from pyNN.space import Space
from pyNN.standardmodels.base import check_weights

from . import simulator
from .errors import NotSupportedError
from .mapping.decode import sort_connections
from .standardmodels.synapses import StaticSynapse


class Connection(common.Connection):
    """One connection, read from the projection's arrays."""

    def __init__(self, projection: "Projection", i: int) -> None:
        self.presynaptic_index = int(projection._pre[i])
        self.postsynaptic_index = int(projection._post[i])
        self.weight = float(projection._weight[i])
        self.delay = float(projection._delay[i])

    def as_tuple(self, *attribute_names):
        return tuple(getattr(self, name) for name in attribute_names)


class Projection(common.Projection):
    __doc__ = common.Projection.__doc__
    _simulator = simulator
    _static_synapse_class = StaticSynapse

    def __init__(self, presynaptic_population, postsynaptic_population, connector,
                 synapse_type=None, source=None, receptor_type=None, space=Space(), label=None):
        common.Projection.__init__(self, presynaptic_population, postsynaptic_population,
                                   connector, synapse_type, source, receptor_type, space, label)
        self._chunks: list[tuple[np.ndarray, ...]] = []
        if not _connect_vectorised(connector, self):
            connector.connect(self)
        self._finalise()
        state = simulator.state
        self._number = len(state.projections)
        state.projections.append(self)
        state.mark_changed()

    # --- building ------------------------------------------------------------------------
    def _convergent_connect(self, presynaptic_indices, postsynaptic_index,
                            location_selector=None, **connection_parameters):
        if location_selector is not None:
            raise NotSupportedError("multicompartment models are not supported by "
                                    "pynn_spinnaker2")
        pre = np.atleast_1d(np.asarray(presynaptic_indices, dtype=np.int64))
        self._add(pre, np.full(len(pre), postsynaptic_index, dtype=np.int64),
                  connection_parameters)

    def _add(self, pre: np.ndarray, post: np.ndarray, params: dict) -> None:
        n = len(pre)
        weight = np.broadcast_to(np.asarray(params.get("weight", 0.0), dtype=float), (n,))
        delay = np.broadcast_to(np.asarray(params.get("delay", simulator.state.dt),
                                           dtype=float), (n,))
        self._chunks.append((pre, post, weight, delay))

    def _finalise(self) -> None:
        if self._chunks:
            self._pre, self._post, self._weight, self._delay = (
                np.concatenate([c[i] for c in self._chunks]) for i in range(4))
        else:
            self._pre = self._post = np.zeros(0, dtype=np.int64)
            self._weight = self._delay = np.zeros(0)
        self._chunks = []

    # --- access --------------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self._pre)

    def __getitem__(self, i):
        return Connection(self, i)

    def __iter__(self):
        return (Connection(self, i) for i in range(len(self)))

    @property
    def connections(self):
        return list(self)

    def set(self, **attributes):
        raise NotSupportedError("Projection.set() is not supported by pynn_spinnaker2 yet; "
                                "give weights and delays when creating the Projection.")

    def _columns(self, names) -> list[np.ndarray]:
        columns = {"presynaptic_index": self._pre, "postsynaptic_index": self._post,
                   "weight": self._weight, "delay": self._delay}
        unknown = [n for n in names if n not in columns]
        if unknown:
            raise NotSupportedError(f"Projection '{self.label}' has no attribute {unknown}")
        return [columns[n] for n in names]

    def _get_attributes_as_list(self, names):
        columns = self._columns(names)
        return list(zip(*[c.tolist() for c in columns])) if len(self) else []

    def _get_attributes_as_arrays(self, names, multiple_synapses="sum"):
        operation = common.Projection.MULTI_SYNAPSE_OPERATIONS[multiple_synapses]
        out = []
        for name in names:
            name = name[:-1] if name.endswith("s") else name
            (values,) = self._columns([name])
            matrix = np.full((self.pre.size, self.post.size), np.nan)
            cell = self._pre * self.post.size + self._post
            order = np.argsort(cell, kind="stable")
            unique, start = np.unique(cell[order], return_index=True)
            if len(unique) == len(cell):
                matrix.flat[cell] = values
            else:
                reduced = [operation.reduce(chunk) if hasattr(operation, "reduce")
                           else _fold(operation, chunk)
                           for chunk in np.split(values[order], start[1:])]
                matrix.flat[unique] = reduced
            out.append(matrix)
        return out

    def _to_projection_indices(self, parts, network) -> np.ndarray:
        """Map decoded (population index) rows to this projection's pre/post index space."""
        rows = []
        for proj_id, decoded in parts:
            spec = network.projections[proj_id]
            pre_ids = int(network_first_id(spec.pre)) + decoded[:, 0].astype(np.int64)
            post_ids = int(network_first_id(spec.post)) + decoded[:, 1].astype(np.int64)
            rows.append(np.column_stack([_index_of(self.pre, pre_ids),
                                         _index_of(self.post, post_ids), decoded[:, 2:]]))
        return sort_connections(np.concatenate(rows) if rows else np.zeros((0, 4)))


def network_first_id(pop_number: int) -> int:
    return int(simulator.state.populations[pop_number].first_id)


def _fold(operation, chunk):
    result = chunk[0]
    for value in chunk[1:]:
        result = operation(result, value)
    return result


def _index_of(cells, ids: np.ndarray) -> np.ndarray:
    """Positions of global ids within a population, view or assembly."""
    all_ids = cells.all_cells.astype(np.int64)
    order = np.argsort(all_ids)
    return order[np.searchsorted(all_ids[order], ids)]


def _synapse_values(projection: Projection, name: str, pre: np.ndarray, post: np.ndarray,
                    parameter_space) -> np.ndarray:
    """Evaluate one native synapse parameter for the given connections, vectorised."""
    larr = parameter_space[name]
    if larr.is_homogeneous:
        return np.full(len(pre), float(larr.evaluate(simplify=True)))
    base = larr.base_value
    if isinstance(base, RandomDistribution) and not larr.operations:
        return np.asarray(base.next(len(pre)), dtype=float)
    matrix = larr.evaluate(simplify=False)
    return np.asarray(matrix, dtype=float)[pre, post]


def _connect_vectorised(connector, projection: Projection) -> bool:
    """Build the connections of the common connectors as arrays. False: use PyNN's code."""
    n_pre, n_post = projection.pre.size, projection.post.size
    kind = type(connector)
    if kind is connectors.AllToAllConnector:
        pre, post = (a.ravel() for a in np.meshgrid(np.arange(n_pre), np.arange(n_post),
                                                    indexing="ij"))
    elif kind is connectors.OneToOneConnector:
        if n_pre != n_post:
            raise ValueError(f"OneToOneConnector needs equal sizes, got {n_pre} and {n_post} "
                             f"for Projection '{projection.label}'")
        pre = post = np.arange(n_pre)
    elif kind is connectors.FixedProbabilityConnector:
        rng = connector.rng
        pre_list, post_list = [], []
        columns_per_chunk = max(1, 4_000_000 // max(n_pre, 1))
        # draws column by column (post-major), as PyNN's generic code does
        for start in range(0, n_post, columns_per_chunk):
            stop = min(n_post, start + columns_per_chunk)
            draws = np.asarray(rng.next((stop - start) * n_pre, "uniform",
                                        {"low": 0.0, "high": 1.0}, mask=None))
            hit = np.flatnonzero(draws.reshape(stop - start, n_pre) < connector.p_connect)
            post_list.append(start + hit // n_pre)
            pre_list.append(hit % n_pre)
        pre, post = np.concatenate(pre_list), np.concatenate(post_list)
    else:
        return False
    if kind is not connectors.OneToOneConnector and not connector.allow_self_connections:
        distinct = (projection.pre.all_cells[pre].astype(np.int64)
                    != projection.post.all_cells[post].astype(np.int64))
        pre, post = pre[distinct], post[distinct]
    order = np.lexsort((pre, post))
    pre, post = pre[order], post[order]
    space = connector._parameters_from_synapse_type(projection, distance_map=None)
    params = {name: _synapse_values(projection, name, pre, post, space)
              for name in space.keys()}
    if "weight" in params and len(pre):
        check_weights(params["weight"], projection)
    projection._add(pre, post, params)
    return True
