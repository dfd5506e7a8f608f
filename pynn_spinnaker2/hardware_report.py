"""What the hardware would say about a run: PEs, memory, router tables, cycles, deadlines,
traffic and energy.

In:  the MappedNetwork, the Emulation's hardware trace, the Config.
Out: HardwareReport, a plain data object (``to_dict()``, ``save_json()``), whose ``str()`` is a
     short summary.
"""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from . import machine as hw
from .config import Config
from .emulator.costs import DEFAULT_COSTS, CostModel, energy, poisson_inputs, tick_costs

N_BUSIEST = 10


@dataclass
class HardwareReport:
    """Plain figures (lists, dicts, numbers) about one run since the last reset."""

    machine: str
    boards: int
    chips_used: int
    pes_used: int
    timestep_ms: float
    ticks: int
    time_scale_factor: float
    performance_level: str
    biological_time_s: float
    wall_time_on_hardware_s: float
    real_time_factor: float
    smallest_time_scale_factor_without_misses: float
    sram_bytes_total: int
    sram_bytes_max_pe: int
    dram_bytes_total: int
    router_entries_total: int
    router_entries_max_chip: int
    router_entries_capacity: int
    spikes_sent: int
    packets_received: int
    synaptic_events: int
    dropped_packets: int
    link_packet_hops: int
    plastic_updates: int = 0          # synapses whose plastic state (STP or STDP) was updated
    stdp_pairings: int = 0            # post-synaptic spikes paired by STDP updates
    stdp_updates_lost: int = 0        # STDP updates that needed a spike the history had dropped
    payload_packets_sent: int = 0     # packets carrying a spike count (count > 1), also in
    payload_packets_received: int = 0  # spikes_sent / packets_received
    pes: list[dict[str, Any]] = field(default_factory=list)
    deadline_misses: list[dict[str, Any]] = field(default_factory=list)
    busiest_links: list[dict[str, Any]] = field(default_factory=list)
    link_packets: dict[str, int] = field(default_factory=dict)   # every used link: "(x, y) E"
    busiest_routers: list[dict[str, Any]] = field(default_factory=list)
    energy_j: dict[str, float] = field(default_factory=dict)
    energy_per_synaptic_event_j: float = 0.0            # all energy / events
    synaptic_energy_per_event_j: float = 0.0            # synaptic processing only / events
    mean_power_per_chip_w: float = 0.0
    busiest_pe_cycles: dict[str, list[float]] = field(default_factory=dict)
    busiest_link_series: dict[str, list[int]] = field(default_factory=dict)

    @property
    def ticks_missed(self) -> int:
        return sum(m["ticks_missed"] for m in self.deadline_misses)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def save_json(self, path: str | Path) -> Path:
        """Write the whole report as JSON; return the path. Under MPI only rank 0 writes
        (every rank has the same, merged report)."""
        path = Path(path)
        if not getattr(self, "_writes_files", True):
            return path
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(self.to_dict(), indent=1))
        return path

    def __str__(self) -> str:
        e = self.energy_j
        lines = [
            f"SpiNNaker2 hardware report: {self.machine}",
            f"  used         {self.pes_used} PEs on {self.chips_used} chip(s); SRAM busiest PE "
            f"{self.sram_bytes_max_pe / 1024:.1f} KiB; DRAM {self.dram_bytes_total / 2**20:.2f} "
            f"MiB; router busiest chip {self.router_entries_max_chip}/"
            f"{self.router_entries_capacity} entries",
            f"  run          {self.ticks} ticks of {self.timestep_ms:g} ms = "
            f"{self.biological_time_s:g} s biological, {self.wall_time_on_hardware_s:g} s on the "
            f"machine (time_scale_factor {self.time_scale_factor:g}, performance level "
            f"{self.performance_level})",
            f"  traffic      {self.spikes_sent:,} packets sent, {self.packets_received:,} "
            f"received, {self.synaptic_events:,} synaptic events, {self.link_packet_hops:,} link "
            f"hops, {self.dropped_packets} dropped",
        ]
        if self.payload_packets_sent:
            lines.append(
                f"  payload      {self.payload_packets_sent:,} of the packets sent and "
                f"{self.payload_packets_received:,} received carried a spike count (several "
                "spikes of one source in one tick)")
        if self.plastic_updates:
            lines.append(
                f"  plasticity   {self.plastic_updates:,} plastic synapse updates, "
                f"{self.stdp_pairings:,} STDP pairings, {self.stdp_updates_lost:,} STDP updates "
                f"missed a post-synaptic spike (history of {hw.STDP_POST_HISTORY_ENTRIES})")
        if self.pes:
            busiest = max(self.pes, key=lambda p: p["max_load"])
            lines.append(
                f"  cycles       busiest PE {busiest['population']}[{busiest['lo']}:"
                f"{busiest['hi']}] at {tuple(busiest['chip'])} PE {busiest['pe']}: mean "
                f"{busiest['mean_cycles']:,.0f}, p99 {busiest['p99_cycles']:,.0f}, max "
                f"{busiest['max_cycles']:,.0f} of {busiest['budget_cycles']:,.0f} cycles")
        if self.deadline_misses:
            lines.append(f"  deadlines    {len(self.deadline_misses)} PE(s) missed "
                         f"{self.ticks_missed} tick deadline(s); for example:")
            for miss in self.deadline_misses[:3]:
                lines.append(f"    {miss['population']}[{miss['lo']}:{miss['hi']}]: "
                             f"{miss['ticks_missed']} ticks, up to {miss['worst_overrun']:.2f}x "
                             f"the budget. Fix: {miss['fix']}")
        else:
            lines.append("  deadlines    none missed (real time kept)")
        lines.append(
            f"  energy       {e.get('total', 0.0):.3e} J: static {e.get('static', 0):.2e}, "
            f"neurons {e.get('neuron_updates', 0):.2e}, synapses "
            f"{e.get('synaptic_events', 0):.2e}, packets {e.get('packets', 0):.2e}, DRAM "
            f"{e.get('dram', 0):.2e}")
        lines.append(
            f"               per synaptic event {self.energy_per_synaptic_event_j * 1e12:,.0f} pJ "
            f"in all, {self.synaptic_energy_per_event_j * 1e12:,.0f} pJ of processing; "
            f"{self.mean_power_per_chip_w:.3f} W per chip")
        return "\n".join(lines)


def _fix_for(n_neurons: int, max_cycles: float, high_budget: float, budget: float,
             level: str, time_scale_factor: float) -> str:
    """The settings that would have kept this PE within its tick."""
    fixes = []
    if level != "high" and max_cycles <= high_budget:
        fixes.append("setup(performance_level='high')")
    fitting = int(n_neurons * min(high_budget, budget) / max_cycles) if max_cycles else 0
    if 1 <= fitting < n_neurons:
        fixes.append(f"setup(neurons_per_core={fitting})")
    needed = math.ceil(time_scale_factor * max_cycles / max(high_budget, budget) * 10) / 10
    fixes.append(f"setup(time_scale_factor={needed:g})")
    return " or ".join(fixes)


def build_hardware_report(mapped, emulation, config: Config,
                          costs: CostModel = DEFAULT_COSTS) -> HardwareReport:
    """Derive the report from the mapping and the emulation's trace."""
    trace = emulation.trace.arrays()
    programs = mapped.programs
    part = mapped.partition
    n_ticks = trace.spikes_sent.shape[0]
    n_neurons = np.array([p.n_neurons for p in programs])
    tc = tick_costs(trace, [p.model for p in programs], n_neurons, mapped.dt,
                    config.performance_level, config.pl_threshold, config.time_scale_factor,
                    costs, poisson_inputs(programs))
    cycles = tc.cycles
    tick_s = mapped.dt / 1000.0 * config.time_scale_factor
    high_budget = hw.CLOCK_HZ_HIGH * tick_s
    chips_used = int(len(np.unique([p.chip for p in programs])))
    pes, misses = [], []
    for i, prog in enumerate(programs):
        x, y = (int(v) for v in mapped.machine.chips[prog.chip])
        col = cycles[:, i] if n_ticks else np.zeros(1)
        budget = tc.budget[:, i] if n_ticks else np.full(1, high_budget)
        label = mapped.compiled_network.populations[int(part.pop[prog.slice_id])].label
        lo, hi = int(part.lo[prog.slice_id]), int(part.hi[prog.slice_id])
        entry = {"population": label, "lo": lo, "hi": hi,
                 "chip": [x, y], "pe": prog.pe, "neurons": prog.n_neurons,
                 "mean_cycles": float(col.mean()), "p99_cycles": float(np.percentile(col, 99)),
                 "max_cycles": float(col.max()), "budget_cycles": float(budget.min()),
                 "mean_load": float((col / budget).mean()),
                 "max_load": float((col / budget).max()),
                 "sram_bytes": dict(prog.sram)}
        pes.append(entry)
        missed = col > budget
        if missed.any():
            misses.append(dict(entry, ticks_missed=int(missed.sum()),
                               worst_overrun=float((col / budget).max()),
                               fix=_fix_for(prog.n_neurons, float(col.max()), high_budget,
                                            float(budget.min()), config.performance_level,
                                            config.time_scale_factor)))
    misses.sort(key=lambda m: -m["worst_overrun"])
    link_totals = trace.link_packets.sum(axis=0)
    busiest_links = []
    for j in np.argsort(-link_totals, kind="stable")[:N_BUSIEST]:
        chip, direction = divmod(int(trace.link_ids[j]), hw.N_LINKS)
        busiest_links.append({"chip": [int(v) for v in mapped.machine.chips[chip]],
                              "link": hw.LINK_NAMES[direction],
                              "packets": int(link_totals[j]),
                              "max_per_tick": int(trace.link_packets[:, j].max())})
    link_packets = {}
    for j, total in enumerate(link_totals.tolist()):
        chip, direction = divmod(int(trace.link_ids[j]), hw.N_LINKS)
        x, y = (int(v) for v in mapped.machine.chips[chip])
        link_packets[f"({x}, {y}) {hw.LINK_NAMES[direction]}"] = int(total)
    router_totals = trace.router_packets.sum(axis=0)
    busiest_routers = [{"chip": [int(v) for v in mapped.machine.chips[trace.router_chips[j]]],
                        "packets": int(router_totals[j]),
                        "max_per_tick": int(trace.router_packets[:, j].max())}
                       for j in np.argsort(-router_totals, kind="stable")[:N_BUSIEST]]
    parts = energy(tc, trace, chips_used, mapped.dt, config.time_scale_factor, costs)
    parts["total"] = float(sum(parts.values()))
    events = int(trace.synapses.sum())
    wall = n_ticks * tick_s
    order = np.argsort([-p["max_cycles"] for p in pes], kind="stable")[:5]
    rep = mapped.report
    return HardwareReport(
        machine=mapped.machine.describe(), boards=mapped.machine.n_boards,
        chips_used=chips_used, pes_used=len(programs), timestep_ms=mapped.dt, ticks=n_ticks,
        time_scale_factor=config.time_scale_factor, performance_level=config.performance_level,
        biological_time_s=n_ticks * mapped.dt / 1000.0, wall_time_on_hardware_s=wall,
        real_time_factor=config.time_scale_factor,
        smallest_time_scale_factor_without_misses=float(
            (cycles / high_budget).max() * config.time_scale_factor) if n_ticks else 0.0,
        sram_bytes_total=rep.sram_bytes_total, sram_bytes_max_pe=rep.sram_bytes_max_pe,
        dram_bytes_total=rep.dram_bytes_total, router_entries_total=rep.router_entries_total,
        router_entries_max_chip=rep.router_entries_max_chip,
        router_entries_capacity=hw.ROUTER_ENTRIES,
        spikes_sent=int(trace.spikes_sent.sum()),
        packets_received=int(trace.packets_received.sum()), synaptic_events=events,
        dropped_packets=int(trace.dropped.sum()), link_packet_hops=int(link_totals.sum()),
        plastic_updates=int(trace.plastic_synapses.sum()),
        stdp_pairings=int(trace.stdp_pairings.sum()),
        stdp_updates_lost=int(trace.stdp_lost.sum()),
        payload_packets_sent=int(trace.payload_sent.sum()),
        payload_packets_received=int(trace.payload_received.sum()),
        pes=pes, deadline_misses=misses, busiest_links=busiest_links, link_packets=link_packets,
        busiest_routers=busiest_routers, energy_j=parts,
        energy_per_synaptic_event_j=parts["total"] / events if events else 0.0,
        synaptic_energy_per_event_j=parts["synaptic_events"] / events if events else 0.0,
        mean_power_per_chip_w=parts["total"] / wall / chips_used if wall and chips_used else 0.0,
        busiest_pe_cycles={f"{pes[i]['population']}[{pes[i]['lo']}:{pes[i]['hi']}]":
                           cycles[:, i].tolist() for i in order} if n_ticks else {},
        busiest_link_series={f"{tuple(b['chip'])} {b['link']}":
                             trace.link_packets[:, int(np.argsort(-link_totals,
                                                                  kind="stable")[k])].tolist()
                             for k, b in enumerate(busiest_links[:5])},
    )
