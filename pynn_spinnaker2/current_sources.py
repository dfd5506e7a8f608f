"""Current sources on the PE: each tick a PE computes the current of the sources that inject
into its neurons and adds it to their i_offset.

In:  a source kind, its parameters (PyNN units), the tick and timestep.
Out: the current in nA flowing in that tick.

A current is applied in tick k (the update from t_k = k*dt to t_k + dt) when it is active at
t_k, i.e. start <= t_k < stop; so a DCSource starting at `start` first moves v at start + dt, as
in NEST through pyNN.nest (tests/golden/current_sources.json). A recorded current sample at t is
the current that drives the cell from t to t + dt, as pyNN.nest's get_data() returns it.
NoisyCurrentSource draws a normal value per noise step `dt` from a counter-based stream keyed by
the source, so it does not depend on the mapping.
"""

from __future__ import annotations

import bisect
import math

import numpy as np

from .random_streams import uniform_u32

KINDS = ("dc", "ac", "step", "noisy")
NOISE_STREAM_BASE = 1 << 62   # random streams of noisy sources, apart from neuron streams


def _active(params: dict, t: float) -> bool:
    return params["start"] <= t + 1e-9 and t + 1e-9 < params["stop"]


def current_at(kind: str, params: dict, source_id: int, tick: int, dt: float,
               seed: int) -> float:
    """The source's current (nA) in the given tick."""
    t = tick * dt
    if kind == "dc":
        return float(params["amplitude"]) if _active(params, t) else 0.0
    if kind == "ac":
        if not _active(params, t):
            return 0.0
        # time from the start of the source, as NEST's ac_generator through pyNN.nest
        elapsed = t - params["start"]
        phase = (2.0 * math.pi * params["frequency"] * elapsed / 1000.0
                 + math.radians(params["phase"]))
        return float(params["offset"] + params["amplitude"] * math.sin(phase))
    if kind == "step":
        started = bisect.bisect_right(params["times"], t + 1e-9)
        return float(params["amplitudes"][started - 1]) if started else 0.0
    if kind == "noisy":
        if not _active(params, t):
            return 0.0
        step = int(math.floor((t - params["start"]) / params["dt"] + 1e-9))
        stream = np.array([NOISE_STREAM_BASE + source_id], dtype=np.uint64)
        u1 = (float(uniform_u32(seed, stream, 2 * step)[0]) + 1.0) / 2.0 ** 32
        u2 = float(uniform_u32(seed, stream, 2 * step + 1)[0]) / 2.0 ** 32
        normal = math.sqrt(-2.0 * math.log(u1)) * math.cos(2.0 * math.pi * u2)
        return float(params["mean"] + params["stdev"] * normal)
    raise ValueError(f"unknown current source kind {kind!r}")
