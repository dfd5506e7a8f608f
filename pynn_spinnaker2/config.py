"""The frozen configuration built by setup(), validated once and passed down explicitly."""

from __future__ import annotations

from dataclasses import dataclass

from .errors import ConfigurationError
from .machine import MAX_NEURONS_PER_PE, PES_PER_CHIP, USABLE_PES_PER_CHIP

MACHINE_KINDS = ("auto", "chip", "board")
WEIGHT_BITS_CHOICES = (4, 8, 16)


@dataclass(frozen=True)
class Config:
    """Everything the compiler and the emulator need to know besides the network.

    timestep: integration step and router tick, in ms.
    machine: "auto" (smallest number of 48-chip boards that fits), "chip" or "board".
    boards: number of boards (implies machine="board" when given).
    rng_seed: seed of every random stream of the emulator (Poisson sources).
    validate: run each compiler stage's invariant checks.
    neurons_per_core: upper bound on neurons per PE: one int for all populations, or a dict from
        population labels and/or cell type names (e.g. "IF_curr_exp") to ints, with "default"
        for the rest; a label wins over a cell type.
    weight_bits: width of the weight field actually used (16, or 8/4 to preview small formats).
    usable_pes_per_chip: PEs per chip that applications may use.
    performance_level: "high" (300 MHz), "low" (150 MHz), or "auto": per PE and tick, "high"
        when the PE received more than pl_threshold packets in that tick, else "low".
    time_scale_factor: the hardware's tick lasts timestep * time_scale_factor of wall time.
    strict_timing: raise DeadlineMissedError after a run in which a PE missed a deadline
        (otherwise warn once).
    hardware_summary: print the hardware report's summary at end().
    dead_chips, dead_links, dead_pes: faults to avoid, as (x, y), (x, y, "E"), (x, y, pe).
    placer: "connectivity" (connected populations side by side) or "sequential" (creation order).
    fold_poisson: draw the spikes of a SpikeSourcePoisson whose only projections are static and
        one-to-one on its targets' PEs instead of on PEs of its own (mapping/poisson_fold.py).
    """

    timestep: float = 0.1
    min_delay: float = 0.1
    max_delay: float = 6.4
    machine: str = "auto"
    boards: int | None = None
    rng_seed: int = 0
    validate: bool = False
    neurons_per_core: int | tuple = MAX_NEURONS_PER_PE
    weight_bits: int = 16
    usable_pes_per_chip: int = USABLE_PES_PER_CHIP
    progress_bar: bool = True
    performance_level: str = "high"
    pl_threshold: int = 10
    time_scale_factor: float = 1.0
    strict_timing: bool = False
    hardware_summary: bool = True
    placer: str = "connectivity"
    fold_poisson: bool = True
    dead_chips: tuple = ()
    dead_links: tuple = ()
    dead_pes: tuple = ()

    def neurons_per_core_for(self, label: str, model: str) -> int:
        """The limit for a population (its label, then its native model name, then default)."""
        if not isinstance(self.neurons_per_core, tuple):
            return self.neurons_per_core
        table = {k.lower(): v for k, v in self.neurons_per_core}
        for key in (label.lower(), model.lower(), "default"):
            if key in table:
                return table[key]
        return MAX_NEURONS_PER_PE

    def __post_init__(self) -> None:
        from .setup_options import check_types
        check_types(self)
        if not self.timestep > 0:
            raise ConfigurationError(
                f"setup(timestep={self.timestep}): the timestep must be > 0 ms.")
        if self.machine not in MACHINE_KINDS:
            raise ConfigurationError(
                f"setup(machine={self.machine!r}): choose one of {', '.join(MACHINE_KINDS)}.")
        if self.boards is not None and self.boards < 1:
            raise ConfigurationError(f"setup(boards={self.boards}): give at least 1 board.")
        if self.boards is not None and self.machine == "chip":
            raise ConfigurationError("setup(machine='chip', boards=...): a single chip has no "
                                     "boards; drop one of the two arguments.")
        values = ([v for _, v in self.neurons_per_core] if isinstance(self.neurons_per_core, tuple)
                  else [self.neurons_per_core])
        if not all(isinstance(v, int) and 1 <= v <= MAX_NEURONS_PER_PE for v in values):
            raise ConfigurationError(
                f"setup(neurons_per_core={self.neurons_per_core}): must be 1 to "
                f"{MAX_NEURONS_PER_PE} (the synapse word's 8-bit target index).")
        if self.weight_bits not in WEIGHT_BITS_CHOICES:
            raise ConfigurationError(
                f"setup(weight_bits={self.weight_bits}): choose one of {WEIGHT_BITS_CHOICES}.")
        if self.performance_level not in ("high", "low", "auto"):
            raise ConfigurationError(f"setup(performance_level={self.performance_level!r}): "
                                     "choose 'high', 'low' or 'auto'.")
        if not self.time_scale_factor > 0:
            raise ConfigurationError(f"setup(time_scale_factor={self.time_scale_factor}): "
                                     "must be > 0 (1 is real time, 10 is ten times slower).")
        if self.pl_threshold < 0:
            raise ConfigurationError(f"setup(pl_threshold={self.pl_threshold}): must be >= 0.")
        if self.placer not in ("connectivity", "sequential"):
            raise ConfigurationError(f"setup(placer={self.placer!r}): choose 'connectivity' or "
                                     "'sequential'.")
        if not 1 <= self.usable_pes_per_chip <= PES_PER_CHIP:
            raise ConfigurationError(
                f"setup(usable_pes_per_chip={self.usable_pes_per_chip}): a chip has "
                f"{PES_PER_CHIP} PEs.")
