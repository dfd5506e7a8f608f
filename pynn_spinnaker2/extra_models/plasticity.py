"""sPyNNaker's extra STDP rules (``p.extra_models.<Name>``), used inside ``STDPMechanism``:
the timing dependences ``Vogels2011Rule`` and ``PfisterSpikeTriplet`` and the weight dependence
``WeightDependenceAdditiveTriplet``, with sPyNNaker's parameter names, defaults and meanings.

The PE runs them as the rules "vogels" and "triplet" of pynn_spinnaker2/stdp_rules.py.
Amplitudes are fractions of the weight span: the weight change of one unit of trace is
A (w_max - w_min), as the PyNN weight dependences here (sPyNNaker multiplies by w_max; the
same with w_min = 0).
"""

from __future__ import annotations

from pyNN.standardmodels import build_translations
from pyNN.standardmodels.synapses import STDPTimingDependence, STDPWeightDependence

from ..errors import InvalidParameterValueError
from ..parameter_checks import checked_init


def _identity(*names: str) -> dict:
    return build_translations(*((name, name) for name in names))


class Vogels2011Rule(STDPTimingDependence):
    """Inhibitory STDP of Vogels, Sprekeler, Zenke, Clopath & Gerstner (2011), as sPyNNaker's
    ``extra_models.Vogels2011Rule(alpha, tau=20.0, A_plus=0.01, A_minus=0.01)``.

    Pre- and post-synaptic traces decay with ``tau`` (ms) and grow by 1 per spike; each
    post-synaptic spike changes the weight by eta x_pre, each pre-synaptic spike by
    eta (x_post - alpha), eta = A_plus (w_max - w_min); the weight stays within the weight
    dependence's bounds (use ``AdditiveWeightDependence``). ``A_minus`` is accepted and unused,
    as in sPyNNaker. PyNN's own ``Vogels2011Rule(tau, eta, rho)`` is the same rule.
    """

    default_parameters = {"alpha": 0.12, "tau": 20.0, "A_plus": 0.01, "A_minus": 0.01}
    translations = _identity("alpha", "tau", "A_plus", "A_minus")
    possible_models = {"stdp"}
    rule_kind = "vogels"
    rule_parameters = ("tau", "A_plus", "alpha")

    def __init__(self, alpha, tau=20.0, A_plus=0.01, A_minus=0.01):
        super().__init__(alpha=alpha, tau=tau, A_plus=A_plus, A_minus=A_minus)


class PfisterSpikeTriplet(STDPTimingDependence):
    """The triplet rule of Pfister & Gerstner (2006), all-to-all, as sPyNNaker's
    ``extra_models.PfisterSpikeTriplet(tau_plus, tau_minus, tau_x, tau_y, A_plus, A_minus)``
    (use with ``WeightDependenceAdditiveTriplet``, which holds A3_plus and A3_minus).

    Traces r1 (tau_plus) and r2 (tau_x) of the pre-synaptic spikes, o1 (tau_minus) and o2
    (tau_y) of the post-synaptic ones, each +1 per spike. A post-synaptic spike adds
    r1 (A_plus + A3_plus o2) (w_max - w_min), a pre-synaptic spike subtracts
    o1 (A_minus + A3_minus r2) (w_max - w_min), o2 and r2 taken just before the spike.
    """

    default_parameters = {"tau_plus": 16.8, "tau_minus": 33.7, "tau_x": 101.0,
                          "tau_y": 125.0, "A_plus": 5e-10, "A_minus": 7e-3}
    translations = _identity(*default_parameters)
    possible_models = {"stdp"}
    rule_kind = "triplet"
    rule_parameters = ("tau_plus", "tau_minus", "tau_x", "tau_y", "A_plus", "A_minus")

    def __init__(self, tau_plus, tau_minus, tau_x, tau_y, A_plus, A_minus):
        super().__init__(tau_plus=tau_plus, tau_minus=tau_minus, tau_x=tau_x, tau_y=tau_y,
                         A_plus=A_plus, A_minus=A_minus)


class WeightDependenceAdditiveTriplet(STDPWeightDependence):
    """Additive weight dependence of the triplet rule, as sPyNNaker's
    ``extra_models.WeightDependenceAdditiveTriplet(w_min=0.0, w_max=1.0, A3_plus=0.01,
    A3_minus=0.01)``: the triplet terms' amplitudes and the weight bounds."""

    default_parameters = {"w_min": 0.0, "w_max": 1.0, "A3_plus": 0.01, "A3_minus": 0.01}
    translations = _identity(*default_parameters)
    possible_models = {"stdp"}
    rule_kinds = {"triplet"}
    rule_parameters = ("w_min", "w_max", "A3_plus", "A3_minus")
    extra_parameters: dict = {}

    def __init__(self, w_min=0.0, w_max=1.0, A3_plus=0.01, A3_minus=0.01):
        super().__init__(w_min=w_min, w_max=w_max, A3_plus=A3_plus, A3_minus=A3_minus)


class RecurrentRule(STDPTimingDependence):
    """sPyNNaker's ``extra_models.RecurrentRule(accumulator_depression=-6,
    accumulator_potentiation=6, mean_pre_window=35.0, mean_post_window=35.0, dual_fsm=True,
    A_plus=0.01, A_minus=0.01)``.

    ``dual_fsm=True``: every pre-synaptic spike draws a window (random, exponential with mean
    ``mean_pre_window`` ms) and every post-synaptic spike one (mean ``mean_post_window``); a
    post-synaptic spike inside the window of the synapse's last pre-synaptic spike counts +1
    on the synapse's accumulator, a pre-synaptic spike inside the window of the last
    post-synaptic one counts -1; the ``accumulator_potentiation``-th +1 in a row resets it and
    potentiates the weight by the weight dependence's step (Multiplicative: A_plus
    (w_max - w)), reaching ``accumulator_depression`` depresses (A_minus (w - w_min)).

    ``dual_fsm=False`` (pre-stochastic): each synapse runs a state machine: a pre-synaptic
    spike opens a window of random length (exponential, mean ``mean_pre_window`` ms) unless one
    is open; a post-synaptic spike inside it counts +1 on the synapse's accumulator, and the
    ``accumulator_potentiation``-th count resets it and potentiates the weight by the weight
    dependence's step (Multiplicative: A_plus (w_max - w)). Post-synaptic spikes open windows
    of mean ``mean_post_window`` ms in the same way; a pre-synaptic spike inside one counts -1,
    and reaching ``accumulator_depression`` depresses. A second spike of the same side inside
    an open window closes it; coinciding spikes are ignored.
    """

    default_parameters = {"accumulator_depression": -6.0, "accumulator_potentiation": 6.0,
                          "mean_pre_window": 35.0, "mean_post_window": 35.0, "dual_fsm": 1.0,
                          "A_plus": 0.01, "A_minus": 0.01}
    translations = _identity(*default_parameters)
    possible_models = {"stdp"}
    rule_kind = "recurrent"
    rule_parameters = tuple(default_parameters)

    def __init__(self, accumulator_depression=-6, accumulator_potentiation=6,
                 mean_pre_window=35.0, mean_post_window=35.0, dual_fsm=True, A_plus=0.01,
                 A_minus=0.01):
        if dual_fsm not in (True, False, 0, 1):
            raise InvalidParameterValueError(
                f"RecurrentRule(dual_fsm={dual_fsm!r}): give True or False.")
        for name, value, sign in (("accumulator_depression", accumulator_depression, -1),
                                  ("accumulator_potentiation", accumulator_potentiation, 1)):
            if isinstance(value, bool) or value != int(value) or value * sign < 1:
                raise InvalidParameterValueError(
                    f"RecurrentRule({name}={value!r}): give a whole number "
                    f"{'<= -1' if sign < 0 else '>= 1'} (the pairings that change the weight).")
        super().__init__(accumulator_depression=accumulator_depression,
                         accumulator_potentiation=accumulator_potentiation,
                         mean_pre_window=mean_pre_window, mean_post_window=mean_post_window,
                         dual_fsm=float(bool(dual_fsm)), A_plus=A_plus, A_minus=A_minus)


for _checked in (Vogels2011Rule, PfisterSpikeTriplet, WeightDependenceAdditiveTriplet,
                 RecurrentRule):
    _checked.__init__ = checked_init(_checked.__init__)

__all__ = ["Vogels2011Rule", "PfisterSpikeTriplet", "WeightDependenceAdditiveTriplet",
           "RecurrentRule"]
