"""A single IF_curr_exp neuron driven by SpikeSourceArrays against NEST 3.10's iaf_psc_exp.

Golden values: tests/golden/iaf_psc_exp_single.json, made by
tests/golden/make_iaf_psc_exp_golden.py with NEST 3.10 through pyNN.nest (on-grid spikes).
"""

import json
from pathlib import Path

import numpy as np
import pytest
from goldens import run_single_cell

GOLDEN = json.loads((Path(__file__).parent / "golden" / "iaf_psc_exp_single.json").read_text())
V_TOLERANCE_MV = 1e-3   # float32 state on the PE against NEST's doubles


def _run(sim, scenario):
    return run_single_cell(sim, sim.IF_curr_exp, scenario)


@pytest.mark.parametrize("scenario", GOLDEN["scenarios"],
                         ids=lambda s: f"{s['name']}-dt{s['timestep']}")
def test_spike_times_match_nest_within_one_step(sim, scenario):
    segment = _run(sim, scenario)
    got = np.asarray(segment.spiketrains[0].times)
    expected = np.asarray(scenario["spike_times"])
    assert len(expected) >= 3
    assert got.shape == expected.shape
    assert np.all(np.abs(got - expected) <= scenario["timestep"] + 1e-9)


@pytest.mark.parametrize("scenario", GOLDEN["scenarios"],
                         ids=lambda s: f"{s['name']}-dt{s['timestep']}")
def test_membrane_trace_matches_nest(sim, scenario):
    segment = _run(sim, scenario)
    v = np.asarray(segment.analogsignals[0]).ravel()
    expected = np.asarray(scenario["v"])
    assert v.shape == expected.shape
    assert np.max(np.abs(v - expected)) < V_TOLERANCE_MV
