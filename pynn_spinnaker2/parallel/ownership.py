"""Which rank keeps which synapses under MPI: the rank that emulates their post-synaptic neuron.

In:  the simulator State (its World, populations and, after a compile, the slice owners), a
     projection's post-synaptic cells and connection indices.
Out: ``owners``: the rank of every neuron, indexed by global cell id; ``kept``: which of a
     projection's new connections this rank keeps; ``global_positions``: where this rank's
     connections stand in the projection's one-process order; ``AgreementOverMPI``: the
     compiler's Agreement (mapping/agreed.py) over the World.
Raises: RankFailedError (through World.check) when another rank failed in the middle of a
     collective step.

Every rank draws every connection with the user's RNG (so the synapses are those of one
process: PyNN's ``parallel_safe``), then keeps only those onto its own neurons. Before the
first compile neuron i of a population of n belongs to rank r with r·n//K <= i < (r+1)·n//K;
compiling hands each PE slice to the rank of its first neuron (mapping.agreed.slice_owners),
and the synapses onto the neurons of a slice that straddled two ranks move to its rank
(parallel/compile.py). A projection's connections stay sorted by post-synaptic index on every
rank and each post-synaptic neuron's connections are on one rank, so the one-process order is
the ranks' connections joined and stably sorted by post-synaptic index.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from pyNN import common

from ..errors import MappingError
from ..mapping.agreed import gathered_in_post_order, neuron_owner
from . import PeerFailed, World


DIGEST_CHUNK = 1 << 20       # connections hashed at a time
# the fix for ranks that built different networks
SAME_RANDOM_NUMBERS = (
    "Every rank must draw the same random numbers: give every NumpyRNG/RandomDistribution a "
    "seed and keep parallel_safe=True (a NumpyRNG with parallel_safe=False adds the rank to "
    "its seed).")


class AgreementOverMPI:
    """mapping.agreed.Agreement over a World. Every operation is one ``allgather``, like the
    failure check of World.agree, so a rank that failed inside a collective compile meets the
    others in the same collective and every rank stops with the same error."""

    def __init__(self, world: World) -> None:
        self.world, self.rank, self.size = world, world.rank, world.size

    def gather(self, value: Any) -> list:
        parts = self.world.allgather(_Payload(value))
        failed = [(r, p) for r, p in enumerate(parts) if not isinstance(p, _Payload)]
        if failed:
            raise PeerFailed(failed)
        return [p.value for p in parts]

    def reduce(self, values: np.ndarray, op: str) -> np.ndarray:
        parts = [np.asarray(p) for p in self.gather(np.asarray(values))]
        if op == "or":
            return np.logical_or.reduce(parts)
        return {"max": np.maximum, "min": np.minimum, "sum": np.add}[op].reduce(parts)


class _Payload:
    """A value in a collective step (anything else in its place is a rank's failure)."""

    def __init__(self, value: Any) -> None:
        self.value = value


def owners(state) -> np.ndarray:
    """Out: int64 rank of every neuron by global cell id: the slice owners of the last
    compile where there is one, else the first holders (mapping.agreed.neuron_owner)."""
    world: World = state.world
    cached = state._owners_cache
    if cached is not None and len(cached) == state.id_counter:
        return cached
    out = np.zeros(state.id_counter, dtype=np.int64)
    compiled = state.slice_owner_of
    for pop in state.populations:
        first = int(pop.first_id)
        out[first:first + pop.size] = compiled.get(pop._number, neuron_owner(
            np.arange(pop.size), pop.size, world.size))
    state._owners_cache = out
    return out


def post_owners(state, cells) -> np.ndarray:
    """The rank of each of a projection's post-synaptic cells (Population, view or Assembly),
    by post-synaptic index: int16, one per cell, so that looking up a connection's owner
    costs two bytes, not a cell id."""
    if isinstance(cells, common.Population):
        first = int(cells.first_id)
        table = owners(state)[first:first + cells.size]
    else:
        table = owners(state)[np.asarray(cells.all_cells, dtype=np.int64)]
    return table.astype(np.int16)


def kept(state, cells, post: np.ndarray) -> np.ndarray | None:
    """Which new connections onto ``post`` (indices into ``cells``) this rank keeps; None
    when one process keeps them all."""
    if state.world is None:
        return None
    return (post_owners(state, cells) == state.world.rank)[post]


def global_positions(state, post: np.ndarray, n_post: int) -> np.ndarray:
    """Out: int64 position of each of this rank's connections (sorted by post-synaptic index,
    ``post``) in the projection's one-process order. A collective step."""
    local = np.arange(len(post), dtype=np.int64)
    if state.world is None:
        return local
    counts = np.bincount(post, minlength=n_post).astype(np.int64)
    total = AgreementOverMPI(state.world).reduce(counts, "sum")
    start = np.cumsum(total) - total
    first_here = np.searchsorted(post, post, side="left")
    return start[post] + local - first_here


def draw_digest(digest: int, pre: np.ndarray, post: np.ndarray,
                values: dict[str, np.ndarray]) -> int:
    """``digest`` updated with a chunk of connections as drawn (before this rank keeps its
    own): int64 sums of the indices and of the values' bits, which differ between ranks
    whose RNGs drew differently."""
    parts = [len(pre)]
    with np.errstate(over="ignore"):
        for lo in range(0, len(pre), DIGEST_CHUNK):       # bounded temporaries
            hi = lo + DIGEST_CHUNK
            cell = (np.asarray(pre[lo:hi], dtype=np.int64) * 2654435761
                    + np.asarray(post[lo:hi], dtype=np.int64))
            parts += [int(cell.sum()), int((cell * (cell >> 7)).sum())]
            for name in sorted(values):
                v = values[name]
                v = v[:1] if len(v) and v.strides[0] == 0 else v[lo:hi]
                parts.append(int(np.asarray(v, dtype=np.float64).view(np.int64).sum()))
    return hash((digest, *parts))


def check_same_draws(state, label: str, digest: int) -> None:
    """Raises: MappingError on every rank unless every rank drew the same connections for
    the projection ``label`` (a collective step, at the projection's creation)."""
    if state.world is None:
        return
    digests = state.world.allgather(digest)
    if len(set(digests)) > 1:
        differ = [r for r, d in enumerate(digests) if d != digests[0]]
        raise MappingError(
            f"Projection '{label}': the MPI ranks drew different connections (rank 0 and "
            f"ranks {differ} differ), so they cannot share one network. {SAME_RANDOM_NUMBERS}")


def connection_positions(projection) -> np.ndarray:
    """``global_positions`` of a projection of this backend (its simulator's state)."""
    return global_positions(projection._simulator.state, projection._post,
                            projection.post.size)


def global_size(state, n: int) -> int:
    """The number of connections over all ranks, of which this rank holds ``n``."""
    if state.world is None:
        return n
    return int(AgreementOverMPI(state.world).reduce(np.array([n], dtype=np.int64), "sum")[0])


def gathered_columns(state, post: np.ndarray, columns: list[np.ndarray]) -> list[np.ndarray]:
    """Every rank's values of a projection's ``columns``, in the one-process order (joined in
    rank order, stably sorted by post-synaptic index). A collective step."""
    if state.world is None:
        return columns
    return gathered_in_post_order(AgreementOverMPI(state.world), post, columns)[1]
