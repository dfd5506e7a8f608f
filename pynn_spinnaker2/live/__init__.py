"""Live input and output: talk to a running simulation from Python, in the same process.

On SpiNNaker a running simulation exchanges spikes with the host over Ethernet. In the emulator
the same happens in-process, at exact simulated times::

    def control(t, spikes):            # called every 10 ms of simulated time
        ids = spikes[excitatory][:, 1]  # (time ms, neuron index) rows since the last call
        sim.live.inject(stimulus, [0, 3])        # stimulus: a SpikeInjector population
        sim.live.set_rates(noise, 20.0 if len(ids) > 50 else 5.0)

    sim.live.every(10.0, control, populations=[excitatory])
    sim.run(1000)

The run is split into chunks (driver.py). Injected spikes are emitted by their source in the
next tick simulated; rate changes take effect from the next tick. Threads started by the
sPyNNaker-named wrappers (pynn_spinnaker2.external_devices) sleep in simulated time (clock.py).
"""

from __future__ import annotations

import warnings
from typing import Callable, Iterable

from .. import simulator
from ..errors import ConfigurationError
from .clock import CLOCK
from .driver import run_chunked
from .session import SESSION, Periodic

RUN_FOREVER_LIMIT_MS = 60_000.0
"""run_forever() ends after this much simulated time when nothing requested a stop."""

simulator.state.run_hook = run_chunked

__all__ = ["every", "inject", "set_rates", "read_out", "request_stop", "run_forever", "clear",
           "CLOCK"]


def every(interval_ms: float, callback: Callable, populations: Iterable = ()) -> Periodic:
    """Call ``callback(t, spikes)`` every ``interval_ms`` of simulated time during runs.

    In: ``t`` is the simulated time (ms) reached; ``spikes`` maps each of ``populations`` to an
        (n, 2) array of (spike time in ms, neuron index) rows: its spikes since the last call,
        exactly those that recording gives, in time order.
    Out: a handle; ``handle.cancel()`` stops the calls.
    Raises: ConfigurationError when ``interval_ms`` is not a positive number.
    """
    if not (isinstance(interval_ms, (int, float)) and interval_ms > 0):
        raise ConfigurationError(f"sim.live.every({interval_ms!r}, ...): the interval must be a "
                                 "positive number of ms, e.g. 10.0.")
    handle = Periodic(float(interval_ms), callback, tuple(populations))
    SESSION.periodic.append(handle)
    return handle


def inject(population, ids) -> None:
    """Make neurons ``ids`` of a SpikeInjector (or SpikeSourceArray) population spike in the
    next tick simulated (the spike's time stamp is the end of that tick).
    Raises: NotSupportedError for another cell type, ConfigurationError for a bad id."""
    SESSION.inject(population, ids)


def set_rates(population, rates, ids=None) -> None:
    """Set the rate (Hz) of a SpikeSourcePoisson population's neurons (all, or ``ids``) from the
    next tick simulated on. ``rates``: one rate or one per neuron.
    Raises: NotSupportedError for another cell type, ConfigurationError for a bad rate."""
    SESSION.set_rates(population, rates, ids)


def read_out(population) -> None:
    """Make ``population``'s spikes available to receive callbacks while running."""
    SESSION.output[population] = True


def clear() -> None:
    """Forget every live registration (callbacks, read-outs, connections' hooks, queued spikes
    and rate changes)."""
    for name in ("periodic", "receivers", "on_start", "on_stop", "injections", "rate_changes"):
        getattr(SESSION, name).clear()
    SESSION.output.clear()
    SESSION.rate_controlled.clear()
    SESSION.stop_requested = SESSION.forever = False


def request_stop() -> None:
    """End the current run (or run_forever) after the chunk being simulated."""
    SESSION.stop_requested = True


def run_forever(max_ms: float = RUN_FOREVER_LIMIT_MS) -> float:
    """Run until request_stop() is called, at the pace of the machine's wall clock (a tick per
    timestep * time_scale_factor ms), or until ``max_ms`` of simulated time has passed.
    Out: the simulated time reached (ms)."""
    SESSION.forever = True
    state = simulator.state
    started = state.t
    try:
        state.run(max_ms)
    finally:
        SESSION.forever = False
    if not SESSION.stop_requested and state.t - started >= max_ms - state.dt / 2:
        warnings.warn(f"run_forever() stopped after {max_ms:g} ms of simulated time without "
                      "a request_stop(); pass max_ms=... for longer.", stacklevel=2)
    return state.t
