"""Stands in for ``pacman.model.partitioner_splitters`` and
``spynnaker.pyNN.extra_algorithms.splitter_components`` (aliases.py): importing any splitter
from them raises RefusedDeviceError naming it (refused.py says why)."""

from __future__ import annotations

from .refused import refused_splitter


def __getattr__(name: str):
    if name.startswith("__"):
        raise AttributeError(name)
    raise refused_splitter(name)
