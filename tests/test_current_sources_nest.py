"""Current sources against NEST 3.10 through pyNN.nest (IF_curr_exp cells, on-grid).

Golden data: tests/golden/current_sources.json, made by
tests/golden/make_current_sources_golden.py. Cell 0 receives the source, cell 1 is the control.
"""

import json
from pathlib import Path

import numpy as np
import pytest

GOLDEN = json.loads((Path(__file__).parent / "golden" / "current_sources.json").read_text())
SOURCES = {"DCSource", "StepCurrentSource", "ACSource"}
V_TOLERANCE_MV = 1e-3


def _scenario(name):
    return [s for s in GOLDEN["scenarios"] if s["name"] == name]


def _run(sim, scenario, run_ms=None):
    sim.setup(timestep=scenario["timestep"])
    cells = sim.Population(scenario["n_cells"], sim.IF_curr_exp(**scenario["cell_params"]))
    source = getattr(sim, scenario["source_type"])(**scenario["source_params"])
    source.inject_into(cells[0:1])
    source.record()
    cells.record(["v", "spikes"])
    sim.run(run_ms or scenario["run_ms"])
    return cells, source


@pytest.mark.parametrize("scenario", [s for s in GOLDEN["scenarios"]
                                      if s["source_type"] in SOURCES
                                      and s["name"] != "dc_changed_between_runs"],
                         ids=lambda s: f"{s['name']}-dt{s['timestep']}")
def test_v_spikes_and_recorded_current_match_nest(sim, scenario):
    cells, source = _run(sim, scenario)
    segment = cells.get_data().segments[0]
    v = np.asarray(segment.filter(name="v")[0])
    expected_v = np.asarray(scenario["v"], dtype=float).T        # stored cell by cell
    assert np.max(np.abs(v - expected_v)) < V_TOLERANCE_MV
    for train, expected in zip(segment.spiketrains, scenario["spike_times"]):
        assert len(train) == len(expected)
        assert np.all(np.abs(np.asarray(train.times) - expected) <= scenario["timestep"] + 1e-9)
    current = np.asarray(source.get_data()).ravel()
    assert np.allclose(current, scenario["current"]["values"], atol=1e-9)


@pytest.mark.parametrize("scenario", _scenario("noisy"), ids=lambda s: f"dt{s['timestep']}")
def test_noisy_source_switches_when_nest_does(sim, scenario):
    _, source = _run(sim, scenario)
    current = np.asarray(source.get_data()).ravel()
    times = np.arange(len(current)) * scenario["timestep"]
    changes = times[1:][np.abs(np.diff(current)) > 0]
    assert np.allclose(changes, scenario["current_stats"]["change_times"])


@pytest.mark.parametrize("scenario", _scenario("dc_changed_between_runs"),
                         ids=lambda s: f"dt{s['timestep']}")
def test_change_between_runs_matches_nest_before_the_change(sim, scenario):
    """pyNN.nest applies a changed amplitude 2 ms + dt late (its device delay and its extra
    min_delay of simulation); we apply it from the next tick. Before the change both agree."""
    cells, source = _run(sim, scenario, run_ms=100.0)
    source.amplitude = 1.0
    sim.run(100.0)
    v = np.asarray(cells.get_data().segments[0].filter(name="v")[0])[:, 0]
    expected = np.asarray(scenario["v"], dtype=float)[0]
    n_before = int(round(100.0 / scenario["timestep"])) + 1
    assert np.max(np.abs(v[:n_before] - expected[:n_before])) < V_TOLERANCE_MV
    dt = scenario["timestep"]
    assert v[n_before] - v[n_before - 1] > expected[n_before] - expected[n_before - 1] + 1e-3
    after = int(round((102.0 + 2 * dt) / dt)) + 1    # once NEST has the new amplitude too
    slope = np.diff(v[after:after + 3])
    expected_slope = np.diff(expected[after:after + 3])
    assert np.all(slope < expected_slope + 1e-6)        # ours has been charging for longer
