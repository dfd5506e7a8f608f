"""The registry of native neuron models: every module of this package that defines ``MODEL``.

Adding a model is adding one module here (see base.py); nothing else needs to list it.
"""

from __future__ import annotations

import importlib
import pkgutil

from .base import NativeModel, TickContext  # noqa: F401

NATIVE_MODELS: dict[str, NativeModel] = {}
for _info in pkgutil.iter_modules(__path__):
    if _info.name.startswith("_") or _info.name == "base":
        continue
    _module = importlib.import_module(f"{__name__}.{_info.name}")
    if hasattr(_module, "MODEL"):
        NATIVE_MODELS[_module.MODEL.name] = _module.MODEL

MAX_RECEPTORS = max(len(m.receptors) for m in NATIVE_MODELS.values())
