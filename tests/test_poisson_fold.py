"""Poisson folding (mapping/poisson_fold.py): one-to-one Poisson sources drawn on their targets'
PEs give the same spikes as their own PEs, keep their recordings, and are accounted in SRAM and
in the cost model."""

import numpy as np
import pytest

from pynn_spinnaker2.emulator.costs import DEFAULT_COSTS, poisson_inputs, tick_costs
from pynn_spinnaker2.compiled.decode import decode_user_projection
from pynn_spinnaker2.machine import POISSON_INPUT_BYTES as INPUT_BYTES


def _network(sim, fold: bool, duration: float = 150.0, extra_projection: bool = False):
    """Two Poisson drives (excitatory and inhibitory, different delays, the excitatory weight
    the largest onto its receptor) into a recurrent population, one drive also onto a second
    population; the first drive's spikes recorded."""
    sim.setup(timestep=0.1, fold_poisson=fold, hardware_summary=False, validate=True,
              progress_bar=False, neurons_per_core=100)
    post = sim.Population(250, sim.IF_curr_exp(i_offset=0.1), label="post")
    other = sim.Population(250, sim.IF_curr_delta(), label="other")
    exc = sim.Population(250, sim.SpikeSourcePoisson(rate=np.linspace(500, 1500, 250)),
                         label="exc")
    inh = sim.Population(250, sim.SpikeSourcePoisson(rate=600.0, start=20.0), label="inh")
    sim.Projection(exc, post, sim.OneToOneConnector(), sim.StaticSynapse(weight=0.37, delay=0.3))
    sim.Projection(exc, other, sim.OneToOneConnector(), sim.StaticSynapse(weight=2.0, delay=1.0))
    sim.Projection(inh, post, sim.OneToOneConnector(), sim.StaticSynapse(weight=-0.21, delay=2.5),
                   receptor_type="inhibitory")
    sim.Projection(post, post, sim.FixedProbabilityConnector(0.05, rng=sim.NumpyRNG(7)),
                   sim.StaticSynapse(weight=0.05, delay=1.0))
    if extra_projection:   # not one-to-one: inh keeps its own PEs
        sim.Projection(inh, other, sim.FixedProbabilityConnector(0.1, rng=sim.NumpyRNG(8)),
                       sim.StaticSynapse(weight=0.1, delay=1.0))
    for pop in (post, other):
        pop.record(["spikes", "v"])
    exc.record("spikes")
    sim.run(duration)
    return {"mapping": sim.get_mapping(), "pops": (post, other, exc, inh),
            "spikes": [[st.magnitude.copy() for st in p.get_data().segments[0].spiketrains]
                       for p in (post, other, exc)],
            "v": [p.get_data().segments[0].filter(name="v")[0].magnitude.copy()
                  for p in (post, other)]}


def test_folded_sources_give_the_same_spikes_and_membranes_as_their_own_pes(sim):
    folded = _network(sim, True)
    sim.end()
    unfolded = _network(sim, False)
    assert len(folded["mapping"].compiled_network.folded_poisson) == 2
    assert len(unfolded["mapping"].compiled_network.folded_poisson) == 0
    assert folded["mapping"].report.pes_used < unfolded["mapping"].report.pes_used
    for got, want in zip(folded["spikes"], unfolded["spikes"]):
        assert sum(len(s) for s in want) > 100
        assert all(np.array_equal(a, b) for a, b in zip(got, want))
    for got, want in zip(folded["v"], unfolded["v"]):
        assert np.array_equal(got, want)


def test_folded_source_has_no_pes_and_its_targets_count_the_inputs(sim):
    mapped = _network(sim, True, duration=1.0)["mapping"]
    assert mapped.placements_of("exc") == [] and mapped.placements_of("inh") == []
    for prog in mapped.programs:
        label = mapped.compiled_network.populations[int(mapped.partition.pop[prog.slice_id])].label
        n_inputs = len(prog.poisson_inputs.get("target", ()))
        # post neurons get two inputs each (exc and inh), other neurons one
        expected = {"post": 2, "other": 1}[label] * prog.n_neurons
        assert n_inputs == expected
        assert prog.sram["poisson_inputs"] == expected * INPUT_BYTES


def test_a_source_with_a_projection_that_is_not_one_to_one_keeps_its_pes(sim):
    mapped = _network(sim, True, duration=1.0, extra_projection=True)["mapping"]
    assert [f.population for f in mapped.compiled_network.folded_poisson] == [2]   # exc only
    assert len(mapped.placements_of("inh")) > 0


def test_decoded_folded_projection_gives_back_the_user_synapses(sim):
    result = _network(sim, True, duration=1.0)
    mapped = result["mapping"]
    user = mapped.network.projections[2]          # inh -> post
    decoded = decode_user_projection(mapped, user.id)
    assert np.array_equal(decoded[:, 0], np.arange(250)) and np.array_equal(decoded[:, 1],
                                                                            np.arange(250))
    assert np.allclose(decoded[:, 2], -0.21, rtol=1e-4) and np.allclose(decoded[:, 3], 2.5)


def test_cost_model_charges_each_input_every_tick(sim):
    mapped = _network(sim, True, duration=5.0)["mapping"]
    trace = sim.simulator.state.emulation.trace.arrays()
    programs = mapped.programs
    args = (trace, [p.model for p in programs], np.array([p.n_neurons for p in programs]),
            mapped.dt, "high", 10, 1.0, DEFAULT_COSTS)
    with_inputs = tick_costs(*args, poisson_inputs(programs)).neuron_cycles
    without = tick_costs(*args).neuron_cycles
    extra = poisson_inputs(programs) * DEFAULT_COSTS.poisson_input_cycles
    assert extra.min() > 0
    assert np.allclose(with_inputs - without, extra[None, :])


def test_folded_weights_that_lose_precision_warn_naming_the_projection(sim):
    from pynn_spinnaker2.errors import WeightQuantisationWarning
    sim.setup(timestep=1.0, hardware_summary=False)
    cells = sim.Population(4, sim.IF_curr_exp(), label="cells")
    big = sim.Population(4, sim.SpikeSourceArray(spike_times=[5.0]), label="big")
    sim.Projection(big, cells, sim.AllToAllConnector(), sim.StaticSynapse(weight=100.0))
    drive = sim.Population(4, sim.SpikeSourcePoisson(rate=10.0), label="drive")
    sim.Projection(drive, cells, sim.OneToOneConnector(), sim.StaticSynapse(weight=1e-4),
                   label="tiny_drive")
    with pytest.warns(WeightQuantisationWarning, match="'tiny_drive'"):
        mapped = sim.get_mapping()
    assert not any(p.model == "spike_source_poisson" for p in mapped.programs)   # folded


def test_the_fold_records_what_each_target_needs_and_partition_reads_it_from_there(sim):
    from dataclasses import replace
    from pynn_spinnaker2.mapping.partition import partition
    mapped = _network(sim, True, duration=1.0)["mapping"]
    network = mapped.compiled_network
    post, other = (p.id for p in network.populations if p.label in ("post", "other"))
    exc_post, exc_other, inh_post = mapped.network.projections[:3]
    got = network.folded_inputs_of(post)
    # exc and inh each give every post neuron one input; the longest is inh's 2.5 ms at 0.1 ms
    assert (got.inputs_per_neuron, got.max_delay_ticks) == (2, 25)
    assert dict(got.weight_bounds) == pytest.approx({exc_post.synapse_type: 0.37,
                                                     inh_post.synapse_type: 0.21})
    got = network.folded_inputs_of(other)
    assert (got.inputs_per_neuron, got.max_delay_ticks) == (1, 10)
    assert dict(got.weight_bounds) == pytest.approx({exc_other.synapse_type: 2.0})
    assert network.folded_inputs_of(network.populations[-1].id).inputs_per_neuron == 0
    config = sim.simulator.state.config
    # with a record asking for more SRAM per neuron than 100 neurons leave, post gets more PEs
    crowded = replace(network, folded_inputs=tuple(
        replace(f, inputs_per_neuron=2000) if f.population == post else f
        for f in network.folded_inputs))
    before, after = partition(network, config), partition(crowded, config)
    assert len(after.slices_of(post)) > len(before.slices_of(post)) == 3
    assert len(after.slices_of(other)) == len(before.slices_of(other))
