"""The exception tree of pynn_spinnaker2.

Every error names the user's PyNN object (by label), what was needed, what is available and
one fix. Each class also subclasses the built-in exception a user would expect to catch.
"""

from __future__ import annotations

from pyNN import errors as pynn_errors


class SpiNNaker2Error(Exception):
    """Base class of every error raised by pynn_spinnaker2."""


class NotSupportedError(SpiNNaker2Error, NotImplementedError):
    """A PyNN feature or model that this backend does not support (yet)."""


class InvalidParameterValueError(SpiNNaker2Error, pynn_errors.InvalidParameterValueError):
    """A parameter value that no simulator could use (e.g. unsorted spike times); also PyNN's
    InvalidParameterValueError, which scripts and PyNN's own tests catch."""


class InvalidConnectionError(SpiNNaker2Error, pynn_errors.ConnectionError, ValueError):
    """A connector or projection that cannot make connections as given (a probability outside
    [0, 1], a connection matrix of the wrong shape, a spike source as target); also PyNN's
    ConnectionError."""


class SimulationStateError(SpiNNaker2Error, RuntimeError):
    """A call out of order: run() before setup(), or an object made before the last setup()
    (which starts a new network) used after it."""


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


class RoutingLoopError(SpiNNaker2Error, RuntimeError):
    """Router tables that send packets in circles: still travelling after more hops than the
    machine has chips (a bug in the generated tables, or a hand-made table)."""


class DeadlineMissedError(SpiNNaker2Error, RuntimeError):
    """A PE needed more cycles than a tick gives (raised with setup(strict_timing=True)).

    The recorded data are kept; ``report`` holds the HardwareReport.
    """

    def __init__(self, message: str, report=None) -> None:
        super().__init__(message)
        self.report = report


class SpiNNaker2Warning(UserWarning):
    """Base class of the warnings pynn_spinnaker2 issues for lossy but legal adaptations."""


class DeadlineWarning(SpiNNaker2Warning):
    """A PE would have missed its tick deadline on the hardware (setup(strict_timing=True)
    raises DeadlineMissedError instead)."""


class WeightQuantisationWarning(SpiNNaker2Warning):
    """Weights were rounded to the fixed-point weight field with a noticeable error."""


class UnknownOptionWarning(SpiNNaker2Warning):
    """setup() got options this backend does not know; they are ignored."""


class DelayRoundingWarning(SpiNNaker2Warning):
    """Delays off the timestep grid were rounded to the nearest tick, as NEST does."""


class ReceptorTypeError(SpiNNaker2Error, pynn_errors.ConnectionError):
    """A projection's receptor_type that its post-synaptic cells do not have."""


class DataFileError(SpiNNaker2Error, ValueError):
    """A file name for recorded data whose extension names no format Neo can write."""


class InvariantError(SpiNNaker2Error, AssertionError):
    """A compiler stage's output broke one of its invariants (setup(validate=True)): a bug in
    pynn_spinnaker2, never in the user's model. Explicit, so ``python -O`` keeps the check."""


class RewrittenNetworkError(SpiNNaker2Error, ValueError):
    """The reference simulator (emulator/reference.py) was given a network the compiler
    rewrote (delay extensions, folded Poisson sources): it runs only the network as the user
    built it, ``MappedNetwork.network``."""


class HostMemoryError(ResourceError):
    """Building or running the network would need more memory than this computer has free."""


class RefusedDeviceError(NotSupportedError):
    """An sPyNNaker device or tool that has no meaning on an emulated SpiNNaker2 machine (robot
    and FPGA devices, the partitioner's splitters): named, with the reason and what to use."""


class SpiNNaker1ConventionWarning(SpiNNaker2Warning):
    """A script run in sPyNNaker mode used one of sPyNNaker's conventions (positive inhibitory
    weights, gsyn recorded on current-based cells, ...); it is followed as sPyNNaker does."""


class RankFailedError(SpiNNaker2Error, RuntimeError):
    """Under MPI (mpiexec -n K): a step failed on one or more ranks; every rank raises this same
    error (naming the first failing rank and its error) instead of waiting for it for ever."""
