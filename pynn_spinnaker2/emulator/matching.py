"""Matching the neurons of two emulations of the same populations (a change between runs).

In:  the new and the old emulation's Layout and neuron blocks.
Out: per neuron (column) of the new one, the column of the same neuron in the old one, or -1.
Raises: ValueError when the user's populations differ.
"""

from __future__ import annotations

import numpy as np

from ..neuron_models import NATIVE_MODELS
from .layout import Layout
from .neurons import Block


def match_neurons(new: Layout, new_blocks: dict[str, Block], old: Layout,
                  old_blocks: dict[str, Block]) -> np.ndarray:
    """Per neuron (column) of ``new``, the old emulation's column of the same neuron, or -1.

    Neurons are matched by (population, index); a delay extension's (neuron, stage) entries
    by (source population, index), and only when its number of stages is unchanged (else its
    history cannot be carried over and it starts empty).
    Raises: ValueError when the user's populations differ.
    """
    def identity(layout: Layout) -> list[tuple[int, int]]:
        source = np.array([p.delay_source for p in layout.programs], dtype=np.int64)[
            layout.local(layout.gid_program)]
        pop = np.where(source >= 0, -1 - source, layout.local(layout.gid_pop))
        return list(zip(pop.tolist(), layout.local(layout.gid_index).tolist()))

    old_where = {key: g for g, key in enumerate(identity(old))}
    mapping = np.array([old_where.get(key, -1) for key in identity(new)], dtype=np.int64)
    is_ext = np.array([p.delay_source >= 0 for p in new.programs], dtype=bool)
    was_ext = np.array([p.delay_source >= 0 for p in old.programs], dtype=bool)
    new_program, old_program = new.local(new.gid_program), old.local(old.gid_program)
    if (np.any(mapping[~is_ext[new_program]] < 0)
            or np.sum(~is_ext[new_program]) != np.sum(~was_ext[old_program])):
        raise ValueError("the populations changed")
    for model, rng in new.model_range.items():
        if NATIVE_MODELS[model].kind != "delay_extension" or model not in old.model_range:
            continue
        here = mapping[rng]
        found = np.flatnonzero(here >= 0)
        old_stages = old_blocks[model]["n_stages"][here[found] - old.model_range[model].start]
        changed = found[old_stages != new_blocks[model]["n_stages"][found]]
        mapping[rng.start + changed] = -1
    return mapping
