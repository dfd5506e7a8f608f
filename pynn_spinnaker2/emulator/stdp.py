"""STDP on the PE: the post-synaptic spike history, and the pair rule applied when a
pre-synaptic spike's row is fetched (deferred, event-driven updates, as sPyNNaker does).

In:  the global DRAM (rows with their STDP header, formats.STDP_HEADER_FIELDS), the fetched
     STDP synapse words, the PEs' rule tables, each neuron's recent post-synaptic spikes.
Out: the updated integer weights (the spike transmits them), written back into the words; the
     rows' pre-synaptic state written back; counts of pairings and of history overflows.

The arithmetic is NEST's stdp_synapse (Guetig et al. 2003): when a pre-synaptic spike at t
arrives, every post-synaptic spike seen at the synapse since the row's last pre-synaptic spike
potentiates the weight with the pre-synaptic trace at that time, then the post-synaptic trace at
t depresses it. Time stamps are whole ticks: a spike in tick k has stamp k + 1 (time
(k + 1) dt). A post-synaptic spike is seen at the synapse ``shift`` ticks after it happened,
shift = round((2 f - 1) delay) for dendritic_delay_fraction f (f = 1: NEST's dendritic delay).
float32 arithmetic, as on the PE's FPU; exponentials on its exp unit.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable

import numpy as np

from .. import formats
from .. import machine as hw
from .scatter import STDP_LOST, STDP_PAIRINGS

if TYPE_CHECKING:
    from .synapses import Decoded, SynapseFabric

RULE = {name: i for i, name in enumerate(formats.STDP_RULE_FIELDS)}
HISTORY = hw.STDP_POST_HISTORY_ENTRIES
NEVER = -(1 << 40)


class PostHistory:
    """The last HISTORY post-synaptic spikes of each neuron: stamp and trace after the spike.

    In: tau_minus per neuron (ms; 0 for a neuron without STDP input, which keeps no history).
    """

    def __init__(self, tau_minus: np.ndarray, dt: float) -> None:
        n = len(tau_minus)
        self.tau_minus = np.asarray(tau_minus, dtype=np.float32)
        self.keeps = self.tau_minus > 0
        self.dt = np.float32(dt)
        self.stamp = np.zeros((n, HISTORY), dtype=np.int64)
        self.trace = np.zeros((n, HISTORY), dtype=np.float32)
        self.count = np.zeros(n, dtype=np.int64)
        # stamp of the last entry overwritten; none yet: before any time a rule can look back to
        self.evicted = np.full(n, NEVER, dtype=np.int64)

    def record(self, gids: np.ndarray, tick: int) -> None:
        """The neurons ``gids`` spiked in ``tick``."""
        gids = gids[self.keeps[gids]]
        if not len(gids):
            return
        stamp = tick + 1
        count = self.count[gids]
        last = (count - 1) % HISTORY
        elapsed = (stamp - self.stamp[gids, last]).astype(np.float32) * self.dt
        decayed = self.trace[gids, last] * np.exp(-elapsed / self.tau_minus[gids])
        trace = np.where(count > 0, decayed, np.float32(0)) + np.float32(1)
        slot = count % HISTORY
        full = count >= HISTORY
        self.evicted[gids[full]] = self.stamp[gids[full], slot[full]]
        self.stamp[gids, slot] = stamp
        self.trace[gids, slot] = trace
        self.count[gids] += 1

    def copy_from(self, old: "PostHistory", mapping: np.ndarray) -> None:
        """Take ``old``'s history, neuron i of this one being neuron mapping[i] of ``old``."""
        for name in ("stamp", "trace", "count", "evicted"):
            getattr(self, name)[:] = getattr(old, name)[mapping]


@dataclass
class Applied:
    """The outcome of one tick's STDP updates."""

    weight: np.ndarray       # per synapse: the updated integer weight, transmitted
    pairings: np.ndarray     # per synapse: post-synaptic spikes paired (potentiations)
    lost: np.ndarray         # per synapse: True when the history had dropped a spike it needed


def apply_fetched(fabric: "SynapseFabric", history: PostHistory, tick: int, syn: "Decoded",
                  learning: np.ndarray, weight: np.ndarray, gid_offset: np.ndarray,
                  counts: np.ndarray, times: np.ndarray | None = None) -> np.ndarray:
    """Apply the rule to the STDP words among the fetched synapses ``syn`` (emulator.synapses
    .Decoded) selected by ``learning``, whose integer weights are ``weight``, once per spike of
    each one's packet count ``times`` (one each when None; emulator/multispike.py); add the
    pairings and lost updates to the tick's trace rows ``counts``.

    Out: the summed updated integer weights, which the spikes transmit.
    """
    pe = syn.program[learning]
    arguments = (syn.word_address[learning], syn.row_address[learning], syn.rule[learning],
                 gid_offset[pe] + syn.index[learning], syn.delay_ticks[learning])
    row = syn.row[learning]

    def once(selection: np.ndarray, current: np.ndarray) -> Applied:
        word, row_address, rule, target, delay = (a[selection] for a in arguments)
        return apply(fabric.dram, fabric.stdp_rules, history, tick, word, row_address, rule,
                     target, delay, current, row[selection])

    applied = repeated_stdp(once, np.ones(len(weight), np.int64) if times is None else times,
                            weight)
    n = counts.shape[1]
    counts[STDP_PAIRINGS] += np.bincount(pe, weights=applied.pairings,
                                         minlength=n).astype(counts.dtype)
    counts[STDP_LOST] += np.bincount(pe, weights=applied.lost, minlength=n).astype(counts.dtype)
    return applied.weight


def repeated_stdp(once: Callable[[np.ndarray, np.ndarray], Applied], times: np.ndarray,
                  weight: np.ndarray) -> Applied:
    """``once(selection, weights)`` (the rule for one spike) run ``times`` times in sequence
    for each synapse: one pre-synaptic update per spike of the packet's count.
    Out: the summed transmitted weights, the pairings and whether any update lost a
    post-synaptic spike."""
    first = once(np.arange(len(weight)), weight)
    current = first.weight.copy()
    total, pairings, lost = current.copy(), first.pairings.copy(), first.lost.copy()
    for j in range(1, int(times.max(initial=1))):
        again = np.flatnonzero(times > j)
        more = once(again, current[again])
        current[again] = more.weight
        total[again] += more.weight
        pairings[again] += more.pairings
        lost[again] |= more.lost
    return Applied(total, pairings, lost)


def apply(dram: np.ndarray, rules: np.ndarray, history: PostHistory, tick: int,
          word_address: np.ndarray, row_address: np.ndarray, rule: np.ndarray,
          target: np.ndarray, delay_ticks: np.ndarray, weight: np.ndarray,
          row: np.ndarray | None = None) -> Applied:
    """Update the fetched STDP synapses for a pre-synaptic spike in ``tick``.

    In: the global DRAM (uint32, modified in place), the global rule table; per synapse word:
    its address, its row's address, its rule index, the target neuron (gid), the word's delay
    and weight, and its row's index in the block (needed when the rule's ``delay_stages`` > 0:
    the row then comes from a delay extension, and its spike left the source neuron
    ``stage_ticks`` = (row % delay_stages + 1) * DELAY_STAGE_TICKS ticks before this tick).

    The rule works in time stamps of this row (the fetch tick): the true delay is
    D = stage_ticks + the word's delay, and a post-synaptic spike is seen at
    q + round((2 f - 1) D) + stage_ticks, which is where NEST's stdp_synapse pairs it with the
    pre-synaptic spike of the source neuron, stage_ticks earlier.
    """
    f32 = np.float32
    dt = history.dt
    stamp_now = tick + 1
    dram_f = dram.view(np.float32)
    last_pre = dram[row_address + 1].astype(np.int64)
    pre_trace = dram_f[row_address + 2]
    r = rules[rule]
    tau_plus, tau_minus = r[:, RULE["tau_plus"]], r[:, RULE["tau_minus"]]
    a_plus, a_minus = r[:, RULE["a_plus"]], r[:, RULE["a_minus"]]
    w_min, w_max = r[:, RULE["w_min"]], r[:, RULE["w_max"]]
    span = np.where(w_max > w_min, w_max - w_min, f32(1))
    stages = r[:, RULE["delay_stages"]].astype(np.int64)
    stage_ticks = (np.zeros(len(rule), np.int64) if row is None else
                   np.where(stages > 0, (row % np.maximum(stages, 1) + 1)
                            * hw.DELAY_STAGE_TICKS, 0))
    shift = np.round((2 * r[:, RULE["dendritic_delay_fraction"]] - 1)
                     * (delay_ticks + stage_ticks)).astype(np.int64) + stage_ticks
    w = weight.astype(np.float32)

    # the target's history, oldest entry first: (synapses, HISTORY)
    position = history.count[target][:, None] - HISTORY + np.arange(HISTORY)[None, :]
    valid = position >= 0
    slot = position % HISTORY
    seen = history.stamp[target[:, None], slot] + shift[:, None]
    pair = valid & (seen > last_pre[:, None]) & (seen <= stamp_now)
    lag = (last_pre[:, None] - seen).astype(np.float32) * dt
    boost = pre_trace[:, None] * np.exp(lag / tau_plus[:, None])
    # potentiation, one paired post-synaptic spike after another (the weight dependence makes
    # the order matter); only history columns that pair anything
    mu_plus = r[:, RULE["mu_plus"]]
    for column in np.flatnonzero(pair.any(axis=0)):
        grown = w + a_plus * (np.maximum(w_max - w, f32(0)) / span) ** mu_plus * boost[:, column]
        w = np.where(pair[:, column], np.minimum(grown, w_max), w)

    # depression by the post-synaptic trace at the spike: the newest entry seen before it
    before = valid & (seen < stamp_now)
    has_post = before.any(axis=1)
    newest = HISTORY - 1 - np.argmax(before[:, ::-1], axis=1)
    rows = np.arange(len(w))
    elapsed = (stamp_now - seen[rows, newest]).astype(np.float32) * dt
    post_trace = history.trace[target, slot[rows, newest]] * np.exp(-elapsed / tau_minus)
    shrunk = w - a_minus * (np.maximum(w - w_min, f32(0)) / span) ** r[:, RULE["mu_minus"]] \
        * post_trace
    w = np.where(has_post, np.maximum(shrunk, w_min), w)
    pairings = pair.sum(axis=1)

    new_weight = np.clip(np.round(w), 0, (1 << formats.WEIGHT_BITS) - 1).astype(np.int64)
    field = np.uint32(((1 << formats.WEIGHT_BITS) - 1) << formats.WEIGHT_SHIFT)
    dram[word_address] = (dram[word_address] & ~field) | (
        new_weight.astype(np.uint32) << np.uint32(formats.WEIGHT_SHIFT))

    # the row's pre-synaptic state, once per row
    rows, first = np.unique(row_address, return_index=True)
    elapsed = (stamp_now - last_pre[first]).astype(np.float32) * dt
    dram_f[rows + 2] = pre_trace[first] * np.exp(-elapsed / tau_plus[first]) + f32(1)
    dram[rows + 1] = np.uint32(stamp_now)
    lost = history.evicted[target] + shift > last_pre
    return Applied(new_weight, pairings, lost)
