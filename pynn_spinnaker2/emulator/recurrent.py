"""sPyNNaker's RecurrentRule (pre-stochastic variant) on the PE, applied when a pre-synaptic
spike's row is fetched, like the other STDP rules (emulator/stdp.py).

In:  the global DRAM (the rows' STDP header, the synapse words, each synapse's record
     formats.RECURRENT_FIELDS), the rule table, the target neurons' post-synaptic spike history,
     the simulation seed.
Out: the updated integer weights, written back with the records and the rows' last
     pre-synaptic spike.

Each synapse is idle, or has a pre-window or a post-window open (``window`` ticks long, from
its last pre- or post-synaptic spike). The post-synaptic spikes seen since the row's last
pre-synaptic spike are applied in order, then the pre-synaptic spike:

- a spike when idle opens a window of its side;
- a spike of the same side inside its open window closes it (back to idle); outside it, it
  opens a new window;
- a post-synaptic spike inside an open pre-window (a pre-synaptic spike inside an open
  post-window) counts +1 (-1) on the accumulator and returns to idle; the count that would pass
  accumulator_potentiation - 1 (accumulator_depression + 1) instead resets the accumulator and
  potentiates (depresses) the weight: w + a_plus ((w_max - w) / span)**mu_plus (w - a_minus
  ((w - w_min) / span)**mu_minus); outside the window, it opens a window of its own side;
  coinciding spikes return to idle.

A window is ``floor(-mean ln(1 - u))`` ticks, u the synapse's next uniform draw: draw n of a
synapse is random_streams.uniform_u32(seed, its stream, n), so a synapse draws the same windows
whatever PE its row is on.

With dual_fsm (``update_dual``) there is no state machine: every pre-synaptic spike has a
window (mean_pre_window), every post-synaptic spike one (mean_post_window), drawn from the
stream of its neuron in the projection at the spike's time stamp (DUAL_PRE_BIT or
DUAL_POST_BIT | projection << 32 | neuron index): a post-synaptic spike inside the window of the
last pre-synaptic spike counts +1 (not at the same time), a pre-synaptic spike inside the window
of the last post-synaptic spike counts -1.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from .. import formats
from .. import machine as hw
from ..random_streams import uniform_u32

if TYPE_CHECKING:
    from .stdp import PostHistory

RULE = {name: i for i, name in enumerate(formats.STDP_RULE_FIELDS)}
FIELD = {name: i for i, name in enumerate(formats.RECURRENT_FIELDS)}
HISTORY = hw.STDP_POST_HISTORY_ENTRIES
IDLE, PRE_OPEN, POST_OPEN = 0, 1, 2
NEVER = -(1 << 40)
DUAL_PRE_BIT, DUAL_POST_BIT = 1 << 61, 1 << 60
_PROJECTION_MASK = (1 << 28) - 1


def window_ticks(seed: int, stream: np.ndarray, draw: np.ndarray,
                 mean: np.ndarray) -> np.ndarray:
    """Window lengths (ticks, exponential with ``mean`` ticks) from each synapse's draw
    number ``draw`` of its ``stream``."""
    u = np.empty(len(stream))
    for n in np.unique(draw):
        mine = draw == n
        u[mine] = uniform_u32(seed, stream[mine], int(n)) / 2.0 ** 32
    return np.floor(-mean * np.log1p(-u))


def neuron_streams(synapse_stream: np.ndarray, index: np.ndarray, bit: int) -> np.ndarray:
    """The dual-FSM window streams of the synapses' pre- or post-synaptic neurons (``bit``):
    their projection (from the synapse's stream) and neuron index."""
    projection = (synapse_stream >> np.uint64(32)) & np.uint64(_PROJECTION_MASK)
    return (np.uint64(bit) | (projection << np.uint64(32))
            | index.astype(np.int64).astype(np.uint64))


class _Machines:
    """The state machines of the fetched synapses, as numpy arrays."""

    def __init__(self, dram: np.ndarray, address: np.ndarray, r: np.ndarray, seed: int,
                 weight: np.ndarray) -> None:
        as_f32 = dram.view(np.float32)
        self.state = as_f32[address + FIELD["state"]].astype(np.int64)
        self.acc = as_f32[address + FIELD["accumulator"]].astype(np.int64)
        self.window = as_f32[address + FIELD["window"]].astype(np.float64)
        self.draws = as_f32[address + FIELD["draws"]].astype(np.int64)
        self.stream = (dram[address + FIELD["stream_lo"]].astype(np.uint64)
                       | (dram[address + FIELD["stream_hi"]].astype(np.uint64) << np.uint64(32)))
        self.pre_index = as_f32[address + FIELD["pre_index"]]
        self.post_index = as_f32[address + FIELD["post_index"]]
        self.r, self.seed = r, seed
        self.w = weight.astype(np.float64)

    def open(self, which: np.ndarray, state: int, mean: str) -> None:
        """Open a window of ``state``'s side for the synapses ``which``."""
        if which.any():
            self.window[which] = window_ticks(self.seed, self.stream[which], self.draws[which],
                                              self.r[which, RULE[mean]])
            self.draws[which] += 1
        self.state = np.where(which, state, self.state)

    def count(self, which: np.ndarray, up: bool) -> None:
        """One pairing for the synapses ``which``: +1 (``up``) or -1, or the weight change."""
        r = self.r
        w_min, w_max = r[:, RULE["w_min"]], r[:, RULE["w_max"]]
        span = np.where(w_max > w_min, w_max - w_min, 1.0)
        if up:
            limit = r[:, RULE["accumulator_potentiation"]] - 1
            step = self.acc < limit
            change = np.minimum(self.w + r[:, RULE["a_plus"]] * (np.maximum(
                w_max - self.w, 0) / span) ** r[:, RULE["mu_plus"]], w_max)
        else:
            limit = r[:, RULE["accumulator_depression"]] + 1
            step = self.acc > limit
            change = np.maximum(self.w - r[:, RULE["a_minus"]] * (np.maximum(
                self.w - w_min, 0) / span) ** r[:, RULE["mu_minus"]], w_min)
        self.acc = np.where(which & step, self.acc + (1 if up else -1),
                            np.where(which, 0, self.acc))
        self.w = np.where(which & ~step, change, self.w)
        self.state = np.where(which, IDLE, self.state)

    def spike(self, which: np.ndarray, since_own: np.ndarray, since_other: np.ndarray,
              pre: bool) -> None:
        """A pre- (``pre``) or post-synaptic spike at the synapses ``which``, ``since_own``
        ticks after the last spike of its side and ``since_other`` after the other side's."""
        own, other = (PRE_OPEN, POST_OPEN) if pre else (POST_OPEN, PRE_OPEN)
        mean = "mean_pre_window" if pre else "mean_post_window"
        idle = which & (self.state == IDLE)
        same = which & (self.state == own)
        cross = which & (self.state == other)
        closes = same & (since_own < self.window)
        coincide = cross & (since_other == 0)
        inside = cross & ~coincide & (since_other < self.window)
        self.state = np.where(closes | coincide, IDLE, self.state)
        self.count(inside, up=not pre)
        self.open(idle | (same & ~closes) | (cross & ~coincide & ~inside), own, mean)

    def store(self, dram: np.ndarray, address: np.ndarray) -> None:
        as_f32 = dram.view(np.float32)
        for name, values in (("state", self.state), ("accumulator", self.acc),
                             ("window", self.window), ("draws", self.draws)):
            as_f32[address + FIELD[name]] = values


def _dual(m: _Machines, dual: np.ndarray, seen: np.ndarray, window: np.ndarray,
          valid: np.ndarray, shift: np.ndarray, last_pre: np.ndarray, now: int) -> None:
    """The dual-FSM rule for the synapses ``dual`` (see the module docstring)."""
    r = m.r
    pre_stream = neuron_streams(m.stream, m.pre_index, DUAL_PRE_BIT)
    post_stream = neuron_streams(m.stream, m.post_index, DUAL_POST_BIT)
    pre_window = np.where(last_pre > 0, window_ticks(m.seed, pre_stream, last_pre,
                                                     r[:, RULE["mean_pre_window"]]), 0)
    for column in np.flatnonzero((window & dual[:, None]).any(axis=0)):
        since = seen[:, column] - last_pre
        m.count(dual & window[:, column] & (since > 0) & (since < pre_window), up=True)
    newest = np.where(valid & (seen <= now), seen, NEVER).max(axis=1)
    has_post = dual & (newest > NEVER)
    post_window = np.zeros(len(newest))
    if has_post.any():
        post_window[has_post] = window_ticks(m.seed, post_stream[has_post],
                                             (newest - shift)[has_post],
                                             r[has_post, RULE["mean_post_window"]])
    m.count(has_post & (now - newest < post_window), up=False)


def update(dram: np.ndarray, rules: np.ndarray, history: "PostHistory", tick: int,
           word_address: np.ndarray, row_address: np.ndarray, rule: np.ndarray,
           target: np.ndarray, shift: np.ndarray, weight: np.ndarray,
           state_address: np.ndarray, seed: int) -> tuple[np.ndarray, ...]:
    """Update the fetched RecurrentRule synapses for a pre-synaptic spike in ``tick``.

    In: as emulator/neuromodulation.update, with the simulation seed.
    Out: (new integer weights, post-synaptic spikes applied, whether a needed history entry was
    dropped), per synapse.
    """
    now = tick + 1
    last_pre = dram[row_address + 1].astype(np.int64)
    m = _Machines(dram, state_address, rules[rule].astype(np.float64), seed, weight)
    position = history.count[target][:, None] - HISTORY + np.arange(HISTORY)[None, :]
    valid = position >= 0
    seen = np.where(valid, history.stamp[target[:, None], position % HISTORY]
                    + shift[:, None], NEVER)
    window = valid & (seen > last_pre[:, None]) & (seen <= now)
    dual = m.r[:, RULE["dual_fsm"]] > 0
    if dual.any():
        _dual(m, dual, seen, window, valid, shift, last_pre, now)
    for column in np.flatnonzero((window & ~dual[:, None]).any(axis=0)):
        before = seen[:, column - 1] if column else np.full(len(target), NEVER)
        m.spike(window[:, column] & ~dual, seen[:, column] - before,
                seen[:, column] - last_pre, pre=False)
    # the pre-synaptic spike: after the newest post-synaptic spike seen by now
    by_now = np.where(valid & (seen <= now), seen, NEVER).max(axis=1)
    m.spike(~dual, now - last_pre, now - by_now, pre=True)
    m.store(dram, state_address)

    new_weight = np.clip(np.round(m.w), 0, (1 << formats.WEIGHT_BITS) - 1).astype(np.int64)
    field = np.uint32(((1 << formats.WEIGHT_BITS) - 1) << formats.WEIGHT_SHIFT)
    dram[word_address] = (dram[word_address] & ~field) | (
        new_weight.astype(np.uint32) << np.uint32(formats.WEIGHT_SHIFT))
    dram[np.unique(row_address) + 1] = np.uint32(now)
    lost = history.evicted[target] + shift > last_pre
    return new_weight, window.sum(axis=1), lost
