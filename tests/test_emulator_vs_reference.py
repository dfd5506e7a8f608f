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
    total = _assert_same_spikes(reference, pops)
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


def _assert_same_spikes(reference, pops) -> int:
    """Emulator spikes of every population equal the reference's; Out: how many there are."""
    total = 0
    for pop in pops:
        index, times = reference.spikes(pop._number)
        expected = sorted(zip(index.tolist(), np.round(times, 9).tolist()))
        got = [(i, round(t, 9)) for i, t in _spikes(pop)]
        assert got == expected, pop.label
        total += len(got)
    return total


def test_folded_poisson_equals_reference_on_the_users_network(sim):
    """A one-to-one Poisson drive is folded onto its targets' PEs; the reference runs the
    network as built (the Poisson population with its projection) and gets the same spikes."""
    sim.setup(timestep=1.0, neurons_per_core=16, rng_seed=77, validate=True)
    rng = sim.NumpyRNG(seed=5)
    drive = sim.Population(40, sim.SpikeSourcePoisson(rate=60.0), label="drive")
    cells = sim.Population(40, sim.IF_curr_exp(tau_m=10.0), label="cells")
    sim.Projection(drive, cells, sim.OneToOneConnector(),
                   sim.StaticSynapse(weight=2.5, delay=2.0), receptor_type="excitatory")
    sim.Projection(cells, cells, sim.FixedProbabilityConnector(0.1, rng=rng),
                   sim.StaticSynapse(weight=-0.5, delay=1.0), receptor_type="inhibitory")
    drive.record("spikes")
    cells.record(["spikes", "v"])
    sim.run(200.0)
    mapped = sim.get_mapping()
    assert [f.population for f in mapped.compiled_network.folded_poisson] == [drive._number]
    assert not mapped.network.folded_poisson
    assert mapped.report.worst_weight_error == 0.0
    reference = simulate(mapped.network, 200)
    assert _assert_same_spikes(reference, (drive, cells)) > 100
    v_emu = np.asarray(cells.get_data().segments[0].analogsignals[0])
    assert np.array_equal(v_emu.astype(np.float32), reference.signal(cells._number, "v"))


def test_delay_extensions_equal_reference_on_the_users_network(sim):
    """Delays above the ring buffer (64 ticks) go through delay-extension PEs; the reference
    runs the user's projections with their full delays and gets the same spikes."""
    sim.setup(timestep=1.0, neurons_per_core=32, rng_seed=3, validate=True)
    rng = sim.NumpyRNG(seed=11)
    source = sim.Population(30, sim.SpikeSourcePoisson(rate=30.0), label="source")
    cells = sim.Population(50, sim.IF_curr_exp(tau_m=12.0), label="cells")
    delay = sim.RandomDistribution("uniform_int", (1, 150), rng=rng)
    sim.Projection(source, cells, sim.FixedProbabilityConnector(0.3, rng=rng),
                   sim.StaticSynapse(weight=1.25, delay=delay), receptor_type="excitatory")
    sim.Projection(cells, cells, sim.FixedProbabilityConnector(0.1, rng=rng),
                   sim.StaticSynapse(weight=0.75, delay=100.0), receptor_type="excitatory")
    source.record("spikes")
    cells.record("spikes")
    sim.run(400.0)
    mapped = sim.get_mapping()
    assert mapped.compiled_network.delay_extensions and not mapped.network.delay_extensions
    assert mapped.report.worst_weight_error == 0.0
    reference = simulate(mapped.network, 400)
    late = reference.spikes(cells._number)[1]
    assert np.any(late > 150.0)          # spikes after the long delays arrived
    assert _assert_same_spikes(reference, (source, cells)) > 100


def test_reference_refuses_the_rewritten_network(sim):
    """Given compiled_network (folded sources, delay extensions) the oracle raises instead of
    silently simulating a network without its folded drive."""
    from pynn_spinnaker2.errors import RewrittenNetworkError
    sim.setup(timestep=1.0, rng_seed=1)
    drive = sim.Population(10, sim.SpikeSourcePoisson(rate=50.0), label="drive")
    cells = sim.Population(10, sim.IF_curr_exp(), label="cells")
    sim.Projection(drive, cells, sim.OneToOneConnector(), sim.StaticSynapse(weight=2.0))
    sim.Projection(cells, cells, sim.AllToAllConnector(), sim.StaticSynapse(delay=90.0))
    mapped = sim.get_mapping()
    with pytest.raises(RewrittenNetworkError, match="1 delay extension.*1 folded Poisson"):
        simulate(mapped.compiled_network, 10)
    with pytest.raises(ValueError, match="MappedNetwork.network"):
        simulate(mapped.compiled_network, 10)
    simulate(mapped.network, 10)          # the user's network runs
