"""The compiler's invariant checks are explicit (InvariantError), so ``python -O`` keeps them,
and each names the stage whose output broke it."""

import dataclasses
import subprocess
import sys

import numpy as np
import pytest

from pynn_spinnaker2.errors import InvariantError
from pynn_spinnaker2.mapping import validate


def _mapped(sim):
    sim.setup(timestep=1.0, neurons_per_core=4, validate=True)
    a = sim.Population(8, sim.IF_curr_exp(), label="a")
    sim.Projection(a, a, sim.FixedProbabilityConnector(0.5, rng=sim.NumpyRNG(1)),
                   sim.StaticSynapse(weight=0.1))
    return sim.get_mapping()


def test_a_shared_pe_is_reported_for_the_place_stage(sim):
    mapped = _mapped(sim)
    validate.check_all(mapped)                       # holds as compiled
    pl = mapped.placements
    shared = dataclasses.replace(pl, chip=np.zeros_like(pl.chip), pe=np.zeros_like(pl.pe))
    with pytest.raises(InvariantError, match="'place'.*PE shared"):
        validate.check_placement(mapped.partition, shared, mapped.machine)


def test_checks_survive_python_optimise_mode():
    code = ("from pynn_spinnaker2.mapping.validate import _require\n"
            "try:\n    _require(False, 'route', 'x')\nexcept AssertionError:\n    print('raised')")
    out = subprocess.run([sys.executable, "-O", "-c", code], capture_output=True, text=True)
    assert out.stdout.strip() == "raised", out.stderr


CORRUPT_PLACE = """
import dataclasses
import numpy as np
import pynn_spinnaker2 as sim
from pynn_spinnaker2 import mapping
from pynn_spinnaker2.errors import InvariantError

real_place, real_keys, later = mapping.PLACERS["connectivity"], mapping.allocate_keys, []

def corrupt(parts, machine, network):   # every slice on PE 0 of chip 0
    placed = real_place(parts, machine, network)
    return dataclasses.replace(placed, chip=np.zeros_like(placed.chip),
                               pe=np.zeros_like(placed.pe))

mapping.PLACERS["connectivity"] = corrupt
mapping.allocate_keys = lambda parts: later.append("allocate_keys") or real_keys(parts)
sim.setup(timestep=1.0, neurons_per_core=4, validate=True)
a = sim.Population(8, sim.IF_curr_exp(), label="a")
sim.Projection(a, a, sim.AllToAllConnector(), sim.StaticSynapse(weight=0.1))
try:
    sim.get_mapping()
    print("not raised")
except InvariantError as err:
    print("debug", __debug__, "place", "'place'" in str(err), "later", later)
"""


def test_a_corrupted_stage_output_raises_right_after_that_stage_under_python_O():
    """Under ``python -O`` (``assert`` off) a placer that puts every slice on one PE raises
    InvariantError naming 'place', before the next stage (allocate_keys) runs."""
    out = subprocess.run([sys.executable, "-O", "-c", CORRUPT_PLACE], capture_output=True,
                         text=True, timeout=300)
    assert out.stdout.strip() == "debug False place True later []", out.stderr
