"""Sphinx configuration: the Markdown pages of docs/ (MyST) and an API reference generated from
the docstrings of pynn_spinnaker2's public surface. Build: ``tox -e docs`` (warnings are errors)
or ``sphinx-build -W -b html docs docs/_build/html``."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

project = "pynn_spinnaker2"
author = "pynn_spinnaker2 developers"
copyright = "2026, pynn_spinnaker2 developers"
release = "0.1.0"

extensions = ["myst_parser", "sphinx.ext.autodoc", "sphinx.ext.napoleon"]
source_suffix = {".md": "markdown"}
myst_heading_anchors = 3
myst_enable_extensions = ["colon_fence"]
exclude_patterns = ["_build"]
autodoc_member_order = "bysource"
autodoc_default_options = {"undoc-members": False}
autodoc_typehints = "description"
html_theme = "alabaster"
html_static_path: list[str] = []
