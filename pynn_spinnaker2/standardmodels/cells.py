"""Standard cell types supported on the PE, and clear errors for those that are not (yet)."""

from __future__ import annotations

from pyNN.standardmodels import build_translations, cells

from .unsupported import unsupported


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


_ADVICE = f"Supported cell types: {', '.join(c.__name__ for c in SUPPORTED)}."
UNSUPPORTED = tuple(unsupported(c, _ADVICE) for c in (
    cells.IF_curr_alpha, cells.IF_curr_delta, cells.IF_cond_alpha, cells.IF_cond_exp,
    cells.IF_cond_exp_gsfa_grr, cells.IF_facets_hardware1, cells.HH_cond_exp,
    cells.EIF_cond_alpha_isfa_ista, cells.EIF_cond_exp_isfa_ista, cells.Izhikevich,
    cells.GIF_cond_exp, cells.SpikeSourcePoissonRefractory, cells.SpikeSourceGamma,
    cells.SpikeSourceInhGamma))
globals().update({c.__name__: c for c in UNSUPPORTED})
