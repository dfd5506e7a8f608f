"""The registry of native neuron models: every module of this package that defines ``MODEL``,
and the composed models (_composed.py), built from their names on first use.

Adding a model is adding one module here (see base.py); nothing else needs to list it.
"""

from __future__ import annotations

import importlib
import pkgutil
from typing import Iterable

from .base import NativeModel, TickContext  # noqa: F401
from ._composed import MAX_COMPOSED_RECEPTORS, model_for


class _Registry(dict):
    """name -> NativeModel; a composed model's name builds (and keeps) its model on lookup."""

    def __missing__(self, name: str) -> NativeModel:
        model = model_for(name)          # KeyError for a name that is no composition
        self[name] = model
        return model

    def __contains__(self, name: object) -> bool:
        if dict.__contains__(self, name):
            return True
        try:
            self[name]
        except KeyError:
            return False
        return True

    def get(self, name, default=None):
        return self[name] if name in self else default


NATIVE_MODELS: dict[str, NativeModel] = _Registry()
for _info in pkgutil.iter_modules(__path__):
    if _info.name.startswith("_") or _info.name == "base":
        continue
    _module = importlib.import_module(f"{__name__}.{_info.name}")
    if hasattr(_module, "MODEL"):
        NATIVE_MODELS[_module.MODEL.name] = _module.MODEL

# the synapse word's synapse-type field: receptors a model may have
MAX_RECEPTORS = MAX_COMPOSED_RECEPTORS


def receptor_rows(models: Iterable[str]) -> int:
    """Ring-buffer rows (receptors) that the models need: the most any of them has (>= 1)."""
    return max([len(NATIVE_MODELS[m].receptors) for m in models] + [1])
