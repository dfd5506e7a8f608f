"""sPyNNaker's extra neuron models as PyNN cell types: ``p.extra_models.<Name>``.

Each class keeps sPyNNaker's name, parameter names, defaults, initial values and receptor types;
its dynamics are a native model of neuron_models/ (named by ``native_model``), where the
equations and the integration scheme are documented. Parameters stay in PyNN units (identity
translations), like this backend's standard cells.

In:  the cell parameters, as keyword arguments (sPyNNaker's names).
Out: a StandardCellType for ``sim.Population``.
Raises: InvalidParameterValueError for a value that is not a number (checked_init), and, when
     a Population is made, for one outside the model's range (parameter_checks).
"""

from __future__ import annotations

from pyNN.standardmodels import StandardCellType, build_translations

from ..parameter_checks import checked_init

_LIF_DEFAULTS = {"tau_m": 20.0, "cm": 1.0, "v_rest": -65.0, "v_reset": -65.0,
                 "v_thresh": -50.0, "tau_refrac": 0.1, "i_offset": 0.0}
_LIF_UNITS = {"v": "mV", "tau_m": "ms", "cm": "nF", "v_rest": "mV", "v_reset": "mV",
              "v_thresh": "mV", "tau_refrac": "ms", "i_offset": "nA"}


def _cell_type(name: str, native: str, doc: str, parameters: dict, initial: dict,
               recordable: tuple, units: dict, receptors: tuple,
               conductance_based: bool = False) -> type:
    """A StandardCellType subclass with sPyNNaker's surface and ``native_model`` = native."""
    return type(name, (StandardCellType,), {
        "__doc__": doc, "__module__": __name__,
        "native_model": native,
        "default_parameters": parameters,
        "default_initial_values": initial,
        "recordable": ["spikes", *recordable],
        "units": units,
        "receptor_types": receptors,
        "conductance_based": conductance_based,
        "translations": build_translations(*[(n, n) for n in parameters]),
        "__init__": checked_init(StandardCellType.__init__),
    })


IF_curr_dual_exp = _cell_type(
    "IF_curr_dual_exp", "if_curr_dual_exp",
    "Leaky integrate-and-fire neuron with two exponentially decaying excitatory current inputs "
    "(receptors 'excitatory', 'excitatory2') and one inhibitory ('inhibitory').",
    {**_LIF_DEFAULTS, "tau_syn_E": 5.0, "tau_syn_E2": 5.0, "tau_syn_I": 5.0},
    {"v": -65.0, "isyn_exc": 0.0, "isyn_exc2": 0.0, "isyn_inh": 0.0},
    ("v", "isyn_exc", "isyn_exc2", "isyn_inh", "gsyn_exc", "gsyn_inh"),
    {**_LIF_UNITS, "tau_syn_E": "ms", "tau_syn_E2": "ms", "tau_syn_I": "ms", "isyn_exc": "nA",
     "isyn_exc2": "nA", "isyn_inh": "nA", "gsyn_exc": "nA", "gsyn_inh": "nA"},
    ("excitatory", "excitatory2", "inhibitory"))

IFCurDelta = _cell_type(
    "IFCurDelta", "if_cur_delta",
    "Leaky integrate-and-fire neuron with instantaneous (delta) current inputs: a spike of "
    "weight w delivers a charge of w pC, V jumps by w / cm mV.",
    dict(_LIF_DEFAULTS), {"v": -65.0, "isyn_exc": 0.0, "isyn_inh": 0.0},
    ("v", "isyn_exc", "isyn_inh", "gsyn_exc", "gsyn_inh"),
    {**_LIF_UNITS, "isyn_exc": "nA", "isyn_inh": "nA", "gsyn_exc": "nA", "gsyn_inh": "nA"},
    ("excitatory", "inhibitory"))

Izhikevich_cond = _cell_type(
    "Izhikevich_cond", "izhikevich_cond",
    "Izhikevich neuron with exponentially decaying conductance inputs; i_offset and the "
    "synaptic current enter dv/dt unscaled, as in sPyNNaker.",
    {"a": 0.02, "b": 0.2, "c": -65.0, "d": 2.0, "i_offset": 0.0, "tau_syn_E": 5.0,
     "tau_syn_I": 5.0, "e_rev_E": 0.0, "e_rev_I": -70.0},
    {"v": -70.0, "u": -14.0, "isyn_exc": 0.0, "isyn_inh": 0.0},
    ("v", "u", "gsyn_exc", "gsyn_inh", "isyn_exc", "isyn_inh"),
    {"v": "mV", "u": "mV/ms", "a": "/ms", "b": "/ms", "c": "mV", "d": "mV/ms", "i_offset": "nA",
     "tau_syn_E": "ms", "tau_syn_I": "ms", "e_rev_E": "mV", "e_rev_I": "mV", "gsyn_exc": "uS",
     "gsyn_inh": "uS", "isyn_exc": "uS", "isyn_inh": "uS"},
    ("excitatory", "inhibitory"), conductance_based=True)

IFCurrExpCa2Adaptive = _cell_type(
    "IFCurrExpCa2Adaptive", "if_curr_exp_ca2_adaptive",
    "Leaky integrate-and-fire neuron with exponentially decaying current inputs and a "
    "calcium-activated adaptation current (Liu and Wang 2001): each spike adds i_alpha nA of "
    "hyperpolarising current i_ca2, decaying with tau_ca2.",
    {**_LIF_DEFAULTS, "tau_syn_E": 5.0, "tau_syn_I": 5.0, "tau_ca2": 50.0, "i_alpha": 0.1},
    {"v": -65.0, "isyn_exc": 0.0, "isyn_inh": 0.0, "i_ca2": 0.0},
    ("v", "isyn_exc", "isyn_inh", "i_ca2", "gsyn_exc", "gsyn_inh"),
    {**_LIF_UNITS, "tau_syn_E": "ms", "tau_syn_I": "ms", "tau_ca2": "ms", "i_alpha": "nA",
     "isyn_exc": "nA", "isyn_inh": "nA", "i_ca2": "nA", "gsyn_exc": "nA", "gsyn_inh": "nA"},
    ("excitatory", "inhibitory"))

IFCondExpStoc = _cell_type(
    "IFCondExpStoc", "if_cond_exp_stoc",
    "Leaky integrate-and-fire neuron with exponentially decaying conductance inputs and a "
    "stochastic threshold (Habenschuss, Jonke and Maass 2013): per tick it fires with "
    "probability 1 - exp(-dt exp((v - v_thresh) / du_th) / tau_th).",
    {**_LIF_DEFAULTS, "tau_syn_E": 5.0, "tau_syn_I": 5.0, "e_rev_E": 0.0, "e_rev_I": -70.0,
     "du_th": 0.5, "tau_th": 20.0},
    {"v": -65.0, "isyn_exc": 0.0, "isyn_inh": 0.0},
    ("v", "gsyn_exc", "gsyn_inh", "isyn_exc", "isyn_inh"),
    {**_LIF_UNITS, "tau_syn_E": "ms", "tau_syn_I": "ms", "e_rev_E": "mV", "e_rev_I": "mV",
     "du_th": "mV", "tau_th": "ms", "gsyn_exc": "uS", "gsyn_inh": "uS", "isyn_exc": "uS",
     "isyn_inh": "uS"},
    ("excitatory", "inhibitory"), conductance_based=True)

IF_curr_exp_sEMD = _cell_type(
    "IF_curr_exp_sEMD", "if_curr_exp_semd",
    "Spiking elementary motion detector: a leaky integrate-and-fire neuron whose trigger input "
    "('excitatory2') is multiplied by scaling_factor times the facilitation current "
    "('excitatory') at the trigger's onset; 'inhibitory' as usual.",
    {**_LIF_DEFAULTS, "tau_syn_E": 5.0, "tau_syn_E2": 5.0, "tau_syn_I": 5.0,
     "scaling_factor": 1.0},
    {"v": -65.0, "isyn_exc": 0.0, "isyn_exc2": 0.0, "isyn_inh": 0.0, "multiplicator": 0.0,
     "exc2_old": 0.0},
    ("v", "isyn_exc", "isyn_exc2", "isyn_inh", "multiplicator", "exc2_old", "gsyn_exc",
     "gsyn_inh"),
    {**_LIF_UNITS, "tau_syn_E": "ms", "tau_syn_E2": "ms", "tau_syn_I": "ms",
     "scaling_factor": "1/nA", "isyn_exc": "nA", "isyn_exc2": "nA", "isyn_inh": "nA",
     "multiplicator": "nA", "exc2_old": "nA", "gsyn_exc": "nA", "gsyn_inh": "nA"},
    ("excitatory", "excitatory2", "inhibitory"))


NEURON_MODELS = (IF_curr_dual_exp, IFCurDelta, Izhikevich_cond, IFCurrExpCa2Adaptive,
                 IFCondExpStoc, IF_curr_exp_sEMD)

__all__ = [c.__name__ for c in NEURON_MODELS]
