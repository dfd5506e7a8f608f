"""PyNN 0.13's composed neuron models: ``PointNeuron(neuron, **receptors)``.

The neuron components ``LIF`` and ``AdExp`` (and the standard ``Izhikevich`` cell, which this
backend also accepts as a component), the post-synaptic responses ``CurrExp-``, ``CondExp-``,
``CondAlpha-`` and ``CondBetaPostSynapticResponse`` (with PyNN's aliases ExpPSR, AlphaPSR,
BetaPSR), and ``PointNeuron``, whose parameters are the neuron's plus ``<receptor>.<parameter>``
(e.g. ``AMPA.tau_syn``) and whose recordables add ``<receptor>.gsyn`` or ``<receptor>.isyn``.
Parameters stay in PyNN units (identity translations); the native model is named by the
composition (neuron_models/_composed.py).

Raises: NotSupportedError at construction for a neuron or response this backend cannot run,
more receptors than the synapse word's type field holds, or current- and conductance-based
responses mixed.
"""

from __future__ import annotations

from pyNN.parameters import ParameterSpace
from pyNN.standardmodels import build_translations, cells, receptors

from ..errors import NotSupportedError
from ..neuron_models._composed import model_name


def _identity(base: type, extra: dict) -> type:
    names = [n for n in base.default_parameters]
    return type(base.__name__, (base,), {
        "__doc__": base.__doc__, "__module__": __name__,
        "translations": build_translations(*[(n, n) for n in names]), **extra})


LIF = _identity(cells.LIF, {"membrane": "lif"})
AdExp = _identity(cells.AdExp, {"membrane": "adexp"})
CurrExpPostSynapticResponse = _identity(receptors.CurrExpPostSynapticResponse,
                                        {"psr_kind": "curr_exp", "recordable": ["isyn"]})
CondExpPostSynapticResponse = _identity(receptors.CondExpPostSynapticResponse,
                                        {"psr_kind": "cond_exp", "recordable": ["gsyn"]})
CondAlphaPostSynapticResponse = _identity(receptors.CondAlphaPostSynapticResponse,
                                          {"psr_kind": "cond_alpha", "recordable": ["gsyn"]})
CondBetaPostSynapticResponse = _identity(receptors.CondBetaPostSynapticResponse,
                                         {"psr_kind": "cond_beta", "recordable": ["gsyn"]})
ExpPSR = CondExpPostSynapticResponse
AlphaPSR = CondAlphaPostSynapticResponse
BetaPSR = CondBetaPostSynapticResponse

# PyNN's base classes, so that components made with pyNN.standardmodels classes work too
_MEMBRANES = ((cells.LIF, "lif"), (cells.AdExp, "adexp"), (cells.Izhikevich, "izhikevich"))
_KINDS = ((receptors.CurrExpPostSynapticResponse, "curr_exp"),
          (receptors.CondExpPostSynapticResponse, "cond_exp"),
          (receptors.CondAlphaPostSynapticResponse, "cond_alpha"),
          (receptors.CondBetaPostSynapticResponse, "cond_beta"))


def _kind_of(component, table, what: str) -> str:
    for cls, kind in table:
        if isinstance(component, cls):
            return kind
    raise NotSupportedError(
        f"PointNeuron: {type(component).__name__} is not supported as a {what} by "
        f"pynn_spinnaker2; use one of {', '.join(c.__name__ for c, _ in table)}.")


class PointNeuron(cells.PointNeuron):
    """A neuron component with named post-synaptic responses (receptor types)."""

    __doc__ = cells.PointNeuron.__doc__ or __doc__

    def __init__(self, neuron, **post_synaptic_receptors):
        membrane = _kind_of(neuron, _MEMBRANES, "neuron component")
        kinds = {name: _kind_of(psr, _KINDS, "post-synaptic response")
                 for name, psr in post_synaptic_receptors.items()}
        self.native_model = model_name(membrane, kinds)   # raises for a bad composition
        self.neuron = neuron
        self.post_synaptic_receptors = post_synaptic_receptors
        for psr in post_synaptic_receptors.values():
            psr.set_parent(self)
        values = dict(neuron.parameter_space.items())
        self.default_parameters = dict(neuron.default_parameters)
        for name in self.receptor_types:
            psr = post_synaptic_receptors[name]
            for param, value in psr.parameter_space.items():
                if param != "locations":
                    values[f"{name}.{param}"] = value
                    self.default_parameters[f"{name}.{param}"] = psr.default_parameters[param]
        self.translations = build_translations(*[(n, n) for n in self.default_parameters])
        self.parameter_space = ParameterSpace(values, self.get_schema(), shape=None)

    def get_schema(self):
        return {name: float for name in self.default_parameters}

    def get_parameter_names(self):
        return list(self.default_parameters)

    def has_parameter(self, name):
        return name in self.default_parameters

    # parameters are kept in PyNN units under their PyNN (dotted) names
    def translate(self, parameters, copy=True):
        return ParameterSpace(dict(parameters.items()), schema=None, shape=parameters.shape)

    def reverse_translate(self, native_parameters):
        return ParameterSpace(dict(native_parameters.items()), schema=self.get_schema(),
                              shape=native_parameters.shape)

    @property
    def native_parameters(self):
        return self.translate(self.parameter_space)

    def get_native_names(self, *names):
        return list(names) if names else list(self.default_parameters)

    def simple_parameters(self):
        return list(self.default_parameters)

    def scaled_parameters(self):
        return []

    def computed_parameters(self):
        return []

    def computed_parameters_include(self, parameter_names):
        return False

    @property
    def recordable(self):
        return ["spikes", *[v for v in self.neuron.recordable if v != "spikes"]] + [
            f"{name}.{variable}" for name in self.receptor_types
            for variable in self.post_synaptic_receptors[name].recordable]

    def describe(self, template="modeltype_default.txt", engine="default"):
        return f"PointNeuron({type(self.neuron).__name__}, receptors {self.receptor_types})"


__all__ = ["LIF", "AdExp", "PointNeuron", "CurrExpPostSynapticResponse",
           "CondExpPostSynapticResponse", "CondAlphaPostSynapticResponse",
           "CondBetaPostSynapticResponse", "ExpPSR", "AlphaPSR", "BetaPSR"]
