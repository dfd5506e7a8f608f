"""sPyNNaker's extra models (``pyNN.spiNNaker.extra_models``) on SpiNNaker2.

Scripts written for sPyNNaker use ``p.extra_models.<Name>``; the names below keep sPyNNaker's
spelling. Each section is filled by its own module.
"""

# --- neuron models ---------------------------------------------------------------------------
from .neurons import *  # noqa: F401,F403  (IF_curr_dual_exp, IFCurDelta, Izhikevich_cond, ...)


# --- STDP timing and weight rules, neuromodulation ---------------------------------------------


# --- structural plasticity -----------------------------------------------------------------------


# --- other sPyNNaker names ------------------------------------------------------------------------
from ..spinnaker1.connectors import AllButMeConnector  # noqa: E402,F401
