"""Shared by the NEST golden tests: the single-cell scenarios of tests/golden/*.json."""

import json
from pathlib import Path

import numpy as np

GOLDEN_DIR = Path(__file__).parent / "golden"


def load_golden(name: str) -> dict:
    """The golden file tests/golden/<name> (JSON), parsed."""
    return json.loads((GOLDEN_DIR / name).read_text())


def connect_inputs(sim, cell, scenario) -> None:
    """One SpikeSourceArray per scenario input, projected onto ``cell`` one to one."""
    for i, inp in enumerate(scenario["inputs"]):
        source = sim.Population(1, sim.SpikeSourceArray(spike_times=inp["spike_times"]),
                                label=f"input{i}")
        sim.Projection(source, cell, sim.OneToOneConnector(),
                       sim.StaticSynapse(weight=inp["weight"], delay=inp["delay"]),
                       receptor_type=inp["receptor_type"])


def run_single_cell(sim, cell_type, scenario, variables=("v",)):
    """Run a golden scenario's one-cell network on ``sim``; return the cell's Neo segment."""
    sim.setup(timestep=scenario["timestep"])
    cell = sim.Population(1, cell_type(**scenario["cell_params"]), label="cell")
    connect_inputs(sim, cell, scenario)
    cell.record(["spikes", *variables])
    sim.run(scenario["run_ms"])
    return cell.get_data().segments[0]


def spikes_and_signals(segment, variables):
    """(spike times, {variable: trace}) of a one-cell segment, as plain arrays."""
    signals = {name: np.asarray(segment.filter(name=name)[0]).ravel() for name in variables}
    return np.asarray(segment.spiketrains[0].times), signals


def assert_spikes_match(segment, scenario, exact: bool) -> None:
    """The cell's spikes equal the scenario's NEST spikes within one step (at least 3 of
    them); with ``exact``, on the same step."""
    got = np.asarray(segment.spiketrains[0].times)
    expected = np.asarray(scenario["spike_times"])
    assert len(expected) >= 3
    assert got.shape == expected.shape
    assert np.all(np.abs(got - expected) <= scenario["timestep"] + 1e-9)
    if exact:
        assert np.allclose(got, expected, atol=1e-9)


def assert_v_matches(segment, scenario, tolerance_mv: float) -> None:
    """The cell's v trace equals the scenario's NEST trace within ``tolerance_mv``."""
    v = np.asarray(segment.filter(name="v")[0]).ravel()
    expected = np.asarray(scenario["v"])
    assert v.shape == expected.shape
    assert np.max(np.abs(v - expected)) < tolerance_mv


def assert_signals_match(signals: dict, scenario, tolerance: dict) -> None:
    """Each recorded signal (name -> 1-D trace, on the golden's sample grid) equals the
    scenario's NEST trace within ``tolerance[name]``."""
    for name, got in signals.items():
        want = np.asarray(scenario[name])
        assert got.shape == want.shape == (scenario["n_samples"],), name
        assert np.max(np.abs(got - want)) < tolerance[name], name


def composed_variables(scenario) -> list[str]:
    """A composed-model golden scenario's analog variables: v and each receptor's state, as
    PyNN names them (``<receptor>.isyn`` or ``<receptor>.gsyn``)."""
    state = "isyn" if scenario["psr"].startswith("Curr") else "gsyn"
    return ["v", *[f"{name}.{state}" for name in sorted(scenario["receptors"])]]


def composed_cell_type(module, scenario):
    """A composed-model golden scenario's PointNeuron, built from ``module`` (pyNN.nest or
    pynn_spinnaker2)."""
    psr = getattr(module, scenario["psr"])
    return module.PointNeuron(getattr(module, scenario["neuron"])(**scenario["neuron_params"]),
                              **{name: psr(**p) for name, p in scenario["receptors"].items()})
