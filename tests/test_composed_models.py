"""Composed neuron models (PyNN's PointNeuron with named receptor types).

* A composed LIF with two CondExp (or CurrExp) receptors is the monolithic IF_cond_exp
  (IF_curr_exp) under another name: same spikes and v, neuron for neuron.
* NEST 3.10 goldens with three receptor types (tests/golden/composed_golden.json, made by
  tests/golden/make_composed_golden.py): spikes within one step, v and every receptor's
  conductance or current close to NEST's.  Measured (all six runs): spike times identical to
  NEST's; max |v - v_NEST| 0.081 mV (adexp_beta3, dt 0.1, on a spike upswing), 0.030 mV
  (adexp_alpha3, dt 0.1), 7e-6 mV (lif_curr3); conductances within 9e-8 uS, currents within
  1.4e-6 nA.
* The emulator against the float reference for a network of several compositions.
* Errors: an unknown receptor_type names the projection and the allowed receptors; more
  receptors than the synapse-type field holds; current and conductance receptors mixed.
"""

import json
from pathlib import Path

import numpy as np
import pytest

from pynn_spinnaker2.emulator.reference import simulate
from pynn_spinnaker2.errors import NotSupportedError, ReceptorTypeError

from goldens import assert_spikes_match, connect_inputs
from goldens import composed_cell_type as cell_type
from goldens import composed_variables as variables

GOLDEN = json.loads((Path(__file__).parent / "golden" / "composed_golden.json").read_text())
SCENARIO_IDS = [f"{s['name']}-dt{s['timestep']}" for s in GOLDEN["scenarios"]]
# a margin over the measured maxima in the module docstring
V_TOLERANCE = {"adexp": 0.25, "lif": 1e-4}
STATE_TOLERANCE = {"gsyn": 1e-6, "isyn": 1e-5}

CELL = dict(tau_m=12.0, cm=0.5, v_rest=-63.0, v_thresh=-52.0, v_reset=-68.0, tau_refrac=2.0,
            i_offset=0.1)


def _drive(sim, targets, seed=7):
    """The same random input trains into every target population: 30 exc and 10 inh sources."""
    rng = np.random.default_rng(seed)
    trains = [np.unique(np.round(np.sort(rng.uniform(1, 300, 40)), 1)) for _ in range(40)]
    source = sim.Population(40, sim.SpikeSourceArray(spike_times=trains), label="inputs")
    conn = rng.random((40, 30)) < 0.3
    exc = [(i, j) for i, j in zip(*np.nonzero(conn[:30]))]
    inh = [(i, j) for i, j in zip(*np.nonzero(conn[30:]))]
    return source, exc, inh


def _spikes(pop):
    return [np.asarray(st.times).tolist() for st in pop.get_data().segments[0].spiketrains]


@pytest.mark.parametrize("family", ["cond", "curr"])
def test_composed_lif_equals_monolithic_model(sim, family):
    sim.setup(timestep=0.1)
    if family == "cond":
        mono = sim.IF_cond_exp(**CELL, tau_syn_E=1.5, tau_syn_I=6.0, e_rev_E=0.0, e_rev_I=-80.0)
        composed = sim.PointNeuron(
            sim.LIF(**CELL), AMPA=sim.CondExpPostSynapticResponse(tau_syn=1.5, e_syn=0.0),
            GABAA=sim.CondExpPostSynapticResponse(tau_syn=6.0, e_syn=-80.0))
        w_exc, w_inh = 0.03125, 0.0625
    else:
        mono = sim.IF_curr_exp(**CELL, tau_syn_E=1.5, tau_syn_I=6.0)
        composed = sim.PointNeuron(
            sim.LIF(**CELL), AMPA=sim.CurrExpPostSynapticResponse(tau_syn=1.5),
            GABAA=sim.CurrExpPostSynapticResponse(tau_syn=6.0))
        w_exc, w_inh = 1.0, -1.0
    pops = [sim.Population(30, mono, label="mono"), sim.Population(30, composed, label="comp")]
    source, exc, inh = _drive(sim, pops)
    for pop, (r_exc, r_inh) in zip(pops, [("excitatory", "inhibitory"), ("AMPA", "GABAA")]):
        sim.Projection(source[:30], pop, sim.FromListConnector(exc),
                       sim.StaticSynapse(weight=w_exc, delay=1.0), receptor_type=r_exc)
        sim.Projection(source[30:], pop, sim.FromListConnector(inh),
                       sim.StaticSynapse(weight=w_inh, delay=2.0), receptor_type=r_inh)
        pop.record(["spikes", "v"])
    sim.run(300.0)
    spikes = [_spikes(p) for p in pops]
    assert sum(len(s) for s in spikes[0]) > 30
    assert spikes[0] == spikes[1]
    v = [np.asarray(p.get_data().segments[0].filter(name="v")[0]) for p in pops]
    assert np.array_equal(v[0], v[1])


def test_izhikevich_component_without_input_equals_monolithic_izhikevich(sim):
    """The Izhikevich membrane of a composed model is izhikevich.py's: with silent receptors
    the two give the same v, u and spikes (and the drive is restored after each tick)."""
    sim.setup(timestep=0.5, hardware_summary=False)
    params = dict(a=0.02, b=0.2, c=-55.0, d=4.0, i_offset=0.01)
    pops = [sim.Population(1, sim.Izhikevich(**params)),
            sim.Population(1, sim.PointNeuron(sim.Izhikevich(**params),
                                              AMPA=sim.ExpPSR(tau_syn=2.0, e_syn=0.0)))]
    for pop in pops:
        pop.record(["spikes", "v", "u"])
    sim.run(200.0)
    segments = [p.get_data().segments[0] for p in pops]
    assert len(segments[0].spiketrains[0]) > 5
    assert np.array_equal(segments[0].spiketrains[0].times, segments[1].spiketrains[0].times)
    for name in ("v", "u"):
        assert np.array_equal(np.asarray(segments[0].filter(name=name)[0]),
                              np.asarray(segments[1].filter(name=name)[0]))


@pytest.fixture(scope="module")
def golden_runs():
    """Each golden scenario run once: {id: (segment, scenario)}."""
    import warnings

    import pynn_spinnaker2 as sim
    out = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        for sid, scenario in zip(SCENARIO_IDS, GOLDEN["scenarios"]):
            sim.setup(timestep=scenario["timestep"], hardware_summary=False)
            cell = sim.Population(1, cell_type(sim, scenario), label="cell")
            connect_inputs(sim, cell, scenario)
            cell.record(["spikes", *variables(scenario)])
            sim.run(scenario["run_ms"])
            out[sid] = cell.get_data().segments[0]
            sim.end()
    return out


@pytest.mark.parametrize("index", range(len(SCENARIO_IDS)), ids=SCENARIO_IDS)
def test_spikes_match_nest_golden(golden_runs, index):
    scenario = GOLDEN["scenarios"][index]
    assert len(scenario["receptors"]) == 3
    assert_spikes_match(golden_runs[SCENARIO_IDS[index]], scenario, exact=False)


@pytest.mark.parametrize("index", range(len(SCENARIO_IDS)), ids=SCENARIO_IDS)
def test_v_and_receptor_states_match_nest_golden(golden_runs, index):
    scenario = GOLDEN["scenarios"][index]
    segment = golden_runs[SCENARIO_IDS[index]]
    for name in variables(scenario):
        got = np.asarray(segment.filter(name=name)[0]).ravel()
        expected = np.asarray(scenario["signals"][name])
        assert got.shape == expected.shape
        tolerance = (V_TOLERANCE["adexp" if scenario["neuron"] == "AdExp" else "lif"]
                     if name == "v" else STATE_TOLERANCE[name.split(".")[1]])
        assert np.max(np.abs(got - expected)) < tolerance, name
        if name != "v":
            assert np.max(np.abs(expected)) > 100 * tolerance, name   # the receptor was driven


def _mixed_network(sim, neurons_per_core):
    sim.setup(timestep=0.5, neurons_per_core=neurons_per_core, rng_seed=5)
    rng = sim.NumpyRNG(seed=11)
    poisson = sim.Population(40, sim.SpikeSourcePoisson(rate=50.0), label="poisson")
    lif4 = sim.PointNeuron(
        sim.LIF(tau_m=15.0, i_offset=0.4),
        AMPA=sim.CondExpPostSynapticResponse(tau_syn=2.0, e_syn=0.0),
        NMDA=sim.CondBetaPostSynapticResponse(tau_rise=2.0, tau_decay=40.0, e_syn=0.0),
        GABAA=sim.CondAlphaPostSynapticResponse(tau_syn=3.0, e_syn=-75.0),
        GABAB=sim.CondBetaPostSynapticResponse(tau_rise=5.0, tau_decay=50.0, e_syn=-90.0))
    adex = sim.PointNeuron(sim.AdExp(tau_m=10.0, v_rest=-60.0, i_offset=1.0, b=0.01),
                           AMPA=sim.AlphaPSR(tau_syn=1.0, e_syn=0.0),
                           GABAA=sim.AlphaPSR(tau_syn=4.0, e_syn=-70.0))
    izh = sim.PointNeuron(sim.Izhikevich(i_offset=0.005),
                          AMPA=sim.CondExpPostSynapticResponse(tau_syn=2.0, e_syn=0.0),
                          GABAA=sim.CondExpPostSynapticResponse(tau_syn=5.0, e_syn=-80.0))
    curr = sim.PointNeuron(sim.LIF(tau_m=10.0, i_offset=0.5),
                           fast=sim.CurrExpPostSynapticResponse(tau_syn=1.0),
                           inhibitory=sim.CurrExpPostSynapticResponse(tau_syn=5.0),
                           slow=sim.CurrExpPostSynapticResponse(tau_syn=20.0))
    pops = [sim.Population(50, lif4, label="lif4"), sim.Population(20, adex, label="adex"),
            sim.Population(20, izh, label="izh"), sim.Population(30, curr, label="curr")]
    prob = sim.FixedProbabilityConnector
    static = sim.StaticSynapse
    for pop, excitatory, inhibitory, scale in [
            (pops[0], ("AMPA", "NMDA"), ("GABAA", "GABAB"), 1.0 / 64),
            (pops[1], ("AMPA",), ("GABAA",), 1.0 / 512),
            (pops[2], ("AMPA",), ("GABAA",), 1.0 / 256),
            (pops[3], ("fast", "slow"), ("inhibitory",), 0.25)]:
        for receptor in excitatory:
            sim.Projection(poisson, pop, prob(0.3, rng=rng), static(weight=scale, delay=1.0),
                           receptor_type=receptor)
        for source in pops:
            for receptor in inhibitory:
                sign = -1 if pop is pops[3] else 1
                sim.Projection(source, pop, prob(0.1, rng=rng),
                               static(weight=sign * 2 * scale, delay=1.5),
                               receptor_type=receptor)
    for pop in pops:
        pop.record("spikes")
    pops[0].record(["v", "NMDA.gsyn"])
    return pops


def test_emulator_equals_reference_for_composed_models(sim):
    pops = _mixed_network(sim, 16)
    sim.run(150.0)
    mapped = sim.get_mapping()
    assert mapped.report.worst_weight_error == 0.0
    reference = simulate(mapped.network, 300)
    for pop in pops:
        index, times = reference.spikes(pop._number)
        expected = sorted(zip(index.tolist(), np.round(times, 9).tolist()))
        got = sorted((int(st.annotations["source_index"]), round(float(t), 9))
                     for st in pop.get_data().segments[0].spiketrains for t in st.times.magnitude)
        assert got == expected, pop.label
        assert len(got) > 20, pop.label    # every composition is active
    segment = pops[0].get_data().segments[0]
    for name in ("v", "NMDA.gsyn"):
        emulated = np.asarray(segment.filter(name=name)[0]).astype(np.float32)
        assert np.array_equal(emulated, reference.signal(pops[0]._number, name)), name


def test_spikes_do_not_depend_on_neurons_per_core(sim):
    runs = []
    for npc in (16, 5):
        pops = _mixed_network(sim, npc)
        sim.run(60.0)
        runs.append([_spikes(p) for p in pops])
    assert runs[0] == runs[1]


def test_unknown_receptor_type_names_projection_and_allowed(sim):
    sim.setup()
    cells = sim.Population(2, sim.PointNeuron(sim.LIF(), AMPA=sim.ExpPSR(), GABAA=sim.ExpPSR()),
                           label="cells")
    source = sim.Population(1, sim.SpikeSourceArray(spike_times=[1.0]), label="src")
    with pytest.raises(ReceptorTypeError) as err:
        sim.Projection(source, cells, sim.AllToAllConnector(), receptor_type="NMDA",
                       label="to_nmda")
    message = str(err.value)
    assert "'to_nmda'" in message and "'NMDA'" in message
    assert "'AMPA', 'GABAA'" in message
    import pyNN.errors
    assert isinstance(err.value, pyNN.errors.ConnectionError)


def test_more_receptors_than_the_synapse_type_field_holds(sim):
    sim.setup()
    psrs = {name: sim.ExpPSR() for name in ("A", "B", "C", "D", "E")}
    with pytest.raises(NotSupportedError, match="at most 4"):
        sim.PointNeuron(sim.LIF(), **psrs)
    del psrs["E"]
    sim.Population(1, sim.PointNeuron(sim.LIF(), **psrs))   # four fit


def test_mixed_current_and_conductance_receptors_refused(sim):
    sim.setup()
    with pytest.raises(NotSupportedError, match="cannot mix"):
        sim.PointNeuron(sim.LIF(), AMPA=sim.ExpPSR(), GABAA=sim.CurrExpPostSynapticResponse())
