"""Shared by the NEST golden tests: the single-cell scenarios of tests/golden/*.json."""

import numpy as np


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
