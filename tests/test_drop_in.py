"""Drop-in tolerance: what NEST accepts and adapts, this backend accepts and adapts the same
way, with one warning (off-grid delays, unknown setup() options, exact source spike times)."""

import json
import warnings
from pathlib import Path

import numpy as np
import pytest

from pynn_spinnaker2.errors import ParameterRangeError

GOLDEN = json.loads((Path(__file__).parent / "golden" / "delay_rounding.json").read_text())


@pytest.mark.parametrize("record", GOLDEN["records"], ids=lambda r: f"dt{r['timestep']}")
def test_off_grid_delays_are_rounded_as_nest_rounds_them(sim, record):
    dt, asked = record["timestep"], record["asked"]
    sim.setup(timestep=dt, min_delay=dt)
    source = sim.Population(1, sim.SpikeSourceArray(spike_times=[5.0]), label="source")
    cells = sim.Population(len(asked), sim.IF_curr_exp(tau_syn_E=1.0), label="cells")
    with pytest.warns(sim.DelayRoundingWarning) as caught:
        projection = sim.Projection(
            source, cells, sim.FromListConnector([(0, i, 0.5, d) for i, d in enumerate(asked)]),
            sim.StaticSynapse(), receptor_type="excitatory", label="drive")
    assert len(caught) == 1
    n_off = sum(abs(s - a) > 1e-9 for s, a in zip(record["stored"], asked))
    assert f"{n_off} delay(s)" in str(caught[0].message) and "'drive'" in str(caught[0].message)
    stored = [d for _, _, d in sorted(projection.get("delay", format="list"))]
    np.testing.assert_allclose(stored, record["stored"], rtol=0, atol=1e-9)
    cells.record("v")
    sim.run(12.0)
    v = np.asarray(cells.get_data().segments[0].filter(name="v")[0])
    moved = np.argmax(np.abs(v - v[0]) > 1e-9, axis=0) * dt
    np.testing.assert_allclose(moved, record["first_v_change_ms"], rtol=0, atol=1e-9)


def test_on_grid_delays_are_kept_exactly_and_say_nothing(sim):
    sim.setup(timestep=0.1)
    a = sim.Population(3, sim.IF_curr_exp())
    with warnings.catch_warnings():
        warnings.simplefilter("error", sim.DelayRoundingWarning)
        projection = sim.Projection(a, a, sim.AllToAllConnector(),
                                    sim.StaticSynapse(weight=0.1, delay=0.3))
    assert set(projection.get("delay", format="list", with_address=False)) == {0.3}


def test_random_continuous_delays_round_with_one_warning_and_run(sim):
    sim.setup(timestep=0.1)
    a = sim.Population(20, sim.SpikeSourcePoisson(rate=50.0))
    b = sim.Population(20, sim.IF_curr_exp())
    delays = sim.RandomDistribution("normal_clipped", mu=1.5, sigma=0.75, low=0.1, high=10.0,
                                    rng=sim.NumpyRNG(seed=3))
    with pytest.warns(sim.DelayRoundingWarning) as caught:
        projection = sim.Projection(a, b, sim.FixedProbabilityConnector(0.5, rng=sim.NumpyRNG(4)),
                                    sim.StaticSynapse(weight=0.2, delay=delays))
    assert len(caught) == 1
    stored = np.array(projection.get("delay", format="list", with_address=False))
    assert np.all(np.abs(stored / 0.1 - np.rint(stored / 0.1)) < 1e-6)
    b.record("spikes")
    sim.run(50.0)                               # runs, as on NEST


def test_set_off_grid_delay_rounds_between_runs(sim):
    sim.setup(timestep=1.0)
    a = sim.Population(2, sim.IF_curr_exp())
    projection = sim.Projection(a, a, sim.OneToOneConnector(), sim.StaticSynapse(delay=1.0))
    sim.run(5.0)
    with pytest.warns(sim.DelayRoundingWarning):
        projection.set(delay=2.6)
    assert set(projection.get("delay", format="list", with_address=False)) == {3.0}
    sim.run(5.0)


def test_delay_below_one_tick_is_refused_at_the_projection(sim):
    sim.setup(timestep=1.0)
    src = sim.Population(2, sim.SpikeSourceArray(spike_times=[1.0]), label="src")
    cells = sim.Population(2, sim.IF_curr_exp(), label="cells")
    with pytest.raises(ParameterRangeError, match="'instant'.*0.4 ms is shorter than one"):
        sim.Projection(src, cells, sim.OneToOneConnector(),
                       sim.StaticSynapse(weight=1.0, delay=0.4), label="instant")


def test_off_grid_precision_reports_exact_source_times(sim):
    with pytest.warns(sim.SpiNNaker2Warning, match="time-stepped"):
        sim.setup(timestep=0.05, spike_precision="off_grid")
    source = sim.Population(2, sim.SpikeSourceArray(spike_times=[[0.075, 3.01, 3.07], [7.3]]))
    source.record("spikes")
    sim.run(10.0)
    trains = source.get_data().segments[0].spiketrains
    np.testing.assert_allclose(trains[0].magnitude, [0.075, 3.01, 3.07])
    np.testing.assert_allclose(trains[1].magnitude, [7.3])


def test_on_grid_precision_reports_tick_times(sim):
    sim.setup(timestep=0.05)
    source = sim.Population(1, sim.SpikeSourceArray(spike_times=[0.075]))
    source.record("spikes")
    sim.run(1.0)
    np.testing.assert_allclose(source.get_data().segments[0].spiketrains[0].magnitude, [0.1])
