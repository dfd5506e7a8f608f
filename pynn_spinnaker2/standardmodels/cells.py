"""PyNN standard cell types: one class per native model (neuron_models/), and for every other
standard cell type a class with PyNN's name whose construction raises NotSupportedError."""

from __future__ import annotations

from pyNN.standardmodels import StandardCellType, build_translations, cells

from ..neuron_models import NATIVE_MODELS
from ..parameter_checks import checked_init
from ..spinnaker1.conventions import initial_as_parameters
from .unsupported import unsupported


def _backend_class(model) -> type:
    """PyNN's class with identity translations (parameters are kept in PyNN units)."""
    base = model.pynn_class
    names = list(base.default_parameters)
    return type(base.__name__, (base,), {
        "__doc__": base.__doc__,
        "__module__": __name__,
        "native_model": model.name,
        "translations": build_translations(*[(n, n) for n in names]),
        "recordable": ["spikes", *[r for r in model.recordable]],
        "__init__": checked_init(initial_as_parameters(base.__init__)),
    })


SUPPORTED = tuple(sorted((_backend_class(m) for m in NATIVE_MODELS.values()
                          if m.pynn_class is not None),
                         key=lambda c: c.__name__))
globals().update({c.__name__: c for c in SUPPORTED})

_ADVICE = f"Supported cell types: {', '.join(c.__name__ for c in SUPPORTED)}."
_supported_names = {c.__name__ for c in SUPPORTED}
UNSUPPORTED = tuple(
    unsupported(c, _ADVICE) for c in vars(cells).values()
    if isinstance(c, type) and issubclass(c, StandardCellType) and c is not StandardCellType
    and c.__module__ == cells.__name__ and c.__name__ not in _supported_names
    and c.__name__ != "PointNeuron"    # composed models: composed.py
    and getattr(c, "default_parameters", None) is not None)
globals().update({c.__name__: c for c in UNSUPPORTED})

__all__ = [c.__name__ for c in SUPPORTED + UNSUPPORTED]
