"""Module names of other backends and of sPyNNaker that resolve to pynn_spinnaker2's modules.

``install()`` puts a finder at the front of ``sys.meta_path`` (nothing on disk changes, the
installed PyNN is untouched): ``import pyNN.spiNNaker as p``, ``import pyNN.spinnaker2`` and
``get_simulator()`` with ``spinnaker2``/``spiNNaker`` give the pynn_spinnaker2 package itself
(one module object, not a copy), and the sPyNNaker helper modules that example scripts import
(``spynnaker.pyNN.utilities.neo_convertor``, ``spynnaker.pyNN.external_devices``, ...) give
their counterparts here. Importing ``pyNN.spiNNaker`` (or ``spynnaker8``, or any ``spynnaker``
module) turns sPyNNaker mode on (mode.py).
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import sys

# name a script imports -> (module here, turns sPyNNaker mode on); a package alias also maps
# every module below it (pyNN.spiNNaker.extra_models -> pynn_spinnaker2.extra_models)
PACKAGES = {
    "pyNN.spinnaker2": ("pynn_spinnaker2", False),
    "pyNN.spiNNaker": ("pynn_spinnaker2", True),
    "spynnaker8": ("pynn_spinnaker2", True),
    "spynnaker.pyNN.external_devices": ("pynn_spinnaker2.external_devices", True),
    "spynnaker.pyNN.extra_models": ("pynn_spinnaker2.extra_models", True),
}
MODULES = {
    "spynnaker.pyNN.utilities.neo_convertor": "pynn_spinnaker2.spinnaker1.neo_convertor",
    "spynnaker.pyNN.utilities.utility_calls": "pynn_spinnaker2.spinnaker1.utility_calls",
    "spynnaker.pyNN.models.utility_models.spike_injector": "pynn_spinnaker2.external_devices",
    "spynnaker.pyNN.extra_algorithms.splitter_components":
        "pynn_spinnaker2.spinnaker1.refused_splitters",
    "pacman.model.partitioner_splitters": "pynn_spinnaker2.spinnaker1.refused_splitters",
}


def _parents() -> frozenset[str]:
    """Every package name above an alias that is not itself an alias ("spynnaker",
    "spynnaker.pyNN", "pacman", ...): empty packages, so the submodule imports reach us."""
    names = set()
    for name in [*PACKAGES, *MODULES]:
        parts = name.split(".")
        names.update(".".join(parts[:i]) for i in range(1, len(parts)))
    return frozenset(names - set(PACKAGES) - set(MODULES) - {"pyNN"})


PARENTS = _parents()


def target_of(fullname: str) -> tuple[str | None, bool]:
    """The module here that ``fullname`` stands for, and whether it turns sPyNNaker mode on.

    Out: (None, False) for a name this finder does not handle.
    """
    if fullname in MODULES:
        return MODULES[fullname], True
    for name, (target, mode) in PACKAGES.items():
        if fullname == name or fullname.startswith(name + "."):
            return target + fullname[len(name):], mode
    return None, False


class _AliasLoader(importlib.abc.Loader):
    """Gives the existing module object (aliased, not loaded a second time)."""

    def __init__(self, target: str | None, spynnaker: bool) -> None:
        self.target, self.spynnaker = target, spynnaker

    def create_module(self, spec):
        if self.spynnaker or spec.name.startswith("spynnaker"):
            from . import mode
            mode.enable()
        if self.target is None:          # an empty parent package
            return None
        return importlib.import_module(self.target)

    def exec_module(self, module) -> None:
        """Nothing to run: the target module ran when it was first imported."""


class AliasFinder(importlib.abc.MetaPathFinder):
    """Finds the aliased names (PACKAGES, MODULES) and their parents (PARENTS)."""

    def find_spec(self, fullname, path=None, target=None):
        if fullname in PARENTS:
            return importlib.machinery.ModuleSpec(fullname, _AliasLoader(None, False),
                                                  is_package=True)
        module, spynnaker = target_of(fullname)
        if module is None:
            return None
        return importlib.machinery.ModuleSpec(fullname, _AliasLoader(module, spynnaker))


def install() -> None:
    """Put the finder first on sys.meta_path (once). In: nothing. Out: None."""
    if not any(isinstance(f, AliasFinder) for f in sys.meta_path):
        sys.meta_path.insert(0, AliasFinder())
