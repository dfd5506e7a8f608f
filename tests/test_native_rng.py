"""sim.NativeRNG: reproducible counter-based draws with the right distributions, usable wherever
PyNN takes an rng."""

import numpy as np
import pytest
from pyNN.random import RandomDistribution as RD
from scipy import stats

N = 200_000

CONTINUOUS = [
    ("uniform", (-2.0, 3.0), stats.uniform(-2.0, 5.0)),
    ("normal", (1.0, 2.0), stats.norm(1.0, 2.0)),
    ("normal_clipped", (0.0, 1.0, -0.5, 1.0), stats.truncnorm(-0.5, 1.0)),
    ("exponential", (2.5,), stats.expon(scale=2.5)),
    ("gamma", (2.5, 3.0), stats.gamma(2.5, scale=3.0)),
    ("lognormal", (0.3, 0.5), stats.lognorm(0.5, scale=np.exp(0.3))),
]
DISCRETE = [
    ("poisson", (4.0,), stats.poisson(4.0)),
    ("binomial", (10, 0.3), stats.binom(10, 0.3)),
    ("uniform_int", (2, 9), stats.randint(2, 9)),
]


@pytest.mark.parametrize("name,params,law", CONTINUOUS, ids=[c[0] for c in CONTINUOUS])
def test_continuous_distributions_pass_a_ks_test(sim, name, params, law):
    x = RD(name, params, rng=sim.NativeRNG(seed=11)).next(N)
    assert stats.kstest(x, law.cdf).pvalue > 1e-3
    assert abs(x.mean() - law.mean()) < 5 * law.std() / np.sqrt(N)


@pytest.mark.parametrize("name,params,law", DISCRETE, ids=[c[0] for c in DISCRETE])
def test_discrete_distributions_have_the_right_frequencies(sim, name, params, law):
    x = RD(name, params, rng=sim.NativeRNG(seed=12)).next(N)
    assert np.issubdtype(x.dtype, np.integer)
    values, counts = np.unique(x, return_counts=True)
    expected = law.pmf(values) * N
    assert np.all(law.pmf(values) > 0)
    keep = expected > 20
    chi2 = np.sum((counts[keep] - expected[keep]) ** 2 / expected[keep])
    assert stats.chi2.sf(chi2, keep.sum() - 1) > 1e-3


def test_clipped_to_boundary_piles_up_at_the_bounds(sim):
    x = RD("normal_clipped_to_boundary", (0.0, 1.0, -1.0, 0.5),
           rng=sim.NativeRNG(seed=3)).next(N)
    assert x.min() == -1.0 and x.max() == 0.5
    assert abs(np.mean(x == 0.5) - stats.norm.sf(0.5)) < 0.005


def test_same_seed_same_values_different_seed_different(sim):
    def draws(seed):
        rng = sim.NativeRNG(seed=seed)
        return [RD("normal", (0.0, 1.0), rng=rng).next(1000),
                RD("uniform", (0.0, 1.0), rng=rng).next(10)]
    a, b, c = draws(5), draws(5), draws(6)
    assert all(np.array_equal(x, y) for x, y in zip(a, b))
    assert not np.array_equal(a[0], c[0])
    assert not np.array_equal(a[0][:10], a[1])             # each request draws afresh
    # no seed: the simulation's rng_seed
    sim.setup(rng_seed=42)
    d = RD("normal", (0.0, 1.0), rng=sim.NativeRNG()).next(1000)
    sim.setup(rng_seed=42)
    assert np.array_equal(d, RD("normal", (0.0, 1.0), rng=sim.NativeRNG()).next(1000))
    sim.setup(rng_seed=43)
    assert not np.array_equal(d, RD("normal", (0.0, 1.0), rng=sim.NativeRNG()).next(1000))


def test_other_distributions_are_refused_by_name(sim):
    from pynn_spinnaker2.errors import NotSupportedError
    with pytest.raises(NotSupportedError, match=r"NativeRNG\(seed=1\).*'vonmises'.*NumpyRNG"):
        RD("vonmises", (0.0, 1.0), rng=sim.NativeRNG(seed=1)).next(5)


def _network(sim, neurons_per_core, seed=7):
    sim.setup(timestep=0.1, neurons_per_core=neurons_per_core)
    pre = sim.Population(60, sim.IF_curr_exp(
        tau_m=RD("normal_clipped", (20.0, 3.0, 10.0, 30.0), rng=sim.NativeRNG(seed=seed)),
        i_offset=RD("uniform", (0.5, 1.5), rng=sim.NativeRNG(seed=seed + 1))))
    pre.initialize(v=RD("uniform", (-65.0, -55.0), rng=sim.NativeRNG(seed=seed + 2)))
    post = sim.Population(40, sim.IF_curr_exp())
    rng = sim.NativeRNG(seed=seed + 3)
    proj = sim.Projection(pre, post, sim.FixedProbabilityConnector(0.3, rng=rng),
                          sim.StaticSynapse(weight=RD("gamma", (2.0, 0.1), rng=rng),
                                            delay=RD("uniform_int", (1, 6), rng=rng)))
    pre.record("spikes")
    post.record("v")
    sim.run(30.0)
    out = (pre.get("tau_m"), pre.get("i_offset"), proj.get(["weight", "delay"], format="list"),
           pre.get_data().segments[0].spiketrains, np.asarray(post.get_data().segments[0]
                                                           .filter(name="v")[0]))
    sim.end()
    return out


def test_parameters_and_connector_use_it_and_do_not_depend_on_the_mapping(sim):
    a, b = _network(sim, 7), _network(sim, 256)
    tau_m, i_offset, connections, trains, v = a
    assert 10.0 <= tau_m.min() and tau_m.max() <= 30.0 and np.std(tau_m) > 1.0
    assert 0.5 <= i_offset.min() and i_offset.max() < 1.5
    assert 0.2 < len(connections) / (60 * 40) < 0.4
    delays = np.array([c[3] for c in connections])
    assert set(np.unique(delays)) == {1.0, 2.0, 3.0, 4.0, 5.0}
    assert np.all(np.array([c[2] for c in connections]) > 0)
    assert np.array_equal(tau_m, b[0]) and np.array_equal(i_offset, b[1])
    assert connections == b[2]
    assert sum(len(t) for t in trains) > 0
    assert [list(t.times) for t in trains] == [list(t.times) for t in b[3]]
    assert np.array_equal(v, b[4])
    c = _network(sim, 7, seed=8)
    assert not np.array_equal(tau_m, c[0]) and connections != c[2]


def test_sample_and_permutation(sim):
    sim.setup(timestep=0.1)
    pop = sim.Population(50, sim.IF_curr_exp())
    picked = pop.sample(10, rng=sim.NativeRNG(seed=1))
    assert len(set(picked.all_cells)) == 10
    assert np.array_equal(sorted(sim.NativeRNG(seed=2).permutation(20)), np.arange(20))


@pytest.mark.parametrize("make", [
    lambda sim, rng: sim.FixedNumberPreConnector(5, rng=rng),
    lambda sim, rng: sim.FixedNumberPostConnector(
        RD("uniform_int", (2, 6), rng=sim.NativeRNG(seed=9)), rng=rng),
    lambda sim, rng: sim.FixedTotalNumberConnector(200, rng=rng),
    lambda sim, rng: sim.FixedTotalNumberConnector(200, with_replacement=False, rng=rng),
    lambda sim, rng: sim.DistanceDependentProbabilityConnector("exp(-d / 5)", rng=rng),
    lambda sim, rng: sim.FixedProbabilityConnector(0.2, allow_self_connections=False, rng=rng),
], ids=["fixed_pre", "fixed_post_random_n", "total", "total_no_replacement", "distance",
        "probability"])
def test_connectors_draw_the_same_connections_for_the_same_seed(sim, make):
    def build(seed):
        sim.setup(timestep=0.1)
        pop = sim.Population(30, sim.IF_curr_exp())
        proj = sim.Projection(pop, pop, make(sim, sim.NativeRNG(seed=seed)),
                              sim.StaticSynapse(weight=0.1, delay=1.0))
        out = sorted(proj.get("weight", format="list"))
        sim.end()
        return out
    first = build(1)
    assert len(first) > 0
    assert first == build(1)
    assert first != build(2)
