"""Standard synapse types: StaticSynapse on the PE; the others raise NotSupportedError."""

from __future__ import annotations

from pyNN.standardmodels import build_translations, synapses

from .unsupported import unsupported


class TsodyksMarkramSynapse(synapses.TsodyksMarkramSynapse):
    __doc__ = synapses.TsodyksMarkramSynapse.__doc__
    translations = build_translations(("weight", "weight"), ("delay", "delay"), ("U", "U"),
                                      ("tau_rec", "tau_rec"), ("tau_facil", "tau_facil"))
    dynamics = "tsodyks_markram"

    def _get_minimum_delay(self) -> float:
        from ..simulator import state
        return state.dt


class StaticSynapse(synapses.StaticSynapse):
    __doc__ = synapses.StaticSynapse.__doc__
    translations = build_translations(("weight", "weight"), ("delay", "delay"))

    def _get_minimum_delay(self) -> float:
        from ..simulator import state
        return state.dt


UNSUPPORTED = tuple(unsupported(c, "Supported: StaticSynapse, TsodyksMarkramSynapse.") for c in (
    synapses.STDPMechanism, synapses.ElectricalSynapse,
    synapses.SimpleStochasticSynapse, synapses.StochasticTsodyksMarkramSynapse,
    synapses.MultiQuantalSynapse, synapses.AdditiveWeightDependence,
    synapses.MultiplicativeWeightDependence,
    synapses.AdditivePotentiationMultiplicativeDepression, synapses.GutigWeightDependence,
    synapses.SpikePairRule, synapses.Vogels2011Rule))
globals().update({c.__name__: c for c in UNSUPPORTED})

__all__ = ["StaticSynapse", "TsodyksMarkramSynapse"] + [c.__name__ for c in UNSUPPORTED]
