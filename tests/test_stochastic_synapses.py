"""The stochastic synapses on the PE against NEST 3.10, and their mapping invariance.

Golden data: tests/golden/stochastic_synapses.json, made by
tests/golden/make_stochastic_synapses_golden.py from the protocols in
tests/stochastic_protocols.py (which these tests run on pynn_spinnaker2): per case and input
spike, the mean and variance over synapses of the sites released.
"""

import json
from pathlib import Path

import numpy as np
import pytest
from pyNN.random import NumpyRNG

import stochastic_protocols as P
from pynn_spinnaker2.errors import NotSupportedError, ParameterRangeError

GOLDEN = json.loads((Path(__file__).parent / "golden" / "stochastic_synapses.json").read_text())
SIGMAS = 4.5      # per spike: |ours - NEST| within this many standard errors of the difference


@pytest.fixture(scope="module")
def releases():
    """Release counts (spikes, synapses) of every case, all run in one simulation."""
    import pynn_spinnaker2 as sim
    sim.setup(timestep=P.TIMESTEP, hardware_summary=False)
    cells = {name: P.build(sim, name)[0] for name in P.CASES}
    sim.run(P.RUN_MS)
    out = {name: P.releases(c.get_data().segments[0].filter(name="v")[0])
           for name, c in cells.items()}
    sim.end()
    return out


@pytest.mark.parametrize("case", list(P.CASES))
def test_release_statistics_follow_nest(releases, case):
    counts = releases[case]
    golden = GOLDEN["cases"][case]
    assert counts.shape == (len(P.SPIKE_TIMES), P.N_SYNAPSES)
    mean, var = counts.mean(axis=1), counts.var(axis=1)
    nest_mean, nest_var = np.asarray(golden["mean"]), np.asarray(golden["var"])
    error = np.sqrt(var / counts.shape[1] + nest_var / golden["samples"]) + 1e-9
    z = (mean - nest_mean) / error
    assert np.abs(z).max() < SIGMAS, dict(zip(P.SPIKE_TIMES, z.round(2)))
    # and over the whole train
    total_error = np.sqrt(var.sum() / counts.shape[1] + nest_var.sum() / golden["samples"])
    assert abs(mean.sum() - nest_mean.sum()) < 4 * total_error


def test_bernoulli_transmits_its_probability(releases):
    counts = releases["bernoulli_p0.3"]
    fraction = counts.mean()
    assert abs(fraction - 0.3) < 4 * np.sqrt(0.3 * 0.7 / counts.size)
    assert set(np.unique(counts)) == {0, 1}


def test_quantal_sites_deplete_and_recover(releases):
    """Five sites at u = 0.8: about four released at the first spike, far fewer at the next
    (depleted, tau_rec 100 ms), and most recovered after the 160 ms pause."""
    counts = releases["quantal_depressing_n5"].mean(axis=1)
    assert 3.8 < counts[0] < 4.2
    assert counts[1] < 1.5
    assert counts[9] > 3.0


def _invariance_network(sim, npc: int, seed: int = 11):
    sim.setup(timestep=P.TIMESTEP, hardware_summary=False, neurons_per_core=npc, rng_seed=seed,
              validate=True)
    source = sim.Population(2, sim.SpikeSourceArray(spike_times=P.SPIKE_TIMES))
    cells = sim.Population(150, sim.IF_curr_delta(**P.CELL), label="cells")
    for kind, params, delay in (("SimpleStochasticSynapse", dict(p=0.4), 1.0),
                                ("MultiQuantalSynapse", dict(n=4, **P.DEPRESSING), 1.5),
                                ("StochasticTsodyksMarkramSynapse", P.FACILITATING, 12.0)):
        sim.Projection(source, cells, sim.FixedProbabilityConnector(
            0.5, rng=NumpyRNG(seed=3)), getattr(sim, kind)(weight=1.0, delay=delay,
                                                                **params))
    cells.record("v")
    return cells


def test_same_seed_same_releases_whatever_the_mapping(sim):
    """neurons_per_core 7 and 61 (and a 120-tick delay through a delay extension): the same
    v in every cell, sample for sample."""
    traces = []
    for npc in (7, 61):
        cells = _invariance_network(sim, npc)
        sim.run(P.RUN_MS)
        traces.append(np.asarray(cells.get_data().segments[0].filter(name="v")[0]))
        n_slices = len(sim.get_mapping().placements_of(cells))
        assert n_slices == -(-150 // npc)
        sim.end()
    assert np.abs(np.diff(traces[0], axis=0)).max() >= 1.0     # releases happened
    assert np.array_equal(traces[0], traces[1])


def test_reset_replays_the_same_releases_and_seed_changes_them(sim):
    cells = _invariance_network(sim, 61)
    sim.run(200.0)
    sim.reset()
    sim.run(200.0)
    first, again = (np.asarray(s.filter(name="v")[0]) for s in cells.get_data().segments)
    assert np.array_equal(first, again)
    sim.end()
    cells = _invariance_network(sim, 61, seed=12)
    sim.run(200.0)
    other = np.asarray(cells.get_data().segments[0].filter(name="v")[0])
    assert not np.array_equal(first, other)


def test_parameters_set_between_runs_take_effect(sim):
    sim.setup(timestep=P.TIMESTEP, hardware_summary=False)
    source = sim.Population(1, sim.SpikeSourceArray(spike_times=P.SPIKE_TIMES))
    cells = sim.Population(50, sim.IF_curr_delta(**P.CELL))
    projection = sim.Projection(source, cells, sim.AllToAllConnector(),
                                sim.SimpleStochasticSynapse(weight=1.0, delay=1.0, p=0.0))
    cells.record("v")
    sim.run(150.0)                    # nine spikes, none transmitted
    projection.set(p=1.0)
    sim.run(P.RUN_MS - 150.0)         # ten spikes, all transmitted
    counts = P.releases(cells.get_data().segments[0].filter(name="v")[0])
    assert np.all(counts[:9] == 0) and np.all(counts[9:] == 1)


def test_parameters_are_checked_and_initialize_is_limited(sim):
    sim.setup(timestep=P.TIMESTEP, hardware_summary=False)
    source = sim.Population(1, sim.SpikeSourceArray(spike_times=[5.0]))
    cells = sim.Population(2, sim.IF_curr_exp(), label="cells")
    with pytest.raises(sim.errors.InvalidParameterValueError, match="'too_likely'.*p = 1.5"):
        sim.Projection(source, cells, sim.AllToAllConnector(),
                       sim.SimpleStochasticSynapse(weight=0.5, p=1.5), label="too_likely")
    bad = sim.Projection(source, cells, sim.AllToAllConnector(),
                         sim.SimpleStochasticSynapse(weight=0.5, p=0.9), label="too_likely")
    bad._attributes["p"] = np.full(2, 1.5)     # past the front check: the compiler refuses too
    sim.simulator.state.mark_changed()
    with pytest.raises(ParameterRangeError, match="'too_likely'.*p = 1.5"):
        sim.run(1.0)
    bad.set(p=0.5)
    with pytest.raises(NotSupportedError, match="'too_likely'.*initialize 'u'"):
        bad.initialize(u=0.2)
    quantal = sim.Projection(source, cells, sim.AllToAllConnector(),
                             sim.MultiQuantalSynapse(weight=0.5, n=2), label="quantal")
    quantal.initialize(a=3)
    with pytest.raises(ParameterRangeError, match="'quantal'.*available sites"):
        sim.run(1.0)
    quantal.initialize(a=2, u=0.3)
    sim.run(10.0)
    assert quantal.get("U", format="list", with_address=False) == [0.5, 0.5]
