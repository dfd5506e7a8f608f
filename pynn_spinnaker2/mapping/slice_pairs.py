"""Which target slices a projection's synapses fall into: bounded chunks, and the synapse count
of every (projection, source slice, target slice) pair.

In:  NetworkSpec, Partition.
Out: ``post_chunks``: a projection's synapses in groups of whole target slices, each a bounded
     piece of its arrays; ``count_slice_pairs``: ``SlicePairs``, one entry per row block (a
     (projection, source slice, target slice) with synapses) and its synapse count.

Synapses are taken in post-synaptic order (the order PyNN projections of this backend keep, or
``ProjectionSpec.post_order``), so a target slice's synapses are one contiguous range and each
chunk is a slice of the arrays: the transient memory of a stage that works chunk by chunk is
bounded by the chunk size, not the network size.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

import numpy as np

from ..ir import NetworkSpec, ProjectionSpec
from ..compiled.stages import Partition, SlicePairs
from .agreed import ALONE, Agreement

CHUNK_SYNAPSES = 1 << 20     # synapses per chunk, unless one target slice has more
CHUNK_ROWS = 1 << 22         # (target slice, source neuron) pairs per chunk, ditto
# a chunk of several target slices needs one more sorting pass unless its (target slice,
# source neuron) pairs fit 16 bits; worth it only for slices with few synapses
NARROW_ROWS, SMALL_CHUNK = 1 << 16, 1 << 16


@dataclass(frozen=True)
class Chunk:
    """The synapses of one projection onto target slices [first, stop) (global slice ids).

    index: positions in the projection's arrays, a slice when they are sorted by post, else an
    array; post_bounds: per target slice, its synapses' range [post_bounds[i],
    post_bounds[i + 1]) within the chunk.
    """

    first: int
    stop: int
    index: slice | np.ndarray
    post_bounds: np.ndarray

    @property
    def n_synapses(self) -> int:
        return int(self.post_bounds[-1])


def post_chunks(proj: ProjectionSpec, partition: Partition, n_pre: int,
                max_synapses: int = CHUNK_SYNAPSES) -> Iterator[Chunk]:
    """A projection's synapses in chunks of consecutive target slices.

    In: the projection, the partition, the size of the pre-synaptic population.
    Out: chunks, each at most ``max_synapses`` synapses and ``CHUNK_ROWS`` (target slice,
    source neuron) pairs, unless a single target slice has more.
    """
    if proj.n_synapses == 0:
        return
    slices = partition.slices_of(proj.post)
    order = proj.post_order
    post = proj.post_index if order is None else proj.post_index[order]
    starts = np.searchsorted(post, np.append(partition.lo[slices], partition.hi[slices[-1]]))
    del post
    sizes = np.diff(starts)
    first = 0
    while first < len(slices):
        stop = first + 1
        while stop < len(slices):
            synapses, rows = starts[stop + 1] - starts[first], (stop + 1 - first) * n_pre
            if synapses > max_synapses or rows > CHUNK_ROWS or (
                    rows > NARROW_ROWS and synapses > SMALL_CHUNK):
                break
            stop += 1
        lo, hi = int(starts[first]), int(starts[stop])
        if hi > lo:
            # from its first to its last target slice with synapses: under MPI the slices
            # around a rank's own hold none here but have row blocks of other ranks
            filled = np.flatnonzero(sizes[first:stop])
            a, b = first + int(filled[0]), first + int(filled[-1]) + 1
            bounds = np.concatenate([[0], np.cumsum(sizes[a:b])])
            yield Chunk(int(slices[a]), int(slices[b - 1]) + 1,
                        slice(lo, hi) if order is None else order[lo:hi], bounds)
        first = stop


def count_slice_pairs(network: NetworkSpec, partition: Partition,
                      agree: Agreement = ALONE) -> SlicePairs:
    """Synapses per (projection, source slice, target slice), chunk by chunk. Under MPI each
    rank counts the synapses it holds (those of the target slices it emulates) and the ranks
    gather every count, in the one-process order (projection, target slice, source slice)."""
    local = _local_slice_pairs(network, partition)
    if agree.size == 1:
        return local
    parts = agree.gather((local.projection, local.src_slice, local.dst_slice, local.count))
    joined = [np.concatenate([p[k] for p in parts]) for k in range(4)]
    order = np.lexsort((joined[1], joined[2], joined[0]))
    return SlicePairs(*(column[order] for column in joined))


def _local_slice_pairs(network: NetworkSpec, partition: Partition) -> SlicePairs:
    parts: list[tuple[np.ndarray, ...]] = []
    for proj in network.projections:
        n_pre = network.populations[proj.pre].size
        src_of = partition.neuron_slices(proj.pre)
        src_first = int(src_of[0]) if len(src_of) else 0
        n_src = int(src_of[-1]) + 1 - src_first if len(src_of) else 0
        dst_of = partition.neuron_slices(proj.post)
        for chunk in post_chunks(proj, partition, n_pre):
            n_dst = chunk.stop - chunk.first
            code = ((dst_of[proj.post_index[chunk.index]] - chunk.first).astype(np.int64) * n_src
                    + (src_of[proj.pre_index[chunk.index]] - src_first))
            counts = np.bincount(code, minlength=n_dst * n_src)
            pair = np.flatnonzero(counts)
            dst, src = np.divmod(pair, n_src)
            parts.append((np.full(len(pair), proj.id, np.int64), src + src_first,
                          dst + chunk.first, counts[pair]))
    if not parts:
        empty = np.zeros(0, np.int64)
        return SlicePairs(empty, empty, empty, empty)
    return SlicePairs(*(np.concatenate([p[k] for p in parts]) for k in range(4)))


def connected_slice_pairs(network: NetworkSpec, partition: Partition,
                          pairs: SlicePairs | None = None) -> np.ndarray:
    """Unique (source slice, target slice) pairs that share at least one synapse.

    Out: (n, 2) int64 array sorted by source then target.
    """
    pairs = pairs if pairs is not None else count_slice_pairs(network, partition)
    combined = np.unique(pairs.src_slice * max(partition.n_slices, 1) + pairs.dst_slice)
    return np.stack(np.divmod(combined, max(partition.n_slices, 1)), axis=1)
