"""The compact row-block format: exact DRAM size, round trips through decode, sort digits."""

import numpy as np
import pytest

from pynn_spinnaker2 import formats
from pynn_spinnaker2.mapping.row_blocks import stable_order


def _dram_words_expected(mapped) -> int:
    """Row tables (rows + 1 entries), one word per synapse, 8 per short-term-plastic one."""
    total = 0
    for prog in mapped.programs:
        t = prog.tables
        stdp = t.addr_rule >= 0
        total += int(formats.row_table_words(t.addr_rows, stdp).sum())
    for spec in mapped.compiled_network.projections:
        total += spec.n_synapses * (1 + formats.STP_WORDS * (spec.dynamics == "tsodyks_markram"))
    return total


def test_static_rows_take_four_bytes_per_synapse_plus_the_row_tables(sim):
    sim.setup(timestep=1.0, neurons_per_core=100, validate=True)
    src = sim.Population(300, sim.SpikeSourcePoisson(rate=5.0), label="src")
    cells = sim.Population(300, sim.IF_curr_exp(), label="cells")
    weight = sim.RandomDistribution("uniform", (0.1, 0.5), rng=sim.NumpyRNG(2))
    proj = sim.Projection(src, cells, sim.FixedProbabilityConnector(0.2, rng=sim.NumpyRNG(1)),
                          sim.StaticSynapse(weight=weight, delay=2.0))
    mapped = sim.get_mapping()       # validate=True decodes every synapse back
    n = len(proj)
    blocks = sum(len(p.tables.addr_block) for p in mapped.programs)
    assert blocks == 9                # 3 source slices onto each of 3 target slices
    assert mapped.report.dram_bytes_total == 4 * (n + blocks * 101)
    # the table adds 4 bytes per row of about 0.2 * 100 synapses: 0.2 bytes per synapse
    assert 4.15 < mapped.report.dram_bytes_total / n < 4.25


def test_plastic_blocks_hold_their_state_and_round_trip(sim):
    sim.setup(timestep=1.0, neurons_per_core=64, validate=True)
    src = sim.Population(150, sim.SpikeSourcePoisson(rate=5.0), label="src")
    cells = sim.Population(100, sim.IF_curr_exp(), label="cells")
    rng = sim.NumpyRNG(5)
    sim.Projection(src, cells, sim.FixedProbabilityConnector(0.3, rng=rng),
                   sim.TsodyksMarkramSynapse(weight=0.2, delay=3.0, U=0.4, tau_rec=80.0),
                   label="short-term")
    stdp = sim.STDPMechanism(
        timing_dependence=sim.SpikePairRule(tau_plus=20.0, tau_minus=20.0, A_plus=0.01,
                                            A_minus=0.012),
        weight_dependence=sim.AdditiveWeightDependence(w_min=0.0, w_max=1.0),
        weight=0.5, delay=2.0)
    sim.Projection(src, cells, sim.FixedProbabilityConnector(0.2, rng=rng), stdp,
                   label="stdp")
    sim.Projection(cells, cells, sim.FixedNumberPreConnector(7, rng=rng),
                   sim.StaticSynapse(weight=-0.1, delay=1.0), receptor_type="inhibitory")
    mapped = sim.get_mapping()
    assert mapped.report.dram_bytes_total == 4 * _dram_words_expected(mapped)
    sim.run(20.0)                     # the emulator reads the same rows


def test_views_wide_sources_and_multapses_round_trip(sim):
    sim.setup(timestep=0.5, validate=True)
    wide = sim.Population(70_000, sim.SpikeSourcePoisson(rate=1.0), label="wide")
    cells = sim.Population(40, sim.IF_curr_exp(), label="cells")
    # more source neurons than a 16-bit sort key holds: rows are ordered by (slice, row)
    sim.Projection(wide, cells, sim.FixedProbabilityConnector(0.002, rng=sim.NumpyRNG(3)),
                   sim.StaticSynapse(weight=0.3, delay=1.5))
    # a view whose cells are out of order: the IR's post indices are not sorted
    view = cells[[31, 2, 17, 5, 39]]
    sim.Projection(wide[:50], view, sim.FixedTotalNumberConnector(
        400, with_replacement=True, rng=sim.NumpyRNG(4)),
        sim.StaticSynapse(weight=sim.RandomDistribution("uniform", (0.1, 0.2),
                                                        rng=sim.NumpyRNG(6)),
                          delay=sim.RandomDistribution("uniform_int", (1, 5),
                                                       rng=sim.NumpyRNG(7))))
    mapped = sim.get_mapping()        # every synapse decoded back (validate=True)
    assert mapped.report.dram_bytes_total == 4 * _dram_words_expected(mapped)


@pytest.mark.parametrize("radices", [(7, 300), (300, 70_000), (256, 1, 200, 3)])
def test_stable_order_sorts_like_lexsort(radices):
    rng = np.random.default_rng(0)
    digits = [(rng.integers(0, r, 5000), r) for r in radices]
    order = stable_order(digits)
    expected = np.lexsort([d for d, _ in digits])   # last key most significant, stable
    assert np.array_equal(order, expected)
