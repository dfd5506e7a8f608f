"""File names for recorded data (record(..., to_file=...), write_data()), checked when given.

In:  the PyNN object writing (for its label) and a file name.
Out: nothing.
Raises: DataFileError (a ValueError) naming the object and the file when its extension names
     no format Neo writes (PyNN would raise a bare Exception, or an IOError for ASCII ones, and
     only when writing).
"""

from __future__ import annotations

import os

# PyNN's recording.get_io: extension -> Neo IO
WRITABLE = (".pkl", ".pickle", ".nix", ".h5", ".nwb", ".mat")


def check_filename(owner, filename: str) -> None:
    """Raises: DataFileError for a file name PyNN's get_io cannot open for writing."""
    from .errors import DataFileError
    extension = os.path.splitext(filename)[1].lower()
    if extension not in WRITABLE:
        raise DataFileError(
            f"'{getattr(owner, 'label', owner)}': cannot write recorded data to '{filename}': "
            f"the extension '{extension}' names no format Neo writes. Use one of "
            f"{', '.join(WRITABLE)} (e.g. 'results.pkl').")


class FileChecks:
    """Mixin for Population, PopulationView and Assembly: file names checked when given."""

    def record(self, variables, to_file=None, sampling_interval=None, locations=None):
        if isinstance(to_file, str):
            check_filename(self, to_file)
        return super().record(variables, to_file, sampling_interval, locations)

    def write_data(self, io, *args, **kwargs):
        if isinstance(io, str):
            check_filename(self, io)
        return super().write_data(io, *args, **kwargs)
