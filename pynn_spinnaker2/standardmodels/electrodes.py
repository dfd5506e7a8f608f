"""Current sources: not supported yet; each raises NotSupportedError naming itself."""

from __future__ import annotations

from pyNN.standardmodels import electrodes

from .unsupported import unsupported


UNSUPPORTED = tuple(unsupported(c, "Current injection is not available yet; use i_offset "
                                   "for a constant current.") for c in (
    electrodes.DCSource, electrodes.ACSource, electrodes.StepCurrentSource,
    electrodes.NoisyCurrentSource))
globals().update({c.__name__: c for c in UNSUPPORTED})
