"""Sizes are checked before anything large is allocated (pynn_spinnaker2/resource_checks.py):
populations and connectors against the largest machine setup() allows and the host's free
memory, and a run's hardware counters and recordings against the host's free memory. Each
check answers in milliseconds."""

import time

import numpy as np
import pytest

from pynn_spinnaker2 import resource_checks
from pynn_spinnaker2.errors import HostMemoryError, MachineTooSmallError, ResourceError

FAST_S = 0.5


def _timed(call):
    start = time.perf_counter()
    try:
        call()
    finally:
        assert time.perf_counter() - start < FAST_S


def test_a_billion_neurons_are_refused_at_once(sim, monkeypatch):
    monkeypatch.setattr(resource_checks, "available_bytes", lambda: 64 * 2 ** 30)
    sim.setup(timestep=0.1)
    with pytest.raises(HostMemoryError, match=r"'huge' of 1,000,000,000 neurons.*GiB"):
        _timed(lambda: sim.Population(10 ** 9, sim.IF_curr_exp(), label="huge"))
    with pytest.raises(MemoryError):              # what a user would catch
        sim.Population((1000, 1000, 1000), sim.IF_curr_exp(), label="cube")
    assert sim.Population(10, sim.IF_curr_exp()).size == 10


@pytest.mark.parametrize("machine,capacity", [
    (dict(machine="chip"), 148 * 256),
    (dict(boards=2, usable_pes_per_chip=1), 2 * 48 * 256)])
def test_populations_beyond_the_largest_allowed_machine(sim, machine, capacity):
    sim.setup(timestep=0.1, **machine)
    sim.Population(capacity - 5, sim.SpikeSourcePoisson(), label="most")
    with pytest.raises(MachineTooSmallError, match=f"'more'.*at most {capacity:,}"):
        _timed(lambda: sim.Population(6, sim.IF_curr_exp(), label="more"))
    sim.Population(5, sim.IF_curr_exp(), label="rest")


def test_dense_connectors_are_refused_before_numpy_allocates(sim, monkeypatch):
    monkeypatch.setattr(resource_checks, "available_bytes", lambda: 64 * 2 ** 30)
    sim.setup(timestep=0.1)
    a = sim.Population(100_000, sim.SpikeSourcePoisson(), label="a")
    b = sim.Population(100_000, sim.IF_curr_exp(), label="b")
    with pytest.raises(HostMemoryError, match="'dense' with about 10,000,000,000 synapses"):
        _timed(lambda: sim.Projection(a, b, sim.AllToAllConnector(),
                                      sim.StaticSynapse(weight=0.1), label="dense"))
    with pytest.raises(HostMemoryError, match="'likely'"):
        _timed(lambda: sim.Projection(a, b, sim.FixedProbabilityConnector(0.9),
                                      sim.StaticSynapse(weight=0.1), label="likely"))
    with pytest.raises(HostMemoryError, match="'many'"):
        _timed(lambda: sim.Projection(a, b, sim.FixedNumberPreConnector(90_000),
                                      sim.StaticSynapse(weight=0.1), label="many"))
    sim.Projection(a, b, sim.OneToOneConnector(), sim.StaticSynapse(weight=0.1))


def test_synapses_beyond_the_dram_of_one_chip(sim):
    sim.setup(timestep=0.1, machine="chip")
    cells = sim.Population(30_000, sim.IF_curr_exp(), label="cells")
    with pytest.raises(MachineTooSmallError, match="'dense'.*DRAM of setup.machine='chip'"):
        _timed(lambda: sim.Projection(cells, cells, sim.AllToAllConnector(),
                                      sim.StaticSynapse(weight=0.1), label="dense"))


def test_a_run_whose_counters_and_recordings_do_not_fit_the_host(sim, monkeypatch):
    sim.setup(timestep=0.1, hardware_summary=False)
    cells = sim.Population(500, sim.IF_curr_exp(i_offset=1.0), label="cells")
    cells.record(["spikes", "v"])
    sim.run(10.0)
    before = cells.get_data().segments[0].filter(name="v")[0].shape
    # 500 neurons x 10^6 ticks x 4 bytes of v: 2 GB of recordings, more than we pretend is free
    monkeypatch.setattr(resource_checks, "available_bytes", lambda: 2 ** 30)
    with pytest.raises(HostMemoryError, match="recordings 1.9 GiB.*Nothing recorded so far"):
        _timed(lambda: sim.run(100_000.0))
    assert sim.get_current_time() == pytest.approx(10.0)
    assert cells.get_data().segments[0].filter(name="v")[0].shape == before
    monkeypatch.undo()
    sim.run(5.0)
    assert sim.get_current_time() == pytest.approx(15.0)


def test_the_hardware_counters_alone(monkeypatch):
    monkeypatch.setattr(resource_checks, "available_bytes", lambda: 2 ** 30)
    resource_checks.check_run(100, 0, 10_000, 0, 7)           # 28 MB of counters: fine
    with pytest.raises(ResourceError, match="hardware counters"):
        resource_checks.check_run(5_000, 0, 100_000, 0, 7)    # 18 GB
    with pytest.raises(ResourceError):                        # since the last reset
        resource_checks.check_run(5_000, 90_000, 10_000, 0, 7)


def test_available_memory_is_read():
    assert 0 < resource_checks.available_bytes() < 2 ** 50
    assert np.isfinite(resource_checks.available_bytes())
