"""PyNN standard models: PyNN names -> native names and units (identity here: PyNN units)."""
