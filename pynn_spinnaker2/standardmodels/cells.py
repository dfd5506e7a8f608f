"""Standard cell types supported on the PE, and clear errors for those that are not (yet)."""

from __future__ import annotations

from pyNN.standardmodels import build_translations, cells

from ..errors import NotSupportedError


def _identity(*names: str) -> dict:
    return build_translations(*[(n, n) for n in names])


class IF_curr_exp(cells.IF_curr_exp):
    __doc__ = cells.IF_curr_exp.__doc__
    native_model = "if_curr_exp"
    translations = _identity("tau_m", "cm", "v_rest", "v_thresh", "v_reset", "tau_refrac",
                             "i_offset", "tau_syn_E", "tau_syn_I")
    recordable = ["spikes", "v", "isyn_exc", "isyn_inh"]


class SpikeSourcePoisson(cells.SpikeSourcePoisson):
    __doc__ = cells.SpikeSourcePoisson.__doc__
    native_model = "spike_source_poisson"
    translations = _identity("rate", "start", "duration")


class SpikeSourceArray(cells.SpikeSourceArray):
    __doc__ = cells.SpikeSourceArray.__doc__
    native_model = "spike_source_array"
    translations = _identity("spike_times")


SUPPORTED = (IF_curr_exp, SpikeSourcePoisson, SpikeSourceArray)


def _unsupported(base: type) -> type:
    """A class with PyNN's name whose construction raises NotSupportedError."""
    supported = ", ".join(c.__name__ for c in SUPPORTED)

    def __init__(self, *args, **kwargs):
        raise NotSupportedError(
            f"{base.__name__} is not supported by pynn_spinnaker2 yet. Supported cell types: "
            f"{supported}.")

    return type(base.__name__, (base,), {"__init__": __init__, "__doc__": base.__doc__,
                                        "translations": {}})


UNSUPPORTED = tuple(_unsupported(c) for c in (
    cells.IF_curr_alpha, cells.IF_curr_delta, cells.IF_cond_alpha, cells.IF_cond_exp,
    cells.IF_cond_exp_gsfa_grr, cells.IF_facets_hardware1, cells.HH_cond_exp,
    cells.EIF_cond_alpha_isfa_ista, cells.EIF_cond_exp_isfa_ista, cells.Izhikevich,
    cells.GIF_cond_exp, cells.SpikeSourcePoissonRefractory, cells.SpikeSourceGamma,
    cells.SpikeSourceInhGamma))
globals().update({c.__name__: c for c in UNSUPPORTED})
