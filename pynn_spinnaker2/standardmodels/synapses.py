"""Standard synapse types: StaticSynapse on the PE; the others raise NotSupportedError."""

from __future__ import annotations

from pyNN.standardmodels import build_translations, synapses

from ..errors import NotSupportedError


class StaticSynapse(synapses.StaticSynapse):
    __doc__ = synapses.StaticSynapse.__doc__
    translations = build_translations(("weight", "weight"), ("delay", "delay"))

    def _get_minimum_delay(self) -> float:
        from ..simulator import state
        return state.dt


def _unsupported(base: type) -> type:
    def __init__(self, *args, **kwargs):
        raise NotSupportedError(f"{base.__name__} is not supported by pynn_spinnaker2 yet; "
                                "only StaticSynapse is.")

    return type(base.__name__, (base,), {"__init__": __init__, "__doc__": base.__doc__,
                                        "translations": {}})


UNSUPPORTED = tuple(_unsupported(c) for c in (
    synapses.TsodyksMarkramSynapse, synapses.STDPMechanism, synapses.ElectricalSynapse,
    synapses.SimpleStochasticSynapse, synapses.StochasticTsodyksMarkramSynapse,
    synapses.MultiQuantalSynapse, synapses.AdditiveWeightDependence,
    synapses.MultiplicativeWeightDependence,
    synapses.AdditivePotentiationMultiplicativeDepression, synapses.GutigWeightDependence,
    synapses.SpikePairRule, synapses.Vogels2011Rule))
globals().update({c.__name__: c for c in UNSUPPORTED})
