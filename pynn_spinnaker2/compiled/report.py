"""MappingReport: what the compiled network uses of the machine, and how long each stage took."""

from __future__ import annotations

from dataclasses import dataclass, field

from .. import machine as hw


@dataclass(frozen=True)
class MappingReport:
    """Plain figures; ``str()`` gives a readable summary."""

    machine: str
    n_neurons: int
    n_synapses: int
    pes_used: int
    chips_used: int
    boards: int
    sram_bytes_total: int
    sram_bytes_max_pe: int
    dram_bytes_total: int
    dram_bytes_max_chip: int
    router_entries_total: int
    router_entries_max_chip: int
    worst_weight_error: float
    stage_seconds: dict[str, float] = field(default_factory=dict)
    populations: tuple[tuple[str, int, int], ...] = ()   # (label, neurons, PEs)

    def __str__(self) -> str:
        lines = [
            f"SpiNNaker2 mapping on {self.machine}",
            f"  network      {self.n_neurons:,} neurons, {self.n_synapses:,} synapses",
            f"  PEs          {self.pes_used:,} on {self.chips_used} chip(s)"
            + (f", {self.boards} board(s)" if self.boards else ""),
            f"  SRAM         {self.sram_bytes_total / 1024:,.1f} KiB in all, busiest PE "
            f"{self.sram_bytes_max_pe / 1024:.1f} of {hw.DATA_SRAM_BYTES_PER_PE / 1024:.0f} KiB",
            f"  DRAM         {self.dram_bytes_total / 1024 ** 2:,.2f} MiB (synaptic rows, spike "
            "times), "
            f"busiest chip {self.dram_bytes_max_chip / 1024 ** 2:.2f} MiB of "
            f"{hw.DRAM_BYTES_PER_CHIP / 1024 ** 3:.0f} GiB",
            f"  router       {self.router_entries_total:,} entries, busiest chip "
            f"{self.router_entries_max_chip} of {hw.ROUTER_ENTRIES}",
            f"  weights      worst relative quantisation error {self.worst_weight_error:.2e}",
            "  populations  " + ", ".join(f"{label} ({n} neurons on {pes} PE"
                                          f"{'s' if pes != 1 else ''})"
                                          for label, n, pes in self.populations),
            "  stages       " + ", ".join(f"{k} {v * 1000:.1f} ms"
                                          for k, v in self.stage_seconds.items()),
        ]
        return "\n".join(lines)
