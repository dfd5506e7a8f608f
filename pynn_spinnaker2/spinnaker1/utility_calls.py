"""The parts of sPyNNaker's ``spynnaker.pyNN.utilities.utility_calls`` that example scripts
use (aliases.py maps that name here)."""

from __future__ import annotations


def get_n_bits(n_values: int) -> int:
    """The number of bits needed to hold ``n_values`` different values (0 for 0 values, 0 for
    1 value, 1 for 2, 2 for 3 or 4, ...). Raises: ValueError for a negative count."""
    if n_values < 0:
        raise ValueError(f"get_n_bits({n_values!r}): give a count >= 0.")
    return 0 if n_values <= 1 else int(n_values - 1).bit_length()
