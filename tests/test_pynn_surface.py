"""The PyNN API surface: procedural API, state queries, views, assemblies, plotting, inspection."""

import numpy as np
import pytest

from pynn_spinnaker2 import formats


def test_list_standard_models_and_state_queries(sim):
    sim.setup(timestep=0.5)
    models = sim.list_standard_models()
    assert {"IF_curr_exp", "SpikeSourceArray", "SpikeSourcePoisson"} <= set(models)
    for name in models:                # each one listed can be built
        getattr(sim, name)()
    assert sim.get_time_step() == 0.5
    assert sim.get_min_delay() == 0.5
    assert sim.get_max_delay() == 8224.0   # (256 delay stages + 1) x 64 ticks of 0.5 ms
    assert sim.num_processes() == 1 and sim.rank() == 0
    sim.Population(2, sim.IF_curr_exp(i_offset=1.0))
    sim.run_for(10.0)
    assert sim.get_current_time() == pytest.approx(10.0)
    sim.run_until(25.0)
    assert sim.get_current_time() == pytest.approx(25.0)


def test_procedural_api(sim, tmp_path):
    sim.setup(timestep=1.0)
    src = sim.create(sim.SpikeSourceArray, {"spike_times": [2.0, 4.0]}, n=3)
    cells = sim.create(sim.IF_curr_exp(), n=4)
    sim.set(cells, tau_m=12.0)
    proj = sim.connect(src, cells, weight=2.0, delay=1.0, p=1.0)
    sim.record(["spikes", "v"], cells, str(tmp_path / "cells.pkl"))
    sim.initialize(cells, v=-60.0)
    sim.run(10.0)
    assert len(proj) == 12
    assert np.allclose(cells.get("tau_m"), 12.0)
    v = cells.get_data().segments[0].filter(name="v")[0]
    assert np.allclose(np.asarray(v)[0], -60.0)
    sim.end()                                  # writes the file that record() named
    assert (tmp_path / "cells.pkl").stat().st_size > 0


def test_heterogeneous_parameters_and_views(sim):
    sim.setup(timestep=1.0)
    cells = sim.Population(6, sim.IF_curr_exp(i_offset=np.linspace(0.0, 2.5, 6)),
                           label="ramp")
    cells.record("spikes")
    cells[3:].record("v")
    sim.run(100.0)
    counts = cells.get_spike_counts()
    ordered = [counts[c] for c in cells.all_cells]
    assert ordered[0] == 0 and ordered == sorted(ordered) and ordered[-1] > ordered[3] > 0
    v = cells.get_data().segments[0].filter(name="v")[0]
    assert v.shape == (101, 3)
    assert list(v.array_annotations["channel_index"]) == [3, 4, 5]


def test_assembly_as_presynaptic_side(sim):
    sim.setup(timestep=1.0)
    a = sim.Population(3, sim.SpikeSourceArray(spike_times=[5.0]), label="a")
    b = sim.Population(2, sim.SpikeSourceArray(spike_times=[8.0]), label="b")
    cells = sim.Population(4, sim.IF_curr_exp(), label="cells")
    proj = sim.Projection(a + b, cells[1:3], sim.AllToAllConnector(),
                          sim.StaticSynapse(weight=0.25, delay=2.0))
    expected = np.array(proj.get(["weight", "delay"], format="list"))
    decoded = sim.get_mapping().decode_projection(proj)
    assert decoded.shape == (10, 4)
    assert np.allclose(decoded, expected[np.lexsort((expected[:, 1], expected[:, 0]))])


def test_plotting_utility_works(sim, tmp_path):
    pytest.importorskip("matplotlib").use("Agg")        # the [plots] extra
    from pyNN.utility.plotting import Figure, Panel
    sim.setup(timestep=1.0)
    cells = sim.Population(3, sim.IF_curr_exp(i_offset=1.0))
    cells.record(["spikes", "v"])
    sim.run(50.0)
    seg = cells.get_data().segments[0]
    out = tmp_path / "fig.png"
    Figure(Panel(seg.filter(name="v")[0]), Panel(seg.spiketrains)).save(str(out))
    assert out.stat().st_size > 1000


def test_mapping_inspection(sim):
    sim.setup(timestep=1.0, neurons_per_core=50, validate=True)
    src = sim.Population(120, sim.SpikeSourcePoisson(rate=10.0), label="src")
    cells = sim.Population(80, sim.IF_curr_exp(), label="cells")
    sim.Projection(src, cells, sim.AllToAllConnector(),
                   sim.StaticSynapse(weight=0.125, delay=3.0))
    mapped = sim.get_mapping()
    slices = mapped.placements_of(cells)
    assert [(s.lo, s.hi) for s in slices] == [(0, 40), (40, 80)]
    assert all(s.pe < 148 for s in slices)
    assert len(mapped.placements_of("src")) == 3
    (table,) = mapped.router_tables.values()
    assert len(table) == 3      # one entry per source slice on the only chip
    for prog_index in (3, 4):   # the two cell slices hold every synapse from all 120 sources
        # a block per source slice: a row table of 41 offsets (one per source neuron, and the
        # end), then the rows' 40 words each, back to back
        blocks = mapped.pe_words(prog_index).reshape(3, 41 + 40 * 40)
        assert np.all(blocks[:, :41] == 41 + 40 * np.arange(41))
        weight, delay, _, index = formats.unpack_synapse_words(
            blocks[:, 41:].reshape(3, 40, 40))
        assert np.all(delay == 3) and np.all(index == np.arange(40))
    text = str(mapped.report)
    assert "200 neurons" in text and "9,600 synapses" in text and "5 on 1 chip" in text


def test_spike_times_change_between_runs_and_assemblies_record(sim):
    sim.setup(timestep=1.0)
    src = sim.Population(2, sim.SpikeSourceArray(spike_times=[[5.0], [6.0]]), label="src")
    cells = sim.Population(2, sim.IF_curr_exp(), label="cells")
    both = src + cells
    both.record("spikes")
    sim.run(10.0)
    src.set(spike_times=[[15.0, 18.0], [12.0]])
    sim.run(10.0)
    trains = both.get_data().segments[0].spiketrains
    times = sorted(float(t) for st in trains[:2] for t in st.times)
    assert times == [5.0, 6.0, 12.0, 15.0, 18.0]


def test_array_format_with_multiple_connections(sim):
    sim.setup(timestep=1.0)
    pre = sim.Population(2, sim.SpikeSourcePoisson(rate=1.0))
    post = sim.Population(2, sim.IF_curr_exp())
    conns = [(0, 1, 0.5, 1.0), (0, 1, 0.25, 2.0), (1, 0, 0.125, 1.0)]
    proj = sim.Projection(pre, post, sim.FromListConnector(conns))
    summed = proj.get("weight", format="array")
    assert summed[0, 1] == pytest.approx(0.75) and summed[1, 0] == pytest.approx(0.125)
    assert np.isnan(summed[0, 0]) and np.isnan(summed[1, 1])
    largest = proj.get("delay", format="array", multiple_synapses="max")
    assert largest[0, 1] == 2.0
    assert proj.size() == len(proj) == 3
