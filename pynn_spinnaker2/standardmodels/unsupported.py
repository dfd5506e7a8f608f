"""Classes with PyNN's standard-model names whose construction raises NotSupportedError."""

from __future__ import annotations

from ..errors import NotSupportedError


def unsupported(base: type, advice: str) -> type:
    """A subclass of ``base`` that raises NotSupportedError naming it, followed by ``advice``."""

    def __init__(self, *args, **kwargs):
        raise NotSupportedError(f"{base.__name__} is not supported by pynn_spinnaker2 yet. "
                                f"{advice}")

    return type(base.__name__, (base,), {"__init__": __init__, "__doc__": base.__doc__,
                                        "translations": {}})
