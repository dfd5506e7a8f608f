"""The compiled synaptic pass (emulator/scatter.py) against the numpy decode of the DRAM words.

For the same spikes, ``scatter_tick`` must add exactly what ``SynapseFabric.fetch`` decodes from
the generated words (static rows), count exactly what the hardware trace counted from the
decoded synapses, and leave the plastic rows to the numpy path.
"""

import warnings

import numpy as np
import pytest

from pynn_spinnaker2 import simulator
from pynn_spinnaker2.emulator.routes import deliver_packets
from pynn_spinnaker2.emulator.scatter import (DRAM_WORDS, N_COUNTERS, PAYLOAD_RECEIVED,
                                              PAYLOAD_SENT, PLASTIC, RECEIVED, SENT,
                                              SYNAPSES, ScatterTables, _lookup, scatter_tick)
from pynn_spinnaker2.formats import STP_WORDS


def _network(sim):
    """Several PEs (slices of 20), both receptors, delays 1..64 ticks, a plastic projection,
    two chips."""
    sim.setup(timestep=1.0, neurons_per_core=20, usable_pes_per_chip=3, machine="board")
    rng = sim.NumpyRNG(seed=7)
    src = sim.Population(50, sim.SpikeSourcePoisson(rate=10.0), label="src")
    a = sim.Population(60, sim.IF_curr_exp(), label="a")
    b = sim.Population(30, sim.IF_curr_exp(), label="b")
    delays = sim.RandomDistribution("uniform_int", (1, 64), rng=rng)
    sim.Projection(src, a, sim.FixedProbabilityConnector(0.3, rng=rng),
                   sim.StaticSynapse(weight=0.5, delay=delays), label="src->a")
    sim.Projection(a, b, sim.FixedProbabilityConnector(0.4, rng=rng),
                   sim.StaticSynapse(weight=-0.3, delay=1.0), receptor_type="inhibitory",
                   label="a->b")
    sim.Projection(src, b, sim.FixedProbabilityConnector(0.2, rng=rng),
                   sim.TsodyksMarkramSynapse(weight=0.2, delay=2.0, U=0.5, tau_rec=100.0),
                   label="src->b plastic")
    sim.Projection(b, a, sim.AllToAllConnector(),
                   sim.StaticSynapse(weight=sim.RandomDistribution("uniform", (0.1, 1.0),
                                                                   rng=rng), delay=3.0),
                   label="b->a")
    sim.run(1.0)
    return simulator.state.emulation.layout


@pytest.mark.parametrize("tick", [0, 5, 63, 64, 1000])
def test_scatter_kernel_adds_and_counts_what_fetch_decodes(sim, tick):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        em = _network(sim)
    f = em.fabric
    gids = np.arange(0, em.n_neurons, 3, dtype=np.int64)
    spike_counts = 1 + (gids // 3) % 3   # packets with a count payload (2, 3) among them
    n = len(em.programs)

    ring = np.zeros((em.n_slots, len(em.input_scale), em.n_neurons), np.int64)
    counts = np.zeros((N_COUNTERS, n), dtype=np.int32)
    tables = ScatterTables(sends=em.gid_sends, gid_program=em.gid_program, gid_key=em.gid_key,
                           route_offsets=em.routes.offsets, route_targets=em.routes.targets,
                           gid_offset=em.column_offset, **f.scatter_arrays())
    plastic_rows = scatter_tick(gids, spike_counts, tables, ring, tick, STP_WORDS, counts)

    # the numpy path: every row decoded from the DRAM words, weight x the packet's count
    sent = gids[em.gid_sends[gids]]
    program, keys, _ = deliver_packets(em.routes, em.gid_program[sent], em.gid_key[sent])
    arrival_count = np.repeat(spike_counts[em.gid_sends[gids]],
                              np.diff(em.routes.offsets)[em.gid_program[sent]])
    syn = f.fetch(program, keys)
    static = syn.state_address < 0
    expected = np.zeros_like(ring)
    np.add.at(expected, ((tick + syn.delay_ticks[static]) % em.n_slots,
                         syn.synapse_type[static],
                         em.column_offset[syn.program[static]] + syn.index[static]),
              syn.weight[static] * arrival_count[syn.arrival[static]])
    assert static.sum() > 0 and (~static).sum() > 0
    np.testing.assert_array_equal(ring, expected)

    sent = gids[em.gid_sends[gids]]
    plastic_pe = syn.program[~static]
    np.testing.assert_array_equal(counts[SENT],
                                  np.bincount(em.gid_program[sent], minlength=n))
    np.testing.assert_array_equal(counts[RECEIVED], np.bincount(program, minlength=n))
    multi = spike_counts[em.gid_sends[gids]] > 1
    np.testing.assert_array_equal(counts[PAYLOAD_SENT],
                                  np.bincount(em.gid_program[sent[multi]], minlength=n))
    np.testing.assert_array_equal(counts[PAYLOAD_RECEIVED],
                                  np.bincount(program[arrival_count > 1], minlength=n))
    assert counts[PAYLOAD_SENT].sum() > 0
    np.testing.assert_array_equal(counts[SYNAPSES], np.bincount(syn.program, minlength=n))
    np.testing.assert_array_equal(counts[PLASTIC], np.bincount(plastic_pe, minlength=n))
    np.testing.assert_array_equal(
        counts[DRAM_WORDS],
        np.bincount(syn.row_program, weights=syn.row_words, minlength=n)
        + 2 * STP_WORDS * np.bincount(plastic_pe, minlength=n))
    plastic_fetch = f.fetch(program, keys, plastic_only=True)
    assert plastic_rows == len(plastic_fetch.row_program) > 0
    np.testing.assert_array_equal(plastic_fetch.state_address,
                                  syn.state_address[~static])


def test_per_pe_binary_search_finds_the_entry_of_the_global_lookup(sim):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        em = _network(sim)
    f = em.fabric
    rng = np.random.default_rng(0)
    n = len(em.programs)
    # every slice's keys, keys between and beyond them, on every PE
    keys = np.concatenate([em.gid_key, rng.integers(0, 2 ** 32, 300, dtype=np.uint32),
                           np.array([0, 2 ** 32 - 1], dtype=np.uint32)])
    program = np.repeat(np.arange(n), len(keys))
    keys = np.tile(keys, n)
    expected = f.lookup(program, keys)
    got = np.array([_lookup(f.entry_offsets, f.entry_low, f.entry_mask, int(p), int(k))
                    for p, k in zip(program, keys)])
    assert (expected >= 0).sum() > 0 and (expected < 0).sum() > 0
    np.testing.assert_array_equal(got, expected)
