"""A single IF_curr_exp neuron driven by SpikeSourceArrays against NEST 3.10's iaf_psc_exp.

Golden values: tests/golden/iaf_psc_exp_single.json, made by
tests/golden/make_iaf_psc_exp_golden.py with NEST 3.10 through pyNN.nest (on-grid spikes).
"""

import json
from pathlib import Path

import pytest
from goldens import assert_spikes_match, assert_v_matches, run_single_cell

GOLDEN = json.loads((Path(__file__).parent / "golden" / "iaf_psc_exp_single.json").read_text())
V_TOLERANCE_MV = 1e-3   # float32 state on the PE against NEST's doubles


def _run(sim, scenario):
    return run_single_cell(sim, sim.IF_curr_exp, scenario)


@pytest.mark.parametrize("scenario", GOLDEN["scenarios"],
                         ids=lambda s: f"{s['name']}-dt{s['timestep']}")
def test_spike_times_match_nest_within_one_step(sim, scenario):
    assert_spikes_match(_run(sim, scenario), scenario, exact=False)


@pytest.mark.parametrize("scenario", GOLDEN["scenarios"],
                         ids=lambda s: f"{s['name']}-dt{s['timestep']}")
def test_membrane_trace_matches_nest(sim, scenario):
    assert_v_matches(_run(sim, scenario), scenario, V_TOLERANCE_MV)
