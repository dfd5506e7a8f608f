"""Vogels et al. 2011 inhibitory STDP protocols, run the same way on pynn_spinnaker2 and on NEST
3.10's vogels_sprekeler_synapse (the goldens in tests/golden/vogels2011.json, made by
tests/golden/make_vogels2011_golden.py).

Each protocol builds pre-synaptic sources and post-synaptic neurons made to fire by current
pulses of their own (tests/stdp_protocols.py's cell and pulses), one plastic inhibitory synapse
per (source, neuron) pair, one-to-one:

``window``: per lag, the source fires at T_k and the neuron's pulse starts at T_k + lag, for
PAIRINGS pairings PERIOD ms apart (the symmetric window, depressed by alpha far from 0).

``random``: RANDOM_PAIRS sources and neurons with random spike and pulse times (numpy, so both
simulators get the same ones) for RANDOM_MS: several pre- and post-synaptic spikes between
updates, traces that add up.
"""

from __future__ import annotations

import numpy as np

import stdp_protocols as S

TIMESTEP = 0.1
TAU = 20.0
ETA = 0.01            # nA per unit trace (PyNN's eta; NEST: pA, x 1000)
RHO = 3.0             # Hz: alpha = 2 rho tau = 0.12
ALPHA = 2e-3 * RHO * TAU
W_MAX = 1.0
W_INITIAL = 0.5       # magnitudes: the synapses are inhibitory (PyNN weight -0.5 nA)
DELAY = 1.0
LAGS_MS = (-50, -30, -20, -10, -5, -2, 1, 2, 5, 10, 20, 30, 50)
RANDOM_PAIRS = 6
RANDOM_MS = 3000.0
RANDOM_SEED = 11
RANDOM_PRE_HZ = 20.0
RANDOM_POST_HZ = 15.0


def window_duration() -> float:
    return S.FIRST_MS + S.PAIRINGS * S.PERIOD_MS


def _pulsed(sim, n: int, starts: list[np.ndarray], label: str):
    post = sim.Population(n, sim.IF_curr_exp(**S.POST_CELL), label=label)
    for i, times in enumerate(starts):
        edges = np.ravel(np.column_stack([times, times + S.PULSE_MS]))
        post[i:i + 1].inject(sim.StepCurrentSource(times=S.sim_times(edges),
                                                   amplitudes=[S.PULSE_NA, 0.0] * len(times)))
    post.record("spikes")
    return post


def build_window(sim) -> tuple:
    """The window protocol's (sources, neurons) on ``sim`` (after setup)."""
    pre_times = S.FIRST_MS + S.PERIOD_MS * np.arange(S.PAIRINGS)
    pre = sim.Population(len(LAGS_MS), sim.SpikeSourceArray(
        spike_times=[S.sim_times(pre_times) for _ in LAGS_MS]), label="vogels_pre")
    post = _pulsed(sim, len(LAGS_MS), [pre_times + lag for lag in LAGS_MS], "vogels_window")
    return pre, post


def random_times() -> tuple[list[np.ndarray], list[np.ndarray]]:
    """(pre-synaptic spike times, post-synaptic pulse starts) per pair, on the 1 ms grid,
    pulses at least 10 ms apart (each makes one spike)."""
    rng = np.random.default_rng(RANDOM_SEED)
    pre, post = [], []
    for _ in range(RANDOM_PAIRS):
        grid = np.arange(20.0, RANDOM_MS - 20.0)
        pre.append(grid[rng.random(len(grid)) < RANDOM_PRE_HZ / 1000.0])
        starts = grid[rng.random(len(grid)) < RANDOM_POST_HZ / 1000.0]
        keep = np.concatenate([[True], np.diff(starts) >= 10.0])
        post.append(starts[keep])
    return pre, post


def build_random(sim) -> tuple:
    """The random protocol's (sources, neurons) on ``sim`` (after setup)."""
    pre_times, post_starts = random_times()
    pre = sim.Population(RANDOM_PAIRS, sim.SpikeSourceArray(
        spike_times=[S.sim_times(t) for t in pre_times]), label="vogels_random_pre")
    return pre, _pulsed(sim, RANDOM_PAIRS, post_starts, "vogels_random")
