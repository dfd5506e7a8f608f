"""The rewiring engine of one post-synaptic population: its synapse slots, the rewiring
attempts, and the delivery of the structural synapses' input.

In:  the structural projections onto the population (members), the tick's spikes.
Out: input added to the emulation's ring buffer; the slots (which the observer writes back into
     the projections, so that Projection.get sees the current synapses).

Like the PE's post-to-pre table on SpiNNaker, every post-synaptic neuron has ``s_max`` slots,
each empty or holding one synapse (member, pre-synaptic neuron, weight, delay): the fan-in never
exceeds ``s_max``, and a pre-synaptic neuron's row onto the population holds at most ``s_max``
synapses (on SpiNNaker, onto the post-synaptic PE). Each attempt (sPyNNaker's schedule:
``int(dt * f_rew)`` per tick when f_rew is above one per tick, else one every
``int(1 / (f_rew * dt))`` ticks) draws a post-synaptic neuron and one of its slots; an empty
slot may form a synapse with a partner (rules.py), a full one may be eliminated. The draws are
hashes of (seed, population, tick, attempt, purpose), so the rewiring is the same whatever the
mapping (neurons_per_core, machine).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..errors import NotSupportedError
from ..random_streams import uniform_u32
from . import pair_stdp

EMPTY = -1
_TAG = np.uint64(0x5A) << np.uint64(56)
N_DRAWS = 6     # per attempt: post, slot, partner (2), accept, delay


@dataclass
class Member:
    """One structural projection onto the group's population."""
    projection: object
    pre_number: int
    pre_size: int
    receptor: int
    lateral: bool
    rule: dict | None                                    # pair STDP, None when static
    pre_trace: np.ndarray = field(default=None)
    last_pre: np.ndarray = field(default=None)

    def __post_init__(self) -> None:
        self.pre_trace = np.zeros(self.pre_size)
        self.last_pre = np.zeros(self.pre_size, dtype=np.int64)


class Group:
    """Slots and rewiring of one post-synaptic population (see the module docstring)."""

    def __init__(self, post_number: int, n_post: int, members: list[Member], mechanism,
                 seed: int, dt: float) -> None:
        self.post_number, self.n_post, self.members = post_number, n_post, members
        self.mech, self.dt = mechanism, dt
        self.s_max = mechanism.s_max
        self.seed = int(seed) + 1_000_003 * int(mechanism.seed or 0)
        per_tick = dt / 1000.0 * mechanism.f_rew
        self.per_tick = int(per_tick + 1e-9) if per_tick > 1 else 0
        self.every = 0 if per_tick > 1 else max(1, int(1.0 / per_tick + 1e-9))
        self.initial = self._initial_slots()
        self.restore()
        stdp = [m.rule for m in members if m.rule is not None]
        if len({r["tau_minus"] for r in stdp}) > 1:
            raise NotSupportedError("The STDP structural projections onto one population must "
                                    "share tau_minus (each neuron keeps one trace).")
        self.history = pair_stdp.PostHistory(n_post, stdp[0]["tau_minus"] if stdp else 1.0, dt)
        self.buffer = np.zeros((0, 2), dtype=np.int64)      # (member, pre) of the last tick

    # --- state -------------------------------------------------------------------------
    def _initial_slots(self) -> tuple[np.ndarray, ...]:
        """The connectors' synapses, in each post-synaptic neuron's first slots.
        Raises: NotSupportedError when a neuron gets more than s_max."""
        shape = (self.n_post, self.s_max)
        member, pre = np.full(shape, EMPTY, np.int64), np.full(shape, EMPTY, np.int64)
        weight, delay = np.zeros(shape), np.ones(shape, dtype=np.int64)
        fill = np.zeros(self.n_post, dtype=np.int64)
        for m, mem in enumerate(self.members):
            proj = mem.projection
            post = np.asarray(proj._post, np.int64)
            if len(post) and np.bincount(post).max() + fill.max() > self.s_max:
                raise NotSupportedError(
                    f"Projection '{proj.label}': its connector gives a neuron more synapses "
                    f"than s_max={self.s_max}. Use a larger s_max or a sparser connector.")
            order = np.argsort(post, kind="stable")
            post = post[order]
            rank = np.arange(len(post)) - np.searchsorted(post, post)
            column = fill[post] + rank
            member[post, column] = m
            pre[post, column] = np.asarray(proj._pre, np.int64)[order]
            weight[post, column] = np.abs(np.broadcast_to(proj._attributes["weight"],
                                                          (len(order),))[order])
            delay[post, column] = np.round(np.broadcast_to(
                proj._attributes["delay"], (len(order),))[order] / self.dt).astype(np.int64)
            np.add.at(fill, post, 1)
        return member, pre, weight, delay

    def restore(self) -> None:
        """Back to the connectors' synapses (reset)."""
        self.slot_member, self.slot_pre, self.slot_weight, self.slot_delay = (
            a.copy() for a in self.initial)
        for mem in self.members:
            mem.pre_trace[:] = 0.0
            mem.last_pre[:] = 0

    # --- a tick ------------------------------------------------------------------------------
    def tick(self, k: int, spikes: list[tuple[np.ndarray, np.ndarray]], post_spiked: np.ndarray,
             deliver, unit) -> None:
        """Tick ``k``: rewiring attempts, then the post-synaptic history, then the members'
        spikes (pre index, count) through their synapses: ``deliver(member, post, weight,
        delay, count)`` adds the input; ``unit(member, post)`` is the PE's weight unit, to which
        STDP weights are rounded after each update, as the PE writes them back."""
        n = self.per_tick if self.per_tick else int((k + 1) % self.every == 0)
        for j in range(n):
            self.attempt(k, j)
        self.history.record(post_spiked, k + 1)
        buffered = []
        for m, (pre, count) in enumerate(spikes):
            if not len(pre):
                continue
            buffered.append(np.stack([np.full(len(pre), m), pre], axis=1))
            self._transmit(m, k, pre, count, deliver, unit)
        self.buffer = np.concatenate(buffered) if buffered else np.zeros((0, 2), np.int64)

    def _transmit(self, m: int, k: int, pre: np.ndarray, count: np.ndarray, deliver,
                  unit) -> None:
        """Member ``m``'s spiking rows (``count`` spikes each) through their synapses; under
        STDP each spike of a count updates the weights, then transmits them, in turn."""
        mem = self.members[m]
        spiking = np.zeros(mem.pre_size, dtype=np.int64)
        spiking[pre] = count
        post, column = np.nonzero(self.slot_member == m)
        times = spiking[self.slot_pre[post, column]]
        hit = times > 0
        post, column, times = post[hit], column[hit], times[hit]
        if mem.rule is None:
            if len(post):
                deliver(mem, post, self.slot_weight[post, column],
                        self.slot_delay[post, column], times)
            return
        stamp, rows, step = k + 1, self.slot_pre[post, column], unit(mem, post)
        for j in range(int(count.max(initial=0))):
            now = times > j
            if now.any():
                p, c, r = post[now], column[now], rows[now]
                weight = np.round(self.slot_weight[p, c] / step[now]) * step[now]
                weight = pair_stdp.update(mem.rule, weight, p, self.slot_delay[p, c],
                                          mem.pre_trace[r], mem.last_pre[r], stamp,
                                          self.history, self.dt)
                self.slot_weight[p, c] = np.round(weight / step[now]) * step[now]
                deliver(mem, p, self.slot_weight[p, c], self.slot_delay[p, c],
                        np.ones(len(p), np.int64))
            again = pre[count > j]
            mem.pre_trace[again] = mem.pre_trace[again] * np.exp(
                -(stamp - mem.last_pre[again]) * self.dt / mem.rule["tau_plus"]) + 1.0
            mem.last_pre[again] = stamp

    # --- rewiring ----------------------------------------------------------------------------
    def draws(self, k: int, j: int) -> np.ndarray:
        """The attempt's N_DRAWS uniform draws in [0, 1) (counter-based, see module doc)."""
        streams = (_TAG | (np.uint64(self.post_number) << np.uint64(32))
                   | (np.uint64(j * 8) + np.arange(N_DRAWS, dtype=np.uint64)))
        return uniform_u32(self.seed, streams, k).astype(np.float64) / 2.0 ** 32

    def attempt(self, k: int, j: int) -> str:
        """One rewiring attempt. Out: what happened ("formed", "eliminated" or "none")."""
        u = self.draws(k, j)
        post = int(u[0] * self.n_post)
        column = int(u[1] * self.s_max)
        m = int(self.slot_member[post, column])
        if m != EMPTY:
            mem = self.members[m]
            elim = mem.projection.synapse_type.elimination
            if u[4] * 2.0 ** 32 <= elim.probability32(self.slot_weight[post, column]):
                self.slot_member[post, column] = self.slot_pre[post, column] = EMPTY
                return "eliminated"
            return "none"
        partner = self._partner(u[2], u[3])
        if partner is None:
            return "none"
        m, pre = partner
        mem = self.members[m]
        mine = (self.slot_member == m) & (self.slot_pre == pre)
        if mine.sum() >= self.s_max:                       # the row is full
            return "none"
        if not self.mech.with_replacement and mine[post].any():
            return "none"
        formation = mem.projection.synapse_type.formation
        probability = formation.probability16(np.array([pre]), np.array([post]), mem.lateral)[0]
        if int(u[4] * 0xFFFF) > probability:
            return "none"
        lo, hi = mem.projection.synapse_type.initial_delay[[0, -1]]
        delay_ms = lo + (hi - lo) * u[5] if hi > lo else lo
        self.slot_member[post, column], self.slot_pre[post, column] = m, pre
        self.slot_weight[post, column] = abs(mem.projection.synapse_type.initial_weight)
        self.slot_delay[post, column] = max(1, int(round(delay_ms / self.dt)))
        return "formed"

    def _partner(self, u_a: float, u_b: float) -> tuple[int, int] | None:
        """(member, pre-synaptic neuron) chosen by the partner selection rule, or None."""
        rule = self.mech.partner_selection
        if rule.kind == "random":
            m = int(u_a * len(self.members))
            return m, int(u_b * self.members[m].pre_size)
        buffer = self.buffer[:rule.spike_buffer_size]
        if not len(buffer):
            return None
        chosen = buffer[int(u_a * len(buffer))]
        return int(chosen[0]), int(chosen[1])

    # --- the projections' view --------------------------------------------------------------
    def synapses(self, m: int) -> tuple[np.ndarray, ...]:
        """(pre, post, weight magnitude, delay ms) of member ``m``, sorted by post then pre."""
        post, column = np.nonzero(self.slot_member == m)
        pre = self.slot_pre[post, column]
        order = np.lexsort((pre, post))
        post, column, pre = post[order], column[order], pre[order]
        return (pre, post, self.slot_weight[post, column],
                self.slot_delay[post, column] * self.dt)
