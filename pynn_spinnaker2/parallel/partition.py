"""Which MPI rank emulates which PEs: each rank owns a contiguous range of PEs in the machine's
(chip, PE) order, balanced by load.

In:  the MappedNetwork (every rank compiles the same one), the number of ranks.
Out: the rank of each PE program.
Raises: nothing. A rank may own no PE (fewer PEs than ranks): it then emulates nothing and
     only takes part in the exchanges.

A PE's load is the words of its synaptic row blocks in DRAM (each block's row table ends with
the block's size) plus ``NEURON_WEIGHT`` per neuron: the synaptic pass's work and memory grow
with the rows, the neuron updates with the neurons. Rank r takes the PEs whose load midpoint
falls in the r-th K-th of the total, so ranges are contiguous, ranks share chips only at the
edges of their ranges (the compiler packs a small network on one chip), and no rank carries
more than its share plus one PE.
"""

from __future__ import annotations

import numpy as np

from .. import formats

NEURON_WEIGHT = 64      # DRAM words that weigh as much as one neuron's update


def program_loads(mapped) -> np.ndarray:
    """Per program, its load (see the module docstring)."""
    loads = np.zeros(len(mapped.programs), dtype=np.float64)
    for i, p in enumerate(mapped.programs):
        t = p.tables
        image = mapped.dram.get(p.chip)
        words = 0
        if image is not None and len(t.addr_block):
            block = t.addr_block.astype(np.int64)
            end_entry = block + t.addr_rows.astype(np.int64) * formats.row_entry_words(
                t.addr_rule >= 0)
            words = int(image[end_entry].astype(np.int64).sum())
        loads[i] = words + NEURON_WEIGHT * p.n_neurons
    return loads


def program_ranks(mapped, n_ranks: int) -> np.ndarray:
    """Out: int64 rank of each program of ``mapped.programs``."""
    programs = mapped.programs
    order = np.array(sorted(range(len(programs)), key=lambda i: (programs[i].chip,
                                                                  programs[i].pe)),
                     dtype=np.int64)
    weight = program_loads(mapped)[order]
    # the load before each PE's middle, as a share of the total: the rank it falls in
    share = (np.cumsum(weight) - weight / 2) / max(float(weight.sum()), 1.0)
    ranks = np.empty(len(programs), dtype=np.int64)
    ranks[order] = np.minimum((share * n_ranks).astype(np.int64), n_ranks - 1)
    return ranks
