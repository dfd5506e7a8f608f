"""Property tests over hypothesis-generated networks and machines.

For every network: decode_projection (router tables + synaptic words alone) gives back
Projection.get(["weight", "delay"], format="list") up to quantisation, and every routed key
reaches exactly the PEs that hold targets of its source. Delays go up to 300 ticks, so many
networks get delay extensions (decoded through them, with the user's full delays).
"""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from pynn_spinnaker2 import machine as hw
from pynn_spinnaker2.compiled.routing import route_slice_keys, senders
from pynn_spinnaker2.compiled.decode import by_delay
from pynn_spinnaker2.mapping.route import connected_slice_pairs

# random weights spanning large ratios are quantised with a warning; that is expected here
pytestmark = pytest.mark.filterwarnings(
    "ignore::pynn_spinnaker2.errors.WeightQuantisationWarning")

DT = st.sampled_from([0.1, 1.0])
MAX_TICKS = 300     # beyond the ring buffer's 64: up to 4 delay-extension stages


@st.composite
def networks(draw):
    dt = draw(DT)
    n_pops = draw(st.integers(1, 4))
    sizes = [draw(st.integers(1, 300)) for _ in range(n_pops)]
    projections = []
    for _ in range(draw(st.integers(1, 5))):
        projections.append(dict(
            pre=draw(st.integers(-1, n_pops - 1)),   # -1: the spike source population
            post=draw(st.integers(0, n_pops - 1)),
            connector=draw(st.sampled_from(["all", "one", "prob", "list"])),
            p=draw(st.floats(0.01, 0.5)),
            inhibitory=draw(st.booleans()),
            w_lo=draw(st.floats(0.001, 1.0)), w_span=draw(st.floats(1.0, 50.0)),
            d_ticks=draw(st.integers(1, MAX_TICKS)), d_spread=draw(st.integers(0, 80)),
            seed=draw(st.integers(0, 2 ** 16))))
    usable = draw(st.sampled_from([2, 5, 148]))
    per_core = draw(st.sampled_from([3, 17, 64, 256]))
    setup = dict(timestep=dt, validate=True,
                 placer=draw(st.sampled_from(["connectivity", "sequential"])),
                 neurons_per_core=per_core,
                 usable_pes_per_chip=usable,
                 # a fixed 3-board machine only where every generated network fits it (with
                 # 3 neurons per core, delay extensions can add 500 PEs)
                 boards=None if usable < 5 or per_core < 17 else draw(
                     st.sampled_from([None, 3])))
    return setup, sizes, projections


def _make(sim, setup, sizes, projections):
    sim.setup(**setup)
    dt = setup["timestep"]
    source = sim.Population(50, sim.SpikeSourcePoisson(rate=10.0), label="source")
    pops = [sim.Population(n, sim.IF_curr_exp(), label=f"p{i}") for i, n in enumerate(sizes)]
    made = []
    for k, spec in enumerate(projections):
        pre = source if spec["pre"] < 0 else pops[spec["pre"]]
        post = pops[spec["post"]]
        rng = sim.NumpyRNG(seed=spec["seed"])
        sign = -1.0 if spec["inhibitory"] else 1.0
        bounds = sorted([sign * spec["w_lo"], sign * spec["w_lo"] * spec["w_span"]])
        weight = sim.RandomDistribution("uniform", tuple(bounds), rng=rng)
        lo_ticks = spec["d_ticks"]
        hi_ticks = min(MAX_TICKS, lo_ticks + spec["d_spread"])
        delays = np.arange(lo_ticks, hi_ticks + 1) * dt
        kind = spec["connector"]
        if kind == "one" and pre.size != post.size:
            kind = "prob"
        if kind == "list":
            n = 1 + spec["seed"] % 40
            r = np.random.default_rng(spec["seed"])
            conns = [(int(i), int(j), sign * float(w), float(d)) for i, j, w, d in zip(
                r.integers(0, pre.size, n), r.integers(0, post.size, n),
                r.uniform(spec["w_lo"], spec["w_lo"] * spec["w_span"], n), r.choice(delays, n))]
            connector, synapse = sim.FromListConnector(conns), sim.StaticSynapse()
        else:
            connector = {"all": sim.AllToAllConnector(), "one": sim.OneToOneConnector(),
                         "prob": sim.FixedProbabilityConnector(spec["p"], rng=rng)}[kind]
            synapse = sim.StaticSynapse(
                weight=weight,
                delay=sim.RandomDistribution("uniform", (lo_ticks * dt, hi_ticks * dt), rng=rng)
                if hi_ticks > lo_ticks else lo_ticks * dt)
        proj = sim.Projection(pre, post, connector, synapse, label=f"proj{k}",
                              receptor_type="inhibitory" if spec["inhibitory"] else "excitatory")
        made.append(proj)
    return made


def _compiled(network):
    """Build a generated network and compile it: (backend module, projections, MappedNetwork).

    Random delays are continuous: they are snapped to the grid, as a user would.
    """
    import pynn_spinnaker2 as sim
    setup, sizes, projections = network
    made = _make(sim, setup, sizes, projections)
    for proj in made:
        proj._attributes["delay"] = np.round(proj._delay / setup["timestep"]) * setup["timestep"]
    sim.simulator.state.mark_changed()
    return sim, made, sim.get_mapping()


@given(networks())
def test_decode_projection_equals_projection_get(network):
    sim, made, mapped = _compiled(network)
    largest = {}   # quantisation is shared by every projection onto a (population, receptor)
    for proj in made:
        key = (proj.post.label, proj.receptor_type)
        largest[key] = max([largest.get(key, 0.0)] + np.abs(proj._weight).tolist())
    for proj in made:
        # compared in (pre, post, delay, weight) order: quantisation can make weights equal
        expected = by_delay(proj.get(["weight", "delay"], format="list"))
        decoded = by_delay(mapped.decode_projection(proj))
        assert decoded.shape == expected.shape
        assert np.array_equal(decoded[:, :2], expected[:, :2])
        assert np.allclose(decoded[:, 3], expected[:, 3])
        if len(expected):
            # 16-bit magnitudes with a power-of-two scale per (PE, receptor): half a step is
            # below 2**-15 of the largest weight onto that PE and receptor
            step = largest[(proj.post.label, proj.receptor_type)] * 2.0 ** -15
            assert np.all(np.abs(decoded[:, 2] - expected[:, 2]) <= step + 1e-12)
            assert np.all(np.sign(decoded[:, 2]) == np.sign(expected[:, 2]))
    sim.end()


@given(networks())
def test_every_key_reaches_exactly_its_target_pes(network):
    sim, _, mapped = _compiled(network)
    programs = mapped.programs
    routed = route_slice_keys(mapped.tables_by_index, mapped.machine, programs,
                              senders(programs))
    assert len(routed.dropped_packet) == 0
    pe_id = np.array([p.chip * hw.PES_PER_CHIP + p.pe for p in programs])
    got = sorted(zip(routed.delivery_packet.tolist(),
                     (routed.delivery_chip * hw.PES_PER_CHIP + routed.delivery_pe).tolist()))
    pairs = connected_slice_pairs(mapped.compiled_network, mapped.partition)   # extensions included
    expected = sorted(zip(pairs[:, 0].tolist(), pe_id[pairs[:, 1]].tolist()))
    assert got == expected
    for table in mapped.router_tables.values():
        assert len(table) <= hw.ROUTER_ENTRIES
    sim.end()

