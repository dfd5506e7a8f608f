"""Synaptic delays onto the timestep grid, as NEST puts them.

NEST rounds a delay to the nearest multiple of the resolution (halves up) when a connection is
made, and refuses a delay that rounds to less than one step. A SpiNNaker2 PE counts delays in
ticks, so this backend does the same at the moment a Projection is built or ``set()``, and says
so once per projection.
"""

from __future__ import annotations

import warnings

import numpy as np

from .errors import DelayRoundingWarning, ParameterRangeError


NEST_TIC_MS = 0.001     # NEST's time base: every time is first a whole number of 1 us tics


def ticks_as_nest_rounds(times_ms: np.ndarray, dt: float) -> np.ndarray:
    """Whole timesteps, as NEST converts a time in ms: to the nearest tic first, then to the
    nearest step, halves up (1.45 ms at dt 0.1 is 15 steps, 0.35 ms is 4).

    Out: float array of whole numbers.
    """
    tics = np.rint(np.asarray(times_ms, dtype=np.float64) / NEST_TIC_MS)
    tics_per_step = np.rint(dt / NEST_TIC_MS)
    if tics_per_step < 1:                # a timestep finer than NEST's tic: plain rounding
        return np.floor(np.asarray(times_ms, dtype=np.float64) / dt + 0.5)
    return np.floor((tics + tics_per_step // 2) / tics_per_step)


def steps_as_nest_ceils(times_ms: np.ndarray, dt: float) -> np.ndarray:
    """Whole timesteps of a period, as NEST counts a refractory time
    (``Time(Time::ms(t)).get_steps()``): to the nearest tic first (``t * 1000 + 0.5``, truncated),
    then up to a whole step (2.0001 ms at dt 0.1 is 20 steps, 2.0005 ms is 21, 0.05 ms is 1).

    In: non-negative times in ms, the timestep in ms.
    Out: float array of whole numbers.
    """
    times = np.asarray(times_ms, dtype=np.float64)
    tics_per_step = np.rint(dt / NEST_TIC_MS)
    if tics_per_step < 1:                # a timestep finer than NEST's tic: plain ceiling
        return np.ceil(times / dt - 1e-9)
    tics = np.floor(times * (1.0 / NEST_TIC_MS) + 0.5)
    return np.ceil(tics / tics_per_step)


def on_grid(delays: np.ndarray, dt: float, label: str) -> np.ndarray:
    """Delays rounded to the nearest tick where they are off the grid.

    In: one projection's delays in ms (a float array, or a broadcast scalar), the timestep in
    ms, the projection's label (for messages).
    Out: the same array when every delay is on the grid (values within float precision of a
    multiple of dt are kept as given); otherwise a new float64 array in which each off-grid
    delay is replaced by its nearest multiple of dt (NEST's rule: ticks_as_nest_rounds), after one
    DelayRoundingWarning giving the number of delays changed and the largest change.
    The delays are finite: the Projection checks every synapse value before it gets here.
    Raises: ParameterRangeError naming the projection for a delay that rounds to less than one
    tick.
    """
    values = np.asarray(delays)
    if values.size == 0:
        return delays
    uniform = values.ndim == 1 and len(values) > 1 and values.strides[0] == 0
    sample = values[:1] if uniform else values
    ticks = ticks_as_nest_rounds(sample, dt)
    if ticks.min() < 1:
        bad = float(sample[ticks < 1][0])
        raise ParameterRangeError(
            f"Projection '{label}': delay {bad:g} ms is shorter than one timestep ({dt:g} ms); "
            f"the shortest delay a PE can apply is one tick. Use delays >= {dt:g} ms or a "
            "smaller timestep in setup().")
    tolerance = 1e-6 * max(dt, 1.0) + np.finfo(sample.dtype).eps * np.abs(sample) \
        if sample.dtype.kind == "f" else 0.0
    change = np.abs(ticks * dt - sample)
    off_grid = change > tolerance
    if not off_grid.any():
        return delays
    rounded = np.where(off_grid, ticks * dt, sample).astype(np.float64)
    n_changed = len(values) if uniform else int(off_grid.sum())
    warnings.warn(
        f"Projection '{label}': {n_changed} delay(s) off the {dt:g} ms timestep grid were "
        f"rounded to the nearest tick, as NEST does (largest change {change.max():.4g} ms).",
        DelayRoundingWarning, stacklevel=5)
    if uniform:
        return np.broadcast_to(rounded[0], values.shape)
    return rounded
