"""sPyNNaker's structural synapse types: StructuralMechanismStatic and StructuralMechanismSTDP.

A Projection with one of them starts with the connector's synapses (``weight``, ``delay``) and
is rewired while running (engine.py): ``f_rew`` attempts per second of simulated time on the
post-synaptic population, each post-synaptic neuron holding at most ``s_max`` synapses (its
pre-allocated slots), new synapses with ``initial_weight`` and ``initial_delay``.
"""

from __future__ import annotations

import numpy as np

from ..errors import InvalidParameterValueError, NotSupportedError
from ..standardmodels.synapses import STDPMechanism, StaticSynapse
from . import observer
from .rules import (DistanceDependentFormation, LastNeuronSelection, RandomByWeightElimination,
                    RandomSelection)

DEFAULT_F_REW = 10 ** 4.0
DEFAULT_S_MAX = 32


class _Structural:
    """The rewiring parameters both mechanisms share (checked)."""

    structural = True

    def _set_structure(self, partner_selection, formation, elimination, f_rew, initial_weight,
                       initial_delay, s_max, with_replacement, seed) -> None:
        name = type(self).__name__
        for rule, kinds, what in (
                (partner_selection, (RandomSelection, LastNeuronSelection), "partner selection"),
                (formation, (DistanceDependentFormation,), "formation"),
                (elimination, (RandomByWeightElimination,), "elimination")):
            if not isinstance(rule, kinds):
                raise NotSupportedError(
                    f"{name}: {type(rule).__name__} is not a supported {what} rule; use "
                    f"{' or '.join(k.__name__ for k in kinds)}.")
        if not isinstance(f_rew, (int, float, np.number)) or not 0 < f_rew < np.inf:
            raise InvalidParameterValueError(f"{name}(f_rew={f_rew!r}): the rewiring frequency "
                                             "must be a positive number of attempts per second.")
        if isinstance(s_max, bool) or not isinstance(s_max, (int, np.integer)) or s_max < 1:
            raise InvalidParameterValueError(f"{name}(s_max={s_max!r}): the synapses per "
                                             "post-synaptic neuron must be a whole number >= 1.")
        delays = np.atleast_1d(np.asarray(initial_delay, dtype=float))
        if len(delays) not in (1, 2) or not np.all(np.isfinite(delays)) or np.any(delays <= 0) \
                or delays[0] > delays[-1]:
            raise InvalidParameterValueError(
                f"{name}(initial_delay={initial_delay!r}): give a delay in ms, or a (low, high) "
                "range to draw new synapses' delays from.")
        if not np.isfinite(float(initial_weight)):
            raise InvalidParameterValueError(f"{name}(initial_weight={initial_weight!r}): must "
                                             "be a finite number.")
        self.partner_selection, self.formation, self.elimination = (
            partner_selection, formation, elimination)
        self.f_rew, self.s_max = float(f_rew), int(s_max)
        self.initial_weight, self.initial_delay = float(initial_weight), delays
        self.with_replacement, self.seed = bool(with_replacement), seed
        observer.register()

    def largest_weight(self, weights: np.ndarray) -> float:
        """The largest weight magnitude a synapse of the projection can have."""
        bound = float(np.max(np.abs(weights), initial=0.0))
        return max(bound, abs(self.initial_weight))

    def same_rewiring(self, other) -> bool:
        """Whether ``other`` rewires the same post-synaptic population compatibly."""
        return (self.f_rew == other.f_rew and self.s_max == other.s_max
                and type(self.partner_selection) is type(other.partner_selection)
                and self.with_replacement == other.with_replacement and self.seed == other.seed)


class StructuralMechanismStatic(_Structural, StaticSynapse):
    """Synaptic rewiring (sPyNNaker's synaptogenesis) with static weights."""

    def __init__(self, partner_selection, formation, elimination, f_rew=DEFAULT_F_REW,
                 initial_weight=0.0, initial_delay=1.0, s_max=DEFAULT_S_MAX,
                 with_replacement=True, seed=None, weight=0.0, delay=None) -> None:
        StaticSynapse.__init__(self, weight=weight, delay=delay)
        self._set_structure(partner_selection, formation, elimination, f_rew, initial_weight,
                            initial_delay, s_max, with_replacement, seed)


class StructuralMechanismSTDP(_Structural, STDPMechanism):
    """Synaptic rewiring with STDP weights (pair rule, as STDPMechanism)."""

    def __init__(self, partner_selection, formation, elimination, timing_dependence=None,
                 weight_dependence=None, voltage_dependence=None, dendritic_delay_fraction=1.0,
                 f_rew=DEFAULT_F_REW, initial_weight=0.0, initial_delay=1.0,
                 s_max=DEFAULT_S_MAX, with_replacement=True, seed=None, weight=0.0, delay=1.0,
                 backprop_delay=True) -> None:
        STDPMechanism.__init__(self, timing_dependence, weight_dependence, voltage_dependence,
                               dendritic_delay_fraction, weight, delay)
        self._set_structure(partner_selection, formation, elimination, f_rew, initial_weight,
                            initial_delay, s_max, with_replacement, seed)

    def largest_weight(self, weights: np.ndarray) -> float:
        return max(super().largest_weight(weights), abs(self.rule()["w_max"]))

    def rule(self) -> dict:
        """The pair rule's parameters (one value each)."""
        values = dict(self.weight_dependence.extra_parameters)
        for name in ("tau_plus", "tau_minus", "A_plus", "A_minus", "w_min", "w_max",
                     "mu_plus", "mu_minus", "dendritic_delay_fraction"):
            if name in values:
                continue
            value = self.parameter_space[name]
            if not value.is_homogeneous:
                raise NotSupportedError(f"{type(self).__name__}: {name} must be one value.")
            values[name] = float(value.base_value)
        return values
