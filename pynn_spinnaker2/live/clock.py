"""The live clock: how wall-clock sleeps of live threads map to simulated time.

A *live thread* is one the live module started (sPyNNaker's start/resume and pause/stop
callbacks run in their own threads, as on SpiNNaker). While a run is going, ``time.sleep(s)``
called in a live thread does not sleep in wall-clock time: it blocks until the simulation has
advanced by ``s`` seconds of *machine* time, that is ``s * 1000 / time_scale_factor`` ms of
simulated time (SpiNNaker runs one tick of ``timestep`` ms in ``timestep * time_scale_factor``
ms of wall time). So a thread that sleeps 1 s and sends a spike makes the spike arrive at the
simulated time it would on the real machine, and the result does not depend on how fast the
emulator runs. Sleeps in other threads (the main thread, a GUI) are ordinary wall-clock sleeps.

In:  the simulation's tick (``advance_to``), sleeps of live threads.
Out: which threads are idle (sleeping in simulated time or finished), the earliest wake tick.
"""

from __future__ import annotations

import math
import threading
import time
from typing import Callable

real_sleep = time.sleep


class LiveClock:
    """Simulated-time sleeping for live threads; one per process (``CLOCK``)."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._threads: set[threading.Thread] = set()
        self._wake: dict[threading.Thread, int] = {}
        self.tick = 0
        self.ticks_per_second = 1000.0      # simulated ticks per second of machine wall time
        self.running = False                # a run is going: sleeps follow simulated time
        self._patched = False

    # --- the live threads ---------------------------------------------------------------------
    def start_thread(self, target: Callable, *args, name: str = "live callback") -> None:
        """Run ``target(*args)`` in a new daemon live thread (its sleeps follow simulated time
        while a run is going)."""
        thread = threading.Thread(target=target, args=args, name=name, daemon=True)
        with self._cond:
            self._threads.add(thread)
        self._patch_sleep()
        thread.start()

    def busy_threads(self) -> list[threading.Thread]:
        """Live threads that are running (neither sleeping in simulated time nor finished)."""
        with self._cond:
            self._threads = {t for t in self._threads if t.is_alive() or not t.ident}
            return [t for t in self._threads if t not in self._wake]

    def wait_idle(self, grace_s: float) -> bool:
        """Wait up to ``grace_s`` wall seconds for every live thread to sleep or finish.
        Out: True when all are idle."""
        deadline = time.monotonic() + grace_s
        while self.busy_threads():
            left = deadline - time.monotonic()
            if left <= 0:
                return False
            with self._cond:
                self._cond.wait(min(left, 0.005))
        return True

    def next_wake(self) -> int | None:
        """The earliest tick at which a sleeping live thread wakes (None: none sleeps)."""
        with self._cond:
            return min(self._wake.values(), default=None)

    # --- time ----------------------------------------------------------------------------------
    def start_run(self, tick: int, dt: float, time_scale_factor: float) -> None:
        """A run starts at ``tick``: sleeps of live threads now follow simulated time."""
        with self._cond:
            self.tick = tick
            self.ticks_per_second = 1000.0 / (dt * time_scale_factor)
            self.running = True
            self._cond.notify_all()

    def advance_to(self, tick: int) -> None:
        """The simulation reached ``tick``: wake the threads whose sleep has ended."""
        with self._cond:
            self.tick = tick
            # a woken thread is busy from now on, even before it gets the lock back
            self._wake = {t: w for t, w in self._wake.items() if w > tick}
            self._cond.notify_all()

    def stop_run(self) -> None:
        """The run ended: sleeping threads stay asleep until the next run advances the clock."""
        with self._cond:
            self.running = False
            self._cond.notify_all()

    def ticks_for(self, seconds: float) -> int:
        """Simulated ticks that ``seconds`` of machine wall time last (rounded up)."""
        return max(0, math.ceil(seconds * self.ticks_per_second - 1e-9))

    def sleep(self, seconds: float) -> None:
        """``time.sleep`` while the live module is in use: in simulated time for live threads
        (see the module docstring), in wall-clock time for any other thread."""
        me = threading.current_thread()
        if me not in self._threads:
            real_sleep(seconds)
            return
        with self._cond:
            wake = self.tick + self.ticks_for(seconds)
            self._wake[me] = wake
            self._cond.notify_all()
            try:
                while self.tick < wake:
                    self._cond.wait()
            finally:
                self._wake.pop(me, None)
                self._cond.notify_all()

    def _patch_sleep(self) -> None:
        """Route ``time.sleep`` through ``sleep`` (once; other threads are unaffected).
        A script's ``from time import sleep`` taken earlier keeps the wall-clock sleep: such a
        thread counts as busy and the driver then advances in real-time-scaled chunks."""
        if not self._patched:
            time.sleep = self.sleep
            self._patched = True


CLOCK = LiveClock()
