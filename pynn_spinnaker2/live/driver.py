"""The live driver: runs the ticks of a run() in chunks and, between chunks, applies injected
spikes and rate changes and calls the live callbacks.

In:  the simulator state with a prepared emulation, the number of ticks to run, SESSION and
     CLOCK.
Out: the emulation advanced (by fewer ticks when a stop was requested); receive and periodic
     callbacks called with the spikes of the chunk.

A chunk ends at the earliest of: the end of the run, the next time of a periodic callback, the
tick at which a sleeping live thread wakes, and ``MAX_CHUNK_MS`` after its start. Before a chunk
the driver waits (up to ``BUSY_GRACE_S`` of wall time) until every live thread sleeps or has
finished, so that what a thread sends lands at the tick its sleeps say (clock.py). A thread busy
for longer (computing, or blocked on something else) makes the driver advance in small chunks
lasting the wall time that passed, scaled by the time_scale_factor, as the real machine would.
Injected spikes are emitted by their source in the first tick of the next chunk (recorded at
its end, tick + 1); receive callbacks see every spike of the chunk, after the chunk.
"""

from __future__ import annotations

import math
import time

import numpy as np

from ..errors import NotSupportedError
from .clock import CLOCK, real_sleep
from .session import SESSION, Periodic

MAX_CHUNK_MS = 1.0       # longest chunk: the latency of a receive callback's reply
BUSY_GRACE_S = 0.05      # wall time given to a busy live thread before time moves on


class _Capture:
    """The spikes of chosen populations, tick by tick, from Emulation.spike_listener."""

    def __init__(self, numbers: set[int]) -> None:
        self.numbers, self.emulation, self.wanted = numbers, None, None
        self.ticks: list[np.ndarray] = []
        self.pops: list[np.ndarray] = []
        self.index: list[np.ndarray] = []

    def attach(self, emulation, populations) -> None:
        """Listen to ``emulation`` (again after a recompile).
        Raises: NotSupportedError for a Poisson population drawn on its targets' PEs whose
        spikes are not all recorded (only recorded folded draws leave the PE)."""
        if emulation is not self.emulation:
            inputs = emulation.poisson_inputs
            recorded = inputs.recorded_sources()
            folded = set((inputs.stream >> np.uint64(32)).astype(np.int64).tolist())
            for population in populations:
                if (population._number in folded
                        and len(recorded.get(population._number, ())) < population.size):
                    raise NotSupportedError(
                        f"Live output of SpikeSourcePoisson Population '{population.label}': "
                        "its spikes are drawn on its targets' PEs (Poisson folding) and only "
                        "recorded ones are sent. Fix: also call "
                        f"{population.label}.record('spikes'), or setup(fold_poisson=False).")
            self.emulation = emulation
            self.wanted = np.isin(emulation.gid_pop, list(self.numbers))

    def on_tick(self, emulation, tick: int, gids: np.ndarray, counts, folded) -> None:
        """Keep the tick's spikes of the chosen populations (Emulation.tick_observers)."""
        keep = self.wanted[gids]
        mine = gids[keep]
        if counts is not None:
            mine = np.repeat(mine, counts[keep])
        pops, index = self.emulation.gid_pop[mine], self.emulation.gid_index[mine]
        if folded is not None and len(folded[0]):
            drawn = np.isin(folded[0], list(self.numbers))
            pops = np.concatenate([pops, folded[0][drawn]])
            index = np.concatenate([index, folded[1][drawn]])
        if len(pops):
            self.ticks.append(np.full(len(pops), tick + 1, dtype=np.int64))   # recorded stamp
            self.pops.append(pops)
            self.index.append(index)

    def take(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Out: (time stamp in ticks, population number, neuron index) since the last take."""
        if not self.ticks:
            empty = np.zeros(0, dtype=np.int64)
            return empty, empty, empty
        out = tuple(np.concatenate(x) for x in (self.ticks, self.pops, self.index))
        self.ticks, self.pops, self.index = [], [], []
        return out

    def after_advance(self, state) -> None:
        """Nothing to do after a chunk."""


def _gids_of(emulation, population, ids: np.ndarray) -> np.ndarray:
    """The emulator gids of ``population``'s neurons ``ids``."""
    mine = np.flatnonzero(emulation.gid_pop == population._number)
    lookup = np.empty(population.size, dtype=np.int64)
    lookup[emulation.gid_index[mine]] = mine
    return lookup[ids]


def _insert_spikes(emulation, gids: np.ndarray, tick: int) -> None:
    """Add one spike per listed gid (repeats: counts) to the spike-time sources' emission list
    at ``tick``, keeping it sorted by (tick, gid) with one entry per pair."""
    ticks = np.concatenate([emulation.array_ticks, np.full(len(gids), tick, np.int64)])
    all_gids = np.concatenate([emulation.array_gids, gids.astype(np.int64)])
    counts = np.concatenate([emulation.array_counts, np.ones(len(gids), np.int64)])
    pairs = np.stack([ticks, all_gids], axis=1)
    unique, inverse = np.unique(pairs, axis=0, return_inverse=True)
    unique = unique.reshape(-1, 2)
    emulation.array_ticks = unique[:, 0].copy()
    emulation.array_gids = unique[:, 1].copy()
    emulation.array_counts = np.bincount(inverse.ravel(), weights=counts,
                                         minlength=len(unique)).astype(np.int64)


def _apply_queued(state) -> None:
    """Rate changes (a parameter change: the network is recompiled and continues), then
    injected spikes at the next tick."""
    injections, rate_changes = SESSION.take()
    for population, ids, rates in rate_changes:
        current = np.broadcast_to(np.asarray(population.get("rate"), dtype=np.float64),
                                  (population.size,)).copy()
        current[slice(None) if ids is None else ids] = rates
        population.set(rate=current)
    if rate_changes:
        state._prepare_emulation()
    emulation = state.emulation
    parts = [_gids_of(emulation, pop, ids) for pop, ids in injections
             if pop._generation == state.generation]
    if parts:
        _insert_spikes(emulation, np.concatenate(parts), emulation.tick)


def _periodic_tick(p: Periodic, dt: float) -> int:
    return int(math.ceil(p.next_time / dt - 1e-9))


def run_chunked(state, n_ticks: int) -> None:
    """The simulator's run hook: ``state.advance`` in chunks while anything live is registered
    (module docstring); one plain advance otherwise."""
    if not SESSION.active() and not CLOCK.busy_threads() and CLOCK.next_wake() is None:
        state.advance(n_ticks)
        return
    if state.world is not None:
        raise NotSupportedError(
            "Live input/output (sim.live, external_devices) runs in one process only, not "
            "under mpiexec with several ranks. Fix: run the script without mpiexec (or -n 1).")
    dt = state.dt
    start = state.emulation.tick
    end = start + n_ticks
    SESSION.stop_requested = False
    CLOCK.start_run(start, dt, state.config.time_scale_factor)
    periodic = [p for p in SESSION.periodic if not p.cancelled]
    for p in periodic:
        if p.next_time is None or _periodic_tick(p, dt) <= start:
            p.next_time = start * dt + p.interval
        p.buffer = []
    for callback in list(SESSION.on_start):     # may add read-outs, start live threads
        callback(n_ticks * dt if not SESSION.forever else None)
    output = SESSION.output_populations()
    watched = set(output) | {q for p in periodic for q in p.populations}
    capture = _Capture({p._number for p in watched})
    state.tick_observers.append(capture)
    max_chunk = max(1, int(round(MAX_CHUNK_MS / dt)))
    wall_start, last_wall = time.monotonic(), time.monotonic()
    tick = start
    try:
        while tick < end and not SESSION.stop_requested:
            idle = CLOCK.wait_idle(BUSY_GRACE_S)
            target = min(end, tick + max_chunk)
            wake = CLOCK.next_wake()
            if wake is not None and wake > tick:
                target = min(target, wake)
            for p in periodic:
                target = min(target, max(tick + 1, _periodic_tick(p, dt)))
            now = time.monotonic()
            if not idle:
                target = min(target, tick + max(1, CLOCK.ticks_for(now - last_wall)))
            last_wall = now
            if SESSION.forever:         # run_forever keeps pace with the wall clock
                lag = wall_start + (target - start) / CLOCK.ticks_per_second - now
                if lag > 0:
                    real_sleep(lag)
            _apply_queued(state)
            capture.attach(state.emulation, watched)
            state.advance(target - tick)
            tick = state.emulation.tick
            CLOCK.advance_to(tick)
            _dispatch(capture.take(), output, periodic, tick, dt)
    finally:
        state.tick_observers.remove(capture)
        CLOCK.stop_run()
        for callback in list(SESSION.on_stop):
            callback()


def _dispatch(spikes, output, periodic, tick: int, dt: float) -> None:
    """Receive callbacks get each tick's spikes of their populations; periodic callbacks whose
    time has come get the spikes since their last call."""
    stamps, pops, index = spikes
    if len(stamps):
        by_number = {p._number: p for p in output}
        for receiver in list(SESSION.receivers):
            receiver(stamps, pops, index, by_number)
    for p in periodic:
        if len(stamps):
            p.buffer.append((stamps, pops, index))
        if tick >= _periodic_tick(p, dt) and not p.cancelled:
            p.next_time += p.interval
            got = [np.concatenate(x) for x in zip(*p.buffer)] if p.buffer else None
            p.buffer = []
            table = {}
            for population in p.populations:
                if got is None:
                    table[population] = np.zeros((0, 2))
                    continue
                mine = got[1] == population._number
                table[population] = np.stack([got[0][mine] * dt, got[2][mine]], axis=1)
            p.callback(tick * dt, table)
