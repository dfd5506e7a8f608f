"""Conformance: PyNN 0.13.0's own backend-independent system scenarios, run with
``sim = pynn_spinnaker2`` (as PyNN's test_nest.py runs them with pyNN.nest).

All in this process here; ``run_isolated.py`` (a step of .ci/run) runs each in a process of its
own, so that no scenario passes only thanks to state another one left.
"""

from __future__ import annotations

import os
import warnings

import pytest

from .pynn_sources import scenario_functions

SCENARIOS = scenario_functions()


def test_every_point_neuron_scenario_is_collected():
    # PyNN 0.13.0 has 65 point-neuron scenarios (test_scenario5 is multicompartment)
    assert len(SCENARIOS) == 65


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_pynn_scenario(name, tmp_path, monkeypatch):
    import pynn_spinnaker2 as sim
    monkeypatch.chdir(tmp_path)             # scenarios write their data files here
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            SCENARIOS[name](sim)
        finally:
            sim.end()
    assert os.getcwd() == str(tmp_path)
