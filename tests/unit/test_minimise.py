"""Ordered-covering minimisation keeps every key that reaches the chip on its route."""

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from pynn_spinnaker2.mapping.minimise import minimise
from pynn_spinnaker2.compiled.router import ROUTE_WIDTH, RouterTable

SLICE_MASK = 0xFFFFFF00


@st.composite
def tables(draw):
    n_slices = draw(st.integers(4, 300))
    reaching = draw(st.lists(st.integers(0, n_slices - 1), min_size=2, unique=True,
                             max_size=n_slices))
    n_default = draw(st.integers(0, len(reaching) // 3))
    n_routes = draw(st.integers(1, 4))
    routes = np.zeros((n_routes, ROUTE_WIDTH), dtype=bool)
    for r in range(n_routes):
        routes[r, draw(st.lists(st.integers(0, ROUTE_WIDTH - 1), min_size=1, max_size=3))] = True
    which = draw(st.lists(st.integers(0, n_routes - 1), min_size=len(reaching),
                          max_size=len(reaching)))
    return (np.array(reaching[n_default:], dtype=np.int64),
            np.array(reaching[:n_default], dtype=np.int64),
            routes[which[n_default:]], draw(st.integers(1, 40)))


@given(tables())
def test_minimised_table_routes_every_reaching_key_as_before(case):
    with_entry, default_routed, routes, capacity = case
    keys = (with_entry << 8).astype(np.uint32)
    table = RouterTable(keys, np.full(len(keys), SLICE_MASK, dtype=np.uint32), routes)
    small = minimise(table, (default_routed << 8).astype(np.int64), capacity)
    assert len(small) <= len(table)
    # every neuron key of every slice that reaches the chip
    probe = (np.concatenate([with_entry, default_routed])[:, None] << 8) + np.array([0, 7, 255])
    probe = probe.ravel().astype(np.uint32)
    before, after = table.lookup(probe), small.lookup(probe)
    assert np.array_equal(before < 0, after < 0)           # default-routed keys stay unmatched
    hit = before >= 0
    assert np.array_equal(table.route[before[hit]], small.route[after[hit]])
    assert np.all(small.mask & 0xFF == 0)                   # entries still cover whole slices


def test_merges_until_it_fits():
    n = 1000
    routes = np.zeros((n, ROUTE_WIDTH), dtype=bool)
    routes[:, 3] = True                      # all to link W...
    routes[::10, 3], routes[::10, 7] = False, True   # ...but every tenth to PE 1
    table = RouterTable((np.arange(n) << 8).astype(np.uint32),
                        np.full(n, SLICE_MASK, dtype=np.uint32), routes)
    small = minimise(table, np.zeros(0, dtype=np.int64), capacity=200)
    assert len(small) <= 200
    probe = (np.arange(n) << 8).astype(np.uint32)
    assert np.array_equal(table.route[table.lookup(probe)], small.route[small.lookup(probe)])


def test_compiled_tables_minimised_to_a_small_capacity_deliver_the_same():
    import pynn_spinnaker2 as sim
    from pynn_spinnaker2.compiled.routing import route_slice_keys, senders
    from pynn_spinnaker2.mapping.router_tables import build_router_tables
    sim.setup(timestep=1.0, neurons_per_core=2, usable_pes_per_chip=8)
    src = sim.Population(300, sim.SpikeSourcePoisson(rate=1.0), label="src")
    dst = sim.Population(40, sim.IF_curr_exp(), label="dst")
    # all sources reach the same targets, so their routes are shared and can be merged
    sim.Projection(src, dst, sim.AllToAllConnector(), sim.StaticSynapse(weight=0.1))
    mapped = sim.get_mapping()
    largest = max(len(t) for t in mapped.tables_by_index.values())
    capacity = largest // 4
    small = build_router_tables(mapped.trees, mapped.keys, mapped.machine, capacity=capacity)
    assert max(len(t) for t in small.values()) <= capacity < largest
    which = senders(mapped.programs)
    before = route_slice_keys(mapped.tables_by_index, mapped.machine, mapped.programs, which)
    after = route_slice_keys(small, mapped.machine, mapped.programs, which)
    assert len(after.dropped_packet) == 0
    assert sorted(zip(before.delivery_packet.tolist(), before.delivery_chip.tolist(),
                      before.delivery_pe.tolist())) == sorted(zip(
                          after.delivery_packet.tolist(), after.delivery_chip.tolist(),
                          after.delivery_pe.tolist()))
    sim.end()
