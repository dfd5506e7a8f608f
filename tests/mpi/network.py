"""A small network run by tests/test_mpi.py under ``mpiexec -n K``; every rank saves what it
sees to ``<out>/rank<r>.npz`` (and rank 0 a Neo file through write_data).

Poisson drive (folded one-to-one, and a source with STDP targets), STDP, a 90 ms delay (delay
extensions at dt = 1 ms), stochastic synapses, weights set() and Tsodyks-Markram state
initialize()d from random distributions, a
spike-time source, a population of one neuron (smaller than K),
recording of spikes and v, spread over several chips (usable_pes_per_chip=2).

Usage: python tests/mpi/network.py OUT_DIR [fail|static]
("fail": rank 1 raises in tick 20; "static": no STDP and no delay below 2 ticks, so that the
ranks exchange packets every 2 ticks, and 60 ms instead of 90: no delay extensions)
"""

import sys
import warnings
from pathlib import Path

import numpy as np

import pynn_spinnaker2 as sim


def main(out: Path, fail: bool, static: bool) -> None:
    warnings.simplefilter("ignore")
    sim.setup(timestep=1.0, rng_seed=11, neurons_per_core=16, machine="board",
              usable_pes_per_chip=2)
    rng = sim.NumpyRNG(seed=5)
    drive = sim.Population(40, sim.SpikeSourcePoisson(rate=40.0), label="drive")
    folded = sim.Population(30, sim.SpikeSourcePoisson(rate=60.0), label="folded")
    times = sim.Population(3, sim.SpikeSourceArray(spike_times=[[3.0, 40.0], [7.0], [90.0]]),
                           label="times")
    exc = sim.Population(30, sim.IF_curr_exp(tau_m=15.0), label="exc")
    inh = sim.Population(12, sim.IF_cond_exp(), label="inh")
    lone = sim.Population(1, sim.IF_curr_exp(), label="lone")
    exc.initialize(v=sim.RandomDistribution("uniform", (-65.0, -55.0), rng=rng))
    stdp = sim.STDPMechanism(
        timing_dependence=sim.SpikePairRule(tau_plus=20.0, tau_minus=20.0, A_plus=0.02,
                                            A_minus=0.02),
        weight_dependence=sim.AdditiveWeightDependence(w_min=0.0, w_max=1.5),
        weight=0.6, delay=1.0)
    if static:
        stdp = sim.StaticSynapse(weight=0.6, delay=3.0)
    learned = sim.Projection(drive, exc, sim.FixedProbabilityConnector(0.3, rng=rng), stdp)
    sim.Projection(folded, exc, sim.OneToOneConnector(), sim.StaticSynapse(weight=0.4))
    sim.Projection(exc, inh, sim.FixedProbabilityConnector(0.4, rng=rng),
                   sim.StaticSynapse(weight=0.01, delay=60.0 if static else 90.0))
    inhibition = sim.Projection(inh, exc, sim.FixedProbabilityConnector(0.4, rng=rng),
                                sim.StaticSynapse(weight=-0.5, delay=2.0),
                                receptor_type="inhibitory")
    # a random value for every connection, drawn in the one-process order on every rank
    inhibition.set(weight=sim.RandomDistribution("uniform", (-0.7, -0.3), rng=rng))
    # synaptic state initialised from a random distribution, in the one-process order
    depressing = sim.Projection(inh, exc, sim.FixedProbabilityConnector(0.3, rng=rng),
                                sim.TsodyksMarkramSynapse(U=0.3, tau_rec=200.0, tau_facil=50.0,
                                                          weight=0.8, delay=2.0))
    depressing.initialize(u=sim.RandomDistribution("uniform", (0.0, 1.0), rng=rng))
    # each synapse's random stream keyed by its position in the one-process order
    sim.Projection(exc, exc, sim.FixedProbabilityConnector(0.3, rng=rng),
                   sim.SimpleStochasticSynapse(weight=0.3, delay=2.0, p=0.5))
    sim.Projection(times, lone, sim.AllToAllConnector(),
                   sim.StaticSynapse(weight=3.0, delay=2.0))
    sim.Projection(exc, lone, sim.FixedProbabilityConnector(0.5, rng=rng),
                   sim.StaticSynapse(weight=0.2, delay=5.0))
    for pop in (exc, inh, lone, times, folded):
        pop.record("spikes")
    exc.record("v")
    lone.record("v")
    if fail and sim.rank() == 1:
        from pynn_spinnaker2 import simulator
        sim.run(1.0)
        emulation = simulator.state.emulation
        update = emulation._update_neurons

        def failing_update():
            if emulation.tick == 20:
                raise ZeroDivisionError("injected failure in tick 20")
            return update()
        emulation._update_neurons = failing_update
    elif fail:
        sim.run(1.0)
    try:
        sim.run(149.0)
        lone.get_data(clear=True)          # forgets lone's spikes and v so far, on every rank
        sim.run(50.0)                      # a second run continues the first
    except Exception as err:               # noqa: BLE001 (the test reads the message)
        print(f"rank {sim.rank()} raised {type(err).__name__}: {str(err).splitlines()[0]}",
              flush=True)
        sys.exit(3)
    from pynn_spinnaker2 import simulator
    data = {}
    for pop in (exc, inh, lone, times, folded):
        segment = pop.get_data().segments[0]
        for i, train in enumerate(segment.spiketrains):
            data[f"{pop.label}/spikes/{i}"] = np.asarray(train.magnitude)
        for signal in segment.analogsignals:
            data[f"{pop.label}/{signal.name}"] = np.asarray(signal.magnitude)
    data["weights"] = np.asarray(learned.get("weight", format="array"), dtype=np.float64)
    data["weight_list"] = np.asarray(learned.get("weight", format="list"), dtype=np.float64)
    report = sim.get_hardware_report()
    data["report"] = np.frombuffer(str(report).encode(), dtype=np.uint8)
    data["size"] = np.array([sim.num_processes(), sim.rank(), learned.size()])
    # the connections this rank holds (those onto its own neurons), per projection
    data["held"] = np.array([p.size(gather=False) for p in simulator.state.projections])
    models = [p.model for p in sim.get_mapping().programs]
    data["models"] = np.array(sorted(set(models)))
    data["window"] = np.array([simulator.state.emulation.window])
    exc.write_data(str(out / "exc.pkl"))
    np.savez(out / f"rank{sim.rank()}.npz", **data)
    sim.end()


if __name__ == "__main__":
    main(Path(sys.argv[1]), "fail" in sys.argv[2:], "static" in sys.argv[2:])
