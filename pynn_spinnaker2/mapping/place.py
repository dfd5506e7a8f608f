"""Place PE slices onto the chips and PEs of the machine.

In:  Partition, Machine, NetworkSpec (labels only, for messages).
Out: Placements: chip index and PE number of every slice.
Raises: MachineTooSmallError naming the first population that does not fit.

The placer fills chips in breadth-first order from chip (0, 0) over the links, so that
consecutive slices (and so the populations created together) sit on the same or neighbouring
chips.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

import numpy as np

from ..errors import MachineTooSmallError
from ..ir import NetworkSpec
from ..machine import Machine
from .partition import Partition


@dataclass(frozen=True)
class Placements:
    """chip[s] is the machine chip index of slice s, pe[s] its PE number on that chip."""

    chip: np.ndarray
    pe: np.ndarray


def chip_order(machine: Machine, start: int = 0) -> np.ndarray:
    """Chip indices in breadth-first order over the links from ``start``."""
    seen = np.zeros(machine.n_chips, dtype=bool)
    order, queue = [], deque([start])
    seen[start] = True
    while queue:
        chip = queue.popleft()
        order.append(chip)
        for nxt in machine.neighbours[chip]:
            if nxt >= 0 and not seen[nxt]:
                seen[nxt] = True
                queue.append(nxt)
    # chips not connected to the start chip come last
    order.extend(np.flatnonzero(~seen).tolist())
    return np.array(order, dtype=np.int64)


def place(partition: Partition, machine: Machine, network: NetworkSpec) -> Placements:
    """Sequential placement: slice s goes to the s-th working PE in chip order."""
    n = partition.n_slices
    capacity = machine.n_pes
    if n > capacity:
        first_over = int(partition.pop[capacity])
        label = network.populations[first_over].label
        raise MachineTooSmallError(
            f"Population '{label}' does not fit: the network needs {n} PEs, "
            f"machine '{machine.describe()}' has {capacity}. Use setup(boards=N) with "
            f"N >= {-(-n // (48 * machine.usable_pes_per_chip))}, or setup(machine='auto').")
    order = chip_order(machine)
    per_chip = machine.usable_pes_per_chip
    chips = np.repeat(order, per_chip)
    pes = np.tile(np.arange(per_chip), len(order))
    if machine.dead_pes:
        working = np.array([(int(c), int(p)) not in machine.dead_pes
                            for c, p in zip(chips, pes)])
        chips, pes = chips[working], pes[working]
    return Placements(chip=chips[:n], pe=pes[:n])
