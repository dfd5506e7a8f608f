"""The exception tree of pynn_spinnaker2.

Every error names the user's PyNN object (by label), what was needed, what is available and
one fix. Each class also subclasses the built-in exception a user would expect to catch.
"""

from __future__ import annotations

from pyNN import errors as _pynn_errors


class SpiNNaker2Error(Exception):
    """Base class of every error raised by pynn_spinnaker2."""


class NotSupportedError(SpiNNaker2Error, NotImplementedError):
    """A PyNN feature or model that this backend does not support (yet)."""


class ConfigurationError(SpiNNaker2Error, ValueError):
    """A bad argument to setup() or a bad machine description."""


class MappingError(SpiNNaker2Error):
    """The network cannot be mapped onto the configured machine."""


class ParameterRangeError(MappingError, ValueError):
    """A value (delay, weight, rate) lies outside what the PE application can represent."""


class ResourceError(MappingError, MemoryError):
    """A resource (PEs, SRAM, DRAM, router entries) is exhausted."""


class MachineTooSmallError(ResourceError):
    """The network needs more PEs than the configured machine has."""


class RouterTableOverflowError(ResourceError):
    """A chip's multicast router table needs more entries than it has."""


class DeadlineMissedError(SpiNNaker2Error, RuntimeError):
    """A PE needed more cycles than a tick gives (raised with setup(strict_timing=True)).

    The recorded data are kept; ``report`` holds the HardwareReport.
    """

    def __init__(self, message: str, report=None) -> None:
        super().__init__(message)
        self.report = report


class ReceptorTypeError(SpiNNaker2Error, _pynn_errors.ConnectionError):
    """A projection's receptor_type that its post-synaptic cells do not have."""
