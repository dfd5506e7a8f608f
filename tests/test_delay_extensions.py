"""Delays above the ring buffer (64 ticks) through delay-extension PEs.

Spike arrival times equal the expected arithmetic (source spike time + delay), the reference
simulator run on the user's network, and NEST (golden data); decode_projection gives back the
user's delays; the extension PEs show in the placements and reports.
"""

import json
from pathlib import Path

import numpy as np
import pytest

from pynn_spinnaker2 import machine as hw
from pynn_spinnaker2.emulator.reference import simulate
from pynn_spinnaker2.errors import ParameterRangeError
from pynn_spinnaker2.compiled.decode import sort_connections

GOLDEN = json.loads((Path(__file__).parent / "golden" / "delay_extension.json").read_text())

# (pre, post, delay in ticks): long, short and mixed delays in one projection
CONNECTIONS = [(0, 0, 1), (0, 1, 65), (1, 1, 128), (1, 2, 129), (1, 3, 200), (2, 0, 1000),
               (2, 2, 64), (0, 3, 64), (2, 3, 130)]
SOURCE_SPIKES = [[5.0], [7.0, 300.0], [9.0, 1150.0]]


def _same(a, b) -> bool:
    """Equal length and values (np.allclose alone broadcasts an empty array)."""
    return np.shape(a) == np.shape(b) and np.allclose(a, b)


def _spikes(population) -> list[np.ndarray]:
    return [np.asarray(t.magnitude) for t in population.get_data().segments[0].spiketrains]


def _reference_spikes(mapped, population, n_ticks) -> list[np.ndarray]:
    index, times = simulate(mapped.network, n_ticks).spikes(population._number)
    return [np.sort(times[index == i]) for i in range(population.size)]


@pytest.mark.parametrize("timestep", [1.0, 0.1])
def test_long_delays_arrive_on_time(sim, timestep):
    """IF_curr_delta cells fire in the tick the input arrives: at source time + delay."""
    sim.setup(timestep=timestep, validate=True)
    src = sim.Population(3, sim.SpikeSourceArray(
        spike_times=[[t * timestep for t in s] for s in SOURCE_SPIKES]), label="src")
    cells = sim.Population(4, sim.IF_curr_delta(), label="cells")
    conns = [(i, j, 20.0, d * timestep) for i, j, d in CONNECTIONS]
    proj = sim.Projection(src, cells, sim.FromListConnector(conns), sim.StaticSynapse(),
                          label="long")
    cells.record("spikes")
    n_ticks = 1300
    sim.run(n_ticks * timestep)
    expected = [np.sort([(t + d) * timestep for i, j, d in CONNECTIONS if j == cell
                         for t in SOURCE_SPIKES[i] if t + d < n_ticks])
                for cell in range(cells.size)]
    got = _spikes(cells)
    mapped = sim.get_mapping()
    reference = _reference_spikes(mapped, cells, n_ticks)
    for cell in range(cells.size):
        assert _same(got[cell], expected[cell]), cell
        assert _same(reference[cell], expected[cell]), cell
    assert sum(len(e) for e in expected) == 14          # every connection delivered something
    # decode through the extension: the user's full delays, not the remainders
    decoded = mapped.decode_projection(proj)
    assert _same(decoded, sort_connections(conns))
    assert _same(sort_connections(proj.get(["weight", "delay"], format="list")), decoded)
    ext, = mapped.compiled_network.delay_extensions
    assert (ext.source, ext.n_stages) == (src._number, (1000 - 1) // 64)


def test_extension_pes_are_placed_and_reported(sim):
    sim.setup(timestep=1.0, neurons_per_core=100)
    src = sim.Population(300, sim.SpikeSourcePoisson(rate=20.0), label="src")
    cells = sim.Population(20, sim.IF_curr_exp(), label="cells")
    sim.Projection(src, cells, sim.FixedProbabilityConnector(0.1, rng=sim.NumpyRNG(2)),
                   sim.StaticSynapse(weight=0.5, delay=150.0))
    sim.run(200.0)
    mapped = sim.get_mapping()
    label = "delay extension of src"
    placed = mapped.placements_of(label)
    # 2 stages: 128 source neurons per PE at most, cut inside the source's 3 slices of 100
    assert [(p.lo, p.hi) for p in placed] == [(0, 200), (200, 400), (400, 600)]
    assert f"{label} (600 neurons on 3 PEs)" in str(mapped.report)
    assert mapped.report.n_neurons == 320                # the user's neurons only
    pes = [p for p in sim.get_hardware_report().pes if p["population"] == label]
    assert len(pes) == 3 and all(p["mean_cycles"] > 600 for p in pes)
    # 13 bytes per (neuron, stage), and a Poisson source may send spike counts: one count byte
    # per tick of the 64-tick segment
    assert all(prog.sram["neuron_block"] == 200 * (13 + 64) for prog in mapped.programs
               if prog.model == "delay_extension")


def test_random_network_equals_reference(sim):
    """Poisson input and a recurrent projection, random delays of 1..300 ticks at dt 0.1."""
    sim.setup(timestep=0.1, neurons_per_core=40, validate=True)
    rng = sim.NumpyRNG(seed=7)
    src = sim.Population(90, sim.SpikeSourcePoisson(rate=40.0), label="src")
    cells = sim.Population(60, sim.IF_curr_exp(tau_refrac=1.0), label="cells")
    delay = sim.RandomDistribution("uniform_int", (1, 300), rng=rng)
    feed = sim.Projection(src, cells, sim.FixedProbabilityConnector(0.2, rng=rng),
                          sim.StaticSynapse(weight=1.0, delay=1.0))
    feed.set(delay=np.round(delay.next(len(feed))) * 0.1)
    loop = sim.Projection(cells, cells, sim.FixedProbabilityConnector(0.1, rng=rng),
                          sim.StaticSynapse(weight=-0.5, delay=1.0), receptor_type="inhibitory")
    loop.set(delay=np.round(delay.next(len(loop))) * 0.1)
    cells.record("spikes")
    n_ticks = 1000
    sim.run(n_ticks * 0.1)
    mapped = sim.get_mapping()
    assert mapped.report.worst_weight_error == 0
    assert len(mapped.compiled_network.delay_extensions) == 2
    got = _spikes(cells)
    reference = _reference_spikes(mapped, cells, n_ticks)
    assert sum(len(t) for t in got) > 100
    for a, b in zip(got, reference):
        assert _same(a, b)


def test_history_survives_a_change_between_runs(sim):
    """A spike inside the extension when the weights change arrives on time; a change of the
    number of stages empties the history (documented)."""
    sim.setup(timestep=1.0)
    src = sim.Population(1, sim.SpikeSourceArray(spike_times=[10.0]), label="src")
    cells = sim.Population(1, sim.IF_curr_delta(), label="cells")
    proj = sim.Projection(src, cells, sim.OneToOneConnector(),
                          sim.StaticSynapse(weight=20.0, delay=100.0))
    cells.record("spikes")
    sim.run(50.0)
    proj.set(weight=25.0)
    sim.run(100.0)
    assert _same(_spikes(cells)[0], [110.0])
    # two stages from now on: a new layout, no error, and new spikes take the new delay
    proj.set(delay=140.0)
    src.set(spike_times=[10.0, 160.0])
    sim.run(200.0)
    assert _same(_spikes(cells)[0], [110.0, 300.0])
    assert sim.get_mapping().compiled_network.delay_extensions[0].n_stages == 2
    proj.set(delay=5.0)                     # the extension goes away
    src.set(spike_times=[10.0, 160.0, 400.0])
    sim.run(100.0)
    assert _same(_spikes(cells)[0], [110.0, 300.0, 405.0])
    assert sim.get_mapping().compiled_network.delay_extensions == ()


def test_longest_delay_is_reported(sim):
    sim.setup(timestep=1.0)
    assert sim.get_max_delay() == hw.MAX_TOTAL_DELAY_TICKS * 1.0
    src = sim.Population(1, sim.SpikeSourceArray(spike_times=[1.0]), label="src")
    cells = sim.Population(1, sim.IF_curr_exp(), label="cells")
    sim.Projection(src, cells, sim.OneToOneConnector(),
                   sim.StaticSynapse(weight=0.5, delay=hw.MAX_TOTAL_DELAY_TICKS + 1.0),
                   label="too_long")
    with pytest.raises(ParameterRangeError, match="'too_long'.*16449 ms.*256 delay stages"):
        sim.get_mapping()


def test_long_delays_match_nest(sim):
    """IF_curr_exp at dt 0.1 ms with delays of 1 to 1000 ticks fires when NEST 3.10 does."""
    sim.setup(timestep=GOLDEN["timestep"], validate=True)
    source = sim.Population(1, sim.SpikeSourceArray(spike_times=GOLDEN["spike_times"]))
    cells = sim.Population(len(GOLDEN["delays"]), sim.IF_curr_exp())
    sim.Projection(source, cells, sim.FromListConnector(
        [(0, i, GOLDEN["weight"], d) for i, d in enumerate(GOLDEN["delays"])]),
        sim.StaticSynapse())
    cells.record("spikes")
    sim.run(GOLDEN["run_ms"])
    for got, nest in zip(_spikes(cells), GOLDEN["cell_spikes"]):
        assert _same(got, nest)
    assert sim.get_mapping().compiled_network.delay_extensions[0].n_stages == (1000 - 1) // 64
