"""Every PyNN connector, built with array code: structure checked against its definition."""

import numpy as np
from pyNN.connectors import IndexBasedExpression
from pyNN.space import Grid2D

W = dict(weight=0.5, delay=1.0)


def _net(sim, n_pre=30, n_post=20, **pop):
    sim.setup(timestep=1.0)
    pre = sim.Population(n_pre, sim.SpikeSourcePoisson(rate=5.0), label="pre", **pop)
    post = sim.Population(n_post, sim.IF_curr_exp(), label="post", **pop)
    return pre, post


def _pairs(proj):
    return {(int(i), int(j)) for i, j in zip(proj._pre, proj._post)}


def test_all_to_all_and_self_connections(sim):
    pre, post = _net(sim)
    assert len(sim.Projection(pre, post, sim.AllToAllConnector(), sim.StaticSynapse(**W))) == 600
    rec = sim.Projection(post, post, sim.AllToAllConnector(allow_self_connections=False),
                         sim.StaticSynapse(**W))
    assert len(rec) == 20 * 19 and all(i != j for i, j in _pairs(rec))
    no_mutual = sim.Projection(post, post, sim.FixedProbabilityConnector(
        1.0, allow_self_connections="NoMutual"), sim.StaticSynapse(**W))
    assert _pairs(no_mutual) == {(i, j) for i in range(20) for j in range(20) if i > j}


def test_fixed_number_pre_and_post(sim):
    pre, post = _net(sim)
    rng = sim.NumpyRNG(seed=5)
    fnpre = sim.Projection(pre, post, sim.FixedNumberPreConnector(7, rng=rng),
                           sim.StaticSynapse(**W))
    counts = np.bincount(fnpre._post, minlength=20)
    assert np.all(counts == 7)
    assert len(_pairs(fnpre)) == len(fnpre)          # without replacement: no duplicates
    fnpost = sim.Projection(pre, post, sim.FixedNumberPostConnector(4, rng=rng),
                            sim.StaticSynapse(**W))
    assert np.all(np.bincount(fnpost._pre, minlength=30) == 4)
    dup = sim.Projection(pre, post, sim.FixedNumberPreConnector(40, with_replacement=True,
                                                               rng=rng), sim.StaticSynapse(**W))
    assert np.all(np.bincount(dup._post, minlength=20) == 40)
    rec = sim.Projection(post, post, sim.FixedNumberPreConnector(
        19, allow_self_connections=False, rng=rng), sim.StaticSynapse(**W))
    assert _pairs(rec) == {(i, j) for i in range(20) for j in range(20) if i != j}


def test_fixed_total_number(sim):
    pre, post = _net(sim)
    rng = sim.NumpyRNG(seed=6)
    proj = sim.Projection(pre, post, sim.FixedTotalNumberConnector(123, rng=rng),
                          sim.StaticSynapse(**W))
    assert len(proj) == 123
    distinct = sim.Projection(pre, post, sim.FixedTotalNumberConnector(
        500, with_replacement=False, rng=rng), sim.StaticSynapse(**W))
    assert len(_pairs(distinct)) == 500


def test_fixed_probability_statistics(sim):
    pre, post = _net(sim, 400, 300)
    proj = sim.Projection(pre, post, sim.FixedProbabilityConnector(0.1, rng=sim.NumpyRNG(1)),
                          sim.StaticSynapse(**W))
    assert abs(len(proj) - 12_000) < 4 * np.sqrt(12_000 * 0.9)


def test_distance_dependent_on_a_grid_is_exact(sim):
    sim.setup(timestep=1.0)
    grid = Grid2D(aspect_ratio=1.0, dx=1.0, dy=1.0)
    pre = sim.Population(25, sim.SpikeSourcePoisson(rate=5.0), structure=grid)
    post = sim.Population(25, sim.IF_curr_exp(), structure=grid)
    proj = sim.Projection(pre, post, sim.DistanceDependentProbabilityConnector("d < 1.5"),
                          sim.StaticSynapse(weight="0.1 + 0.2 * d", delay=1.0))
    p, q = pre.positions.T, post.positions.T
    d = np.sqrt(((p[:, None, :] - q[None, :, :]) ** 2).sum(axis=2))
    assert _pairs(proj) == {(int(i), int(j)) for i, j in zip(*np.nonzero(d < 1.5))}
    expected_w = 0.1 + 0.2 * d[proj._pre, proj._post]
    assert np.allclose(proj._weight, expected_w)


def test_index_based_and_displacement(sim):
    pre, post = _net(sim, 10, 10)

    class Diagonal(IndexBasedExpression):
        def __call__(self, i, j):
            return (i == j).astype(float)

    proj = sim.Projection(pre, post, sim.IndexBasedProbabilityConnector(Diagonal()),
                          sim.StaticSynapse(**W))
    assert _pairs(proj) == {(i, i) for i in range(10)}
    disp = sim.Projection(pre, post, sim.DisplacementDependentProbabilityConnector(
        lambda d: (np.abs(d[0]) < 0.5).astype(float)), sim.StaticSynapse(**W))
    assert _pairs(disp) == {(i, i) for i in range(10)}   # default line: x = index


def test_array_list_file_and_clone(sim, tmp_path):
    pre, post = _net(sim, 4, 3)
    mask = np.zeros((4, 3), dtype=bool)
    mask[[0, 1, 3], [2, 0, 1]] = True
    arr = sim.Projection(pre, post, sim.ArrayConnector(mask), sim.StaticSynapse(**W))
    assert _pairs(arr) == {(0, 2), (1, 0), (3, 1)}
    conns = [(0, 0, 0.25, 2.0), (3, 2, 0.75, 3.0)]
    lst = sim.Projection(pre, post, sim.FromListConnector(conns, column_names=["weight",
                                                                              "delay"]))
    assert sorted(lst.get(["weight", "delay"], format="list")) == sorted(conns)
    lst.save("all", str(tmp_path / "conns.txt"), format="list")
    again = sim.Projection(pre, post, sim.FromFileConnector(str(tmp_path / "conns.txt")))
    assert sorted(again.get(["weight", "delay"], format="list")) == sorted(conns)
    clone = sim.Projection(pre, post, sim.CloneConnector(arr), sim.StaticSynapse(weight=0.1))
    assert _pairs(clone) == _pairs(arr)


def test_small_world_without_rewiring_is_the_distance_rule(sim):
    pre, post = _net(sim, 15, 15)
    proj = sim.Projection(pre, post, sim.SmallWorldConnector(degree=2.5, rewiring=0.0,
                                                             rng=sim.NumpyRNG(2)),
                          sim.StaticSynapse(**W))
    assert _pairs(proj) == {(i, j) for i in range(15) for j in range(15) if abs(i - j) < 2.5}


def test_one_cell_target_and_views_and_assemblies(sim):
    pre, post = _net(sim, 10, 1)
    for connector in (sim.FixedProbabilityConnector(0.5, rng=sim.NumpyRNG(3)),
                      sim.FixedNumberPreConnector(3), sim.AllToAllConnector(),
                      sim.DistanceDependentProbabilityConnector("d < 5")):
        proj = sim.Projection(pre, post, connector, sim.StaticSynapse(**W))
        assert len(proj) > 0 and set(proj._post.tolist()) == {0}
    other = sim.Population(5, sim.IF_curr_exp())
    # an Assembly's receptor types come from a set in PyNN: name the receptor
    proj = sim.Projection(pre[2:6], post + other, sim.AllToAllConnector(),
                          sim.StaticSynapse(**W), receptor_type="excitatory")
    assert len(proj) == 4 * 6
    decoded = sim.get_mapping().decode_projection(proj)
    assert decoded.shape == (24, 4)


def test_random_weights(sim):
    pre, post = _net(sim)
    dist = sim.RandomDistribution("uniform", (0.1, 0.2), rng=sim.NumpyRNG(9))
    proj = sim.Projection(pre, post, sim.AllToAllConnector(), sim.StaticSynapse(weight=dist,
                                                                                delay=1.0))
    assert 0.1 <= proj._weight.min() and proj._weight.max() <= 0.2
    assert len(np.unique(proj._weight)) > 500


def test_projection_set_between_runs_changes_the_tables(sim):
    pre, post = _net(sim, 6, 4)
    proj = sim.Projection(pre, post, sim.AllToAllConnector(), sim.StaticSynapse(**W))
    post.record("v")
    sim.run(5.0)
    proj.set(weight=0.25)
    matrix = np.arange(24, dtype=float).reshape(6, 4) / 100 + 1.0
    proj.set(delay=np.round(matrix))          # 1 or 2 ms, per (pre, post)
    sim.run(5.0)
    got = sim.get_mapping().decode_projection(proj)
    assert np.allclose(got[:, 2], 0.25)
    expected_delay = np.round(matrix)[got[:, 0].astype(int), got[:, 1].astype(int)]
    assert np.allclose(got[:, 3], expected_delay)
    assert np.allclose(proj.get("weight", format="array"), 0.25)
    rd = sim.RandomDistribution("uniform", (0.5, 1.0), rng=sim.NumpyRNG(4))
    proj.set(weight=rd)
    assert len(np.unique(proj._weight)) == 24 and proj._weight.min() >= 0.5
