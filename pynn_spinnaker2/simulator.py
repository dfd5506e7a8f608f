"""Simulator state: configuration, the PyNN objects created, time, the compiled network and the
emulation that persists across run() calls."""

from __future__ import annotations

import logging
import warnings

import numpy as np

from pyNN import common

from .config import Config
from .errors import (DeadlineMissedError, DeadlineWarning, NotSupportedError,
                     SimulationStateError)

name = "SpiNNaker2"

logger = logging.getLogger("pynn_spinnaker2")


class ID(int, common.IDMixin):
    """A cell's global id."""

    def __init__(self, n: int) -> None:
        int.__init__(n)
        common.IDMixin.__init__(self)


class State(common.control.BaseState):
    """One simulation: the objects, the clock and what was compiled from them."""

    def __init__(self) -> None:
        common.control.BaseState.__init__(self)
        self.mpi_rank = 0
        # PyNN's own gather paths see one process: every rank holds the whole network and,
        # after each run, the whole results (parallel/); sim.num_processes() reports the ranks
        self.num_processes = 1
        self.world = None            # parallel.World under mpiexec -n K (K > 1)
        self.gathered = None         # parallel.session.Gathered: the whole network's results
        self.config = Config()
        self.min_delay_auto = True
        self.setup_done = False
        self.generation = 0
        self.run_hook = None     # set by live/: runs the ticks of a run in chunks
        # see every tick's spikes (Emulation.tick_observers); after_advance(state) after runs
        self.tick_observers: list = []
        self.spike_precision = "on_grid"
        self.clear()

    @property
    def dt(self) -> float:
        return self.config.timestep

    @property
    def min_delay(self) -> float:
        """setup()'s min_delay; with min_delay="auto" (PyNN's default) the shortest delay of
        any projection, as NEST computes it, or the timestep when there is none."""
        if not self.min_delay_auto:
            return self.config.min_delay
        shortest = [float(np.min(p._delay[:1] if p._delay.strides[0] == 0 else p._delay))
                    for p in self.projections if len(p)]
        if self.world is not None:      # each rank holds its own synapses: a collective step
            shortest = [s for s in self.world.allgather(min(shortest, default=None))
                        if s is not None]
        return min(shortest) if shortest else self.config.timestep

    @property
    def max_delay(self) -> float:
        return self.config.max_delay

    def clear(self) -> None:
        """Forget every object (setup() starts a new network)."""
        self.generation = getattr(self, "generation", 0) + 1
        self.recorders = set()
        self.populations: list = []
        self.projections: list = []
        self.current_sources: list = []
        self.id_counter = 0
        self.segment_counter = -1
        self.neurons_per_core_by_type: dict = {}    # sPyNNaker's set_number_of_neurons_per_core
        # under MPI: per population number, the rank of each neuron as the last compile gave
        # its slices (parallel/ownership.py), and the table of every neuron's rank
        self.slice_owner_of: dict = {}
        self._owners_cache = None
        self.mapped = None
        self.emulation = None
        self.gathered = None
        self.network_changed = True
        self._warned_deadline = False
        self.reset()

    def check_current(self, obj, what: str) -> None:
        """Raises: SimulationStateError when ``obj`` (a Population or projection) was made
        before the last setup(), which started a new network."""
        made_in = getattr(obj, "_generation", self.generation)
        if made_in != self.generation:
            raise SimulationStateError(
                f"{what} '{obj.label}' was made before the last sim.setup(), which started a "
                "new network and forgot it. Create it again after setup().")

    def mark_changed(self) -> None:
        """The network differs from what was compiled."""
        self.network_changed = True

    def reset(self) -> None:
        """Back to t = 0: initial state, new segment."""
        self.running = False
        self.t = 0.0
        self.t_start = 0.0
        self.segment_counter += 1
        if self.emulation is not None:
            self.emulation.reset()
            if self.world is not None:
                from .parallel.session import Gathered
                self.gathered = Gathered(self.world, self.emulation, self.mapped)
            self._read_back_weights()

    def get_mapping(self):
        """The compiled network, compiling it first if the network changed.

        After a run, a change (parameters, weights, spike times) is compiled and the running
        emulation continues from its current state (see _prepare_emulation).
        Raises: whatever compiling raises; the previous mapping and emulation (and so every
        recorded value, the clock and the running state) are then kept.
        """
        if self.network_changed and self.emulation is not None and self.t > 0:
            self._prepare_emulation()
            return self.mapped
        if self.mapped is None or self.network_changed:
            self.mapped = self._agreed(self._compile, "compiling the network")
            self.emulation = self.gathered = None
            self.network_changed = False
        return self.mapped

    def _compile(self):
        """The MappedNetwork of the objects as they are now; touches no state."""
        if self.world is not None:      # each rank holds and compiles its own synapses
            from .parallel.compile import compile_here
            return compile_here(self)
        from .mapping import compile_network
        from .snapshot import to_ir
        network, projection_ids, positions = to_ir(self)
        return compile_network(network, self.config, projection_ids, positions)

    def _prepare_emulation(self) -> None:
        """Compile and load the network if needed; after a run, carry the state over.

        Nothing changes unless everything succeeds: on any error the previous mapping and
        emulation stay, with the data recorded so far and the clock, and the network stays
        marked as changed, so a later run() (after the user fixes the cause) tries again.
        """
        if self.emulation is not None and not self.network_changed:
            return
        previous = self.emulation if self.t > 0 else None
        compile_again = self.network_changed or self.mapped is None
        mapped, emulation = self._agreed(lambda: self._load(previous, compile_again),
                                         "compiling and loading the network")
        if self.world is not None:
            from .parallel.session import Gathered, check_same_mapping
            if compile_again:
                check_same_mapping(self.world, mapped)
            gathered = Gathered(self.world, emulation, mapped)
        for population in self.populations:
            population._pending_mask()[:] = False
        self.mapped, self.emulation, self.network_changed = mapped, emulation, False
        if self.world is not None:
            self.gathered = gathered

    def _load(self, previous, compile_again: bool):
        """Out: (MappedNetwork, Emulation of this process's PEs), carried over from
        ``previous`` when there is one. Touches no state.
        Raises: NotSupportedError when the populations changed since ``previous`` ran."""
        mapped = self._compile() if compile_again else self.mapped
        if self.world is None:
            from .emulator import Emulation
            emulation = Emulation(
                mapped.programs, mapped.tables_by_index, mapped.dram, mapped.machine,
                mapped.dt, self.config.rng_seed, mapped.partition.pop, mapped.partition.lo,
                progress_bar=self.config.progress_bar, current_sources=mapped.current_sources)
            emulation.tick_observers = self.tick_observers
        else:
            if self.tick_observers:
                raise NotSupportedError(
                    "Live input/output (sim.live, external_devices) and structural plasticity "
                    "run in one process only, not under mpiexec with several ranks. Fix: run "
                    "the script without mpiexec (or with -n 1).")
            from .parallel.session import new_emulation
            emulation = new_emulation(self.world, mapped, self.config, previous)
        if previous is not None:
            reinitialised = {p._number: p._pending_mask().copy() for p in self.populations}
            try:
                emulation.adopt(previous, reinitialised)
            except ValueError as err:
                raise NotSupportedError(
                    f"After running to t = {self.t:g} ms, {err}: adding populations in the "
                    "middle of a simulation is not supported. Call sim.reset() first "
                    "(parameters, initial values, projections, weights, delays, spike times, "
                    "current sources and recording can change between runs without it).") from err
        return mapped, emulation

    def _agreed(self, step, what: str):
        """``step()``; under MPI every rank runs it and all raise if any fails
        (parallel.World.agree)."""
        return step() if self.world is None else self.world.agree(step, what)

    @property
    def results(self):
        """What the whole network recorded and counted (``recordings``, ``trace``, ``tick``):
        the emulation itself, or under MPI what was gathered from every rank; None before the
        network was loaded."""
        return self.gathered if self.world is not None else self.emulation

    def run(self, simtime: float) -> None:
        self.run_until(self.t + simtime)

    def run_until(self, tstop: float) -> None:
        """Raises: SimulationStateError before setup(). (run() and run_until() in __init__.py
        refuse times that are not finite numbers before they get here.)"""
        if not self.setup_done:
            raise SimulationStateError("run() before setup(): call sim.setup(timestep=...) "
                                       "first, then build the network, then run it.")
        self._prepare_emulation()
        n_ticks = int(round((tstop - self.t) / self.dt))
        if n_ticks <= 0:
            return                       # already there (PyNN refuses times in the past)
        from .emulator.scatter import N_COUNTERS
        from .mapping.dram import check_dram, recording_bytes_total
        from .resource_checks import check_run
        self._agreed(lambda: (check_dram(self.mapped, n_ticks), check_run(
            len(self.mapped.programs), self.emulation.trace.n_ticks, n_ticks,
            recording_bytes_total(self.mapped, n_ticks), N_COUNTERS)), "checking resources")
        if self.run_hook is not None:
            self.run_hook(self, n_ticks)
        else:
            self.advance(n_ticks)

    def advance(self, n_ticks: int) -> None:
        """Run the prepared emulation ``n_ticks`` ticks on; the clock, learned weights and the
        deadline check follow. (The live driver calls it once per chunk of a run.)"""
        first = self.emulation.trace.n_ticks
        self.emulation.run(n_ticks)
        if self.gathered is not None:
            self.gathered.refresh()
        self.t = self.emulation.tick * self.dt
        self.running = True
        self._read_back_weights()
        for observer in list(self.tick_observers):
            observer.after_advance(self)
        self._check_deadlines(first)

    def _read_back_weights(self) -> None:
        """Learned (STDP) weights from the emulated DRAM into the PyNN projections, so that
        Projection.get sees them, as the host reads the rows back from the machine."""
        # under MPI each rank reads the rows of its own PEs, which hold the synapses of its
        # own projections' connections
        learned = self.mapped.learned_weights(self.emulation.fabric)
        owner = {ir: number for number, ids in self.mapped.projection_ids.items() for ir in ids}
        by_number = {p._number: p for p in self.projections}
        for ir_id, values in learned.items():
            # a part through a delay extension belongs to its user projection (origin)
            origin = self.mapped.compiled_network.projections[ir_id].origin
            projection = by_number.get(owner.get(origin if origin >= 0 else ir_id))
            if projection is None:
                continue
            positions = self.mapped.projection_positions[ir_id]
            # a new array: the compiled IR may reference the old one
            weight = projection._attributes["weight"].astype(np.float32)
            weight[positions] = values
            projection._attributes["weight"] = weight

    def get_hardware_report(self):
        """The HardwareReport of the run so far (since the last reset).

        Raises: RuntimeError when nothing has run yet.
        """
        if self.emulation is None or self.emulation.tick == 0:
            raise RuntimeError("No run yet: call sim.run() before sim.get_hardware_report().")
        from .hardware_report import build_hardware_report
        report = build_hardware_report(self.mapped, self.results, self.config)
        report._writes_files = self.mpi_rank == 0     # under MPI, rank 0 writes its files
        return report

    def _check_deadlines(self, first_tick: int) -> None:
        """Raise (strict_timing) or warn once when a PE overran a tick since ``first_tick``;
        the recorded data stay. Only the new ticks are costed unless one was missed."""
        if not self.config.strict_timing and self._warned_deadline:
            return
        from .emulator.costs import DEFAULT_COSTS, poisson_inputs, tick_costs
        programs, cfg = self.mapped.programs, self.config
        new = tick_costs(self.results.trace.arrays(first_tick), [p.model for p in programs],
                         np.array([p.n_neurons for p in programs]), self.dt,
                         cfg.performance_level, cfg.pl_threshold, cfg.time_scale_factor,
                         DEFAULT_COSTS, poisson_inputs(programs))
        if not new.missed.any():
            return
        report = self.get_hardware_report()
        worst = report.deadline_misses[0]
        message = (f"{len(report.deadline_misses)} PE(s) missed {report.ticks_missed} tick "
                   f"deadline(s) on the hardware; the worst, {worst['population']}"
                   f"[{worst['lo']}:{worst['hi']}], needed up to {worst['worst_overrun']:.2f}x "
                   f"its cycles. Fix: {worst['fix']}. See sim.get_hardware_report().")
        if self.config.strict_timing:
            raise DeadlineMissedError(message, report)
        warnings.warn(message, DeadlineWarning, stacklevel=4)
        self._warned_deadline = True


state = State()
