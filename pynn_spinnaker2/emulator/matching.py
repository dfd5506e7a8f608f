"""Matching the neurons of two emulations of the same populations (a change between runs).

In:  the new and the old Emulation.
Out: per neuron of the new one, the gid of the same neuron in the old one, or -1.
Raises: ValueError when the user's populations differ.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ..neuron_models import NATIVE_MODELS

if TYPE_CHECKING:
    from . import Emulation


def match_neurons(new: "Emulation", old: "Emulation") -> np.ndarray:
    """Per neuron (gid) of ``new``, the old emulation's gid of the same neuron, or -1.

    Neurons are matched by (population, index); a delay extension's (neuron, stage) entries
    by (source population, index), and only when its number of stages is unchanged (else its
    history cannot be carried over and it starts empty).
    Raises: ValueError when the user's populations differ.
    """
    def identity(emu: "Emulation") -> list[tuple[int, int]]:
        source = np.array([p.delay_source for p in emu.programs], dtype=np.int64)[
            emu.gid_program]
        pop = np.where(source >= 0, -1 - source, emu.gid_pop)
        return list(zip(pop.tolist(), emu.gid_index.tolist()))

    old_where = {key: g for g, key in enumerate(identity(old))}
    mapping = np.array([old_where.get(key, -1) for key in identity(new)], dtype=np.int64)
    is_ext = np.array([p.delay_source >= 0 for p in new.programs], dtype=bool)
    was_ext = np.array([p.delay_source >= 0 for p in old.programs], dtype=bool)
    if (np.any(mapping[~is_ext[new.gid_program]] < 0)
            or np.sum(~is_ext[new.gid_program]) != np.sum(~was_ext[old.gid_program])):
        raise ValueError("the populations changed")
    for model, rng in new.model_range.items():
        if NATIVE_MODELS[model].kind != "delay_extension" or model not in old.model_range:
            continue
        here = mapping[rng]
        found = np.flatnonzero(here >= 0)
        old_stages = old.blocks[model]["n_stages"][here[found] - old.model_range[model].start]
        changed = found[old_stages != new.blocks[model]["n_stages"][found]]
        mapping[rng.start + changed] = -1
    return mapping
