"""Protocols for the stochastic synapses, run the same way on pynn_spinnaker2 and on pyNN.nest
(for the NEST goldens in tests/golden/stochastic_synapses.json, made by
tests/golden/make_stochastic_synapses_golden.py, and for tests/test_stochastic_synapses.py).

One SpikeSourceArray neuron drives N_SYNAPSES non-leaky, non-firing IF_curr_delta cells, one
synapse each: a cell's v jumps by weight x (sites released) when the spike arrives, so the
release counts of every synapse at every spike are read from v. ``CASES``: name -> (synapse
type, parameters, initial values given with Projection.initialize).
"""

from __future__ import annotations

import numpy as np

TIMESTEP = 0.1
DELAY_MS = 1.0
WEIGHT_MV = 1.0
N_SYNAPSES = 2000
SPIKE_TIMES = [float(t) for t in np.hstack((np.arange(10, 100, 10), np.arange(250, 350, 10)))]
RUN_MS = 360.0
CELL = dict(tau_m=1.0e6, cm=1.0, v_rest=0.0, v_reset=0.0, v_thresh=1.0e6, tau_refrac=0.1)
DEPRESSING = dict(U=0.8, tau_rec=100.0, tau_facil=0.0)
FACILITATING = dict(U=0.04, tau_rec=50.0, tau_facil=200.0)
CASES = {
    "bernoulli_p0.3": ("SimpleStochasticSynapse", dict(p=0.3), {}),
    "quantal_depressing_n5": ("MultiQuantalSynapse", dict(n=5, **DEPRESSING), dict(a=5, u=0.8)),
    "quantal_facilitating_n5": ("MultiQuantalSynapse", dict(n=5, **FACILITATING),
                                dict(a=5, u=0.04)),
    "quantal_defaults_n3": ("MultiQuantalSynapse", dict(n=3, **DEPRESSING), {}),
    "stochastic_tm_depressing": ("StochasticTsodyksMarkramSynapse", DEPRESSING, {}),
    "stochastic_tm_facilitating": ("StochasticTsodyksMarkramSynapse", FACILITATING, {}),
}


def build(sim, name: str, initialize: bool = True):
    """One case on ``sim`` (after setup); ``initialize`` False leaves the initial values to
    the caller (pyNN.nest passes ``a`` to NEST as a float, which NEST 3.10 refuses).
    Out: (cells with v recorded, projection)."""
    kind, params, initial = CASES[name]
    source = sim.Population(1, sim.SpikeSourceArray(spike_times=SPIKE_TIMES), label="source")
    cells = sim.Population(N_SYNAPSES, sim.IF_curr_delta(**CELL), label=name)
    synapse = getattr(sim, kind)(weight=WEIGHT_MV, delay=DELAY_MS, **params)
    projection = sim.Projection(source, cells, sim.AllToAllConnector(), synapse, label=name)
    if initial and initialize:
        projection.initialize(**initial)
    cells.record("v")
    return cells, projection


def releases(v: np.ndarray) -> np.ndarray:
    """Sites released per (spike, synapse), from v (samples at 0, dt, ..., one column per
    cell): the jump of v in the tick each spike arrives, in units of the weight."""
    jumps = np.diff(np.asarray(v), axis=0)
    arrival = np.rint((np.asarray(SPIKE_TIMES) + DELAY_MS) / TIMESTEP).astype(int)
    # the jump shows in the sample at the arrival time or one tick later, by simulator
    window = np.maximum(jumps[arrival - 1], jumps[arrival])
    return np.rint(window / WEIGHT_MV).astype(np.int64)
