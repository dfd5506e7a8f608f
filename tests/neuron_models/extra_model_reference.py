"""Reference simulations of sPyNNaker's extra neuron models from their published equations, for
tests/neuron_models/test_extra_*.py: the ODEs integrated with scipy's adaptive solver (tight
tolerances), tick by tick, with the discrete events on the time grid that every PE model shares:

* a spike that leaves its source at t_s with delay d arrives at t_s + d (a grid time) and acts
  then (the jump of a current or conductance, or of v for delta synapses);
* the threshold is tested at the grid times; a spike at t_k is recorded at t_k, the state is
  reset, and a refractory neuron's v stays at v_reset for the next ceil(tau_refrac/dt) ticks;
* sample i of a recorded variable is the state at t_i = i dt (sample 0: the initial state).

This is a separate code path from the models' kernels (no propagators, no float32): the tests
compare the two.
"""

from __future__ import annotations

from typing import Callable

import numpy as np
from scipy.integrate import solve_ivp

RTOL, ATOL = 1e-10, 1e-12


def arrivals(inputs, dt: float, n_ticks: int, n_rows: int) -> np.ndarray:
    """Per tick end (t_1 .. t_n) and receptor row, the summed weight arriving then.

    In: inputs, a list of (spike times, weight, delay, row)."""
    table = np.zeros((n_ticks + 1, n_rows))
    for times, weight, delay, row in inputs:
        for t in times:
            k = int(round((t + delay) / dt))
            if k <= n_ticks:
                table[k, row] += weight
    return table


def run_grid(rhs: Callable, y0, dt: float, n_ticks: int,
             on_grid: Callable[[int, np.ndarray, bool], bool],
             refractory_ticks: int = 0, blow_up: float | None = None):
    """Integrate y' = rhs(t, y, refractory) tick by tick.

    on_grid(k, y, refractory) is called at t_k (k >= 1) after the tick's integration (was the
    neuron refractory in it): it applies the arrivals and the threshold, changes y in place, and
    returns whether the neuron spiked.
    While refractory (the ``refractory_ticks`` ticks after a spike) rhs gets refractory=True.
    blow_up: stop a tick's integration early when y[0] passes it (finite-time blow-up of the
    Izhikevich membrane); y[0] is then left at that value, above any threshold.
    Out: (samples (n_ticks + 1, len(y)), spike times).
    """
    y = np.array(y0, dtype=float)
    samples, spikes, refrac = [y.copy()], [], 0
    for k in range(n_ticks):
        is_refractory = refrac > 0
        events = None
        if blow_up is not None:
            def event(t, state, *_):
                return state[0] - blow_up
            event.terminal = True
            events = [event]
        sol = solve_ivp(rhs, (k * dt, (k + 1) * dt), y, args=(is_refractory,), rtol=RTOL,
                        atol=ATOL, method="DOP853", events=events)
        y = sol.y[:, -1].copy()
        if is_refractory:
            refrac -= 1
        if on_grid(k + 1, y, is_refractory):
            spikes.append((k + 1) * dt)
            refrac = refractory_ticks
        samples.append(y.copy())
    return np.array(samples), np.array(spikes)


def lif_current_rhs(tau_m: float, cm: float, v_rest: float, i_offset: float,
                    taus, gains) -> Callable:
    """y = [v, I_1, ..., I_n]: dv/dt = -(v - v_rest)/tau_m + (sum g_k I_k + i_offset)/cm
    (0 while refractory), dI_k/dt = -I_k / tau_k."""
    taus, gains = np.asarray(taus, dtype=float), np.asarray(gains, dtype=float)

    def rhs(t, y, refractory):
        dv = 0.0 if refractory else (-(y[0] - v_rest) / tau_m
                                     + (np.dot(gains, y[1:]) + i_offset) / cm)
        return np.concatenate([[dv], -y[1:] / taus])
    return rhs


def refractory_ticks(tau_refrac: float, dt: float) -> int:
    """ceil(tau_refrac / dt) on a 1 us grid, as NEST counts it."""
    return int(np.ceil(round(tau_refrac * 1000.0) / round(dt * 1000.0) - 1e-12))


def run_cell(sim, cell_type, inputs, dt: float, run_ms: float, variables=("v",)):
    """One cell of ``cell_type`` on ``sim`` fed by one SpikeSourceArray per input
    (times, weight, delay, receptor type). Out: (spike times, {variable: trace})."""
    sim.setup(timestep=dt)
    cell = sim.Population(1, cell_type, label="cell")
    for i, (times, weight, delay, receptor) in enumerate(inputs):
        source = sim.Population(1, sim.SpikeSourceArray(spike_times=list(times)),
                                label=f"input{i}")
        sim.Projection(source, cell, sim.OneToOneConnector(),
                       sim.StaticSynapse(weight=weight, delay=delay), receptor_type=receptor)
    cell.record(["spikes", *variables])
    sim.run(run_ms)
    segment = cell.get_data().segments[0]
    signals = {name: np.asarray(segment.filter(name=name)[0]).ravel() for name in variables}
    return np.asarray(segment.spiketrains[0].times), signals
