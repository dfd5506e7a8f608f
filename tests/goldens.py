"""Shared by the NEST golden tests: the single-cell scenarios of tests/golden/*.json."""


def connect_inputs(sim, cell, scenario) -> None:
    """One SpikeSourceArray per scenario input, projected onto ``cell`` one to one."""
    for i, inp in enumerate(scenario["inputs"]):
        source = sim.Population(1, sim.SpikeSourceArray(spike_times=inp["spike_times"]),
                                label=f"input{i}")
        sim.Projection(source, cell, sim.OneToOneConnector(),
                       sim.StaticSynapse(weight=inp["weight"], delay=inp["delay"]),
                       receptor_type=inp["receptor_type"])
