"""Stage pe_programs (build_programs), reached through compile_network on a hand-made network
with validate on, and validate.check_programs on the assembled MappedNetwork.

Network: a spike array s (2 neurons, spikes at 1, 2.5 and 3 ms) -> a (5 neurons at 2 per core:
3 equal slices, linspace(0, 5, 4) rounded: [0, 2), [2, 3), [3, 5)) onto neurons 0, 1; a -> b
(1 neuron) all-to-all with 4 ms delays; b sends nowhere. Slices 0..4: s, a, a, a, b.
"""

import dataclasses

import numpy as np
import pytest

from factories import all_to_all, config, lif, network, projection, spike_array
from pynn_spinnaker2 import machine as hw
from pynn_spinnaker2.errors import InvariantError
from pynn_spinnaker2.mapping import compile_network
from pynn_spinnaker2.mapping.validate import CHECKS


def _mapped(**kwargs):
    net = network([spike_array(0, [[1.0, 2.5], [3.0]], label="s"),
                   lif(1, 5, label="a", neurons_per_core=2, record=("spikes", "v")),
                   lif(2, 1, label="b")],
                  [projection(0, 0, 1, [(0, 0), (1, 1)], weight=1.5),
                   projection(1, 1, 2, all_to_all(5, 1), weight=0.25, delay=4.0)])
    return compile_network(net, config(machine="chip", **kwargs))


def test_one_program_per_slice_with_its_neurons_key_and_ring():
    mapped = _mapped()
    CHECKS["pe_programs"](mapped)
    progs = mapped.programs
    assert [(p.model, p.n_neurons) for p in progs] == [
        ("spike_source_array", 2), ("if_curr_exp", 2), ("if_curr_exp", 1),
        ("if_curr_exp", 2), ("if_curr_exp", 1)]
    assert [p.key for p in progs] == [s << hw.KEY_NEURON_BITS for s in range(5)]
    assert len({(p.chip, p.pe) for p in progs}) == 5
    # only b sends nothing; a's ring holds 1-tick delays, b's 4 ticks
    assert [p.sends_packets for p in progs] == [True, True, True, True, False]
    assert [p.ring_buffer_slots for p in progs[1:]] == [1, 1, 1, 4]
    # a's neurons 0..4 recorded, split over its slices
    assert [p.recorded["v"].tolist() for p in progs[1:4]] == [[True] * 2, [True], [True] * 2]
    # spike at t is sent in tick ceil(t / dt) - 1
    np.testing.assert_array_equal(progs[0].source_offsets, [0, 2, 3])
    np.testing.assert_array_equal(progs[0].source_ticks, [0, 2, 2])


def test_check_programs_catches_a_pe_over_its_sram():
    mapped = _mapped()
    bloated = dataclasses.replace(mapped.programs[1],
                                  sram={"system": hw.DATA_SRAM_BYTES_PER_PE + 1})
    broken = dataclasses.replace(mapped, programs=(mapped.programs[0], bloated,
                                                   *mapped.programs[2:]))
    with pytest.raises(InvariantError, match="'pe_programs'.*over SRAM"):
        CHECKS["pe_programs"](broken)


def test_check_programs_catches_a_changed_synapse_weight():
    """Halve the weight field of every synapse word in the chip's DRAM (row-table offsets are
    below 2**16, so their weight field is 0 and they stay): the decoded weights differ."""
    mapped = _mapped()
    words = mapped.dram[0]
    weights = words >> np.uint32(16)
    image = np.where(weights > 1, (weights // 2 << np.uint32(16)) | (words & np.uint32(0xFFFF)),
                     words).astype(np.uint32)
    assert (image != words).sum() == 7       # the 2 + 5 synapse words
    with pytest.raises(InvariantError, match="'pe_programs'"):
        CHECKS["pe_programs"](dataclasses.replace(mapped, dram={0: image}))
