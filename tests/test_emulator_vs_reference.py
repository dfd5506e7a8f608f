"""The emulator (running the compiled tables) against the float reference (running the IR).

With weights exactly representable in the PE's fixed-point format the spikes must be identical,
whatever the number of neurons per PE and the machine.
"""

import numpy as np
import pytest

from pynn_spinnaker2.emulator.reference import simulate


def _build(sim, neurons_per_core, machine, timestep=1.0):
    sim.setup(timestep=timestep, neurons_per_core=neurons_per_core, machine=machine,
              rng_seed=1234)
    rng = sim.NumpyRNG(seed=42)
    poisson = sim.Population(60, sim.SpikeSourcePoisson(rate=40.0), label="poisson")
    # 5.2 and 5.6 fall in one tick: one packet with count 2 (weight x 2 on the targets)
    array = sim.Population(5, sim.SpikeSourceArray(spike_times=[[5.0, 5.2, 5.6, 7.0, 30.0]] * 5),
                           label="array")
    exc = sim.Population(120, sim.IF_curr_exp(tau_m=15.0, i_offset=0.25), label="exc")
    inh = sim.Population(40, sim.IF_curr_exp(tau_syn_I=8.0), label="inh")
    exc.initialize(v=sim.RandomDistribution("uniform", (-65.0, -55.0), rng=rng))
    static = sim.StaticSynapse
    sim.Projection(poisson, exc, sim.FixedProbabilityConnector(0.2, rng=rng),
                   static(weight=0.5, delay=1.0 * timestep), receptor_type="excitatory")
    sim.Projection(array, inh, sim.AllToAllConnector(), static(weight=0.25, delay=3.0),
                   receptor_type="excitatory")
    sim.Projection(exc, exc, sim.FixedProbabilityConnector(0.1, rng=rng),
                   static(weight=0.375, delay=2.0), receptor_type="excitatory")
    sim.Projection(exc, inh, sim.FixedProbabilityConnector(0.2, rng=rng),
                   static(weight=0.625, delay=1.0 * timestep), receptor_type="excitatory")
    sim.Projection(inh, exc, sim.FixedProbabilityConnector(0.3, rng=rng),
                   static(weight=-0.75, delay=timestep * 4), receptor_type="inhibitory")
    for pop in (poisson, array, exc, inh):
        pop.record("spikes")
    exc.record("v")
    return poisson, array, exc, inh


def _spikes(pop):
    train_list = pop.get_data().segments[0].spiketrains
    return sorted((int(st.annotations["source_index"]), float(t)) for st in train_list
                  for t in st.times.magnitude)


@pytest.mark.parametrize("neurons_per_core,machine,timestep",
                         [(256, "chip", 1.0), (7, "board", 1.0), (32, "auto", 0.5)])
def test_emulator_spikes_equal_reference(sim, neurons_per_core, machine, timestep):
    pops = _build(sim, neurons_per_core, machine, timestep)
    sim.run(100.0)
    mapped = sim.get_mapping()
    assert mapped.report.worst_weight_error == 0.0
    reference = simulate(mapped.network, int(round(100.0 / timestep)))
    total = 0
    for pop in pops:
        index, times = reference.spikes(pop._number)
        expected = sorted(zip(index.tolist(), np.round(times, 9).tolist()))
        got = [(i, round(t, 9)) for i, t in _spikes(pop)]
        assert got == expected, pop.label
        total += len(got)
    assert total > 100  # the network is active, so the comparison means something
    v_ref = reference.signal(pops[2]._number, "v")
    v_emu = np.asarray(pops[2].get_data().segments[0].analogsignals[0])
    assert np.array_equal(v_emu.astype(np.float32), v_ref)


def test_spikes_do_not_depend_on_neurons_per_core(sim):
    results = []
    for npc in (256, 13):
        pops = _build(sim, npc, "auto")
        sim.run(60.0)
        results.append([_spikes(p) for p in pops])
    assert results[0] == results[1]
    assert sum(len(s) for s in results[0]) > 50


def test_rng_seed_changes_poisson_spikes(sim):
    runs = []
    for seed in (1, 2):
        sim.setup(timestep=1.0, rng_seed=seed)
        p = sim.Population(50, sim.SpikeSourcePoisson(rate=100.0))
        p.record("spikes")
        sim.run(100.0)
        runs.append(_spikes(p))
    assert runs[0] != runs[1]
    rate = len(runs[0]) / 50 / 0.1
    assert 80 < rate < 120
