"""Synaptic events per second of the emulator's compiled scatter (emulator/scatter.py).

Runs examples/balanced_network.py's network (CUBA, dt ``--timestep``) for ``--duration`` ms, keeps
each tick's spiking neurons, then replays those ticks through ``scatter_tick`` alone: packets ->
master population table -> rows -> synapse words -> ring buffers, with the trace counters. The
events per second are the synapses processed divided by the kernel's CPU time (one core).
``--burst N`` also replays ticks in which N random neurons spike at once (long rows from many
sources, the rate-independent figure).

Usage: python benchmarks/synaptic_throughput.py [--duration 1000] [--timestep 0.1] [--repeats 3]
       [--burst 400]
"""

import argparse
import contextlib
import io
import statistics
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))                      # this checkout's package
sys.path.insert(0, str(ROOT / "examples"))

import balanced_network  # noqa: E402
import pynn_spinnaker2 as sim  # noqa: E402
from pynn_spinnaker2 import simulator  # noqa: E402
from pynn_spinnaker2.emulator.scatter import (N_COUNTERS, SYNAPSES,  # noqa: E402
                                              scatter_tick)
from pynn_spinnaker2.formats import STP_WORDS  # noqa: E402


def replay(em, ticks: list[np.ndarray], repeats: int) -> tuple[float, int]:
    """Median CPU seconds of scattering ``ticks`` once, and the synapses processed."""
    ring = np.zeros_like(em.state.ring)
    counts = np.zeros((N_COUNTERS, len(em.programs)), dtype=np.int32)
    tables = em.layout.scatter_tables
    times = []
    for _ in range(repeats):
        counts[:] = 0
        start = time.process_time()
        for k, gids in enumerate(ticks):
            scatter_tick(gids, np.ones(len(gids), np.int64), tables, ring, k, STP_WORDS, counts)
        times.append(time.process_time() - start)
    return statistics.median(times), int(counts[SYNAPSES].sum())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=1000.0)
    parser.add_argument("--timestep", type=float, default=0.1)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--burst", type=int, default=400)
    args = parser.parse_args()

    balanced_network.build(sim, args.timestep)
    sim.run(args.timestep)
    em = simulator.state.emulation
    ticks: list[np.ndarray] = []
    exchange = em.exchange

    class Recorder:
        """The tick's packets, kept on their way through the exchange."""

        def swap_window(self, window):
            ticks.extend(gids.copy() for gids, _ in window)
            return exchange.swap_window(window)

        def settle(self):
            exchange.settle()

        def fail(self, error):
            exchange.fail(error)

    em.exchange = Recorder()
    sim.run(args.duration - args.timestep)
    em.exchange = exchange

    cpu, events = replay(em, ticks, args.repeats)
    print(f"balanced network (dt {args.timestep:g} ms), {len(ticks)} ticks: {events:,} synaptic "
          f"events in {cpu:.3f} s CPU: {events / cpu / 1e6:.1f} M events/s "
          f"({cpu / len(ticks) * 1e6:.1f} us/tick)")
    if args.burst:
        rng = np.random.default_rng(1)
        n = em.layout.n_neurons
        burst = [np.sort(rng.choice(n, size=min(args.burst, n), replace=False))
                 for _ in range(200)]
        cpu, events = replay(em, burst, args.repeats)
        print(f"bursts of {args.burst} spikes, {len(burst)} ticks: {events:,} events in "
              f"{cpu:.3f} s CPU: {events / cpu / 1e6:.1f} M events/s")
    with contextlib.redirect_stdout(io.StringIO()):   # end() prints the hardware report
        sim.end()


if __name__ == "__main__":
    main()
