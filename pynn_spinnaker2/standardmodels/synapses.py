"""Standard synapse types: static, Tsodyks-Markram short-term plasticity, the three stochastic
synapses (emulator/stochastic.py) and STDP on the PE; the others raise NotSupportedError.

STDP: ``STDPMechanism`` with ``SpikePairRule`` and any of the four weight dependences, or
``Vogels2011Rule`` with ``AdditiveWeightDependence`` (pynn_spinnaker2/stdp_rules.py). Each
weight dependence sets the exponents of NEST's stdp_synapse (Guetig et al. 2003) that it
amounts to: potentiation ``A_plus (w_max - w_min) ((w_max - w) / (w_max - w_min))**mu_plus``,
depression ``A_minus (w_max - w_min) ((w - w_min) / (w_max - w_min))**mu_minus``.
"""

from __future__ import annotations

from pyNN.standardmodels import build_translations, synapses

from ..parameter_checks import checked_init
from .unsupported import unsupported


def _minimum_delay() -> float:
    from ..simulator import state
    return state.dt


class TsodyksMarkramSynapse(synapses.TsodyksMarkramSynapse):
    __doc__ = synapses.TsodyksMarkramSynapse.__doc__
    translations = build_translations(("weight", "weight"), ("delay", "delay"), ("U", "U"),
                                      ("tau_rec", "tau_rec"), ("tau_facil", "tau_facil"))
    dynamics = "tsodyks_markram"

    def _get_minimum_delay(self) -> float:
        return _minimum_delay()


class SimpleStochasticSynapse(synapses.SimpleStochasticSynapse):
    __doc__ = synapses.SimpleStochasticSynapse.__doc__
    translations = build_translations(("weight", "weight"), ("delay", "delay"), ("p", "p"))
    dynamics = "bernoulli"

    def _get_minimum_delay(self) -> float:
        return _minimum_delay()


class StochasticTsodyksMarkramSynapse(synapses.StochasticTsodyksMarkramSynapse):
    __doc__ = synapses.StochasticTsodyksMarkramSynapse.__doc__
    translations = build_translations(("weight", "weight"), ("delay", "delay"), ("U", "U"),
                                      ("tau_rec", "tau_rec"), ("tau_facil", "tau_facil"))
    dynamics = "stochastic_tsodyks_markram"

    def _get_minimum_delay(self) -> float:
        return _minimum_delay()


class MultiQuantalSynapse(synapses.MultiQuantalSynapse):
    __doc__ = ("Multi-quantal release (NEST's quantal_stp_synapse): n release sites, each "
               "released with probability u, depleted sites recovering with tau_rec; the "
               "weight times the number of released sites is sent.")
    translations = build_translations(("weight", "weight"), ("delay", "delay"), ("U", "U"),
                                      ("n", "n"), ("tau_rec", "tau_rec"),
                                      ("tau_facil", "tau_facil"))
    dynamics = "quantal"

    def _get_minimum_delay(self) -> float:
        return _minimum_delay()


class StaticSynapse(synapses.StaticSynapse):
    __doc__ = synapses.StaticSynapse.__doc__
    translations = build_translations(("weight", "weight"), ("delay", "delay"))

    def _get_minimum_delay(self) -> float:
        return _minimum_delay()


class STDPMechanism(synapses.STDPMechanism):
    __doc__ = synapses.STDPMechanism.__doc__
    base_translations = build_translations(
        ("weight", "weight"), ("delay", "delay"),
        ("dendritic_delay_fraction", "dendritic_delay_fraction"))
    dynamics = "stdp"

    def __init__(self, timing_dependence=None, weight_dependence=None, voltage_dependence=None,
                 dendritic_delay_fraction=1.0, weight=0.0, delay=None):
        from ..errors import InvalidParameterValueError, NotSupportedError
        if timing_dependence is None or weight_dependence is None:
            raise NotSupportedError("STDPMechanism needs a timing_dependence (SpikePairRule) and "
                                    "a weight_dependence on pynn_spinnaker2.")
        fraction = dendritic_delay_fraction
        if isinstance(fraction, bool) or not isinstance(fraction, (int, float)) \
                or not 0 <= fraction <= 1:
            raise InvalidParameterValueError(
                f"STDPMechanism(dendritic_delay_fraction={fraction!r}): give a number from 0 "
                "to 1 (the share of the delay on the dendrite).")
        if voltage_dependence is not None:
            raise NotSupportedError("STDPMechanism: voltage-dependent plasticity is not "
                                    "supported by pynn_spinnaker2.")
        for part, kind in ((timing_dependence, "timing"), (weight_dependence, "weight")):
            if "stdp" not in getattr(part, "possible_models", ()):
                raise NotSupportedError(
                    f"STDPMechanism: the {kind} dependence {type(part).__name__} is not "
                    "supported; use pynn_spinnaker2's SpikePairRule and its Additive, "
                    "Multiplicative, AdditivePotentiationMultiplicativeDepression or Gutig "
                    "weight dependences, Vogels2011Rule with AdditiveWeightDependence, or "
                    "extra_models' rules.")
        if timing_dependence.rule_kind not in weight_dependence.rule_kinds:
            raise NotSupportedError(
                f"STDPMechanism: {type(timing_dependence).__name__} cannot be combined with "
                f"{type(weight_dependence).__name__} on pynn_spinnaker2. "
                f"{RULE_ADVICE[timing_dependence.rule_kind]}")
        super().__init__(timing_dependence, weight_dependence, voltage_dependence,
                         dendritic_delay_fraction, weight, delay)

    def _build_translations(self) -> None:
        # PyNN's version updates the class-level dict in place; build one per instance
        self.translations = dict(self.base_translations)
        for component in (self.timing_dependence, self.weight_dependence):
            self.translations.update(component.translations)

    def _get_minimum_delay(self) -> float:
        return _minimum_delay()

    @property
    def rule_kind(self) -> str:
        """The PE's rule (stdp_rules.py): "pair", "vogels" or "triplet"."""
        return self.timing_dependence.rule_kind

    @property
    def rule_parameters(self) -> tuple[str, ...]:
        """The native names of the rule's parameters (one value per projection on the PE)."""
        return (self.timing_dependence.rule_parameters
                + self.weight_dependence.rule_parameters + ("dendritic_delay_fraction",))


RULE_ADVICE = {
    "pair": "Use a PyNN weight dependence (Additive, Multiplicative, "
            "AdditivePotentiationMultiplicativeDepression, Gutig).",
    "vogels": "Use AdditiveWeightDependence(w_min, w_max) (its bounds bound the weight).",
    "triplet": "Use extra_models.WeightDependenceAdditiveTriplet.",
    "recurrent": "Use a PyNN weight dependence (Multiplicative, Additive, ...).",
}


class SpikePairRule(synapses.SpikePairRule):
    __doc__ = synapses.SpikePairRule.__doc__
    translations = build_translations(("tau_plus", "tau_plus"), ("tau_minus", "tau_minus"),
                                      ("A_plus", "A_plus"), ("A_minus", "A_minus"))
    possible_models = {"stdp"}
    rule_kind = "pair"
    rule_parameters = ("tau_plus", "tau_minus", "A_plus", "A_minus")


class Vogels2011Rule(synapses.Vogels2011Rule):
    __doc__ = (synapses.Vogels2011Rule.__doc__ + """
    On pynn_spinnaker2 (as NEST's vogels_sprekeler_synapse, all-to-all traces with time
    constant tau): each post-synaptic spike adds eta times the pre-synaptic trace, each
    pre-synaptic spike adds eta times (the post-synaptic trace - alpha), alpha = 2 rho tau
    with rho the target rate in Hz (rho = 3 Hz, tau = 20 ms: alpha = 0.12). eta is in weight
    units (nA or uS). Use with AdditiveWeightDependence(w_min, w_max), which bounds the weight
    magnitude.
    """)
    translations = build_translations(("tau", "tau"), ("eta", "eta"),
                                      ("rho", "alpha", "2.0e-3 * rho * tau",
                                       "alpha / (2.0e-3 * tau)"))
    possible_models = {"stdp"}
    rule_kind = "vogels"
    rule_parameters = ("tau", "eta", "alpha")


def _weight_dependence(base, mu_plus: float | None, mu_minus: float | None):
    """Our class of a PyNN weight dependence: its exponents as extra parameters (Gutig's are
    the user's); the additive one also bounds Vogels2011Rule."""
    names = [("w_min", "w_min"), ("w_max", "w_max")]
    if mu_plus is None:
        names += [("mu_plus", "mu_plus"), ("mu_minus", "mu_minus")]
    return type(base.__name__, (base,), {
        "__doc__": base.__doc__, "translations": build_translations(*names),
        "possible_models": {"stdp"},
        "rule_kinds": ({"pair", "vogels", "recurrent"} if mu_plus == 0.0 and mu_minus == 0.0
                       else {"pair", "recurrent"}),
        "rule_parameters": ("w_min", "w_max", "mu_plus", "mu_minus"),
        "extra_parameters": {} if mu_plus is None else {"mu_plus": mu_plus,
                                                        "mu_minus": mu_minus},
        "__module__": __name__})


AdditiveWeightDependence = _weight_dependence(synapses.AdditiveWeightDependence, 0.0, 0.0)
MultiplicativeWeightDependence = _weight_dependence(
    synapses.MultiplicativeWeightDependence, 1.0, 1.0)
AdditivePotentiationMultiplicativeDepression = _weight_dependence(
    synapses.AdditivePotentiationMultiplicativeDepression, 0.0, 1.0)
GutigWeightDependence = _weight_dependence(synapses.GutigWeightDependence, None, None)

UNSUPPORTED = tuple(unsupported(c, "Supported: StaticSynapse, TsodyksMarkramSynapse, the "
                                   "stochastic synapses, STDPMechanism with SpikePairRule or "
                                   "Vogels2011Rule.")
                    for c in (synapses.ElectricalSynapse,))
globals().update({c.__name__: c for c in UNSUPPORTED})

# values PyNN's parameter spaces cannot hold raise our InvalidParameterValueError
for _checked in (StaticSynapse, TsodyksMarkramSynapse, SimpleStochasticSynapse,
                 StochasticTsodyksMarkramSynapse, MultiQuantalSynapse, SpikePairRule,
                 Vogels2011Rule,
                 AdditiveWeightDependence, MultiplicativeWeightDependence,
                 AdditivePotentiationMultiplicativeDepression, GutigWeightDependence):
    _checked.__init__ = checked_init(_checked.__init__)

__all__ = ["StaticSynapse", "TsodyksMarkramSynapse", "SimpleStochasticSynapse",
           "StochasticTsodyksMarkramSynapse", "MultiQuantalSynapse", "STDPMechanism",
           "SpikePairRule", "Vogels2011Rule",
           "AdditiveWeightDependence", "MultiplicativeWeightDependence",
           "AdditivePotentiationMultiplicativeDepression", "GutigWeightDependence"] + [
    c.__name__ for c in UNSUPPORTED]
