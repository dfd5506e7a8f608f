"""Structural plasticity in the emulation: a tick observer (Emulation.tick_observers) that runs
one rewiring engine (engine.py) per post-synaptic population with structural projections.

In:  the simulator state's structural projections; each tick's spikes.
Out: their synapses' input added to the ring buffer in the tick's slot plus the delay (as the
     PE's synapse processing does); after every run, each structural projection's connections
     (pre, post, weight, delay) replaced by its current synapses, so that Projection.get sees
     the rewired network.
Raises: NotSupportedError for a structural projection between views or assemblies, with a
     delay beyond the PE's ring (64 ticks), or from a Poisson source drawn on its targets' PEs.
"""

from __future__ import annotations

import numpy as np

from .. import machine as hw
from .. import simulator
from ..errors import NotSupportedError
from ..populations import Population
from .engine import Group, Member


def is_structural(projection) -> bool:
    return bool(getattr(projection.synapse_type, "structural", False))


class StructuralObserver:
    """Runs the rewiring engines of the current network (one per post-synaptic population)."""

    def __init__(self) -> None:
        self.groups: list[Group] = []
        self.key = None
        self.emulation = None
        self.tick = 0
        self.written: dict = {}

    # --- building -----------------------------------------------------------------------
    def _build(self, state) -> None:
        projections = [p for p in state.projections if is_structural(p)]
        key = (state.generation, tuple(id(p) for p in projections))
        if key == self.key and not self._changed_by_user(projections):
            return
        by_post: dict[int, list] = {}
        for proj in projections:
            if not (isinstance(proj.pre, Population) and isinstance(proj.post, Population)):
                raise NotSupportedError(f"Projection '{proj.label}': structural plasticity "
                                        "needs Populations on both sides (not views or "
                                        "assemblies).")
            by_post.setdefault(proj.post._number, []).append(proj)
        groups = []
        for number, mine in by_post.items():
            first = mine[0].synapse_type
            for proj in mine[1:]:
                if not first.same_rewiring(proj.synapse_type):
                    raise NotSupportedError(
                        f"Projections {[p.label for p in mine]}: structural projections onto "
                        "one population must share f_rew, s_max, partner selection, "
                        "with_replacement and seed (one rewiring engine per population).")
            members = [Member(p, p.pre._number, p.pre.size,
                              p.post.celltype.receptor_types.index(p.receptor_type)
                              if p.receptor_type in p.post.celltype.receptor_types else 0,
                              p.pre is p.post,
                              p.synapse_type.rule() if hasattr(p.synapse_type, "rule")
                              else None) for p in mine]
            for mem in members:
                mem.sign = -1.0 if (np.any(np.asarray(mem.projection._attributes["weight"]) < 0)
                                    or mem.projection.synapse_type.initial_weight < 0) else 1.0
            groups.append(Group(number, mine[0].post.size, members, first,
                                state.config.rng_seed, state.dt))
        self.groups, self.key, self.emulation, self.tick = groups, key, None, 0

    def _changed_by_user(self, projections) -> bool:
        """A structural projection's arrays were replaced (set() between runs)."""
        return any(self.written.get(id(p)) is not None
                   and self.written[id(p)] is not p._attributes["weight"] for p in projections)

    def _attach(self, emulation) -> None:
        self.emulation = emulation
        self.post_gids, self.pre_of = {}, {}
        folded = set((emulation.poisson_inputs.stream >> np.uint64(32)).astype(np.int64)
                     .tolist())
        for group in self.groups:
            self.post_gids[group.post_number] = self._gids(emulation, group.post_number,
                                                           group.n_post)
            for mem in group.members:
                if mem.pre_number in folded:
                    raise NotSupportedError(
                        f"Projection '{mem.projection.label}': its SpikeSourcePoisson source is "
                        "drawn on its other targets' PEs (Poisson folding), so its spikes do "
                        "not reach the rewiring engine. Use setup(fold_poisson=False).")
                if group.slot_delay.max(initial=1) > hw.MAX_DELAY_TICKS or max(
                        mem.projection.synapse_type.initial_delay) / group.dt \
                        > hw.MAX_DELAY_TICKS + 1e-9:
                    raise NotSupportedError(
                        f"Projection '{mem.projection.label}': structural synapses' delays "
                        f"must be at most {hw.MAX_DELAY_TICKS} ticks (the PE's ring buffer).")

    @staticmethod
    def _gids(emulation, number: int, size: int) -> np.ndarray:
        mine = np.flatnonzero(emulation.gid_pop == number)
        lookup = np.empty(size, dtype=np.int64)
        lookup[emulation.gid_index[mine]] = mine
        return lookup

    # --- Emulation.tick_observers ------------------------------------------------------------
    def on_tick(self, emulation, k: int, gids: np.ndarray, counts, folded) -> None:
        """Rewire and deliver the structural synapses' input of tick ``k``."""
        state = simulator.state
        if k == 0 or emulation is not self.emulation:
            self._build(state)
            if k == 0 and self.tick > 0:
                for group in self.groups:
                    group.restore()
            self._attach(emulation)
        if not self.groups:
            return
        self.tick = k + 1
        counts = np.ones(len(gids), np.int64) if counts is None else counts
        pops, index = emulation.gid_pop[gids], emulation.gid_index[gids]
        bits = (1 << state.config.weight_bits) - 1

        def deliver(mem, post, weight, delay, times):
            target = self.post_gids[mem.group_post][post]
            scale = np.abs(emulation.input_scale[mem.receptor, target])
            with np.errstate(divide="ignore", invalid="ignore"):
                units = np.where(scale > 0, np.minimum(np.round(weight / scale), bits), 0)
            slot = (k + delay) % emulation.n_slots
            np.add.at(emulation.ring, (slot, mem.receptor, target),
                      (units * times).astype(np.int64))

        def unit(mem, post):
            scale = np.abs(emulation.input_scale[mem.receptor,
                                                 self.post_gids[mem.group_post][post]])
            return np.where(scale > 0, scale, 1.0)

        for group in self.groups:
            spikes = []
            for mem in group.members:
                mem.group_post = group.post_number
                mine = pops == mem.pre_number
                spikes.append((index[mine], counts[mine]))
            group.tick(k, spikes, index[pops == group.post_number], deliver, unit)

    def after_advance(self, state) -> None:
        """Write each structural projection's current synapses into it."""
        for group in self.groups:
            for m, mem in enumerate(group.members):
                pre, post, weight, delay = group.synapses(m)
                proj = mem.projection
                proj._pre, proj._post = pre.astype(np.int32), post.astype(np.int32)
                attributes = {"weight": mem.sign * weight, "delay": delay}
                for name in proj._attributes:
                    if name not in attributes:
                        attributes[name] = np.full(len(pre), mem.rule[name]
                                                   if mem.rule and name in mem.rule else
                                                   float(np.asarray(proj._attributes[name])[0])
                                                   if len(proj._attributes[name]) else 0.0)
                proj._attributes = attributes
                self.written[id(proj)] = attributes["weight"]


OBSERVER = StructuralObserver()


def register() -> None:
    """Make the simulator state run the rewiring engines (once)."""
    if OBSERVER not in simulator.state.tick_observers:
        simulator.state.tick_observers.append(OBSERVER)
