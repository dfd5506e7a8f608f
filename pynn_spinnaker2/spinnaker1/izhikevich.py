"""``Izhikevich`` as the package exports it: PyNN's cell, or sPyNNaker's in sPyNNaker mode.

sPyNNaker's Izhikevich has exponentially decaying current synapses (``tau_syn_E``,
``tau_syn_I``, 5 ms by default) where PyNN's (and NEST's) has delta synapses. In sPyNNaker
mode ``Izhikevich(...)`` therefore builds the composed cell
``PointNeuron(Izhikevich(...), excitatory=CurrExpPostSynapticResponse(tau_syn=tau_syn_E),
inhibitory=CurrExpPostSynapticResponse(tau_syn=tau_syn_I))`` (one warning), which also records
``gsyn_exc``/``gsyn_inh`` as the synaptic currents. Outside the mode it is PyNN's cell.
"""

from __future__ import annotations

from ..standardmodels import cells, composed
from . import mode

SPYNNAKER_TAU_SYN_MS = 5.0          # sPyNNaker's default tau_syn_E and tau_syn_I
_RECEPTOR_CURRENTS = {"gsyn_exc": "excitatory.isyn", "gsyn_inh": "inhibitory.isyn"}


class SpiNNaker1Izhikevich(composed.PointNeuron):
    """sPyNNaker's Izhikevich: the Izhikevich membrane with two exponential current receptors,
    known by sPyNNaker's name (set_number_of_neurons_per_core(p.Izhikevich, n) applies)."""

    spynnaker_name = "Izhikevich"

    @property
    def recordable(self):
        return [*super().recordable, *_RECEPTOR_CURRENTS]

    @property
    def units(self):
        return {**super().units, **{name: "nA" for name in _RECEPTOR_CURRENTS}}


class Izhikevich(cells.Izhikevich):
    __doc__ = cells.Izhikevich.__doc__

    def __new__(cls, *args, **parameters):
        """In sPyNNaker mode: a SpiNNaker1Izhikevich (tau_syn_E/tau_syn_I taken from the
        parameters); otherwise a plain Izhikevich."""
        if not mode.active():
            return super().__new__(cls)
        taus = {name: parameters.pop(name, SPYNNAKER_TAU_SYN_MS)
                for name in ("tau_syn_E", "tau_syn_I")}
        mode.warn_once("izhikevich_synapses",
                       "Izhikevich has exponential current synapses (tau_syn_E="
                       f"{taus['tau_syn_E']}, tau_syn_I={taus['tau_syn_I']} ms) as sPyNNaker's "
                       "does; PyNN's Izhikevich has delta synapses.")
        membrane = cells.Izhikevich(*args, **parameters)
        cell = SpiNNaker1Izhikevich(
            membrane,
            excitatory=composed.CurrExpPostSynapticResponse(tau_syn=taus["tau_syn_E"]),
            inhibitory=composed.CurrExpPostSynapticResponse(tau_syn=taus["tau_syn_I"]))
        cell.recording_aliases = dict(_RECEPTOR_CURRENTS)
        return cell
