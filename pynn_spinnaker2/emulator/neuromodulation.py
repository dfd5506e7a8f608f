"""Neuromodulated STDP on the PE (Izhikevich 2007, as sPyNNaker runs it): applied when a
pre-synaptic spike's row is fetched, like the other STDP rules (emulator/stdp.py).

In:  the global DRAM (the rows' STDP header, the synapse words, each synapse's eligibility
     record word), the rule table, the target neurons' history (emulator/stdp.PostHistory:
     post-synaptic spikes and dopamine arrivals, each with the dopamine just after it).
Out: the updated integer weights, written back with the eligibility traces and the rows'
     pre-synaptic state.

Between two events the eligibility trace c decays with tau_c and the dopamine d with tau_d, so
the weight gains the exact integral c d tau_cd (1 - exp(-h / tau_cd)) over each stretch of
h ms, 1 / tau_cd = 1 / tau_c + 1 / tau_d. A post-synaptic spike adds a_plus times the
pre-synaptic trace to c (bounded by w_max), the pre-synaptic spike subtracts a_minus times the
post-synaptic trace (bounded by w_min); the weight is bounded by nm_w_min and nm_w_max after
the update. float32 arithmetic, as on the PE's FPU.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from .. import formats
from .. import machine as hw

if TYPE_CHECKING:
    from .stdp import PostHistory

RULE = {name: i for i, name in enumerate(formats.STDP_RULE_FIELDS)}
HISTORY = hw.STDP_POST_HISTORY_ENTRIES


def _integral(c: np.ndarray, dopamine: np.ndarray, gap: np.ndarray,
              tau_cd: np.ndarray) -> np.ndarray:
    """The integral of c d over ``gap`` ms from values c and d, both decaying."""
    return c * dopamine * tau_cd * (np.float32(1) - np.exp(-gap / tau_cd))


def update(dram: np.ndarray, rules: np.ndarray, history: "PostHistory", tick: int,
           word_address: np.ndarray, row_address: np.ndarray, rule: np.ndarray,
           target: np.ndarray, shift: np.ndarray, weight: np.ndarray,
           state_address: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Update the fetched neuromodulated STDP synapses for a pre-synaptic spike in ``tick``.

    In: as emulator/stdp.apply, with each synapse's post-synaptic spike ``shift`` (ticks) and
    the address of its eligibility record.
    Out: (new integer weights, post-synaptic spikes paired, whether a needed history entry was
    dropped), per synapse.
    """
    f32 = np.float32
    dt = history.dt
    now = tick + 1
    dram_f = dram.view(np.float32)
    last_pre = dram[row_address + 1].astype(np.int64)
    pre_trace = dram_f[row_address + 2]
    r = rules[rule]
    tau_plus, tau_minus = r[:, RULE["tau_plus"]], r[:, RULE["tau_minus"]]
    tau_c, tau_d = r[:, RULE["tau_c"]], r[:, RULE["tau_d"]]
    tau_cd = f32(1) / (f32(1) / tau_c + f32(1) / tau_d)
    c = dram_f[state_address].copy()
    w = weight.astype(np.float32)

    position = history.count[target][:, None] - HISTORY + np.arange(HISTORY)[None, :]
    valid = position >= 0
    slot = position % HISTORY
    seen = history.stamp[target[:, None], slot] + shift[:, None]
    rows = np.arange(len(w))
    # the dopamine at the last pre-synaptic spike: from the newest entry seen by then
    earlier = valid & (seen <= last_pre[:, None])
    newest = HISTORY - 1 - np.argmax(earlier[:, ::-1], axis=1)
    gap = (last_pre - seen[rows, newest]).astype(np.float32) * dt
    dopamine = np.where(earlier.any(axis=1), history.dopa[target, slot[rows, newest]]
                        * np.exp(-gap / tau_d), f32(0))
    since = last_pre.copy()
    window = valid & (seen > last_pre[:, None]) & (seen <= now)
    is_post = history.is_post[target[:, None], slot]
    for column in np.flatnonzero(window.any(axis=0)):
        here = window[:, column]
        gap = np.maximum(seen[:, column] - since, 0).astype(np.float32) * dt
        w = np.where(here, w + _integral(c, dopamine, gap, tau_cd), w)
        c = np.where(here, c * np.exp(-gap / tau_c), c)
        lag = np.maximum(seen[:, column] - last_pre, 0).astype(np.float32) * dt
        grown = np.minimum(c + r[:, RULE["a_plus"]] * pre_trace * np.exp(-lag / tau_plus),
                           r[:, RULE["w_max"]])
        c = np.where(here & is_post[:, column], grown, c)
        dopamine = np.where(here, history.dopa[target, slot[:, column]], dopamine)
        since = np.where(here, seen[:, column], since)
    gap = (now - since).astype(np.float32) * dt
    w = w + _integral(c, dopamine, gap, tau_cd)
    c = c * np.exp(-gap / tau_c)
    # depression by the post-synaptic trace at the spike (newest entry seen before it)
    before = valid & (seen < now)
    newest = HISTORY - 1 - np.argmax(before[:, ::-1], axis=1)
    gap = (now - seen[rows, newest]).astype(np.float32) * dt
    post_trace = history.trace[target, slot[rows, newest]] * np.exp(-gap / tau_minus)
    shrunk = np.maximum(c - r[:, RULE["a_minus"]] * post_trace, r[:, RULE["w_min"]])
    c = np.where(before.any(axis=1), shrunk, c)
    w = np.clip(w, r[:, RULE["nm_w_min"]], r[:, RULE["nm_w_max"]])

    new_weight = np.clip(np.round(w), 0, (1 << formats.WEIGHT_BITS) - 1).astype(np.int64)
    field = np.uint32(((1 << formats.WEIGHT_BITS) - 1) << formats.WEIGHT_SHIFT)
    dram[word_address] = (dram[word_address] & ~field) | (
        new_weight.astype(np.uint32) << np.uint32(formats.WEIGHT_SHIFT))
    dram_f[state_address] = c
    heads, first = np.unique(row_address, return_index=True)
    elapsed = (now - last_pre[first]).astype(np.float32) * dt
    dram_f[heads + 2] = pre_trace[first] * np.exp(-elapsed / tau_plus[first]) + f32(1)
    dram[heads + 1] = np.uint32(now)
    pairings = (window & is_post).sum(axis=1)
    lost = history.evicted[target] + shift > last_pre
    return new_weight, pairings, lost
