"""Current sources: not supported yet; each raises NotSupportedError naming itself."""

from __future__ import annotations

from pyNN.standardmodels import electrodes

from ..errors import NotSupportedError


def _unsupported(base: type) -> type:
    def __init__(self, *args, **kwargs):
        raise NotSupportedError(f"{base.__name__} (current injection) is not supported by "
                                "pynn_spinnaker2 yet; use i_offset for a constant current.")

    return type(base.__name__, (base,), {"__init__": __init__, "__doc__": base.__doc__,
                                        "translations": {}})


UNSUPPORTED = tuple(_unsupported(c) for c in (
    electrodes.DCSource, electrodes.ACSource, electrodes.StepCurrentSource,
    electrodes.NoisyCurrentSource))
globals().update({c.__name__: c for c in UNSUPPORTED})
