"""TsodyksMarkramSynapse computed on the PE against NEST 3.10's tsodyks_synapse.

Golden data: tests/golden/tsodyks_markram.json, made by
tests/golden/make_tsodyks_markram_golden.py. Three cells driven by one source: depressing,
facilitating, static. The cells never fire, so v is a clean sum of PSPs.
"""

import json
from pathlib import Path

import numpy as np
import pytest

from pynn_spinnaker2.emulator.reference import simulate

GOLDEN = json.loads((Path(__file__).parent / "golden" / "tsodyks_markram.json").read_text())
# the same cells with a 20 ms delay at dt 0.1 ms (200 ticks: through a delay extension), made by
# tests/golden/make_tsodyks_markram_long_delay_golden.py
LONG = json.loads((Path(__file__).parent / "golden"
                   / "tsodyks_markram_long_delay.json").read_text())
# weights are 16-bit on the PE and u*x scales the integer weight: PSPs within about 1e-4 mV
V_TOLERANCE_MV = 2e-4


def _build(sim, scenario, **setup):
    sim.setup(timestep=scenario["timestep"], **setup)
    source = sim.Population(1, sim.SpikeSourceArray(spike_times=scenario["spike_times"]),
                            label="source")
    cells = sim.Population(3, sim.IF_curr_exp(**scenario["cell_params"]), label="cells")
    for cell in scenario["post_cells"]:
        params = dict(cell["synapse_params"])
        synapse = getattr(sim, cell["synapse_type"])(**params)
        sim.Projection(source, cells[cell["index"]:cell["index"] + 1],
                       sim.AllToAllConnector(), synapse, label=cell["name"])
    cells.record("v")
    return cells


@pytest.mark.parametrize("scenario", GOLDEN["scenarios"],
                         ids=lambda s: f"{s['name']}-dt{s['timestep']}")
def test_psps_follow_nest_tsodyks_synapse(sim, scenario):
    cells = _build(sim, scenario)
    sim.run(scenario["run_ms"])
    v = np.asarray(cells.get_data().segments[0].filter(name="v")[0])
    for cell in scenario["post_cells"]:
        expected = np.asarray(cell["v"])
        assert np.max(np.abs(v[:, cell["index"]] - expected)) < V_TOLERANCE_MV, cell["name"]


@pytest.mark.parametrize("scenario", LONG["scenarios"], ids=lambda s: s["name"])
def test_psps_through_a_delay_extension_follow_nest(sim, scenario):
    """Plastic rows keyed by the delay extension: the state per synapse, the same PSPs as NEST
    with the long delay, and as the reference simulator run on the user's network."""
    cells = _build(sim, scenario, validate=True)
    sim.run(scenario["run_ms"])
    mapped = sim.get_mapping()
    assert [e.n_stages for e in mapped.compiled_network.delay_extensions] == [3]
    v = np.asarray(cells.get_data().segments[0].filter(name="v")[0])
    for cell in scenario["post_cells"]:
        expected = np.asarray(cell["v"])
        assert np.max(np.abs(expected - expected[0])) > 1.0     # the PSPs are there
        assert np.max(np.abs(v[:, cell["index"]] - expected)) < V_TOLERANCE_MV, cell["name"]
    n = int(round(scenario["run_ms"] / scenario["timestep"]))
    reference = simulate(mapped.network, n).signal(cells._number, "v")
    assert np.max(np.abs(v - reference)) < V_TOLERANCE_MV


def test_emulator_matches_reference_and_reset_restores_the_state(sim):
    scenario = GOLDEN["scenarios"][1]
    cells = _build(sim, scenario)
    n = int(round(300.0 / scenario["timestep"]))
    sim.run(300.0)
    first = np.asarray(cells.get_data().segments[0].filter(name="v")[0])
    reference = simulate(sim.get_mapping().network, n).signal(cells._number, "v")
    assert np.max(np.abs(first - reference)) < V_TOLERANCE_MV
    sim.reset()
    sim.run(300.0)
    again = np.asarray(cells.get_data().segments[1].filter(name="v")[0])
    assert np.array_equal(first, again)


def test_weights_and_parameters_read_back(sim):
    cells = _build(sim, GOLDEN["scenarios"][0])
    proj = next(p for p in sim.simulator.state.projections if p.label == "facilitating")
    (row,) = proj.get(["weight", "U", "tau_rec", "tau_facil"], format="list")
    assert row[2:] == (1.0, 0.1, 50.0, 500.0)
    proj.set(U=0.3)
    assert proj.get("U", format="list", with_address=False) == [0.3]
    del cells


def test_plastic_synapses_cost_cycles_and_dram(sim):
    from pynn_spinnaker2.emulator.costs import DEFAULT_COSTS as C
    from pynn_spinnaker2.formats import STP_WORDS
    scenario = GOLDEN["scenarios"][1]
    _build(sim, scenario)
    sim.run(scenario["run_ms"])
    report = sim.get_hardware_report()
    cells_pe = next(p for p in report.pes if p["population"] == "cells")
    # a tick with one packet: 3 synapses (one row per projection), 2 of them plastic
    expected = (C.tick_overhead_cycles + 3 * C.neuron_update_cycles["if_curr_exp"]
                + C.packet_cycles + 3 * C.synapse_cycles + 2 * C.plastic_synapse_cycles)
    assert cells_pe["max_cycles"] == pytest.approx(expected)
    # DRAM per spike: 3 rows of (row-table entry of 2 words + 1 word) read, 2 state records
    # read and written back
    words = len(scenario["spike_times"]) * (3 * 3 + 2 * 2 * STP_WORDS)
    assert report.energy_j["dram"] == pytest.approx(words * 4 * C.dram_energy_j_per_byte)


def test_initialize_draws_one_state_value_per_connection_from_a_distribution(sim):
    """Projection.initialize(u=RandomDistribution) (PyNN 0.13's own version fails on it):
    one value per connection, from the user's RNG, used by the next run."""
    sim.setup(timestep=1.0)
    source = sim.Population(4, sim.SpikeSourceArray(spike_times=[[5.0]] * 4))
    target = sim.Population(3, sim.IF_curr_exp())
    projection = sim.Projection(source, target, sim.AllToAllConnector(),
                                sim.TsodyksMarkramSynapse(U=0.5, weight=0.5))
    projection.initialize(u=sim.RandomDistribution("uniform", (0.1, 0.2),
                                                   rng=sim.NumpyRNG(seed=7)))
    u = np.asarray(projection._attributes["u"])
    expected = sim.NumpyRNG(seed=7).next(12, "uniform", {"low": 0.1, "high": 0.2})
    assert u.shape == (12,) and len(np.unique(u)) == 12
    np.testing.assert_array_equal(u, expected)
    sim.run(10.0)
