"""Structural plasticity (sPyNNaker's synaptogenesis) against the published rule."""

import numpy as np
import pytest

from pynn_spinnaker2 import extra_models as em
from pynn_spinnaker2.errors import InvalidParameterValueError, NotSupportedError


def _reference_probability(pre, post, grid, peak, sigma):
    """p_form * exp(-d2 / (2 sigma^2)) on the periodic grid, 16-bit as the PE holds it;
    neuron i at (i // gx, i % gy), each coordinate's difference the shorter way round."""
    gx, gy = grid
    dx = abs(pre // gx - post // gx)
    dy = abs(pre % gy - post % gy)
    dx, dy = min(dx, gx - dx), min(dy, gy - dy)
    value = int(np.floor(peak * np.exp(-(dx * dx + dy * dy) / (2 * sigma ** 2)) * 65535))
    return value if value > 0 else -1          # the PE's table holds no zeros: never forms


def test_formation_table_is_the_published_rule():
    rule = em.DistanceDependentFormation(grid=(7, 7), p_form_forward=0.6, sigma_form_forward=1.5,
                                         p_form_lateral=0.3, sigma_form_lateral=0.5)
    pre, post = np.meshgrid(np.arange(49), np.arange(49), indexing="ij")
    for lateral, peak, sigma in ((False, 0.6, 1.5), (True, 0.3, 0.5)):
        got = rule.probability16(pre.ravel(), post.ravel(), lateral)
        want = [_reference_probability(a, b, (7, 7), peak, sigma)
                for a, b in zip(pre.ravel(), post.ravel())]
        assert got.tolist() == want
    assert -1 in want and len(set(want)) > 4

def _rewired(sim, mechanism, n=25, connector=None, run_ms=200.0, neurons_per_core=None,
             weights=None):
    sim.setup(timestep=1.0, rng_seed=17,
              **({"neurons_per_core": neurons_per_core} if neurons_per_core else {}))
    pre = sim.Population(n, sim.SpikeSourcePoisson(rate=20.0), label="pre")
    post = sim.Population(n, sim.IF_curr_exp(), label="post")
    post.record("spikes")
    projection = sim.Projection(pre, post, connector or sim.FixedProbabilityConnector(0.0),
                                mechanism)
    if weights is not None:
        projection.set(weight=weights)
    sim.run(run_ms)
    return projection, post


def test_formed_synapses_follow_the_distance_rule(sim):
    """Among formed synapses, the share at each squared distance matches
    n_pairs(d2) * p(d2) (chi-square, p = 1e-4): the slots' fill does not depend on distance."""
    grid, peak, sigma = (5, 5), 0.9, 1.2
    mechanism = em.StructuralMechanismStatic(
        em.RandomSelection(), em.DistanceDependentFormation(grid=grid, p_form_forward=peak,
                                                            sigma_form_forward=sigma),
        em.RandomByWeightElimination(threshold=0.0, prob_elim_depressed=0.0,
                                     prob_elim_potentiated=0.0),
        f_rew=2e4, initial_weight=0.01, s_max=64)
    projection, _ = _rewired(sim, mechanism, run_ms=300.0)
    pre, post = np.array(projection.get(["weight"], format="list"))[:, :2].T.astype(int)
    assert len(pre) > 1000
    d2 = lambda a, b: (min(abs(a // 5 - b // 5), 5 - abs(a // 5 - b // 5)) ** 2  # noqa: E731
                       + min(abs(a % 5 - b % 5), 5 - abs(a % 5 - b % 5)) ** 2)
    classes = sorted({d2(a, b) for a in range(25) for b in range(25)})
    pairs = np.array([sum(d2(a, b) == c for a in range(25) for b in range(25)) for c in classes])
    p = np.array([_reference_probability(0, c_pre, grid, peak, sigma) for c_pre in
                  [next(b for b in range(25) if d2(0, b) == c) for c in classes]]) / 65535
    expected = pairs * p / np.sum(pairs * p) * len(pre)
    observed = np.array([sum(d2(a, b) == c for a, b in zip(pre, post)) for c in classes])
    chi2 = float(np.sum((observed - expected) ** 2 / expected))
    assert chi2 < 30.0, (observed, expected.round(1))      # 6 classes: p(chi2 > 30) < 1e-4
    assert observed[-1] < observed[0]


def test_elimination_probability_depends_on_the_weight(sim):
    """Synapses below the threshold are removed with prob_elim_depressed per attempt that
    picks their slot, the others with prob_elim_potentiated: survival after A attempts is
    (1 - p / (n_post * s_max)) ** A for each (5 sigma)."""
    n, s_max, f_rew, run_ms = 20, 20, 1e4, 500.0
    mechanism = em.StructuralMechanismStatic(
        em.RandomSelection(), em.DistanceDependentFormation(grid=(4, 5), p_form_forward=0.0),
        em.RandomByWeightElimination(threshold=0.5, prob_elim_depressed=0.8,
                                     prob_elim_potentiated=0.2),
        f_rew=f_rew, s_max=s_max, weight=0.3)
    weights = np.where(np.arange(n)[:, None] % 2 == 0, 0.3, 0.9) * np.ones((n, n))
    projection, _ = _rewired(sim, mechanism, n=n, connector=sim.AllToAllConnector(),
                             run_ms=run_ms, weights=weights)
    left = np.array(projection.get(["weight"], format="list"))
    attempts = f_rew * run_ms / 1000.0
    for weight, p in ((0.3, 0.8), (0.9, 0.2)):
        survive = (1 - p / (n * s_max)) ** attempts
        count = int(np.sum(np.isclose(left[:, 2], weight)))
        total = n * n // 2
        sd = np.sqrt(total * survive * (1 - survive))
        assert abs(count - total * survive) < 5 * sd, (weight, count, total * survive)


def test_capacity_is_never_exceeded_and_no_pair_repeats_without_replacement(sim):
    mechanism = em.StructuralMechanismStatic(
        em.RandomSelection(), em.DistanceDependentFormation(grid=(6, 6), p_form_forward=1.0,
                                                            sigma_form_forward=50.0),
        em.RandomByWeightElimination(threshold=1.0, prob_elim_depressed=0.05),
        f_rew=5e4, initial_weight=0.2, s_max=5, with_replacement=False)
    projection, _ = _rewired(sim, mechanism, n=36, run_ms=200.0)
    pre, post = np.array(projection.get(["weight"], format="list"))[:, :2].T.astype(int)
    assert np.bincount(post).max() == 5                   # filled up to s_max, never beyond
    assert np.bincount(pre).max() <= 5                    # rows too
    assert len(set(zip(pre, post))) == len(pre)


def test_same_seed_same_rewiring_whatever_neurons_per_core(sim):
    def run(npc):
        mechanism = em.StructuralMechanismStatic(
            em.LastNeuronSelection(), em.DistanceDependentFormation(grid=(6, 6)),
            em.RandomByWeightElimination(threshold=1.0), f_rew=1e4, initial_weight=1.5,
            initial_delay=(1.0, 4.0), s_max=8)
        projection, post = _rewired(sim, mechanism, n=36, neurons_per_core=npc)
        return (projection.get(["weight", "delay"], format="list"),
                [list(s.times) for s in post.get_data().segments[0].spiketrains])
    first = run(None)
    assert len(first[0]) > 20 and any(first[1])
    assert run(7) == first


def test_last_neuron_selection_forms_synapses_only_from_neurons_that_spiked(sim):
    sim.setup(timestep=1.0)
    pre = sim.Population(30, sim.SpikeSourceArray(
        spike_times=[[float(t) for t in range(5, 200, 7)] if i < 4 else [] for i in range(30)]))
    post = sim.Population(30, sim.IF_curr_exp())
    projection = sim.Projection(pre, post, sim.FixedProbabilityConnector(0.0),
                                em.StructuralMechanismStatic(
                                    em.LastNeuronSelection(),
                                    em.DistanceDependentFormation(grid=(1, 30),
                                                                  sigma_form_forward=30.0),
                                    em.RandomByWeightElimination(threshold=0.0),
                                    f_rew=1e4, initial_weight=0.1))
    sim.run(200.0)
    formed = np.array(projection.get(["weight"], format="list"))
    assert len(formed) > 10 and set(formed[:, 0].astype(int)) <= {0, 1, 2, 3}


def _frozen(rule_class, **extra):
    """A mechanism that never rewires (nothing forms, nothing is removed)."""
    return rule_class(em.RandomSelection(),
                      em.DistanceDependentFormation(p_form_forward=0.0, p_form_lateral=0.0),
                      em.RandomByWeightElimination(threshold=0.0, prob_elim_depressed=0.0,
                                                   prob_elim_potentiated=0.0), **extra)


def test_structural_synapses_transmit_as_static_ones(sim):
    spikes = []
    for synapse in (_frozen(em.StructuralMechanismStatic, weight=0.8, delay=3.0),
                    sim.StaticSynapse(weight=0.8, delay=3.0)):
        sim.setup(timestep=0.5, rng_seed=4)
        pre = sim.Population(40, sim.SpikeSourcePoisson(rate=30.0))
        post = sim.Population(40, sim.IF_curr_exp())
        post.record("spikes")
        sim.Projection(pre, post, sim.FixedProbabilityConnector(0.2, rng=sim.NumpyRNG(3)),
                       synapse)
        sim.Projection(pre, sim.Population(1, sim.IF_curr_exp()), sim.AllToAllConnector(),
                       sim.StaticSynapse(weight=0.01))      # the source keeps its own PEs
        sim.run(300.0)
        spikes.append([list(s.times) for s in post.get_data().segments[0].spiketrains])
    assert sum(map(len, spikes[1])) > 20
    assert spikes[0] == spikes[1]


def test_structural_stdp_learns_as_stdp_on_the_pe(sim):
    weights, trains = [], []
    for make in (lambda **k: _frozen(em.StructuralMechanismSTDP, **k), sim.STDPMechanism):
        sim.setup(timestep=1.0, rng_seed=8)
        pre = sim.Population(20, sim.SpikeSourcePoisson(rate=40.0))
        # post-synaptic spikes set by the bias current alone (the plastic input is far too
        # weak to move one), so that both runs pair the same spikes
        post = sim.Population(20, sim.IF_curr_exp(i_offset=np.linspace(2.0, 3.0, 20)))
        post.record("spikes")
        sim.Projection(pre, sim.Population(1, sim.IF_curr_exp()), sim.AllToAllConnector(),
                       sim.StaticSynapse(weight=0.01))
        rule = dict(timing_dependence=sim.SpikePairRule(tau_plus=20.0, tau_minus=20.0,
                                                        A_plus=0.02, A_minus=0.021),
                    weight_dependence=sim.AdditiveWeightDependence(w_min=0.0, w_max=0.02),
                    weight=0.01, delay=2.0)
        projection = sim.Projection(pre, post, sim.AllToAllConnector(), make(**rule))
        sim.run(1000.0)
        weights.append(np.array(projection.get("weight", format="array")))
        trains.append([list(s.times) for s in post.get_data().segments[0].spiketrains])
    assert trains[0] == trains[1]
    assert np.abs(weights[1] - 0.01).max() > 0.002                   # it learned
    # both round to the PE's 16-bit weights after every update (a unit: 0.02 / 2**15)
    assert np.abs(weights[0] - weights[1]).max() < 4 * 0.02 / 2 ** 15


def test_bad_structural_parameters_are_refused():
    with pytest.raises(InvalidParameterValueError, match="probability"):
        em.RandomByWeightElimination(threshold=0.5, prob_elim_depressed=1.5)
    with pytest.raises(InvalidParameterValueError, match="grid"):
        em.DistanceDependentFormation(grid=(0, 4))
    with pytest.raises(InvalidParameterValueError, match="s_max"):
        em.StructuralMechanismStatic(em.RandomSelection(), em.DistanceDependentFormation(),
                                     em.RandomByWeightElimination(0.5), s_max=0)
    with pytest.raises(NotSupportedError, match="formation"):
        em.StructuralMechanismStatic(em.RandomSelection(), em.RandomSelection(),
                                     em.RandomByWeightElimination(0.5))
