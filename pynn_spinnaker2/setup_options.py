"""setup()'s arguments: the options this backend knows, the checks of PyNN's time arguments,
and the drop-in handling of options it does not know."""

from __future__ import annotations

import difflib
import math
import numbers
import warnings

from .errors import ConfigurationError, SpiNNaker2Warning, UnknownOptionWarning

SETUP_OPTIONS = ("machine", "boards", "rng_seed", "validate", "neurons_per_core",
                 "weight_bits", "usable_pes_per_chip", "progress_bar", "performance_level",
                 "pl_threshold", "time_scale_factor", "strict_timing", "hardware_summary",
                 "dead_chips", "dead_links", "dead_pes", "placer", "fold_poisson")


def is_finite_number(value) -> bool:
    """A real number (not a bool, not a string) that is neither NaN nor infinite."""
    return (not isinstance(value, bool) and isinstance(value, numbers.Real)
            and math.isfinite(value))


def _number(name: str, value) -> float:
    if not is_finite_number(value):
        raise ConfigurationError(
            f"setup({name}={value!r}): {name} must be a finite number of ms, not "
            f"{type(value).__name__} {value!r}; e.g. setup({name}=0.1).")
    return float(value)


def check_times(timestep, min_delay, max_delay) -> None:
    """Raises: ConfigurationError naming the argument when timestep is not a finite number
    > 0, min_delay (unless "auto") is below the timestep, or max_delay (unless "auto") is below
    min_delay, before PyNN's own setup() sees them."""
    dt = _number("timestep", timestep)
    if dt <= 0:
        raise ConfigurationError(f"setup(timestep={timestep!r}): the timestep must be > 0 ms.")
    low = dt
    if min_delay != "auto":
        low = _number("min_delay", min_delay)
        if low < dt * (1 - 1e-9):
            raise ConfigurationError(
                f"setup(min_delay={min_delay!r}): min_delay must be at least the timestep "
                f"({dt:g} ms); a PE delays a spike by whole ticks. Use min_delay >= {dt:g} or "
                "min_delay='auto'.")
    if max_delay != "auto" and _number("max_delay", max_delay) < low:
        raise ConfigurationError(
            f"setup(max_delay={max_delay!r}): max_delay must be at least min_delay ({low:g} "
            "ms); leave it out for the longest delay the machine supports.")


def spike_precision(value: str) -> str:
    """setup(spike_precision=...): "on_grid" (the PE's way), or "off_grid", under which spike
    sources report their exact times (offgrid.py) and neurons stay on the grid, said once.

    Raises: ConfigurationError for any other value.
    """
    if value not in ("on_grid", "off_grid"):
        raise ConfigurationError(f"setup(spike_precision={value!r}): choose 'on_grid' or "
                                 "'off_grid'.")
    if value == "off_grid":
        warnings.warn("setup(spike_precision='off_grid'): SpiNNaker2 PEs are time-stepped, so "
                      "neuron spikes are on the timestep grid; spike sources report their exact "
                      "times.", SpiNNaker2Warning, stacklevel=3)
    return value


def warn_unknown_options(names: list[str]) -> None:
    """One warning naming the setup() options this backend ignores, each with the nearest
    option it knows, so that a typo (``neurons_per_cor``) is still noticed.

    Options meant for other backends or older PyNN (``t_flush``, ``quit_on_end``, ...) are
    ignored, as drop-in use needs.
    """
    described = []
    for name in names:
        close = difflib.get_close_matches(name, SETUP_OPTIONS, n=1, cutoff=0.75)
        described.append(f"{name!r} (did you mean {close[0]!r}?)" if close else repr(name))
    warnings.warn(f"setup() ignores option(s) it does not know: {', '.join(described)}. "
                  f"pynn_spinnaker2's own options are {', '.join(SETUP_OPTIONS)}.",
                  UnknownOptionWarning, stacklevel=3)


_WHOLE = ("boards", "rng_seed", "usable_pes_per_chip", "weight_bits")
_REQUIRED = ("usable_pes_per_chip", "weight_bits", "rng_seed")
_FLAGS = ("validate", "progress_bar", "strict_timing", "hardware_summary", "fold_poisson")
_NUMBERS = ("pl_threshold", "time_scale_factor")
_FAULTS = {"dead_chips": ("x", "y"), "dead_links": ("x", "y", "direction"),
           "dead_pes": ("x", "y", "pe")}


def check_types(config) -> None:
    """Raises: ConfigurationError naming the setup() option whose value has the wrong type
    (a whole number, a flag, a finite number, a list of fault tuples), before any is used."""
    for name in _WHOLE:
        value = getattr(config, name)
        if (value is not None or name in _REQUIRED) and (
                isinstance(value, bool) or not isinstance(value, numbers.Integral)):
            raise ConfigurationError(f"setup({name}={value!r}): give a whole number.")
    for name in _FLAGS:
        if not isinstance(getattr(config, name), (bool, int)):
            raise ConfigurationError(f"setup({name}={getattr(config, name)!r}): give True or "
                                     "False.")
    for name in _NUMBERS:
        value = getattr(config, name)
        if not is_finite_number(value):
            raise ConfigurationError(f"setup({name}={value!r}): give a finite number.")
    for name, fields in _FAULTS.items():
        value = getattr(config, name)
        try:
            entries = [tuple(entry) for entry in value]
        except TypeError:
            entries = None
        if entries is None or any(len(e) != len(fields) for e in entries) or any(
                not isinstance(v, numbers.Integral) or isinstance(v, bool)
                for e in entries for f, v in zip(fields, e) if f != "direction"):
            raise ConfigurationError(
                f"setup({name}={value!r}): give a list of ({', '.join(fields)}) tuples of "
                "whole numbers" + (" and a link name" if "direction" in fields else "") + ".")
