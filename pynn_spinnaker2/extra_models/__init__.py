"""sPyNNaker's extra models (``pyNN.spiNNaker.extra_models``) on SpiNNaker2.

Scripts written for sPyNNaker use ``p.extra_models.<Name>``; the names below keep sPyNNaker's
spelling. Each section is filled by its own module.
"""

# --- neuron models ---------------------------------------------------------------------------


# --- STDP timing and weight rules, neuromodulation ---------------------------------------------


# --- structural plasticity -----------------------------------------------------------------------
from ..structural.mechanisms import (StructuralMechanismSTDP,  # noqa: F401,E402
                                     StructuralMechanismStatic)
from ..structural.rules import (DistanceDependentFormation,  # noqa: F401,E402
                                LastNeuronSelection, RandomByWeightElimination, RandomSelection)


# --- other sPyNNaker names -------------------------------------------------------------------------
