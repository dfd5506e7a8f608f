"""Weights rounded as SpiNNaker2's NIR converter stores them: per target population, signed
integers of ``bits`` bits scaled so that the largest magnitude is the largest integer.

In:  the weights of all synapses onto one population (float64, signed), the bit width.
Out: the rounded weights (same units) and the figures of the report.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


@dataclass
class QuantisationReport:
    """Per target population: the scale (weight units per integer step), the number of
    synapses, the worst relative error |q - w| / |w| over the non-zero weights, the worst error
    relative to the largest weight, and how many non-zero weights became zero."""

    bits: int
    populations: dict[str, dict[str, float]] = field(default_factory=dict)

    @property
    def worst_relative_error(self) -> float:
        return max((p["worst_relative_error"] for p in self.populations.values()), default=0.0)

    def __str__(self) -> str:
        lines = [f"{self.bits}-bit weights: worst relative error "
                 f"{self.worst_relative_error:.3%}"]
        for name, p in self.populations.items():
            lines.append(f"  {name}: scale {p['scale']:.4g}, {int(p['synapses'])} synapses, "
                         f"worst {p['worst_relative_error']:.3%} of a weight, "
                         f"{p['worst_full_scale_error']:.3%} of full scale, "
                         f"{int(p['zeroed'])} rounded to 0")
        return "\n".join(lines)


def quantise(weights: np.ndarray, bits: int) -> tuple[np.ndarray, dict[str, float]]:
    """Round to the grid max|w| / (2**(bits-1) - 1). Out: (rounded weights, report entry)."""
    w = np.asarray(weights, dtype=np.float64)
    largest = float(np.abs(w).max()) if w.size else 0.0
    if largest == 0.0:
        return w.copy(), {"scale": 0.0, "synapses": float(w.size), "worst_relative_error": 0.0,
                          "worst_full_scale_error": 0.0, "zeroed": 0.0}
    scale = largest / (2 ** (bits - 1) - 1)
    q = np.round(w / scale) * scale
    nonzero = w != 0
    error = np.abs(q - w)
    return q, {"scale": scale, "synapses": float(w.size),
               "worst_relative_error": float((error[nonzero] / np.abs(w[nonzero])).max()),
               "worst_full_scale_error": float(error.max() / largest),
               "zeroed": float(np.count_nonzero(nonzero & (q == 0)))}
