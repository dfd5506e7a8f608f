"""Projection: connections held as numpy arrays (pre, post, weight, delay).

Every PyNN connector is built with array code by connectors.py; only a connector it does not know
falls back to PyNN's generic code, which calls ``_convergent_connect`` once per post-synaptic
neuron.

Storage is compact, because the IR (snapshot.py) references these arrays instead of copying them:
indices int32, an attribute that is the same for every connection a broadcast float64 scalar
(exact, no memory), any other attribute float32 when every value survives float32 unchanged,
else float64, so that ``get()`` returns exactly what was given. Connections are sorted by post,
then pre. The arrays are never modified in place: set() and the STDP read-back replace them.
Delays off the timestep grid are rounded to the nearest tick (delays.py), as NEST does.
"""

from __future__ import annotations

from contextlib import contextmanager

import numpy as np
from lazyarray import larray as LazyArray
from pyNN import common
from pyNN import connectors as pynn_connectors
from pyNN.space import Space
from pyNN.standardmodels.base import check_weights

from .spinnaker1.conventions import inhibitory_weights

from . import connectors, parameter_checks, resource_checks, simulator
from .parallel import ownership
from .delays import on_grid
from .errors import (InvalidParameterValueError, NotSupportedError, ReceptorTypeError,
                     SpiNNaker2Error)
from .compiled.decode import sort_connections
from .standardmodels.synapses import StaticSynapse


class Connection(common.Connection):
    """One connection, a live view of the projection's arrays: setting ``weight`` or ``delay``
    changes the projection, as on pyNN.nest."""

    def __init__(self, projection: "Projection", i: int) -> None:
        self._projection = projection
        self._i = i
        self.presynaptic_index = int(projection._pre[i])
        self.postsynaptic_index = int(projection._post[i])

    def _get(self, name: str) -> float:
        return float(self._projection._attributes[name][self._i])

    def _set(self, name: str, value: float) -> None:
        values = np.array(self._projection._attributes[name], dtype=np.float64)  # a copy
        values[self._i] = value
        self._projection._replace_attribute(name, values)

    weight = property(lambda self: self._get("weight"), lambda self, v: self._set("weight", v))
    delay = property(lambda self: self._get("delay"), lambda self, v: self._set("delay", v))

    def as_tuple(self, *attribute_names):
        return tuple(getattr(self, name) if name in ("weight", "delay") else
                     self._get(name) if name in self._projection._attributes else
                     getattr(self, name) for name in attribute_names)


class Projection(common.Projection):
    __doc__ = common.Projection.__doc__
    _simulator = simulator
    _static_synapse_class = StaticSynapse

    def __init__(self, presynaptic_population, postsynaptic_population, connector,
                 synapse_type=None, source=None, receptor_type=None, space=Space(), label=None):
        for side in (presynaptic_population, postsynaptic_population):
            for population in getattr(side, "populations", [getattr(side, "grandparent", side)]):
                simulator.state.check_current(population, "Population")
        connectors.check_target(postsynaptic_population,
                                label or f"{presynaptic_population.label}→"
                                f"{postsynaptic_population.label}")
        # a synapse type with receptors of its own (extra_models.Neuromodulation: "reward",
        # "punishment") is built on the cells' first receptor, then given its own
        own = getattr(synapse_type, "own_receptors", ())
        if own:
            _check_own_receptor(synapse_type, receptor_type, label)
        else:
            _check_receptor(presynaptic_population, postsynaptic_population, receptor_type,
                            label)
        with _user_values(label or "(unlabelled)", "its synapse type"):  # PyNN's receptor guess
            common.Projection.__init__(
                self, presynaptic_population, postsynaptic_population, connector,
                synapse_type, source,
                list(postsynaptic_population.receptor_types)[0] if own else receptor_type,
                space, label)
        if receptor_type in (None, "default") and hasattr(self.post, "populations"):
            # PyNN guesses from an Assembly's receptor_types, a list made from a set (its order
            # varies between processes); take the guess's position in the members' own order
            common_types = list(self.post.receptor_types)
            ordered = [r for r in self.post.populations[0].celltype.receptor_types
                       if r in common_types]
            self.receptor_type = ordered[common_types.index(self.receptor_type)]
        self._chunks: list[tuple[np.ndarray, ...]] = []
        self._drawn = 0          # under MPI: a digest of every connection drawn
        self._build(connector)
        self._finalise()
        if own:     # after the build: PyNN's weight check knows only its receptors
            self.receptor_type = receptor_type
        state = simulator.state
        self._number = len(state.projections)
        state.projections.append(self)
        state.mark_changed()

    # --- building ------------------------------------------------------------------------
    def _build(self, connector) -> None:
        """Connections as arrays (connectors.py); PyNN's own code for connectors it lacks."""
        connectors.check_connector(connector, self)
        count = connectors.synapse_bound(connector, self)
        if count is not None:
            state = simulator.state
            resource_checks.check_synapses(state.config, self.label, count,
                                           sum(p.size() for p in state.projections))
        try:
            with _user_values(self.label, "its synapse type"):
                self._build_connections(connector)
        except NameError as err:          # a typo in a distance or index expression
            raise InvalidParameterValueError(
                f"Projection '{self.label}': an expression of its connector or synapse type "
                f"names something unknown ({err}); distance expressions may use 'd' (and "
                "numpy functions such as exp).") from err

    def _build_connections(self, connector) -> None:
        if isinstance(connector, (pynn_connectors.FromListConnector)):
            pre, post, given = connectors.from_list(connector, self)
        else:
            indices = connectors.connection_indices(connector, self)
            if indices is None:
                connector.connect(self)
                return
            pre, post = indices
            given = {}
        pre, post = connectors.sort_by_post(pre, post, self.pre.size, self.post.size, given)
        self._add(pre, post, connectors.synapse_parameters(connector, self, pre, post, given))

    def _convergent_connect(self, presynaptic_indices, postsynaptic_index,
                            location_selector=None, **connection_parameters):
        if location_selector is not None:
            raise NotSupportedError("multicompartment models are not supported by "
                                    "pynn_spinnaker2")
        pre = np.atleast_1d(np.asarray(presynaptic_indices, dtype=np.int32))
        self._add(pre, np.full(len(pre), postsynaptic_index, dtype=np.int32),
                  connection_parameters)

    def _add(self, pre: np.ndarray, post: np.ndarray, params: dict) -> None:
        """Connections drawn; under MPI this rank keeps those onto its own neurons
        (parallel/ownership.py), after every check has seen them all."""
        n = len(pre)
        values = {"weight": 0.0, "delay": simulator.state.dt, **params}
        for name, value in values.items():
            self._check_finite(name, np.asarray(value, dtype=float))
            parameter_checks.check_synapses(self, name, value)
        values = {k: np.broadcast_to(np.asarray(v, dtype=float), (n,)) for k, v in values.items()}
        keep = ownership.kept(simulator.state, self.post, post)
        if keep is not None:
            self._drawn = ownership.draw_digest(self._drawn, pre, post, values)
            pre, post = pre[keep], post[keep]
            values = {k: _subset(v, keep) for k, v in values.items()}
        self._chunks.append((pre, post, values))

    def _finalise(self) -> None:
        names = self.synapse_type.get_native_names() if self._chunks else ()
        chunks, self._chunks = self._chunks, []
        self._pre = _joined([c[0] for c in chunks])
        self._post = _joined([c[1] for c in chunks])
        # one array per synapse parameter (weight, delay, and e.g. U, tau_rec, tau_facil)
        self._attributes = {name: compact_values([c[2][name] for c in chunks])
                            for name in set(names) | {"weight", "delay"}}
        self._attributes["delay"] = on_grid(self._attributes["delay"], simulator.state.dt,
                                            self.label)
        ownership.check_same_draws(simulator.state, self.label, self._drawn)
        self._global_size = ownership.global_size(simulator.state, len(self._pre))

    def _replace_connections(self, parts: list[tuple[np.ndarray, np.ndarray, dict]]) -> None:
        """Under MPI, after compiling moved connections between ranks: this rank's
        connections are now ``parts`` (pre, post, attributes), in rank order; they are put
        back in post-synaptic order (stable, so each neuron's keep theirs)."""
        post = _joined([p[1] for p in parts])
        order = None if np.all(post[1:] >= post[:-1]) else np.argsort(post, kind="stable")
        pick = (lambda a: a) if order is None else (lambda a: a[order])
        self._pre = pick(_joined([p[0] for p in parts]))
        self._post = pick(post)
        self._attributes = {name: compact_values([pick(np.concatenate(
            [np.asarray(p[2][name], dtype=np.float64) for p in parts]))])
            for name in self._attributes}

    def size(self, gather: bool = True) -> int:
        """The number of connections: on every MPI rank, of all ranks (``gather=False``:
        those this rank holds, the ones onto its neurons)."""
        if gather and simulator.state.world is not None:
            return self._global_size
        return len(self)      # (structural plasticity rewrites a projection: one process)

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

    def set(self, **attributes):
        with _user_values(self.label, "set()"):
            super().set(**attributes)

    set.__doc__ = common.Projection.set.__doc__

    def _set_attributes(self, parameter_space) -> None:
        """PyNN's set() hook: evaluate each attribute at the existing connections.

        A value for a (pre, post) pair applies to every connection of that pair.
        Raises: NotSupportedError for an attribute the synapse type does not have.
        """
        unknown = [n for n in parameter_space.keys() if n not in self._attributes]
        if unknown:
            raise NotSupportedError(f"Projection '{self.label}': cannot set {unknown}; "
                                    f"it has {sorted(self._attributes)}.")
        pre, post = self._columns(["presynaptic_index", "postsynaptic_index"])
        order = np.argsort(post, kind="stable")
        # under MPI every rank evaluates every connection (a random value is drawn for
        # each, as in one process) and keeps its own
        mine = ownership.connection_positions(self)
        for name in parameter_space.keys():
            values = np.empty(len(pre))
            values[order] = connectors.evaluate_at(parameter_space[name], pre[order],
                                                   post[order], self.pre.size, self.post.size)
            self._replace_attribute(name, values[mine])

    def _check_finite(self, name: str, values: np.ndarray) -> None:
        """Raises: InvalidParameterValueError naming the projection for a NaN or infinite
        weight, delay or synapse parameter."""
        sample = values[:1] if values.ndim == 1 and values.strides[0] == 0 else values
        if sample.size and not np.all(np.isfinite(sample)):
            raise InvalidParameterValueError(
                f"Projection '{self.label}': {name} {sample[~np.isfinite(sample)][0]} is not a "
                f"finite number; give every {name} a finite value.")

    def _replace_attribute(self, name: str, values: np.ndarray) -> None:
        """A new array of one attribute for every connection (checked, delays on the grid);
        the network is marked as changed."""
        self._check_finite(name, values)
        parameter_checks.check_synapses(self, name, values)
        if name == "weight" and len(values) and not getattr(self.synapse_type,
                                                            "own_receptors", ()):
            values = inhibitory_weights(values, self)      # sPyNNaker mode only
            check_weights(values, self)     # PyNN's sign rule of excitatory/inhibitory receptors
        values = compact_values([values])
        if name == "delay":
            values = on_grid(values, simulator.state.dt, self.label)
        self._attributes[name] = values        # only once every check has passed
        simulator.state.mark_changed()

    def initialize(self, **initial_values):
        """Initial values of synaptic state variables (PyNN's ``initialize``): a number or a
        RandomDistribution (one value drawn per connection, in the one-process order under
        MPI). PyNN 0.13's own version gives the values the shape of the ``size`` method
        rather than the number of connections, so a RandomDistribution fails there."""
        for variable, value in initial_values.items():
            initial_value = LazyArray(value, shape=(self.size(),), dtype=float)
            self._set_initial_value_array(variable, initial_value)
            self.initial_values[variable] = initial_value

    def _set_initial_value_array(self, variable: str, value) -> None:
        """PyNN's initialize() hook: the initial value of a synapse state variable (``u`` of
        the Tsodyks-Markram synapses, ``u`` and ``a`` of MultiQuantalSynapse) at every
        connection, used from the next compile (the state restarts from it at reset()).

        Raises: NotSupportedError for a variable the synapse type has no state for.
        """
        allowed = {"tsodyks_markram": ("u",), "stochastic_tsodyks_markram": ("u",),
                   "quantal": ("u", "a")}.get(getattr(self.synapse_type, "dynamics", ""), ())
        if variable not in allowed:
            raise NotSupportedError(
                f"Projection '{self.label}': cannot initialize {variable!r} of "
                f"{type(self.synapse_type).__name__}; it has {list(allowed) or 'no state'}.")
        values = np.asarray(value.evaluate(simplify=True), dtype=float)
        if simulator.state.world is not None and values.ndim == 1 \
                and len(values) == self.size():
            # under MPI: every connection's value was drawn; this rank keeps its own
            values = values[ownership.connection_positions(self)]
        self._attributes[variable] = compact_values([np.broadcast_to(values, (len(self),))])
        simulator.state.mark_changed()

    def _columns(self, names) -> list[np.ndarray]:
        """The named columns of every connection; under MPI gathered from every rank in the
        one-process order (a collective step: every rank calls get(), as in PyNN's MPI
        backends)."""
        columns = {"presynaptic_index": self._pre, "postsynaptic_index": self._post,
                   **self._attributes}
        unknown = [n for n in names if n not in columns]
        if unknown:
            raise NotSupportedError(f"Projection '{self.label}' has no attribute {unknown}")
        return ownership.gathered_columns(simulator.state, self._post,
                                          [columns[n] for n in names])

    def _get_attributes_as_list(self, names):
        columns = self._columns(names)
        return list(zip(*[c.tolist() for c in columns])) if self.size() else []

    def _get_attributes_as_arrays(self, names, multiple_synapses="sum"):
        operation = common.Projection.MULTI_SYNAPSE_OPERATIONS[multiple_synapses]
        out = []
        for name in names:
            if name not in self._attributes and name[:-1] in self._attributes:
                name = name[:-1]                  # "weights" -> "weight"
            pre, post, values = self._columns(["presynaptic_index", "postsynaptic_index", name])
            matrix = np.full((self.pre.size, self.post.size), np.nan)
            cell = pre.astype(np.int64) * self.post.size + post
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


def _subset(values: np.ndarray, keep: np.ndarray) -> np.ndarray:
    """The kept values; a broadcast scalar stays one (no memory per connection)."""
    if len(values) and values.strides[0] == 0:
        return np.broadcast_to(values[:1].copy()[0], (int(np.count_nonzero(keep)),))
    return values[keep]


def _joined(parts: list[np.ndarray]) -> np.ndarray:
    """Index arrays joined as one int32 array (no copy for a single int32 part)."""
    if len(parts) == 1 and parts[0].dtype == np.int32:
        return parts[0]
    return np.concatenate(parts + [np.zeros(0, np.int32)]).astype(np.int32, copy=False)


def compact_values(parts: list[np.ndarray]) -> np.ndarray:
    """One attribute's values, joined: a broadcast float64 scalar when every value is the same
    (exact, no memory per connection), else a float32 array when float32 holds every value
    exactly, else float64."""
    parts = [np.asarray(p) for p in parts if len(p)]
    if not parts:
        return np.zeros(0)
    value = float(parts[0][0])
    if all(p[0] == value if p.strides[0] == 0 else np.all(p == value) for p in parts):
        return np.broadcast_to(np.float64(value), (sum(len(p) for p in parts),))
    if all(p.dtype == np.float32 or _fits_float32(p) for p in parts):
        if len(parts) == 1:
            return parts[0].astype(np.float32, copy=False)
        return np.concatenate([p.astype(np.float32, copy=False) for p in parts])
    return np.concatenate([p.astype(np.float64, copy=False) for p in parts])


def _fits_float32(values: np.ndarray) -> bool:
    """Every value survives a round trip through float32 unchanged."""
    return bool(np.array_equal(values.astype(np.float32).astype(values.dtype), values))


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


@contextmanager
def _user_values(label: str, what: str):
    """Ours and PyNN's named errors pass as they are; a ValueError, TypeError or IndexError that
    lazyarray or numpy raise on a user's value becomes our InvalidParameterValueError."""
    try:
        yield
    except (ValueError, TypeError, IndexError, OverflowError, KeyError) as err:
        if isinstance(err, SpiNNaker2Error) or any(c.__module__ == "pyNN.errors"
                                                    for c in type(err).__mro__):
            raise
        raise InvalidParameterValueError(
            f"Projection '{label}': a value of {what} cannot be used ({type(err).__name__}: "
            f"{err}). Give a number, one number per connection, a RandomDistribution or a "
            "distance expression.") from err


def _check_own_receptor(synapse_type, receptor_type, label) -> None:
    """Raises: ReceptorTypeError unless ``receptor_type`` is one of the synapse type's own."""
    if receptor_type not in synapse_type.own_receptors:
        allowed = ", ".join(repr(r) for r in synapse_type.own_receptors)
        raise ReceptorTypeError(
            f"Projection '{label or '(unlabelled)'}': {type(synapse_type).__name__} needs "
            f"receptor_type {allowed}, not {receptor_type!r}. Give one of these.")


def _check_receptor(pre, post, receptor_type, label) -> None:
    """Raises: ReceptorTypeError naming the projection, the receptor and the allowed ones (PyNN's
    own message names neither the projection nor the cells)."""
    allowed = list(post.receptor_types)
    if receptor_type in ("default", None) or receptor_type in allowed:
        return
    name = label or f"{pre.label}\u2192{post.label}"
    what = (type(post.celltype).__name__ if hasattr(post, "celltype")
            else "an assembly: the receptors all its populations have")
    raise ReceptorTypeError(
        f"Projection '{name}': receptor_type '{receptor_type}' is not a receptor of the "
        f"post-synaptic cells '{post.label}' ({what}). Allowed: "
        f"{', '.join(repr(r) for r in sorted(allowed))}. Give one of these as receptor_type.")
