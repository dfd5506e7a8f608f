"""Live input and output (pynn_spinnaker2.live and the sPyNNaker-named wrappers)."""

import time

import numpy as np
import pytest

from pynn_spinnaker2 import external_devices as ext
from pynn_spinnaker2 import live
from pynn_spinnaker2.errors import ConfigurationError, NotSupportedError


@pytest.fixture(autouse=True)
def fresh_live():
    live.clear()
    yield
    live.clear()


def _times(population):
    return [np.asarray(s.times.magnitude) for s in
            population.get_data("spikes").segments[0].spiketrains]


def _chain(sim, source_celltype, weight=5.0, delay=2.0):
    source = sim.Population(4, source_celltype, label="source")
    post = sim.Population(4, sim.IF_curr_exp(), label="post")
    sim.Projection(source, post, sim.OneToOneConnector(),
                   sim.StaticSynapse(weight=weight, delay=delay))
    source.record("spikes")
    post.record("spikes")
    return source, post


def test_injected_spikes_arrive_at_their_tick_as_spike_array_spikes_would(sim):
    """Spikes injected when the clock is at t are stamped t + dt and evoke exactly the
    postsynaptic spikes of a SpikeSourceArray with those times."""
    sim.setup(timestep=0.5, rng_seed=3)
    injector, post = _chain(sim, ext.SpikeInjector())

    def inject(t, spikes):
        if t in (10.0, 20.0):
            sim.live.inject(injector, [1, 3] if t == 10.0 else [1])
    live.every(5.0, inject)
    sim.run(40.0)
    injected, evoked = _times(injector), _times(post)
    assert [list(t) for t in injected] == [[], [10.5, 20.5], [], [10.5]]

    sim.setup(timestep=0.5, rng_seed=3)
    live.clear()
    array, reference = _chain(sim, sim.SpikeSourceArray(
        spike_times=[[], [10.5, 20.5], [], [10.5]]))
    sim.run(40.0)
    assert [list(t) for t in _times(reference)] == [list(t) for t in evoked]
    assert sum(len(t) for t in evoked) == 3          # the weight makes each input fire


def test_receive_callbacks_get_exactly_the_recorded_spikes(sim):
    sim.setup(timestep=1.0, rng_seed=11)
    noise = sim.Population(30, sim.SpikeSourcePoisson(rate=80.0), label="noise")
    cells = sim.Population(30, sim.IF_curr_exp(), label="cells")
    sim.Projection(noise, cells, sim.FixedProbabilityConnector(0.3),
                   sim.StaticSynapse(weight=1.5, delay=1.0))
    cells.record("spikes")
    received = []
    connection = ext.SpynnakerLiveSpikesConnection(receive_labels=["cells"])
    connection.add_receive_callback(
        "cells", lambda label, t, ids: received.extend((label, t, i) for i in ids))
    ext.activate_live_output_for(cells, database_notify_port_num=connection.local_port)
    sim.run(200.0)
    recorded = sorted((float(t), i) for i, ts in enumerate(_times(cells)) for t in ts)
    assert len(recorded) > 50
    assert sorted((t * 1.0, i) for _, t, i in received) == recorded
    assert {label for label, _, _ in received} == {"cells"}


def test_periodic_callback_gets_the_spikes_since_its_last_call(sim):
    sim.setup(timestep=1.0, rng_seed=5)
    noise = sim.Population(20, sim.SpikeSourcePoisson(rate=50.0), label="noise")
    sim.Projection(noise, sim.Population(1, sim.IF_curr_exp()), sim.AllToAllConnector(),
                   sim.StaticSynapse(weight=0.01))
    noise.record("spikes")
    calls = []
    live.every(25.0, lambda t, spikes: calls.append((t, spikes[noise])), populations=[noise])
    sim.run(100.0)
    assert [t for t, _ in calls] == [25.0, 50.0, 75.0, 100.0]
    for t, rows in calls:
        assert np.all((rows[:, 0] > t - 25.0) & (rows[:, 0] <= t))
    got = sorted(map(tuple, np.concatenate([rows for _, rows in calls])))
    assert got == sorted((float(t), float(i)) for i, ts in enumerate(_times(noise)) for t in ts)


@pytest.mark.parametrize("time_scale_factor", [1.0, 10.0])
def test_a_start_thread_sleeping_sends_at_the_simulated_time_of_its_sleep(sim, time_scale_factor):
    """A live thread's time.sleep(s) lasts s * 1000 / time_scale_factor ms of simulated time
    (as on the machine), however fast the emulator runs."""
    sim.setup(timestep=1.0, time_scale_factor=time_scale_factor)
    injector, _ = _chain(sim, ext.SpikeInjector())
    connection = ext.SpynnakerLiveSpikesConnection(send_labels=["source"])
    initialised = []
    connection.add_init_callback("source", lambda *args: initialised.append(args))

    def sender(label, conn):
        for neuron in (0, 2):
            time.sleep(0.2)
            conn.send_spike(label, neuron)
    connection.add_start_resume_callback("source", sender)
    sim.run(500.0)
    step = 200.0 / time_scale_factor
    assert [list(t) for t in _times(injector)] == [[step + 1], [], [2 * step + 1], []]
    assert initialised == [("source", 4, 500.0, 1.0)]


def test_live_rate_changes_take_effect_from_the_tick_set(sim):
    """Poisson counts before and after a live rate change match the rates (5 sigma)."""
    sim.setup(timestep=1.0, rng_seed=7)
    poisson = sim.Population(200, sim.SpikeSourcePoisson(rate=10.0), label="drive")
    sim.Projection(poisson, sim.Population(1, sim.IF_curr_exp()), sim.AllToAllConnector(),
                   sim.StaticSynapse(weight=0.001))
    poisson.record("spikes")
    ext.add_poisson_live_rate_control(poisson)
    control = ext.SpynnakerPoissonControlConnection(poisson_labels=["drive"])

    def start(label, connection):
        assert label == "drive_control"
        time.sleep(0.5)
        connection.set_rates(label, [(i, 60.0) for i in range(100)])
    control.add_start_resume_callback("drive", start)
    sim.run(1000.0)
    times = _times(poisson)
    for neurons, after_rate in ((range(100), 60.0), (range(100, 200), 10.0)):
        before = sum(int(np.sum(times[i] <= 500.0)) for i in neurons)
        after = sum(int(np.sum(times[i] > 501.0)) for i in neurons)
        for count, expected in ((before, 100 * 10.0 * 0.5), (after, 100 * after_rate * 0.499)):
            assert abs(count - expected) < 5 * np.sqrt(expected), (count, expected)


def test_run_forever_ends_when_a_callback_requests_a_stop(sim):
    sim.setup(timestep=1.0)
    sim.Population(2, sim.IF_curr_exp(), label="cells")
    live.every(30.0, lambda t, spikes: ext.request_stop() if t >= 60.0 else None)
    ext.run_forever()
    assert sim.get_current_time() == pytest.approx(60.0)


def test_run_forever_ends_at_its_limit_with_a_warning(sim):
    sim.setup(timestep=1.0, time_scale_factor=0.01)     # 100x faster than real time
    sim.Population(2, sim.IF_curr_exp(), label="cells")
    with pytest.warns(UserWarning, match="run_forever"):
        ext.run_forever(max_ms=50.0)
    assert sim.get_current_time() == pytest.approx(50.0)


def test_live_mistakes_are_refused_clearly(sim):
    sim.setup(timestep=1.0)
    cells = sim.Population(2, sim.IF_curr_exp(), label="cells")
    poisson = sim.Population(2, sim.SpikeSourcePoisson(rate=5.0), label="drive")
    injector = sim.Population(2, ext.SpikeInjector(), label="inj")
    with pytest.raises(NotSupportedError, match="SpikeInjector"):
        sim.live.inject(cells, [0])
    with pytest.raises(ConfigurationError, match="neurons 0..1"):
        sim.live.inject(injector, [2])
    with pytest.raises(NotSupportedError, match="SpikeSourcePoisson"):
        ext.add_poisson_live_rate_control(cells)
    with pytest.raises(ConfigurationError, match=">= 0 Hz"):
        sim.live.set_rates(poisson, -1.0)
    connection = ext.SpynnakerLiveSpikesConnection(send_labels=["inj"])
    with pytest.raises(ConfigurationError, match="send_labels"):
        connection.send_spike("cells", 0)
    with pytest.raises(ConfigurationError, match="no live rate control"):
        ext.SpynnakerPoissonControlConnection(poisson_labels=["drive"]).set_rate("drive", 0, 1.0)
    with pytest.raises(ConfigurationError, match="unknown option"):
        ext.activate_live_output_for(cells, database_port=3)
    with pytest.raises(ConfigurationError, match="positive"):
        sim.live.every(0, print)


def test_live_output_of_an_unrecorded_folded_poisson_source_is_refused(sim):
    sim.setup(timestep=1.0)
    noise = sim.Population(5, sim.SpikeSourcePoisson(rate=50.0), label="noise")
    sim.Projection(noise, sim.Population(5, sim.IF_curr_exp()), sim.OneToOneConnector(),
                   sim.StaticSynapse(weight=0.1))
    ext.activate_live_output_for(noise)
    with pytest.raises(NotSupportedError, match="record"):
        sim.run(10.0)
