"""What the live module was asked to do: periodic callbacks, populations whose spikes are read
out while running, run start/stop hooks, and the spikes and rate changes waiting to be applied.

In:  registrations from pynn_spinnaker2.live and the sPyNNaker-named wrappers; injections and
     rate changes from callbacks and live threads (thread-safe).
Out: the queues the driver (driver.py) drains between chunks.
Raises: NotSupportedError / ConfigurationError for a population that cannot do what is asked.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from ..errors import ConfigurationError, NotSupportedError
from .. import simulator


@dataclass
class Periodic:
    """A callback every ``interval`` ms of simulated time (``every``)."""
    interval: float
    callback: Callable
    populations: tuple
    next_time: float | None = None
    cancelled: bool = False

    def cancel(self) -> None:
        """No more calls."""
        self.cancelled = True


@dataclass
class Session:
    """The live registrations of this process (``SESSION``)."""
    periodic: list = field(default_factory=list)
    output: dict = field(default_factory=dict)          # population -> True (live output)
    rate_controlled: dict = field(default_factory=dict)  # population -> control label
    receivers: list = field(default_factory=list)       # callables(tick, {pop: ids})
    on_start: list = field(default_factory=list)        # callables(run_ms or None)
    on_stop: list = field(default_factory=list)         # callables()
    injections: list = field(default_factory=list)      # (population, ids)
    rate_changes: list = field(default_factory=list)    # (population, ids, rates)
    stop_requested: bool = False
    forever: bool = False                               # run_forever(): paced by the wall clock
    lock: threading.Lock = field(default_factory=threading.Lock)

    def active(self) -> bool:
        """Anything that needs the run split into chunks."""
        return bool(self.periodic or self.output or self.receivers or self.on_start
                    or self.injections or self.rate_changes or self.forever)

    def output_populations(self) -> list:
        """Populations of the current network whose spikes are read out while running."""
        current = simulator.state.generation
        return [p for p in self.output if getattr(p, "_generation", current) == current]

    def inject(self, population, ids) -> None:
        """Queue spikes of ``population``'s neurons ``ids`` for the next tick simulated."""
        if getattr(population.celltype, "native_model", None) != "spike_source_array":
            raise NotSupportedError(
                f"Cannot inject spikes into Population '{population.label}' of "
                f"{type(population.celltype).__name__}: only SpikeInjector or SpikeSourceArray "
                "populations emit injected spikes. Fix: send to a "
                "p.external_devices.SpikeInjector() population projecting to it.")
        ids = np.atleast_1d(np.asarray(ids, dtype=np.int64))
        if len(ids) and (ids.min() < 0 or ids.max() >= population.size):
            raise ConfigurationError(
                f"Cannot inject spikes into Population '{population.label}' neuron(s) "
                f"{ids[(ids < 0) | (ids >= population.size)].tolist()}: it has neurons "
                f"0..{population.size - 1}.")
        with self.lock:
            self.injections.append((population, ids))

    def set_rates(self, population, rates, ids=None) -> None:
        """Queue a change of Poisson rates (Hz) of ``population`` (all or ``ids``)."""
        if getattr(population.celltype, "native_model", None) != "spike_source_poisson":
            raise NotSupportedError(
                f"Cannot set live rates of Population '{population.label}' of "
                f"{type(population.celltype).__name__}: only SpikeSourcePoisson rates can be "
                "changed while running.")
        size = population.size if ids is None else len(np.atleast_1d(ids))
        rates = np.broadcast_to(np.asarray(rates, dtype=np.float64), (size,)).copy()
        if not np.all(np.isfinite(rates)) or np.any(rates < 0):
            raise ConfigurationError(
                f"Live rate of Population '{population.label}' must be finite and >= 0 Hz, "
                f"got {rates[~(np.isfinite(rates) & (rates >= 0))][:5].tolist()}.")
        with self.lock:
            self.rate_changes.append((population, None if ids is None
                                      else np.atleast_1d(np.asarray(ids, np.int64)), rates))

    def take(self) -> tuple[list, list]:
        """Out: the queued (injections, rate changes), emptied."""
        with self.lock:
            taken = self.injections, self.rate_changes
            self.injections, self.rate_changes = [], []
        return taken


SESSION = Session()
