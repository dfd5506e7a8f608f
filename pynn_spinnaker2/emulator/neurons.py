"""Neuron blocks of many PEs as one array per field, so that a model's kernel
(neuron_models/<model>.py) updates every PE running that model at once."""

from __future__ import annotations

import numpy as np

Block = dict[str, np.ndarray]


def concatenate_blocks(blocks: list[Block]) -> Block:
    """One block holding the neurons of several PEs, in order (copies: the state will change)."""
    if not blocks:
        return {}
    return {k: np.concatenate([b[k] for b in blocks]) for k in blocks[0]}
