"""Izhikevich against NEST 3.10's izhikevich.

Golden values: tests/golden/izhikevich_single.json, made by
tests/golden/make_izhikevich_golden.py with NEST 3.10 through pyNN.nest (on-grid spikes). NEST
integrates with forward Euler in a fixed order (v and u from the old values, spikes added to v
in the same step, then the threshold); our model runs the same scheme in float32.

Measured (PyNN 0.13, NEST 3.10, two scenarios of 200 ms each):

    dt   spike times  max |dv| (mV)  max |du| (mV/ms)
    0.1  identical    6.3e-3         8.8e-6
    1.0  identical    3.6e-4         2.9e-6

The differences are float32 rounding, largest in the upstroke just before a spike where the
quadratic term amplifies them. A wider check (30 neurons, 1000 ms, random inputs and drives,
~450 spikes per timestep) also gave identical spike times at dt = 0.1, 0.5 and 1.0. Tolerances
below are these figures with headroom.
"""


import numpy as np
import pyNN.errors
import pytest

from pynn_spinnaker2.neuron_models import NATIVE_MODELS, TickContext
from goldens import load_golden
from goldens import run_single_cell, spikes_and_signals

GOLDEN = load_golden("izhikevich_single.json")
TOLERANCE = {"v": 0.02, "u": 1e-4}   # mV, mV/ms
VARIABLES = ("v", "u")
MODEL = NATIVE_MODELS["izhikevich"]


def _ids(scenario):
    return f"{scenario['name']}-dt{scenario['timestep']}"


def _run(sim, scenario):
    segment = run_single_cell(sim, sim.Izhikevich, scenario, VARIABLES)
    return spikes_and_signals(segment, VARIABLES)


@pytest.mark.parametrize("scenario", GOLDEN["scenarios"], ids=_ids)
def test_matches_nest(sim, scenario):
    spikes, signals = _run(sim, scenario)
    expected = np.asarray(scenario["spike_times"])
    assert len(expected) >= 3
    assert spikes.shape == expected.shape
    # the same scheme as NEST: the same ticks, not only within one timestep
    assert np.all(np.abs(spikes - expected) < 1e-6)
    for name in VARIABLES:
        got, want = signals[name], np.asarray(scenario[name])
        assert got.shape == want.shape == (int(round(scenario["run_ms"] / scenario["timestep"]))
                                           + 1,)
        assert np.max(np.abs(got - want)) < TOLERANCE[name], name


def test_update_order_and_units():
    """One tick: v and u from the old values, i_offset (nA) as 1000 * i_offset mV/ms, the
    arriving weights added to v in the same tick, then the threshold and reset."""
    dt = 0.1
    params = {"a": np.array([0.02, 0.02]), "b": np.array([0.2, 0.2]), "c": np.array([-65.0, -50.0]),
              "d": np.array([2.0, 8.0]), "i_offset": np.array([0.01, 0.0])}
    block = MODEL.build_block(params, {"v": np.array([-70.0, 20.0]), "u": np.array([-14.0, 4.0])},
                              dt)
    inputs = np.array([[3.0, 2.0], [-1.0, 0.0]], dtype=np.float32)
    spikes = MODEL.step(block, inputs, TickContext(0, dt))
    dv_second = 0.04 * 20.0 ** 2 + 5 * 20.0 + 140 - 4.0            # 252 mV/ms
    assert spikes.tolist() == [False, 20.0 + dt * dv_second + 2.0 >= 30.0]
    np.testing.assert_allclose(MODEL.read(block, "v"), [-70.0 + dt * 10.0 + 2.0, -50.0],
                               atol=1e-5)
    np.testing.assert_allclose(MODEL.read(block, "u"),
                               [-14.0, 4.0 + dt * 0.02 * (0.2 * 20.0 - 4.0) + 8.0], atol=1e-6)
    assert MODEL.read(block, "v").dtype == np.float32


def test_inhibitory_weights_are_negative(sim):
    assert MODEL.receptor_signs == (1, -1)
    sim.setup(timestep=0.1)
    source = sim.Population(1, sim.SpikeSourceArray(spike_times=[1.0]))
    cell = sim.Population(1, sim.Izhikevich())
    with pytest.raises(pyNN.errors.ConnectionError, match="negative"):
        sim.Projection(source, cell, sim.OneToOneConnector(), sim.StaticSynapse(weight=1.0),
                       receptor_type="inhibitory")
