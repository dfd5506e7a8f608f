"""Projection: connections held as numpy arrays (pre, post, weight, delay).

Every PyNN connector is built with array code by connectors.py; only a connector it does not know
falls back to PyNN's generic code, which calls ``_convergent_connect`` once per post-synaptic
neuron.
"""

from __future__ import annotations

import numpy as np
from pyNN import common
from pyNN import connectors as pynn_connectors
from pyNN.space import Space
from pyNN.standardmodels.base import check_weights

from . import connectors, simulator
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
        self._build(connector)
        self._finalise()
        state = simulator.state
        self._number = len(state.projections)
        state.projections.append(self)
        state.mark_changed()

    # --- building ------------------------------------------------------------------------
    def _build(self, connector) -> None:
        """Connections as arrays (connectors.py); PyNN's own code for connectors it lacks."""
        if isinstance(connector, (pynn_connectors.FromListConnector)):
            pre, post, given = connectors.from_list(connector, self)
        else:
            indices = connectors.connection_indices(connector, self)
            if indices is None:
                connector.connect(self)
                return
            pre, post = indices
            given = {}
        pre, post = np.asarray(pre, dtype=np.int64), np.asarray(post, dtype=np.int64)
        order = np.lexsort((pre, post))
        pre, post = pre[order], post[order]
        given = {k: np.asarray(v)[order] for k, v in given.items()}
        self._add(pre, post, connectors.synapse_parameters(connector, self, pre, post, given))

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
        values = {"weight": 0.0, "delay": simulator.state.dt, **params}
        self._chunks.append((pre, post, {k: np.broadcast_to(np.asarray(v, dtype=float), (n,))
                                         for k, v in values.items()}))

    def _finalise(self) -> None:
        names = self.synapse_type.get_native_names() if self._chunks else ()
        self._pre = np.concatenate([c[0] for c in self._chunks] + [np.zeros(0, np.int64)])
        self._post = np.concatenate([c[1] for c in self._chunks] + [np.zeros(0, np.int64)])
        # one array per synapse parameter (weight, delay, and e.g. U, tau_rec, tau_facil)
        self._attributes = {name: np.concatenate([c[2][name] for c in self._chunks]
                                                 + [np.zeros(0)])
                            for name in set(names) | {"weight", "delay"}}
        self._chunks = []

    @property
    def _weight(self) -> np.ndarray:
        return self._attributes["weight"]

    @property
    def _delay(self) -> np.ndarray:
        return self._attributes["delay"]

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

    def _set_attributes(self, parameter_space) -> None:
        """PyNN's set() hook: evaluate each attribute at the existing connections.

        A value for a (pre, post) pair applies to every connection of that pair.
        Raises: NotSupportedError for an attribute the synapse type does not have.
        """
        unknown = [n for n in parameter_space.keys() if n not in self._attributes]
        if unknown:
            raise NotSupportedError(f"Projection '{self.label}': cannot set {unknown}; "
                                    f"it has {sorted(self._attributes)}.")
        order = np.argsort(self._post, kind="stable")
        for name in parameter_space.keys():
            values = np.empty(len(self))
            values[order] = connectors.evaluate_at(parameter_space[name], self._pre[order],
                                                   self._post[order], self.pre.size,
                                                   self.post.size)
            if name == "weight" and len(values):
                check_weights(values, self)
            self._attributes[name] = values
        simulator.state.mark_changed()

    def _columns(self, names) -> list[np.ndarray]:
        columns = {"presynaptic_index": self._pre, "postsynaptic_index": self._post,
                   **self._attributes}
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
