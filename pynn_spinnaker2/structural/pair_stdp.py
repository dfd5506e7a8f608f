"""The pair STDP rule on structural synapses: the same update as STDP rows on the PE
(formats.md, "STDP rows"), on the rewiring engine's synapse slots.

In:  a rule (dict of StructuralMechanismSTDP.rule()), the post-synaptic history of the group.
Out: updated weights of the synapses a pre-synaptic spike reaches; the rows' pre-synaptic state.
"""

from __future__ import annotations

import numpy as np

HISTORY = 10           # post-synaptic spikes kept per neuron, as on the PE


class PostHistory:
    """The last HISTORY spikes of each post-synaptic neuron: stamp and trace after it."""

    def __init__(self, n: int, tau_minus: float, dt: float) -> None:
        self.stamp = np.full((n, HISTORY), -(1 << 40), dtype=np.int64)
        self.trace = np.zeros((n, HISTORY))
        self.tau, self.dt = tau_minus, dt

    def record(self, post: np.ndarray, stamp: int) -> None:
        """The neurons ``post`` spiked with time stamp ``stamp``."""
        if not len(post):
            return
        last_stamp, last_trace = self.stamp[post, -1], self.trace[post, -1]
        trace = last_trace * np.exp(-(stamp - last_stamp) * self.dt / self.tau) + 1.0
        self.stamp[post] = np.roll(self.stamp[post], -1, axis=1)
        self.trace[post] = np.roll(self.trace[post], -1, axis=1)
        self.stamp[post, -1], self.trace[post, -1] = stamp, trace


def update(rule: dict, weight: np.ndarray, post: np.ndarray, delay: np.ndarray,
           pre_trace: np.ndarray, last_pre: np.ndarray, stamp: int,
           history: PostHistory, dt: float) -> np.ndarray:
    """New weights of synapses reached by a pre-synaptic spike of stamp ``stamp``.

    In: per synapse its weight magnitude, post-synaptic neuron, delay (ticks), and its row's
        trace and stamp of the last pre-synaptic spike.
    Out: the weights after potentiation by every post-synaptic spike seen since the row's last
         spike and depression by the newest one before this spike (NEST's stdp_synapse).
    """
    w_min, w_max = rule["w_min"], rule["w_max"]
    span = max(w_max - w_min, 1e-300)
    a_plus, a_minus = rule["A_plus"] * span, rule["A_minus"] * span
    shift = np.round((2 * rule["dendritic_delay_fraction"] - 1) * delay).astype(np.int64)
    w = weight.astype(np.float64).copy()
    seen = history.stamp[post] + shift[:, None]             # (synapses, HISTORY), oldest first
    for q in range(HISTORY):
        hit = (last_pre < seen[:, q]) & (seen[:, q] <= stamp)
        if hit.any():
            grow = ((w_max - w[hit]) / span) ** rule["mu_plus"] * pre_trace[hit] * np.exp(
                (last_pre[hit] - seen[hit, q]) * dt / rule["tau_plus"])
            w[hit] = np.minimum(w[hit] + a_plus * grow, w_max)
    before = seen < stamp
    newest = HISTORY - 1 - np.argmax(before[:, ::-1], axis=1)
    depress = before.any(axis=1) & (history.stamp[post, newest] > -(1 << 39))
    if depress.any():
        rows = np.flatnonzero(depress)
        q = newest[rows]
        shrink = ((w[rows] - w_min) / span) ** rule["mu_minus"] * history.trace[post[rows], q] \
            * np.exp(-(stamp - seen[rows, q]) * dt / rule["tau_minus"])
        w[rows] = np.maximum(w[rows] - a_minus * shrink, w_min)
    return w
