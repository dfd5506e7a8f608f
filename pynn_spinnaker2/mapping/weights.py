"""Fixed-point weights: one exponent per (post-synaptic population, synapse type), and
quantisation.

In:  the largest weight magnitude onto each (target slice, synapse type) and each slice's
     population; magnitudes and their scale factors, chunk by chunk.
Out: exponents; integer weights and the worst relative error.
Warns: WeightQuantisationWarning for a projection whose worst relative error is above 1e-3.

Weights are stored as unsigned magnitudes scaled by 2**exponent, the exponent chosen per
(post-synaptic population, synapse type) as the largest that keeps the biggest weight onto any
slice of that population within the weight field (docs/formats.md, "Weights: fixed point"). Each
PE holds its population's exponent, so a weight quantises the same however the population is
sliced (same seed, same spikes whatever the mapping).
"""

from __future__ import annotations

import warnings

import numpy as np

from ..errors import WeightQuantisationWarning
from ..ir import NetworkSpec

QUANTISATION_WARN_REL_ERROR = 1e-3


def choose_weight_exponents(largest: np.ndarray, weight_bits: int,
                            slice_pop: np.ndarray | None = None) -> np.ndarray:
    """Largest power-of-two exponent per (slice, type) that keeps the biggest weight in range.

    In: (n_slices, N_SYNAPSE_TYPES) largest magnitudes (0 where there are none); the population
    of each slice (when given, each slice gets the largest magnitude over its population's
    slices, so all slices of a population share their exponents).
    Out: same shape, int64; 0 where there are no non-zero weights.
    """
    if slice_pop is not None and len(slice_pop):
        per_pop = np.zeros((int(slice_pop.max()) + 1, largest.shape[1]))
        np.maximum.at(per_pop, slice_pop, largest)
        largest = per_pop[slice_pop]
    with np.errstate(divide="ignore"):
        exponent = np.floor(np.log2(((1 << weight_bits) - 1) / largest))
    return np.where(largest > 0, exponent, 0).astype(np.int64)


def quantise(magnitude: np.ndarray, scale: np.ndarray,
             weight_bits: int) -> tuple[np.ndarray, float]:
    """Integer weights min(round(magnitude * scale), 2**bits - 1) and the worst relative error.

    In: magnitudes (float64, overwritten) and their scale factors 2**exponent, arrays of equal
    length.
    Out: uint32 integer weights; the largest |decoded - magnitude| / magnitude over the
    non-zero magnitudes (0.0 when there are none).
    """
    exact = np.multiply(magnitude, scale, out=magnitude)
    weight = np.round(exact)
    np.minimum(weight, (1 << weight_bits) - 1, out=weight)
    # |weight / scale - magnitude| / magnitude, NaN (0 / 0) for a zero magnitude, skipped by fmax
    error = np.abs(weight - exact)
    with np.errstate(invalid="ignore"):
        np.divide(error, exact, out=error)
    worst = float(np.fmax.reduce(error, initial=0.0)) if len(error) else 0.0
    return weight.astype(np.uint32), worst


def warn_quantisation(network: NetworkSpec, worst: np.ndarray) -> dict[int, float]:
    """Warn for every projection whose worst relative error is above the threshold.

    In: the worst relative error per projection id.
    Out: {projection id: worst relative error}.
    """
    for proj in network.projections:
        if worst[proj.id] > QUANTISATION_WARN_REL_ERROR:
            warnings.warn(
                f"Projection '{proj.label}': weights quantised to the PE's fixed-point format "
                f"with a worst relative error of {worst[proj.id]:.2e}. Weights that differ by "
                "large factors onto the same PE and receptor lose precision.",
                WeightQuantisationWarning, stacklevel=2)
    return {p.id: float(worst[p.id]) for p in network.projections}
