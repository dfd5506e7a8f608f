"""sPyNNaker's synaptogenesis rules: partner selection, formation and elimination.

The published rule (Bogdan et al. 2018, "Structural plasticity on the SpiNNaker many-core
neuromorphic system", Front. Neurosci. 12:434), as sPyNNaker runs it on the machine:

- partner selection: ``RandomSelection`` picks a pre-synaptic population of the structural
  projections onto the post-synaptic population, then one of its neurons, uniformly;
  ``LastNeuronSelection`` picks one of the (at most ``spike_buffer_size``) spikes the
  structural projections delivered in the previous tick, uniformly, and its source neuron.
- formation (``DistanceDependentFormation``): neuron i of a population sits at
  (i // grid_x, i % grid_y) of a periodic grid; with the squared distance d2 between the pre-
  and the post-synaptic neuron's places (each coordinate's difference folded by the grid's
  periodic boundary), a synapse forms with probability
  ``p_form * exp(-d2 / (2 sigma**2))``, quantised to 16 bits as on the machine (none where
  that is 0); the lateral
  parameters apply when the pre- and post-synaptic populations are the same.
- elimination (``RandomByWeightElimination``): a synapse whose weight magnitude is below
  ``threshold`` is removed with probability ``prob_elim_depressed``, any other with
  ``prob_elim_potentiated`` (the only one that applies to static weights at or above it).
"""

from __future__ import annotations

import numpy as np

from ..errors import InvalidParameterValueError

U16_MAX = 0xFFFF
U32_MAX = 0xFFFFFFFF


def _probability(rule: str, name: str, value) -> float:
    if not isinstance(value, (int, float, np.number)) or not 0 <= value <= 1:
        raise InvalidParameterValueError(f"{rule}({name}={value!r}): a probability must be a "
                                         "number from 0 to 1.")
    return float(value)


def _positive(rule: str, name: str, value) -> float:
    if not isinstance(value, (int, float, np.number)) or not value > 0 or value == np.inf:
        raise InvalidParameterValueError(f"{rule}({name}={value!r}): must be a positive "
                                         "finite number.")
    return float(value)


class RandomSelection:
    """Partner selection: a uniformly random neuron of a uniformly random pre-synaptic
    population of the structural projections onto the post-synaptic population."""

    kind = "random"

    def get_parameter_names(self) -> list[str]:
        return []


class LastNeuronSelection:
    """Partner selection: the source of a uniformly random one of the spikes the structural
    projections delivered in the previous tick (the first ``spike_buffer_size`` of them)."""

    kind = "last_neuron"

    def __init__(self, spike_buffer_size: int = 64) -> None:
        if isinstance(spike_buffer_size, bool) or not isinstance(
                spike_buffer_size, (int, np.integer)) or spike_buffer_size < 1:
            raise InvalidParameterValueError(
                f"LastNeuronSelection(spike_buffer_size={spike_buffer_size!r}): must be a "
                "whole number >= 1.")
        self.spike_buffer_size = int(spike_buffer_size)

    def get_parameter_names(self) -> list[str]:
        return ["spike_buffer_size"]


class DistanceDependentFormation:
    """Formation with probability ``p_form * exp(-d2 / (2 sigma**2))`` of the squared distance
    d2 on a periodic ``grid`` (feed-forward parameters between two populations, lateral ones
    within one)."""

    def __init__(self, grid=(16, 16), p_form_forward: float = 0.16,
                 sigma_form_forward: float = 2.5, p_form_lateral: float = 1.0,
                 sigma_form_lateral: float = 1.0) -> None:
        name = "DistanceDependentFormation"
        grid = np.asarray(grid, dtype=float).ravel()
        if len(grid) != 2 or not np.all(np.isfinite(grid)) or np.any(grid < 1):
            raise InvalidParameterValueError(f"{name}(grid={grid.tolist()}): give two grid "
                                             "sizes >= 1, e.g. grid=(10, 10).")
        self.grid = grid.astype(np.int64)
        self.p_form_forward = _probability(name, "p_form_forward", p_form_forward)
        self.sigma_form_forward = _positive(name, "sigma_form_forward", sigma_form_forward)
        self.p_form_lateral = _probability(name, "p_form_lateral", p_form_lateral)
        self.sigma_form_lateral = _positive(name, "sigma_form_lateral", sigma_form_lateral)
        self.forward_table = self.probability_table(self.p_form_forward,
                                                    self.sigma_form_forward)
        self.lateral_table = self.probability_table(self.p_form_lateral,
                                                    self.sigma_form_lateral)

    def get_parameter_names(self) -> list[str]:
        return ["grid", "p_form_forward", "sigma_form_forward", "p_form_lateral",
                "sigma_form_lateral"]

    def probability_table(self, peak: float, sigma: float) -> np.ndarray:
        """The 16-bit formation probability of each squared distance the grid has (0 up to
        65535 for 1), as the PE holds it: ``floor(peak * exp(-d2 / (2 sigma**2)) * 65535)``."""
        half = self.grid // 2
        largest = int(np.sum(np.where(self.grid > 1, half, 0) ** 2))
        d2 = np.arange(largest + 1, dtype=np.float64)
        table = np.floor(peak * np.exp(-d2 / (2 * sigma ** 2)) * U16_MAX).astype(np.int64)
        return table[table > 0]      # decreasing: the PE keeps the non-zero head only

    def squared_distance(self, pre: np.ndarray, post: np.ndarray) -> np.ndarray:
        """Squared periodic-grid distance between neuron indices ``pre`` and ``post``."""
        gx, gy = int(self.grid[0]), int(self.grid[1])
        pre, post = np.asarray(pre, np.int64), np.asarray(post, np.int64)
        dx = np.abs(pre // gx - post // gx) if gx > 1 else np.zeros_like(pre)
        dy = np.abs(pre % gy - post % gy) if gy > 1 else np.zeros_like(pre)
        dx = np.where((dx > gx // 2) & (gx > 1), dx - gx, dx)
        dy = np.where((dy > gy // 2) & (gy > 1), dy - gy, dy)
        return dx * dx + dy * dy

    def probability16(self, pre: np.ndarray, post: np.ndarray, lateral: bool) -> np.ndarray:
        """The 16-bit formation probability of each (pre, post) pair: a synapse forms when a
        16-bit draw is at most this; -1 (never) beyond the table's non-zero entries."""
        table = self.lateral_table if lateral else self.forward_table
        d2 = self.squared_distance(pre, post)
        if not len(table):
            return np.full(len(d2), -1, dtype=np.int64)
        return np.where(d2 < len(table), table[np.minimum(d2, len(table) - 1)], -1)


class RandomByWeightElimination:
    """Elimination with ``prob_elim_depressed`` below ``threshold`` (weight magnitude), with
    ``prob_elim_potentiated`` at or above it."""

    def __init__(self, threshold: float, prob_elim_depressed: float = 0.0245,
                 prob_elim_potentiated: float = 1.36e-4) -> None:
        name = "RandomByWeightElimination"
        if not isinstance(threshold, (int, float, np.number)) or not np.isfinite(threshold):
            raise InvalidParameterValueError(f"{name}(threshold={threshold!r}): must be a "
                                             "finite number (a weight).")
        self.threshold = float(threshold)
        self.prob_elim_depressed = _probability(name, "prob_elim_depressed",
                                                prob_elim_depressed)
        self.prob_elim_potentiated = _probability(name, "prob_elim_potentiated",
                                                  prob_elim_potentiated)

    def get_parameter_names(self) -> list[str]:
        return ["prob_elim_depressed", "prob_elim_potentiated", "threshold"]

    def probability32(self, weight: np.ndarray) -> np.ndarray:
        """The 32-bit elimination probability of synapses of weight ``weight``."""
        p = np.where(np.abs(weight) < self.threshold, self.prob_elim_depressed,
                     self.prob_elim_potentiated)
        return np.floor(p * U32_MAX).astype(np.int64)
