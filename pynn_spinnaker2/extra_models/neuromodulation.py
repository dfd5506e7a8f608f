"""sPyNNaker's ``extra_models.Neuromodulation``: the synapse type of the projections that carry
reward and punishment (dopamine) to a population whose STDP is then neuromodulated.

``Projection(dopaminergic, post, connector, synapse_type=Neuromodulation(weight=0.05,
tau_c=1000.0, tau_d=200.0, w_min=0.0, w_max=1.0), receptor_type="reward")`` (or
``"punishment"``): each spike of a source adds ``weight`` (subtracts it for punishment) to the
dopamine of its target neurons; every STDP projection (``SpikePairRule`` with
``AdditiveWeightDependence``) onto ``post`` becomes neuromodulated (Izhikevich 2007, as
sPyNNaker): its pair rule drives each synapse's eligibility trace (decay ``tau_c`` ms, bounded
by the weight dependence's w_min and w_max), and the weight grows by eligibility x dopamine
(dopamine decay ``tau_d`` ms), within [w_min, w_max] of the Neuromodulation. The learning is
applied at the plastic synapses' pre-synaptic spikes, as for every STDP rule here.
"""

from __future__ import annotations

from pyNN.standardmodels import build_translations
from pyNN.standardmodels.base import StandardSynapseType

from ..parameter_checks import checked_init

RECEPTORS = ("reward", "punishment")


class Neuromodulation(StandardSynapseType):
    """Reward (``receptor_type="reward"``) or punishment (``"punishment"``) synapses onto a
    population with neuromodulated STDP; ``weight`` is the dopamine each spike brings."""

    default_parameters = {"weight": 0.0, "delay": None, "tau_c": 1000.0, "tau_d": 200.0,
                          "w_min": 0.0, "w_max": 1.0}
    translations = build_translations(*((name, name) for name in default_parameters))
    dynamics = "neuromodulation"
    own_receptors = RECEPTORS
    parameter_checks: dict = {}    # PyNN's weight check knows only excitatory and inhibitory

    def __init__(self, weight=0.0, tau_c=1000.0, tau_d=200.0, w_min=0.0, w_max=1.0,
                 delay=None):
        super().__init__(weight=weight, delay=delay, tau_c=tau_c, tau_d=tau_d, w_min=w_min,
                         w_max=w_max)

    def _get_minimum_delay(self) -> float:
        from ..simulator import state
        return state.dt


Neuromodulation.__init__ = checked_init(Neuromodulation.__init__)

__all__ = ["Neuromodulation"]
