"""How the compiler's stages agree on facts that every rank sees only part of.

In:  under MPI (K > 1 ranks), each rank's NetworkSpec holds only the synapses onto the neurons
     it emulates (parallel/ownership.py); one process holds them all.
Out: ``Agreement``: the few collective operations the stages use to turn a fact of the local
     synapses (a largest delay, a count, a flag) into the fact of the whole network, the same
     on every rank; ``ALONE``, the one-process agreement, which returns what it is given.
Raises: nothing itself (a failing rank is reported by parallel.World.agree around the compile).

Every stage that reads synapses and decides something for the whole machine (which Poisson
sources fold, the delay-extension stages, the ring buffers and SRAM of partitioning, the
weight exponents, the row blocks, the report) reduces its local fact through the agreement
before it decides, so every rank compiles the same machine whatever K is.
"""

from __future__ import annotations

from typing import Any, Protocol

import numpy as np


class Agreement(Protocol):
    """The ranks' collective operations (parallel/compile.py implements them with mpi4py)."""

    rank: int
    size: int

    def reduce(self, values: np.ndarray, op: str) -> np.ndarray:
        """Element-wise "max", "min", "sum" or "or" of ``values`` over the ranks (same shape
        on every rank)."""
        ...

    def gather(self, value: Any) -> list:
        """Every rank's ``value``, in rank order."""
        ...


class _Alone:
    """One process: every fact is already the whole network's."""

    rank, size = 0, 1

    def reduce(self, values: np.ndarray, op: str) -> np.ndarray:
        return np.asarray(values)

    def gather(self, value: Any) -> list:
        return [value]


ALONE: Agreement = _Alone()


def synapse_counts(network, agree: Agreement) -> np.ndarray:
    """Out: int64 number of synapses of every projection of ``network``, over all ranks."""
    local = np.array([p.n_synapses for p in network.projections], dtype=np.int64)
    return agree.reduce(local, "sum")


def gathered_in_post_order(agree: Agreement, post: np.ndarray,
                           columns: list[np.ndarray]) -> tuple[np.ndarray, list[np.ndarray]]:
    """A projection's ``post`` indices and ``columns`` from every rank, in the one-process
    order: joined in rank order, stably sorted by post (ranks hold disjoint post-synaptic
    neurons, each in its own order). Out: (post, columns)."""
    parts = agree.gather([np.asarray(post)] + [np.asarray(c) for c in columns])
    joined = np.concatenate([p[0] for p in parts])
    order = np.argsort(joined, kind="stable")
    return joined[order], [np.concatenate([p[k] for p in parts])[order]
                           for k in range(1, len(columns) + 1)]


def neuron_owner(index: np.ndarray, size: int, n_ranks: int) -> np.ndarray:
    """The rank that first holds each neuron ``index`` of a population of ``size``: rank r
    holds r·size//K <= i < (r+1)·size//K (a population smaller than K leaves ranks empty).
    Out: int64 array like ``index``."""
    bounds = (np.arange(n_ranks + 1, dtype=np.int64) * size) // n_ranks
    return np.searchsorted(bounds, np.asarray(index, dtype=np.int64), side="right") - 1


def slice_owners(partition, sizes: dict[int, int] | list[int], n_ranks: int) -> np.ndarray:
    """The rank that emulates each PE slice: the first holder of its first neuron
    (``neuron_owner``), so a rank's slices of a population are consecutive and about a K-th
    of them. In: the partition, each population's size by id. Out: int64 rank per slice."""
    owner = np.zeros(partition.n_slices, dtype=np.int64)
    for pop in np.unique(partition.pop).tolist():
        mine = partition.slices_of(pop)
        owner[mine] = neuron_owner(partition.lo[mine], sizes[pop], n_ranks)
    return owner

