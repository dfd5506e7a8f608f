"""``sim.NativeRNG``: PyNN random numbers drawn from the backend's counter-based streams.

In:  a seed (or None: the simulation's ``rng_seed``, read at each draw, as pyNN.nest's
     NativeRNG uses NEST's kernel seed).
Out: values for PyNN's ``RandomDistribution`` (parameters, initial values, connector choices,
     weights and delays).
Raises: NotSupportedError for a distribution NEST's native generators lack (``vonmises``).

Draw j of the i-th request (``next()`` call) is a function of (seed, i, j) only: the hash of
random_streams.py with request i as the counter and j as the stream, in its own domain of the
seed so that it never repeats a spike source's numbers. The values do not depend on the
mapping; like every PyNN RNG they depend on the order of the requests in the script.
Non-uniform values come from the uniform ones by exact inverse transforms (gamma, Poisson,
binomial through scipy), Box-Muller (normal, lognormal) or redraws (normal_clipped).
"""

from __future__ import annotations

import numpy as np
from pyNN.random import NativeRNG as _PyNNNativeRNG
from pyNN.random import WrappedRNG
from scipy import special, stats

from .errors import NotSupportedError
from .random_streams import uniform_u32

_DOMAIN = 0x6E61746976655F72    # "native_r": keeps these draws apart from the sources'
_TWO53 = float(2 ** 53)
MAX_REDRAWS = 1000
PARAMETERS = {
    "uniform": ("low", "high"), "uniform_int": ("low", "high"), "normal": ("mu", "sigma"),
    "normal_clipped": ("mu", "sigma", "low", "high"),
    "normal_clipped_to_boundary": ("mu", "sigma", "low", "high"), "exponential": ("beta",),
    "gamma": ("k", "theta"), "lognormal": ("mu", "sigma"), "poisson": ("lambda_",),
    "binomial": ("n", "p"),
}


class NativeRNG(_PyNNNativeRNG, WrappedRNG):
    """The backend's own generator (see the module docstring). ``parallel_safe`` is always
    True: a process would draw all values and keep its own."""

    def __init__(self, seed: int | None = None, parallel_safe: bool = True) -> None:
        WrappedRNG.__init__(self, seed, True)
        self._requests = 0

    def _seed(self) -> int:
        if self.seed is not None:
            return int(self.seed) ^ _DOMAIN
        from . import simulator
        return int(simulator.state.config.rng_seed) ^ _DOMAIN

    def _unit(self, n: int, open_low: bool = False,
              streams: np.ndarray | None = None) -> np.ndarray:
        """n uniform doubles in [0, 1) (in (0, 1) with ``open_low``), one fresh request; for
        the positions ``streams`` only when given."""
        counter = 2 * self._requests
        self._requests += 1
        streams = np.arange(n, dtype=np.uint64) if streams is None else streams.astype(np.uint64)
        hi = uniform_u32(self._seed(), streams, counter)
        lo = uniform_u32(self._seed(), streams, counter + 1)
        bits = (hi << np.uint64(21)) | (lo >> np.uint64(11))
        return (bits.astype(np.float64) + (0.5 if open_low else 0.0)) / _TWO53

    def _standard_normal(self, n: int, streams: np.ndarray | None = None) -> np.ndarray:
        u1, u2 = self._unit(n, True, streams), self._unit(n, False, streams)
        return np.sqrt(-2.0 * np.log(u1)) * np.cos(2.0 * np.pi * u2)

    def _next(self, distribution: str, n: int, parameters: dict) -> np.ndarray:
        if distribution not in PARAMETERS:
            raise NotSupportedError(
                f"{self!r}: the '{distribution}' distribution is not supported by the native "
                f"RNG (as by NEST's); it supports {', '.join(sorted(PARAMETERS))}. Use "
                "NumpyRNG for it.")
        if set(parameters) != set(PARAMETERS[distribution]):
            raise KeyError(f"Incorrect parameterization of random distribution. Expected "
                           f"{PARAMETERS[distribution]}, got {tuple(parameters)}.")
        p = {k: np.asarray(v, dtype=float) for k, v in parameters.items()}
        return getattr(self, "_draw_" + distribution)(int(n), **p)

    # --- the distributions, by PyNN's names and parameters ----------------------------------
    def _draw_uniform(self, size, low, high):
        return low + (high - low) * self._unit(size)

    def _draw_uniform_int(self, size, low, high):
        """Integers in [low, high), as NumpyRNG's."""
        return (low + np.floor((high - low) * self._unit(size))).astype(np.int64)

    def _draw_normal(self, size, mu, sigma):
        return mu + sigma * self._standard_normal(size)

    def _draw_normal_clipped(self, size, mu, sigma, low, high):
        """Normal values redrawn (by position) until they lie in [low, high]."""
        out = mu + sigma * self._standard_normal(size)
        bad = np.flatnonzero((out < low) | (out > high))
        for _ in range(MAX_REDRAWS):
            if not len(bad):
                return out
            out[bad] = mu + sigma * self._standard_normal(len(bad), bad)
            bad = bad[(out[bad] < low) | (out[bad] > high)]
        raise NotSupportedError(f"{self!r}: normal_clipped(mu={mu}, sigma={sigma}, low={low}, "
                                f"high={high}) still out of range after {MAX_REDRAWS} redraws; "
                                "check the parameters.")

    def _draw_normal_clipped_to_boundary(self, size, mu, sigma, low, high):
        return np.clip(mu + sigma * self._standard_normal(size), low, high)

    def _draw_exponential(self, size, beta):
        return -beta * np.log1p(-self._unit(size))

    def _draw_gamma(self, size, k, theta):
        return theta * special.gammaincinv(k, self._unit(size))

    def _draw_lognormal(self, size, mu, sigma):
        return np.exp(mu + sigma * self._standard_normal(size))

    def _draw_poisson(self, size, lambda_):
        return stats.poisson.ppf(self._unit(size, open_low=True), lambda_).astype(np.int64)

    def _draw_binomial(self, size, n, p):
        return stats.binom.ppf(self._unit(size, open_low=True), n, p).astype(np.int64)

    # --- what PyNN's code calls on an RNG besides next() ------------------------------------
    def permutation(self, x) -> np.ndarray:
        """A random permutation of ``x`` (or of range(x) for an int)."""
        items = np.arange(x) if np.ndim(x) == 0 else np.asarray(x)
        return items[np.argsort(self._unit(len(items)), kind="stable")]

    def choice(self, a, size=None, replace: bool = True) -> np.ndarray:
        items = np.arange(a) if np.ndim(a) == 0 else np.asarray(a)
        count = 1 if size is None else int(np.prod(size))
        if replace:
            picked = items[self._draw_uniform_int(count, 0, len(items))]
        else:
            picked = self.permutation(items)[:count]
        return picked[0] if size is None else picked.reshape(size)

