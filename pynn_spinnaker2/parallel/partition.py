"""Which MPI rank emulates which PEs: each rank owns a contiguous range of chips (in the
machine's chip order), balanced by load.

In:  the MappedNetwork (every rank compiles the same one), the number of ranks.
Out: the rank of each PE program (a chip's programs all go to one rank, with its DRAM).
Raises: nothing. A rank may own no chip (fewer loaded chips than ranks): it then emulates
     nothing and only takes part in the exchanges.

A chip's load is its synaptic DRAM words plus ``NEURON_WEIGHT`` per neuron (memory and the
work of the synaptic pass both grow with the rows; neuron updates with the neurons). Rank r
takes the chips whose load prefix ends in [r/K, (r+1)/K) of the total, so the ranges are
contiguous and no rank carries more than its share plus one chip.
"""

from __future__ import annotations

import numpy as np

NEURON_WEIGHT = 64      # DRAM words that weigh as much as one neuron's update


def chip_loads(mapped) -> dict[int, float]:
    """Per used chip (index), its load (see the module docstring)."""
    loads: dict[int, float] = {}
    for p in mapped.programs:
        loads[p.chip] = loads.get(p.chip, 0.0) + NEURON_WEIGHT * p.n_neurons
    for chip, image in mapped.dram.items():
        if chip in loads:
            loads[chip] += float(len(image))
    return loads


def program_ranks(mapped, n_ranks: int) -> np.ndarray:
    """Out: int64 rank of each program of ``mapped.programs``."""
    loads = chip_loads(mapped)
    chips = np.array(sorted(loads), dtype=np.int64)
    weight = np.array([loads[c] for c in chips], dtype=np.float64)
    # the load before each chip's middle, as a share of the total: the rank it falls in
    before = np.cumsum(weight) - weight / 2
    share = before / max(float(weight.sum()), 1.0)
    rank_of_chip = np.minimum((share * n_ranks).astype(np.int64), n_ranks - 1)
    owner = dict(zip(chips.tolist(), rank_of_chip.tolist()))
    return np.array([owner[p.chip] for p in mapped.programs], dtype=np.int64)
