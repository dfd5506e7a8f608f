"""NIR (the Neuromorphic Intermediate Representation) both ways, see docs/nir.md.

``from_nir(graph_or_path, dt=None, reset=..., scheme=..., quantise_bits=None)`` builds a NIR graph
as PyNN populations and projections; ``to_nir(populations, projections)`` exports a network.
Needs the ``nir`` package (``pip install pynn_spinnaker2[nir]``); importing pynn_spinnaker2
alone never imports it.
"""

from __future__ import annotations

from .exporter import to_nir
from .importer import NIRNetwork, from_nir
from .quantise import QuantisationReport

__all__ = ["from_nir", "to_nir", "NIRNetwork", "QuantisationReport"]
