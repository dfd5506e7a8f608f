"""Sizes checked before anything large is allocated: a Population's neurons, a connector's
synapses and a run's host-side buffers, against the largest machine the configuration allows
and against this computer's free memory. Each check takes microseconds.

In:  the configuration (setup()'s), a size (neurons, synapses) or the mapped network, the
     emulation and the ticks about to run.
Out: nothing.
Raises: ParameterRangeError for a run longer than the PE's 32-bit tick counter;
     MachineTooSmallError when even the largest machine setup() allows cannot hold the
     neurons (256 per PE) or the synapses (one 32-bit word each in chip DRAM); HostMemoryError
     when building or running it would need more memory than this computer has free. Both are
     ResourceErrors (also MemoryError) naming the object, the need, the capacity and the fix.

machine="auto" has no machine limit (it takes as many boards as needed): there only the host
limit applies. The host figures are measured peaks of this backend (HOST_BYTES_*), so the
check is an estimate that errs on the side of letting a network through.
"""

from __future__ import annotations

import os

from . import machine as hw
from .errors import HostMemoryError, MachineTooSmallError, ParameterRangeError

# measured with tracemalloc (Population(200_000), AllToAll 2000 x 2000): peak bytes per item
HOST_BYTES_PER_NEURON = 350
HOST_BYTES_PER_SYNAPSE = 36
GIB = 2 ** 30
MAX_TICKS = 2 ** 32 - 1          # the PE's tick counter


def available_bytes() -> int:
    """Memory this computer can still give (MemAvailable; all physical memory elsewhere)."""
    try:
        with open("/proc/meminfo") as meminfo:
            for line in meminfo:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")


def largest_chips(config) -> int | None:
    """Chips of the largest machine the configuration allows (None for machine='auto')."""
    if config.boards is not None or config.machine == "board":
        return (config.boards or 1) * hw.CHIPS_PER_BOARD
    if config.machine == "chip":
        return 1
    return None


def _machine_name(config) -> str:
    if config.machine == "chip":
        return "setup(machine='chip') (1 chip)"
    return f"setup(boards={config.boards or 1}) ({largest_chips(config)} chips)"


def _host(what: str, need: float) -> None:
    free = available_bytes()
    if need > free:
        raise HostMemoryError(
            f"{what} would need about {need / GIB:,.1f} GiB of this computer's memory to "
            f"build and run; {free / GIB:,.1f} GiB are free. Make the network smaller, or run it "
            "on a computer with more memory.")


def check_neurons(config, label: str, size: int, existing: int) -> None:
    """Before a Population of ``size`` neurons is made (``existing`` neurons already are).

    Raises: MachineTooSmallError, HostMemoryError naming the population.
    """
    chips = largest_chips(config)
    if chips is not None:
        capacity = chips * config.usable_pes_per_chip * hw.MAX_NEURONS_PER_PE
        if existing + size > capacity:
            raise MachineTooSmallError(
                f"Population '{label}': {size:,} neurons ({existing + size:,} in all) do not fit "
                f"{_machine_name(config)}, which holds at most {capacity:,} "
                f"({hw.MAX_NEURONS_PER_PE} per PE). Use setup(machine='auto') or more boards.")
    _host(f"Population '{label}' of {size:,} neurons", float(size) * HOST_BYTES_PER_NEURON)


def check_synapses(config, label: str, count: float, existing: int) -> None:
    """Before a Projection's connections are drawn: ``count`` synapses (an upper bound or the
    expected number), ``existing`` in the network already.

    Raises: MachineTooSmallError, HostMemoryError naming the projection.
    """
    chips = largest_chips(config)
    if chips is not None:
        capacity = chips * hw.DRAM_BYTES_PER_CHIP // 4
        if existing + count > capacity:
            raise MachineTooSmallError(
                f"Projection '{label}': about {count:,.0f} synapses ({existing + count:,.0f} in "
                f"all, 4 bytes of DRAM each) do not fit the DRAM of {_machine_name(config)}, "
                f"at most {capacity:,} synapses. Use setup(machine='auto') or more boards, or "
                "fewer connections.")
    _host(f"Projection '{label}' with about {count:,.0f} synapses",
          count * HOST_BYTES_PER_SYNAPSE)


def check_run(n_pes: int, ticks_so_far: int, n_ticks: int, recording_bytes: int,
              counters: int) -> None:
    """Before a run: the hardware trace (``counters`` 32-bit counts per PE and tick since the
    last reset, grown by doubling) and the run's recordings must fit the host.

    Raises: HostMemoryError naming the sizes and the fix.
    """
    ticks = ticks_so_far + n_ticks
    if ticks > MAX_TICKS:
        raise ParameterRangeError(
            f"A run to {ticks:,} ticks is longer than the PE's 32-bit tick counter allows "
            f"({MAX_TICKS:,} ticks since the last sim.reset()). Run a shorter time.")
    capacity = max(1024, 1 << (max(ticks, 1) - 1).bit_length())
    trace = capacity * counters * n_pes * 4
    # growing copies the old buffer into the new one; the report stacks the counts again
    need = 2.5 * trace + 3 * recording_bytes
    free = available_bytes()
    if need > free:
        raise HostMemoryError(
            f"A run to {ticks:,} ticks on {n_pes:,} PEs would need about {need / GIB:,.1f} GiB "
            f"of this computer's memory (hardware counters {trace / GIB:,.1f} GiB, recordings "
            f"{recording_bytes / GIB:,.1f} GiB); {free / GIB:,.1f} GiB are free. Fix: record "
            "fewer variables or with a larger sampling_interval, run a shorter time (the "
            "counters cover every tick since the last sim.reset()), or use a larger "
            "neurons_per_core (fewer PEs). Nothing recorded so far is lost.")
