"""Per-model neuron kernels: one tick of every neuron of a model, on all PEs at once.

In:  the model's neuron block arrays (concatenated over PEs, updated in place) and the tick's
     synaptic input per receptor (float32, PyNN units).
Out: a boolean spike array.

Arithmetic is float32, as on the PE's single-precision FPU.
"""

from __future__ import annotations

from typing import Callable

import numpy as np

Block = dict[str, np.ndarray]


def if_curr_exp_step(b: Block, inputs: np.ndarray) -> np.ndarray:
    """Exact integration in NEST iaf_psc_exp's order: membrane (if not refractory) from the old
    currents, current decay, new input, threshold, reset."""
    active = b["refrac_count"] == 0
    v_new = (b["v_rel"] * b["decay_v"] + b["isyn_exc"] * b["exc_to_v"]
             + b["isyn_inh"] * b["inh_to_v"] + b["i_offset"] * b["dc_to_v"])
    np.copyto(b["v_rel"], v_new, where=active)
    np.subtract(b["refrac_count"], 1, out=b["refrac_count"], where=~active)
    b["isyn_exc"] *= b["decay_exc"]
    b["isyn_exc"] += inputs[0]
    b["isyn_inh"] *= b["decay_inh"]
    b["isyn_inh"] += inputs[1]
    spikes = b["v_rel"] >= b["v_thresh_rel"]
    b["v_rel"][spikes] = b["v_reset_rel"][spikes]
    b["refrac_count"][spikes] = b["refrac_ticks"][spikes]
    return spikes


def if_curr_exp_read(b: Block, variable: str) -> np.ndarray:
    """A recordable variable in PyNN units."""
    if variable == "v":
        return b["v_rel"] + b["v_rest"]
    return b[variable]


STEP: dict[str, Callable[[Block, np.ndarray], np.ndarray]] = {"if_curr_exp": if_curr_exp_step}
READ: dict[str, Callable[[Block, str], np.ndarray]] = {"if_curr_exp": if_curr_exp_read}
STATE_KEYS: dict[str, tuple[str, ...]] = {
    "if_curr_exp": ("v_rel", "isyn_exc", "isyn_inh", "refrac_count")}


def concatenate_blocks(blocks: list[Block]) -> Block:
    """One block holding the neurons of several PEs, in order (copies: the state will change)."""
    if not blocks:
        return {}
    return {k: np.concatenate([b[k] for b in blocks]) for k in blocks[0]}
