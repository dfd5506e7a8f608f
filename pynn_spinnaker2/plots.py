"""Plots of a HardwareReport: machine load map, link traffic, cycles per tick, energy.

In:  a HardwareReport and its MappedNetwork (chip coordinates).
Out: PNG files in a directory (``save_hardware_plots``).
Raises: ImportError naming the extra to install when matplotlib is missing.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from . import machine as hw

PE_GRID = (12, 13)   # 148-156 PEs drawn as a 12 x 13 grid inside each chip


def _pyplot():
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError as err:
        raise ImportError("Plots need matplotlib: pip install 'pynn_spinnaker2[plots]'") from err
    return plt


def save_hardware_plots(report, mapped, directory: str | Path) -> list[Path]:
    """Write machine_load.png, link_traffic.png, cycles_per_tick.png and energy.png."""
    plt = _pyplot()
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, draw, size in (("machine_load", _machine_load, (11, 4.5)),
                             ("link_traffic", _links, (8, 6)),
                             ("cycles_per_tick", _cycles, (8, 6)), ("energy", _energy, (8, 6))):
        fig = plt.figure(figsize=size)
        draw(fig, report, mapped)
        path = directory / f"{name}.png"
        fig.savefig(path, dpi=100, bbox_inches="tight")
        plt.close(fig)
        paths.append(path)
    return paths


def _machine_load(fig, report, mapped) -> None:
    """Left: every chip, coloured by its busiest PE's mean load (cycles / budget).
    Right: the PEs of the busiest chip, each coloured by its mean load."""
    from matplotlib.patches import Rectangle
    chip_load: dict[tuple[int, int], float] = {}
    pe_load: dict[tuple[int, int], dict[int, float]] = {}
    for p in report.pes:
        key = tuple(p["chip"])
        chip_load[key] = max(chip_load.get(key, 0.0), p["mean_load"])
        pe_load.setdefault(key, {})[p["pe"]] = p["mean_load"]
    vmax = max(list(chip_load.values()) + [1e-9])
    cmap = __import__("matplotlib").colormaps["viridis"]
    ax = fig.add_subplot(1, 2, 1)
    chips = mapped.machine.chips
    for x, y in chips.tolist():
        left = x - 0.5 * y            # skew rows so the hexagonal mesh reads naturally
        value = chip_load.get((x, y))
        ax.add_patch(Rectangle((left, y), 0.9, 0.9, lw=0.5, edgecolor="black",
                               facecolor="0.92" if value is None else cmap(value / vmax)))
    xs = chips[:, 0] - 0.5 * chips[:, 1]
    ax.set_xlim(xs.min() - 0.2, xs.max() + 1.1)
    ax.set_ylim(chips[:, 1].min() - 0.2, chips[:, 1].max() + 1.1)
    ax.set_aspect("equal")
    ax.set_title(f"chips: busiest PE load ({len(chip_load)} of {len(chips)} used)", fontsize=9)
    ax.set_xlabel("chip x - y/2")
    ax.set_ylabel("chip y")
    ax2 = fig.add_subplot(1, 2, 2)
    rows, cols = PE_GRID
    grid = np.full(rows * cols, np.nan)
    busiest = max(chip_load, key=chip_load.get) if chip_load else (0, 0)
    for pe, value in pe_load.get(busiest, {}).items():
        grid[pe] = value
    image = ax2.imshow(grid.reshape(rows, cols), origin="lower", vmin=0, vmax=vmax,
                       cmap=cmap)
    ax2.set_title(f"PEs of chip {busiest} (grey: unused)", fontsize=9)
    ax2.set_facecolor("0.92")
    ax2.set_xticks([])
    ax2.set_yticks([])
    fig.colorbar(image, ax=[ax, ax2], label="mean load (cycles / budget)", shrink=0.6)
    fig.suptitle(report.machine, fontsize=10)


def _links(fig, report, mapped) -> None:
    ax = fig.add_subplot()
    links = report.busiest_links
    ticks = max(report.ticks, 1)
    labels = [f"{tuple(b['chip'])} {b['link']}" for b in links]
    ax.barh(labels[::-1], [b["packets"] / ticks for b in links][::-1], color="tab:blue")
    ax.set_xlabel("packets per tick (mean)")
    ax.set_title(f"Busiest inter-chip links ({report.link_packet_hops:,} hops in all, "
                 f"{report.dropped_packets} dropped)")


def _cycles(fig, report, mapped) -> None:
    ax = fig.add_subplot()
    t = np.arange(report.ticks) * report.timestep_ms
    for name, series in report.busiest_pe_cycles.items():
        ax.plot(t, series, lw=0.8, label=name)
    budget = hw.CLOCK_HZ_HIGH * report.timestep_ms / 1000.0 * report.time_scale_factor
    ax.axhline(budget, color="red", ls="--", label="budget at 300 MHz")
    ax.set_xlabel("time (ms)")
    ax.set_ylabel("cycles per tick")
    ax.set_title("Cycles per tick of the busiest PEs")
    ax.legend(fontsize=7)


def _energy(fig, report, mapped) -> None:
    ax = fig.add_subplot()
    parts = {k: v for k, v in report.energy_j.items() if k != "total"}
    ax.bar(list(parts), list(parts.values()), color="tab:orange")
    ax.set_yscale("log")
    ax.set_ylabel("energy (J)")
    ax.set_title(f"Energy: {report.energy_j.get('total', 0):.3g} J over "
                 f"{report.wall_time_on_hardware_s:g} s on the machine")
