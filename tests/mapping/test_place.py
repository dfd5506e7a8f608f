"""Stage place (PLACERS) on hand-made partitions and machines, with validate.check_placement on
the output."""

import numpy as np
import pytest

from factories import all_to_all, lif, network, projection
from pynn_spinnaker2 import machine as hw
from pynn_spinnaker2.compiled.stages import Partition, Placements
from pynn_spinnaker2.errors import InvariantError, MachineTooSmallError
from pynn_spinnaker2.mapping.place import PLACERS
from pynn_spinnaker2.mapping.validate import CHECKS


def _one_slice_each(n_pops: int) -> Partition:
    return Partition(pop=np.arange(n_pops), lo=np.zeros(n_pops, int), hi=np.ones(n_pops, int))


def test_sequential_fills_the_pes_of_chip_0_then_a_neighbour():
    machine = hw.boards(1, usable_pes=2)
    net = network([lif(i, 1) for i in range(5)])
    parts = _one_slice_each(5)
    pl = PLACERS["sequential"](parts, machine, net)
    CHECKS["place"](parts, pl, machine)
    np.testing.assert_array_equal(pl.pe, [0, 1, 0, 1, 0])
    assert pl.chip[0] == pl.chip[1] == 0
    assert pl.chip[2] == pl.chip[3] and pl.chip[2] in machine.neighbours[0]
    assert pl.chip[4] not in (0, pl.chip[2])


def test_connectivity_places_connected_populations_next_to_each_other():
    """a -> c has synapses, b none: the walk goes a, c, b, so c takes PE 1 and b PE 2."""
    machine = hw.single_chip(usable_pes=4)
    net = network([lif(0, 2, "a"), lif(1, 2, "b"), lif(2, 2, "c")],
                  [projection(0, 0, 2, all_to_all(2, 2))])
    parts = _one_slice_each(3)
    pl = PLACERS["connectivity"](parts, machine, net)
    CHECKS["place"](parts, pl, machine)
    np.testing.assert_array_equal(pl.pe, [0, 2, 1])
    np.testing.assert_array_equal(pl.chip, [0, 0, 0])


def test_a_dead_pe_is_skipped():
    machine = hw.with_faults(hw.single_chip(usable_pes=4), dead_pes=((0, 0, 1),))
    parts = _one_slice_each(3)
    pl = PLACERS["sequential"](parts, machine, network([lif(i, 1) for i in range(3)]))
    CHECKS["place"](parts, pl, machine)
    np.testing.assert_array_equal(pl.pe, [0, 2, 3])


def test_too_many_slices_name_the_first_population_that_does_not_fit():
    machine = hw.single_chip(usable_pes=4)
    net = network([lif(i, 1, f"p{i}") for i in range(5)])
    with pytest.raises(MachineTooSmallError, match="'p4'"):
        PLACERS["sequential"](_one_slice_each(5), machine, net)


def test_check_placement_catches_a_shared_pe_and_a_pe_outside_the_chip():
    machine = hw.single_chip(usable_pes=4)
    parts = _one_slice_each(2)
    with pytest.raises(InvariantError, match="'place'.*PE shared"):
        CHECKS["place"](parts, Placements(chip=np.array([0, 0]), pe=np.array([1, 1])), machine)
    with pytest.raises(InvariantError, match="outside the chip's application PEs"):
        CHECKS["place"](parts, Placements(chip=np.array([0, 0]), pe=np.array([0, 4])), machine)
