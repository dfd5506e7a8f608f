"""Shared parts of the benchmark scripts: backend choice, timing, the measurement report.

Every benchmark script puts its checkout's root first on sys.path, so it measures this
checkout's pynn_spinnaker2 (not an installed copy; the result records which, with its commit).
Every benchmark script is an ordinary PyNN model run by one backend in one process
(``--backend spinnaker2|nest``). It calls ``Benchmark.build()`` around its construction code,
``Benchmark.run()`` around ``sim.run()`` and ``Benchmark.report()`` at the end, which prints the
figures for a human and, last, one line ``BENCH_RESULT {json}`` for benchmarks/run_all.py. A
failure (an exception in the model, e.g. a parameter our backend refuses) is caught by
``main_guard`` and reported as ``BENCH_RESULT {"error": ...}`` with exit status 2, so a driver
can carry on.

Synaptic events are estimated the same way on both backends: for each projection, its number
of synapses times the mean number of spikes of its presynaptic neurons (recorded spikes, or
rate x duration for unrecorded SpikeSourcePoisson populations).
"""

from __future__ import annotations

import argparse
import importlib
import json
import resource
import subprocess
import sys
import time
import traceback
from pathlib import Path

import numpy as np

BACKENDS = {"spinnaker2": "pynn_spinnaker2", "nest": "pyNN.nest"}
RESULT_TAG = "BENCH_RESULT "


def parser(description: str) -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=description)
    p.add_argument("--backend", choices=sorted(BACKENDS), default="spinnaker2")
    p.add_argument("--seed", type=int, default=4242, help="seed of the model's NumpyRNG")
    return p


def import_backend(name: str):
    return importlib.import_module(BACKENDS[name])


def setup_options(sim, **spinnaker2_options) -> dict:
    """Backend-specific setup() keywords: NEST on the grid; ours without the end() summary."""
    if sim.__name__ == "pyNN.nest":
        return {"spike_precision": "on_grid"}
    return {"hardware_summary": False, **spinnaker2_options}


class Benchmark:
    """Times the phases of one run and prints the measurement."""

    def __init__(self, name: str, sim, args, **case) -> None:
        self.name, self.sim, self.args = name, sim, args
        self.case = {"benchmark": name, "backend": args.backend, **case}
        self.times: dict[str, float] = {}
        self._t0 = (time.perf_counter(), time.process_time())

    def _mark(self, key: str, start) -> None:
        self.times[f"{key}_wall_s"] = time.perf_counter() - start[0]
        self.times[f"{key}_cpu_s"] = time.process_time() - start[1]

    def built(self) -> None:
        """Call when the network is built (after setup, populations and projections). On
        pynn_spinnaker2 the network is then compiled here (get_mapping), timed as 'compile' and
        counted in the build time, so that run() is the emulation alone (plus loading)."""
        if self.sim.__name__ != "pyNN.nest":
            start = (time.perf_counter(), time.process_time())
            self.sim.get_mapping()
            self._mark("compile", start)
        self._mark("build", self._t0)

    def run(self, duration: float) -> None:
        start = (time.perf_counter(), time.process_time())
        self.sim.run(duration)
        self._mark("run", start)
        self.duration = duration

    def report(self, populations, projections, extra: dict | None = None) -> dict:
        duration_s = self.duration / 1000.0
        rates, spikes = {}, 0
        for pop in populations:
            counts = np.fromiter(pop.get_spike_counts().values(), dtype=float, count=pop.size)
            spikes += int(counts.sum())
            rates[pop.label] = float(counts.mean() / duration_s) if pop.size else 0.0
        synapses, events = 0, 0.0
        for prj in projections:
            n = _n_synapses(prj)
            synapses += n
            events += n * _spikes_per_neuron(prj.pre, self.duration)
        result = {**self.case, **self.times,
                  "duration_ms": self.duration,
                  "neurons": int(sum(p.size for p in populations)),
                  "spikes": spikes, "rates_hz": rates, "synapses": int(synapses),
                  "synaptic_events": float(events),
                  "events_per_wall_s": float(events / self.times["run_wall_s"]),
                  "events_per_cpu_s": float(events / max(self.times["run_cpu_s"], 1e-9)),
                  "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}
        if self.sim.__name__ != "pyNN.nest":
            result["package"] = _provenance(self.sim)
            hw = self.sim.get_hardware_report()
            result["hw_synaptic_events"] = int(hw.synaptic_events)
            result["hw_deadline_misses"] = len(hw.deadline_misses)
            result["mpi_ranks"], result["mpi_rank"] = self.sim.num_processes(), self.sim.rank()
            exchange = self.sim.simulator.state.emulation.exchange
            if hasattr(exchange, "bytes_sent"):      # under mpiexec -n K > 1 (docs/mpi.md)
                result["mpi_bytes_sent_per_tick"] = exchange.bytes_sent / max(exchange.ticks, 1)
        result.update(extra or {})
        self._print(result)
        return result

    def _print(self, r: dict) -> None:
        t = self.times
        print(f"{self.name} on {r['backend']}: {r['neurons']:,} neurons, "
              f"{r['synapses']:,} synapses, {self.duration:g} ms")
        build = f"build {t['build_wall_s']:.2f} s wall / {t['build_cpu_s']:.2f} s CPU"
        if "compile_wall_s" in t:
            build += f" (compile {t['compile_wall_s']:.2f} s)"
        print(f"  {build}")
        print(f"  run() {t['run_wall_s']:.2f} s wall / {t['run_cpu_s']:.2f} s CPU")
        print(f"  spikes {r['spikes']:,}; synaptic events {r['synaptic_events']:.4g} "
              f"({r['events_per_wall_s']:.4g} per wall second of run())")
        for label, rate in r["rates_hz"].items():
            print(f"  {label:>12}: mean rate {rate:.3f} Hz")
        if "hw_synaptic_events" in r:
            print(f"  hardware report: {r['hw_synaptic_events']:,} synaptic events, "
                  f"{r['hw_deadline_misses']} PE(s) missed deadlines")
        print(f"  peak RSS {r['peak_rss_mib']:.0f} MiB", flush=True)
        # one write of one line: under mpiexec the ranks share stdout, and a line written in
        # one piece (shorter than the pipe's atomic size) is never cut by another rank's
        sys.stdout.write(RESULT_TAG + json.dumps(r) + "\n")
        sys.stdout.flush()


def _provenance(sim) -> str:
    """Where pynn_spinnaker2 was imported from, with its git commit (and '+dirty')."""
    where = Path(sim.__file__).resolve().parent.parent
    try:
        commit = subprocess.run(["git", "-C", str(where), "describe", "--always", "--dirty=+dirty"],
                                capture_output=True, text=True, timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        commit = "?"
    return f"{where} @ {commit}"


def _n_synapses(prj) -> int:
    """The projection's synapse count: known from fixed-number connectors (len() queries every
    connection on pyNN.nest, minutes for a few million), else len()."""
    c = prj._connector
    name = type(c).__name__
    if name == "FixedTotalNumberConnector" and c.with_replacement and c.allow_self_connections:
        return int(c.n)
    if name == "FixedNumberPreConnector" and isinstance(c.n, int) and (
            c.with_replacement or c.n <= prj.pre.size) and c.allow_self_connections:
        return int(c.n) * prj.post.size
    if name == "OneToOneConnector" and prj.pre.size == prj.post.size:
        return prj.post.size
    return len(prj)


def _spikes_per_neuron(pop, duration_ms: float) -> float:
    """Mean spike count of a population's neurons: recorded, or rate x time for Poisson."""
    base = getattr(pop, "parent", None) or pop
    celltype = type(base.celltype).__name__
    if celltype == "SpikeSourcePoisson" and not _records_spikes(pop):
        return float(np.mean(pop.get("rate"))) * duration_ms / 1000.0
    counts = pop.get_spike_counts()
    return float(np.mean(list(counts.values()))) if counts else 0.0


def _records_spikes(pop) -> bool:
    try:
        return "spikes" in pop.recorder.recorded and bool(pop.recorder.recorded["spikes"])
    except AttributeError:
        return False


def main_guard(main, name: str) -> None:
    """Run main(); on an exception print the error as a BENCH_RESULT line and exit with 2."""
    try:
        main()
    except Exception as err:  # noqa: BLE001 - reported to the driver, not hidden
        traceback.print_exc()
        backend = sys.argv[sys.argv.index("--backend") + 1] if "--backend" in sys.argv \
            else "spinnaker2"
        message = f"{type(err).__name__}: {err}"
        print(f"{name} on {backend} FAILED: {message}")
        print(RESULT_TAG + json.dumps({"benchmark": name, "backend": backend,
                                       "error": message[:2000]}), flush=True)
        sys.exit(2)


def poisson_drive(sim, target, rate: float, weight: float, delay: float,
                  max_rate: float | None = None, receptor_type: str = "excitatory"):
    """Independent Poisson input of ``rate`` Hz into every neuron of ``target``.

    One SpikeSourcePoisson per neuron (OneToOneConnector), at any rate (a tick may hold several
    spikes of a source, as in NEST's poisson_generator). With ``max_rate``, a rate above it is
    split over k = ceil(rate / max_rate) sources per neuron (k populations, k projections),
    which is the same Poisson process. Returns (source populations, projections)."""
    if max_rate is None:
        max_rate = rate if rate > 0 else 1.0
    k = max(1, int(np.ceil(rate / max_rate - 1e-9)))
    sources, projections = [], []
    for i in range(k):
        src = sim.Population(target.size, sim.SpikeSourcePoisson(rate=rate / k),
                             label=f"{target.label}_drive{i}")
        sources.append(src)
        projections.append(sim.Projection(
            src, target, sim.OneToOneConnector(),
            sim.StaticSynapse(weight=weight, delay=delay), receptor_type=receptor_type,
            label=f"{src.label}->{target.label}"))
    return sources, projections
