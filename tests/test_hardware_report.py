"""The hardware report's accounting on hand-made networks whose counts are known by hand."""

import json
import warnings

import numpy as np
import pytest

from pynn_spinnaker2 import machine as hw
from pynn_spinnaker2.emulator.costs import DEFAULT_COSTS as C
from pynn_spinnaker2.errors import DeadlineMissedError
from pynn_spinnaker2.errors import DeadlineWarning

SPIKES = [2.0, 4.0, 6.0]


def _one_hop(sim, **setup):
    """One source neuron on chip (0, 0), three targets on chip (1, 0): one PE per chip."""
    sim.setup(timestep=1.0, machine="board", usable_pes_per_chip=1, **setup)
    src = sim.Population(1, sim.SpikeSourceArray(spike_times=SPIKES), label="src")
    dst = sim.Population(3, sim.IF_curr_exp(), label="dst")
    sim.Projection(src, dst, sim.AllToAllConnector(), sim.StaticSynapse(weight=0.1, delay=1.0))
    dst.record("spikes")
    sim.run(10.0)
    return src, dst


def test_packets_links_routers_and_synapses_counted_by_hand(sim):
    _one_hop(sim)
    report = sim.get_hardware_report()
    placements = {p.population: (p.x, p.y) for p in sim.get_mapping().slice_placements}
    assert placements == {"src": (0, 0), "dst": (1, 0)}
    assert report.spikes_sent == 3
    assert report.packets_received == 3
    assert report.synaptic_events == 3 * 3
    assert report.dropped_packets == 0
    assert report.link_packet_hops == 3
    assert report.busiest_links[0] == {"chip": [0, 0], "link": "E", "packets": 3,
                                       "max_per_tick": 1}
    assert report.link_packets == {"(0, 0) E": 3}
    assert sorted((tuple(r["chip"]), r["packets"]) for r in report.busiest_routers) == [
        ((0, 0), 3), ((1, 0), 3)]
    dst_pe = next(p for p in report.pes if p["population"] == "dst")
    # a tick with one packet: overhead, 3 neuron updates, 1 packet, 3 synapses
    expected = (C.tick_overhead_cycles + 3 * C.neuron_update_cycles["if_curr_exp"]
                + C.packet_cycles + 3 * C.synapse_cycles)
    assert dst_pe["max_cycles"] == pytest.approx(expected)
    assert dst_pe["budget_cycles"] == pytest.approx(hw.CLOCK_HZ_HIGH * 1e-3)
    assert report.deadline_misses == []


def test_energy_parts_counted_by_hand(sim):
    _one_hop(sim)
    report = sim.get_hardware_report()
    e = report.energy_j
    tick_s = 1e-3
    assert e["packets"] == pytest.approx(3 * C.link_hop_energy_j + 6 * C.router_energy_j)
    # each packet's row: its row-table entry (count and offset) and 3 synapse words, by DMA
    assert e["dram"] == pytest.approx(3 * 5 * 4 * C.dram_energy_j_per_byte)
    static = (2 * hw.CHIP_POWER_PES_OFF_W * 10 * tick_s
              + 2 * 10 * tick_s * C.pe_sleep_power_w("high"))
    assert e["static"] == pytest.approx(static)
    epc = C.energy_per_cycle_j("high")
    assert e["synaptic_events"] == pytest.approx(
        3 * (C.packet_cycles + 3 * C.synapse_cycles) * epc)
    assert e["total"] == pytest.approx(sum(v for k, v in e.items() if k != "total"))
    assert report.synaptic_energy_per_event_j == pytest.approx(e["synaptic_events"] / 9)


def _overloaded(sim, **setup):
    """200 sources fire in the same tick onto 256 neurons of one PE at dt = 0.1 ms."""
    sim.setup(timestep=0.1, **setup)
    src = sim.Population(200, sim.SpikeSourceArray(spike_times=[1.0]), label="burst")
    dst = sim.Population(256, sim.IF_curr_exp(), label="victims")
    sim.Projection(src, dst, sim.AllToAllConnector(), sim.StaticSynapse(weight=0.001, delay=0.1))
    dst.record("v")
    return dst


def test_overloaded_pe_misses_its_deadline_and_the_fix_is_named(sim):
    _overloaded(sim)
    with pytest.warns(DeadlineWarning, match="victims"):
        sim.run(5.0)
    report = sim.get_hardware_report()
    (miss,) = report.deadline_misses
    cycles = (C.tick_overhead_cycles + 256 * C.neuron_update_cycles["if_curr_exp"]
              + 200 * C.packet_cycles + 200 * 256 * C.synapse_cycles)
    budget = hw.CLOCK_HZ_HIGH * 0.1e-3
    assert miss["population"] == "victims" and miss["ticks_missed"] == 1
    assert miss["worst_overrun"] == pytest.approx(cycles / budget)
    assert f"time_scale_factor={np.ceil(cycles / budget * 10) / 10:g}" in miss["fix"]
    assert "neurons_per_core=" in miss["fix"]
    assert report.smallest_time_scale_factor_without_misses == pytest.approx(cycles / budget)
    with warnings.catch_warnings():
        warnings.simplefilter("error", DeadlineWarning)
        sim.run(1.0)        # warned once per simulation


def test_slower_time_scale_keeps_real_time(sim):
    _overloaded(sim, time_scale_factor=50.0)
    sim.run(5.0)
    report = sim.get_hardware_report()
    assert report.deadline_misses == []
    assert report.wall_time_on_hardware_s == pytest.approx(5.0e-3 * 50)


def test_strict_timing_raises_and_keeps_the_data(sim):
    dst = _overloaded(sim, strict_timing=True)
    with pytest.raises(DeadlineMissedError, match="victims") as info:
        sim.run(5.0)
    assert info.value.report.deadline_misses[0]["ticks_missed"] == 1
    assert dst.get_data().segments[0].analogsignals[0].shape == (51, 256)


def test_auto_performance_level_follows_packet_count(sim):
    _one_hop(sim, performance_level="auto", pl_threshold=0)
    report = sim.get_hardware_report()
    dst_pe = next(p for p in report.pes if p["population"] == "dst")
    src_pe = next(p for p in report.pes if p["population"] == "src")
    # the target runs at 300 MHz only in the 3 ticks with a packet; otherwise at 150 MHz
    assert dst_pe["budget_cycles"] == pytest.approx(hw.CLOCK_HZ_LOW * 1e-3)
    assert src_pe["budget_cycles"] == pytest.approx(hw.CLOCK_HZ_LOW * 1e-3)
    sleep = (C.pe_sleep_power_w("low") * 17 + C.pe_sleep_power_w("high") * 3) * 1e-3
    static = 2 * hw.CHIP_POWER_PES_OFF_W * 10e-3 + sleep
    assert report.energy_j["static"] == pytest.approx(static)


def test_report_is_plain_data_and_plots_are_written(sim, tmp_path):
    _one_hop(sim)
    report = sim.get_hardware_report()
    saved = json.loads(report.save_json(tmp_path / "hw.json").read_text())
    assert saved["synaptic_events"] == 9 and saved["energy_j"]["total"] > 0
    text = str(report)
    assert "9 synaptic events" in text and "none missed" in text
    pytest.importorskip("matplotlib")                    # the plots need the [plots] extra
    paths = sim.save_hardware_plots(tmp_path / "plots")
    assert [p.name for p in paths] == ["machine_load.png", "link_traffic.png",
                                       "cycles_per_tick.png", "energy.png"]
    assert all(p.stat().st_size > 5000 for p in paths)


def test_report_before_running_is_an_error(sim):
    sim.setup()
    with pytest.raises(RuntimeError, match="run"):
        sim.get_hardware_report()
