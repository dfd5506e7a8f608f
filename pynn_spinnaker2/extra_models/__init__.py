"""sPyNNaker's extra models (``pyNN.spiNNaker.extra_models``) on SpiNNaker2.

Scripts written for sPyNNaker use ``p.extra_models.<Name>``; the names below keep sPyNNaker's
spelling. Each section is filled by its own module.
"""

# --- neuron models ---------------------------------------------------------------------------
from .neurons import *  # noqa: F401,F403  (IF_curr_dual_exp, IFCurDelta, Izhikevich_cond, ...)


# --- STDP timing and weight rules, neuromodulation ---------------------------------------------
from .neuromodulation import Neuromodulation  # noqa: E402,F401
from .plasticity import (PfisterSpikeTriplet, RecurrentRule,  # noqa: E402,F401
                         Vogels2011Rule, WeightDependenceAdditiveTriplet)


# --- structural plasticity -----------------------------------------------------------------------
from ..structural.mechanisms import (StructuralMechanismSTDP,  # noqa: F401,E402
                                     StructuralMechanismStatic)
from ..structural.rules import (DistanceDependentFormation,  # noqa: F401,E402
                                LastNeuronSelection, RandomByWeightElimination, RandomSelection)


# --- other sPyNNaker names ------------------------------------------------------------------------
from ..spinnaker1.connectors import AllButMeConnector  # noqa: E402,F401
