"""Connection index arrays for every PyNN connector, built with array code.

In:  a PyNN connector and the Projection being built (its pre/post, space, synapse type).
Out: (pre index, post index) arrays, then sorted by post and pre as int32 (``sort_by_post``),
     and the synapse parameters (native names, PyNN units) evaluated for exactly those
     connections; a parameter that is the same for all of them is a broadcast scalar.
Raises: NotSupportedError for CSAConnector and SmallWorldConnector(n_connections=...);
     PyNN's ConnectionError for bad lists or mismatched clones.

Random choices are drawn from the connector's rng in bulk (in column chunks that bound memory),
never one Python call per post-synaptic neuron. Random streams differ from PyNN's generic code
except for FixedProbabilityConnector, which draws the same numbers in the same order.
"""

from __future__ import annotations

from copy import copy

import numpy as np
from lazyarray import larray as LazyArray
from pyNN import connectors as pc
from pyNN import errors as pynn_errors
from pyNN.random import RandomDistribution
from pyNN.standardmodels.base import check_weights

from .spinnaker1.conventions import inhibitory_weights

from .errors import InvalidConnectionError, NotSupportedError

CHUNK_ELEMENTS = 4_000_000   # pre x post-chunk matrices are at most this big


def _column_chunks(n_pre: int, n_post: int):
    step = max(1, CHUNK_ELEMENTS // max(n_pre, 1))
    for start in range(0, n_post, step):
        yield start, min(n_post, start + step)


def _uniform(rng, n: int) -> np.ndarray:
    return np.asarray(rng.next(n, "uniform", {"low": 0.0, "high": 1.0}, mask=None))


def _uniform_int(rng, n: int, high: int) -> np.ndarray:
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    return np.asarray(rng.next(n, "uniform_int", {"low": 0, "high": high}, mask=None),
                      dtype=np.int64).reshape(-1)


def _cell_ids(cells) -> np.ndarray:
    return np.asarray(cells.all_cells, dtype=np.int64)


def _self_mask(projection, pre: np.ndarray, post: np.ndarray, mode) -> np.ndarray:
    """True where a connection is allowed by allow_self_connections (True, False, 'NoMutual')."""
    if mode is True:
        return np.ones(len(pre), dtype=bool)
    pre_ids, post_ids = _cell_ids(projection.pre)[pre], _cell_ids(projection.post)[post]
    if mode == "NoMutual":
        return pre_ids > post_ids
    return pre_ids != post_ids


def _probability_map(connector, projection, probability_of) -> tuple[np.ndarray, np.ndarray]:
    """Bernoulli draw of every (pre, post) pair, column chunk by column chunk.

    probability_of(c0, c1) gives the (n_pre, c1 - c0) probability block (or a scalar).
    """
    n_pre, n_post = projection.pre.size, projection.post.size
    pres, posts = [], []
    for c0, c1 in _column_chunks(n_pre, n_post):
        # one row of draws per post-synaptic cell: the hits come out sorted by post, then pre
        draws = _uniform(connector.rng, (c1 - c0) * n_pre).reshape(c1 - c0, n_pre)
        probability = probability_of(c0, c1)
        hit_col, hit_pre = np.nonzero(draws < (probability.T if np.ndim(probability)
                                               else probability))
        pres.append(hit_pre.astype(np.int32))
        posts.append((c0 + hit_col).astype(np.int32))
    pre, post = np.concatenate(pres), np.concatenate(posts)
    keep = _self_mask(projection, pre, post, connector.allow_self_connections)
    return pre[keep], post[keep]


def _distances(projection, c0: int, c1: int) -> np.ndarray:
    """(n_pre, c1 - c0) distances between pre cells and post cells c0..c1."""
    a = projection.pre.positions.T
    b = projection.post.positions.T[c0:c1]
    return projection.space.distances(a, b).reshape(len(a), len(b))


def _fixed_number(rng, n, n_rows: int, n_choices: int, with_replacement: bool,
                  excluded) -> tuple[np.ndarray, np.ndarray]:
    """For each of n_rows rows, choose n of n_choices columns (n: int or RandomDistribution).

    excluded(rows, cols) -> bool mask of forbidden (row, col) pairs (self connections), or None
    when every pair is allowed.
    Out: (row, col) arrays.
    """
    counts = (np.asarray(n.next(n_rows), dtype=np.int64) if isinstance(n, RandomDistribution)
              else np.full(n_rows, int(n), dtype=np.int64))
    if with_replacement:
        rows = np.repeat(np.arange(n_rows), counts)
        cols = _uniform_int(rng, len(rows), n_choices)
        bad = excluded(rows, cols) if excluded is not None else np.zeros(len(rows), bool)
        while bad.any():
            cols[bad] = _uniform_int(rng, int(bad.sum()), n_choices)
            bad = excluded(rows, cols)
        return rows, cols
    if np.any(counts > n_choices):
        raise pynn_errors.ConnectionError(
            f"cannot choose {counts.max()} of {n_choices} cells without replacement")
    out_rows, out_cols = [], []
    rows_per_chunk = max(1, CHUNK_ELEMENTS // max(n_choices, 1))
    for r0 in range(0, n_rows, rows_per_chunk):
        r1 = min(n_rows, r0 + rows_per_chunk)
        keys = _uniform(rng, (r1 - r0) * n_choices).reshape(r1 - r0, n_choices)
        if excluded is not None:
            rr, cc = np.meshgrid(np.arange(r0, r1), np.arange(n_choices), indexing="ij")
            keys[excluded(rr.ravel(), cc.ravel()).reshape(keys.shape)] = np.inf
        # a random subset per row: the columns with the smallest keys (partition, not sort)
        k = int(counts[r0:r1].max(initial=0))
        if k == 0:
            continue
        order = (np.argpartition(keys, k - 1, axis=1)[:, :k] if k < n_choices
                 else np.argsort(keys, axis=1))
        chosen = np.take_along_axis(keys, order, axis=1)
        valid = (np.arange(order.shape[1])[None, :] < counts[r0:r1, None])
        if np.any(~np.isfinite(chosen[valid])):
            raise pynn_errors.ConnectionError("not enough cells to choose from without "
                                              "self connections")
        out_rows.append(np.broadcast_to(np.arange(r0, r1)[:, None], order.shape)[valid])
        out_cols.append(order[valid])
    if not out_rows:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    return np.concatenate(out_rows), np.concatenate(out_cols)


def check_connector(connector, projection) -> None:
    """Raises: InvalidConnectionError naming the projection for a FixedProbabilityConnector
    probability outside [0, 1] or not a number, or an ArrayConnector matrix whose shape is not
    (pre size, post size)."""
    label = projection.label
    if isinstance(connector, pc.FixedProbabilityConnector):
        p = connector.p_connect
        if isinstance(p, bool) or not isinstance(p, (int, float, np.number)) \
                or not 0.0 <= p <= 1.0:
            raise InvalidConnectionError(
                f"Projection '{label}': FixedProbabilityConnector(p_connect={p!r}) needs a "
                "probability from 0 to 1.")
    if isinstance(connector, pc.ArrayConnector):
        shape = np.shape(connector.array)
        expected = (projection.pre.size, projection.post.size)
        if shape != expected:
            raise InvalidConnectionError(
                f"Projection '{label}': ArrayConnector's matrix has shape {shape}, but the "
                f"projection needs (pre size, post size) = {expected}.")


def synapse_bound(connector, projection) -> float | None:
    """The most synapses (the expected number for FixedProbabilityConnector) the connector can
    make, known before it draws anything; None when only drawing tells (distance- and
    index-based, small-world, random n)."""
    n_pre, n_post = projection.pre.size, projection.post.size
    kind = vars(type(connector)).get("pynn_class", type(connector))
    n = getattr(connector, "n", None)
    whole = isinstance(n, (int, np.integer)) and not isinstance(n, bool)
    if kind is pc.AllToAllConnector:
        return float(n_pre) * n_post
    if kind is pc.FixedProbabilityConnector:
        return float(n_pre) * n_post * float(connector.p_connect)
    if kind is pc.OneToOneConnector:
        return float(min(n_pre, n_post))
    if kind is pc.FixedNumberPreConnector and whole:
        return float(n) * n_post
    if kind is pc.FixedNumberPostConnector and whole:
        return float(n) * n_pre
    if kind is pc.FixedTotalNumberConnector and whole:
        return float(n)
    if kind is pc.FromListConnector:
        return float(len(connector.conn_list))
    return None


def check_target(post, label: str | None) -> None:
    """Raises: InvalidConnectionError when the post-synaptic side holds a spike source, which
    has no synapses (PyNN itself would stop at a bare assert)."""
    populations = getattr(post, "populations", [post])
    for population in populations:
        celltype = population.celltype
        if not getattr(celltype, "injectable", True):
            raise InvalidConnectionError(
                f"Projection '{label or ''}': the target '{population.label}' is a "
                f"{type(celltype).__name__}, a spike source, which cannot receive synapses. "
                "Swap pre and post, or connect to a neuron population.")


def connection_indices(connector, projection) -> tuple[np.ndarray, np.ndarray] | None:
    """(pre, post) of the connector's connections, or None for a connector PyNN must build."""
    n_pre, n_post = projection.pre.size, projection.post.size
    # our checked subclasses (connector_types.py) name the PyNN class they stand for
    kind = vars(type(connector)).get("pynn_class", type(connector))
    if kind is pc.AllToAllConnector:
        pre, post = (a.ravel() for a in np.meshgrid(np.arange(n_pre), np.arange(n_post),
                                                    indexing="ij"))
        keep = _self_mask(projection, pre, post, connector.allow_self_connections)
        return pre[keep], post[keep]
    if kind is pc.OneToOneConnector:
        if n_pre != n_post:
            raise pynn_errors.ConnectionError(
                f"OneToOneConnector needs equal sizes, got {n_pre} and {n_post} for Projection "
                f"'{projection.label}'")
        return np.arange(n_pre), np.arange(n_post)
    if kind is pc.FixedProbabilityConnector:
        return _probability_map(connector, projection, lambda c0, c1: connector.p_connect)
    if kind is pc.DistanceDependentProbabilityConnector:
        return _probability_map(connector, projection, lambda c0, c1: np.broadcast_to(
            connector.distance_function(_distances(projection, c0, c1)), (n_pre, c1 - c0)))
    if issubclass(kind, pc.IndexBasedProbabilityConnector):   # and DisplacementDependent
        expression = copy(connector.index_expression)
        expression.projection = projection

        def probability(c0, c1):
            i, j = np.meshgrid(np.arange(n_pre), np.arange(c0, c1), indexing="ij")
            return np.broadcast_to(expression(i, j), i.shape)
        return _probability_map(connector, projection, probability)
    if kind is pc.ArrayConnector:
        pre, post = np.nonzero(np.asarray(connector.array, dtype=bool))
        return pre, post
    allow = getattr(connector, "allow_self_connections", True)
    if kind is pc.FixedNumberPreConnector:
        post, pre = _fixed_number(
            connector.rng, connector.n, n_post, n_pre, connector.with_replacement,
            None if allow is True else lambda rows, cols: ~_self_mask(projection, cols, rows,
                                                                      allow))
        return pre, post
    if kind is pc.FixedNumberPostConnector:
        return _fixed_number(
            connector.rng, connector.n, n_pre, n_post, connector.with_replacement,
            None if allow is True else lambda rows, cols: ~_self_mask(projection, rows, cols,
                                                                      allow))
    if kind is pc.FixedTotalNumberConnector:
        return _fixed_total(connector, projection)
    if kind is pc.CloneConnector:
        ref = connector.reference_projection
        if ref.pre != projection.pre or ref.post != projection.post:
            raise pynn_errors.ConnectionError(
                f"CloneConnector: Projection '{projection.label}' must have the same pre and "
                f"post as the reference projection '{ref.label}'")
        # every connection of the reference (under MPI from every rank); _add keeps this
        # rank's own
        pre, post = ref._columns(["presynaptic_index", "postsynaptic_index"])
        return pre.copy(), post.copy()
    if kind is pc.SmallWorldConnector:
        return _small_world(connector, projection)
    if kind is pc.CSAConnector:
        raise NotSupportedError("CSAConnector is not supported by pynn_spinnaker2; build the "
                                "connection list with csa and use FromListConnector.")
    return None


def _fixed_total(connector, projection) -> tuple[np.ndarray, np.ndarray]:
    n_pre, n_post = projection.pre.size, projection.post.size
    n = int(connector.n)
    total = n_pre * n_post

    def excluded(flat):
        return ~_self_mask(projection, flat // n_post, flat % n_post,
                           connector.allow_self_connections)
    flat = _uniform_int(connector.rng, n, total)
    if connector.with_replacement:
        bad = excluded(flat)
        while bad.any():
            flat[bad] = _uniform_int(connector.rng, int(bad.sum()), total)
            bad = excluded(flat)
    else:
        flat = np.unique(flat[~excluded(flat)])
        while len(flat) < n:
            extra = _uniform_int(connector.rng, 2 * (n - len(flat)) + 16, total)
            flat = np.unique(np.concatenate([flat, extra[~excluded(extra)]]))
        flat = flat[np.argsort(_uniform(connector.rng, len(flat)))[:n]]
    return flat // n_post, flat % n_post


def _small_world(connector, projection) -> tuple[np.ndarray, np.ndarray]:
    """Watts-Strogatz: connect pairs closer than `degree`, then rewire each connection's target
    with probability `rewiring` to a uniformly chosen cell (self connections as allowed)."""
    if connector.n_connections is not None:
        raise NotSupportedError("SmallWorldConnector(n_connections=...) is not supported by "
                                "pynn_spinnaker2; leave n_connections out.")
    degree = float(connector.d_expression.split("<")[1])
    n_pre, n_post = projection.pre.size, projection.post.size
    pres, posts = [], []
    for c0, c1 in _column_chunks(n_pre, n_post):
        hit_pre, hit_col = np.nonzero(_distances(projection, c0, c1) < degree)
        pres.append(hit_pre)
        posts.append(c0 + hit_col)
    pre, post = np.concatenate(pres), np.concatenate(posts)
    rewire = _uniform(connector.rng, len(pre)) < connector.rewiring
    post = post.copy()
    post[rewire] = _uniform_int(connector.rng, int(rewire.sum()), n_post)
    keep = _self_mask(projection, pre, post, connector.allow_self_connections)
    return pre[keep], post[keep]


def sort_by_post(pre: np.ndarray, post: np.ndarray, n_pre: int, n_post: int,
                 given: dict[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Connections sorted by post, then pre (ties keep their order), as int32 arrays.

    ``given`` (a list's parameter columns) is permuted in place to the same order; without it
    the combined key post * n_pre + pre is sorted by value, which needs no permutation array.
    Out: (pre, post) int32.
    """
    # the narrowest key that holds every (post, pre) pair
    dtype = np.uint32 if n_pre * n_post < 2**32 else np.int64
    key = np.asarray(post, dtype=dtype) * dtype(max(n_pre, 1)) + np.asarray(pre, dtype=dtype)
    del pre, post
    if given:
        order = np.argsort(key, kind="stable")
        key = key[order]
        for name in given:
            given[name] = np.asarray(given[name])[order]
    else:
        key.sort(kind="stable")     # linear time on runs already in order
    pre_out, post_out = np.empty(len(key), np.int32), np.empty(len(key), np.int32)
    for start in range(0, len(key), CHUNK_ELEMENTS):     # no int64 temporaries of full size
        post_out[start:start + CHUNK_ELEMENTS], pre_out[start:start + CHUNK_ELEMENTS] = \
            np.divmod(key[start:start + CHUNK_ELEMENTS], max(n_pre, 1))
    return pre_out, post_out


def _distance_map(projection) -> LazyArray:
    """PyNN's lazy (pre, post) distance map, with positions taken as (cells, 3) for a Population,
    a PopulationView and an Assembly alike (PyNN's Assembly.position_generator hands out
    (3, cells) and fails in its space code)."""
    def rows(cells):
        positions = cells.positions.T     # read once: an Assembly stacks its members' each time
        return lambda i: positions[i]
    return LazyArray(projection.space.distance_generator(rows(projection.pre),
                                                         rows(projection.post)),
                     shape=projection.shape)


def evaluate_at(larr, pre: np.ndarray, post: np.ndarray, n_pre: int, n_post: int) -> np.ndarray:
    """A lazy synapse parameter at the given (pre, post) pairs (pairs sorted by post); a
    homogeneous one as a read-only broadcast scalar."""
    if larr.is_homogeneous:
        return np.broadcast_to(np.float64(larr.evaluate(simplify=True)), (len(pre),))
    base = larr.base_value
    if isinstance(base, RandomDistribution) and not larr.operations:
        return np.asarray(base.next(len(pre)), dtype=float).reshape(-1)
    out = np.empty(len(pre))
    bounds = np.searchsorted(post, [c for c, _ in _column_chunks(n_pre, n_post)] + [n_post])
    for (c0, c1), lo, hi in zip(_column_chunks(n_pre, n_post), bounds[:-1], bounds[1:]):
        if hi > lo:
            # a distance expression may give a scalar (``lambda d: 1``): broadcast it
            block = np.broadcast_to(np.asarray(larr[:, c0:c1], dtype=float),
                                    (n_pre, c1 - c0))
            out[lo:hi] = block[pre[lo:hi], post[lo:hi] - c0]
    return out


def synapse_parameters(connector, projection, pre: np.ndarray, post: np.ndarray,
                       given: dict[str, np.ndarray] | None = None) -> dict[str, np.ndarray]:
    """Native synapse parameters for the connections; ``given`` values (a list's columns) win."""
    given = given or {}
    space = connector._parameters_from_synapse_type(projection, _distance_map(projection))
    n_pre, n_post = projection.pre.size, projection.post.size
    params = {name: (np.asarray(given[name], dtype=float) if name in given
                     else evaluate_at(space[name], pre, post, n_pre, n_post))
              for name in space.keys()}
    for name, values in params.items():
        projection._check_finite(name, np.asarray(values, dtype=float))
    if "weight" in params and len(pre):
        params["weight"] = inhibitory_weights(params["weight"], projection)  # sPyNNaker mode
        check_weights(params["weight"], projection)
    return params


def from_list(connector, projection) -> tuple[np.ndarray, np.ndarray, dict[str, np.ndarray]]:
    """FromListConnector/FromFileConnector: indices and the list's parameter columns."""
    if isinstance(connector, pc.FromFileConnector):
        columns = list(connector.file.get_metadata().get("columns", ("weight", "delay")))
        connector.column_names = [c for c in columns if c not in ("i", "j")]
        connector.conn_list = connector.file.read()
    conn = np.asarray(connector.conn_list, dtype=float)
    if conn.size == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64), {}
    conn = conn.reshape(len(conn), -1)
    pre, post = conn[:, 0].astype(np.int64), conn[:, 1].astype(np.int64)
    if pre.min() < 0 or pre.max() >= projection.pre.size or post.min() < 0 \
            or post.max() >= projection.post.size:
        raise pynn_errors.ConnectionError(
            f"Projection '{projection.label}': a connection index is out of range "
            f"(pre size {projection.pre.size}, post size {projection.post.size})")
    names = projection.synapse_type.get_parameter_names()
    for name in connector.column_names:
        if name not in names:
            raise ValueError(f"{name} is not a valid parameter for "
                             f"{type(projection.synapse_type).__name__}")
    columns = {name: conn[:, k] for k, name in enumerate(connector.column_names, 2)}
    return pre, post, columns
