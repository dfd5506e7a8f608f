"""The emulator's immutable layout, built once from the compiled tables: the neuron numbering,
the route cache, the per-model groups, the input scales, the random streams and what is
recorded where.

In:  the PE programs, router tables, chip DRAM images and Machine the compiler generated, the
     host's slice -> (population, first neuron) map, the current sources; optionally the rank
     that emulates each program and this process's rank (MPI; default: one process, all PEs).
Out: ``Layout``. Nothing in it changes while the emulation runs, but for the plastic words of
     ``fabric.dram``, which are run state (restored by ``RunState.initial``).
Raises: ValueError when the tables are inconsistent (routes.py).

Neuron numbering (gid): programs ordered by (rank, model), so that the neurons one process
emulates form one contiguous range ``first_gid .. first_gid + n_neurons`` and, within it, each
model's neurons a contiguous range that its kernel works on as array views. Every process
numbers all neurons the same way (a packet names its source by gid); the arrays of state
(ring buffer, neuron blocks, recordings) hold only the process's own range, in *columns*
(gid - first_gid).
"""

from __future__ import annotations

from typing import Mapping, Sequence

import numpy as np

from .. import machine as hw
from ..formats import DELAY_BITS
from ..machine import Machine
from ..compiled.program import PEProgram
from ..compiled.router import RouterTable
from ..neuron_models import NATIVE_MODELS, receptor_rows
from .multispike import spike_time_lists
from .poisson_inputs import PoissonInputs
from .recordings import RecordingLayout
from .routes import Routes, build_routes
from .scatter import ScatterTables
from .synapses import SynapseFabric


class Layout:
    """Everything the tick loop reads but never writes (see the module docstring)."""

    def __init__(self, programs: Sequence[PEProgram], tables: Mapping[int, RouterTable],
                 dram: Mapping[int, np.ndarray], machine: Machine, slice_pop: np.ndarray,
                 slice_lo: np.ndarray, current_sources: Sequence[tuple[str, dict, bool]] = (),
                 ranks: np.ndarray | None = None, rank: int = 0) -> None:
        self.programs, self.machine = programs, machine
        self.ranks = np.zeros(len(programs), np.int64) if ranks is None else np.asarray(ranks)
        self.rank = rank
        self.emulated = self.ranks == rank
        # this process's programs
        self.owned: list[int] = [int(i) for i in np.flatnonzero(self.emulated)]
        self._number_neurons(slice_pop, slice_lo)
        self.fabric = SynapseFabric(programs, dram, self.emulated)
        self.routes: Routes = build_routes(tables, machine, programs,
                                           None if ranks is None else self.emulated)
        # what the compiled synaptic pass reads: built once (plastic words change in place)
        self.scatter_tables = ScatterTables(
            sends=self.gid_sends, gid_program=self.gid_program, gid_key=self.gid_key,
            route_offsets=self.routes.offsets, route_targets=self.routes.targets,
            gid_offset=self.column_offset, **self.fabric.scatter_arrays())
        self.current_sources = tuple(current_sources)
        own = [programs[i] for i in self.owned]
        offsets = self.column_offset[self.owned]
        self.cs_gid = np.concatenate([offsets[j] + p.current_neuron for j, p in enumerate(own)]
                                     + [np.zeros(0, np.int64)])
        self.cs_source = np.concatenate([p.current_source for p in own]
                                        + [np.zeros(0, np.int64)])
        # post-synaptic trace time constants (0: no STDP input, no history), the triplet
        # rule's second trace (tau_y) and the dopamine trace (tau_d), 0 when unused
        self.tau_minus = np.zeros(self.n_neurons, dtype=np.float32)
        self.tau_y = np.zeros(self.n_neurons, dtype=np.float32)
        self.tau_d = np.zeros(self.n_neurons, dtype=np.float32)
        for j, p in enumerate(own):
            for taus, values in ((self.tau_minus, p.tables.stdp_tau_minus),
                                 (self.tau_y, p.tables.stdp_tau_y),
                                 (self.tau_d, p.tables.stdp_tau_d)):
                if len(values):
                    taus[offsets[j]:offsets[j] + p.n_neurons] = values[0]
        self.has_stdp = bool(len(self.fabric.stdp_rules))
        # folded Poisson sources, drawn on their targets' PEs
        self.poisson_inputs = PoissonInputs.from_programs(own, offsets)
        self._group_models()
        # spike-time sources: one (tick, column, count) list sorted by tick
        self.array_ticks, self.array_columns, self.array_counts = spike_time_lists(own, offsets)
        recording = RecordingLayout(own, offsets, self.column_pop, self.column_index,
                                    {m: r.start for m, r in self.model_range.items()},
                                    self.poisson_inputs.recorded_sources())
        self.record_spikes, self.sample_positions = recording.spikes, recording.positions
        self.sample_every, self.recorded_index = recording.every, recording.index

    def _number_neurons(self, slice_pop: np.ndarray, slice_lo: np.ndarray) -> None:
        """The gid numbering of every neuron of the machine (see the module docstring)."""
        programs = self.programs
        sizes = np.array([p.n_neurons for p in programs], dtype=np.int64)
        order = np.array(sorted(range(len(programs)),
                                key=lambda i: (int(self.ranks[i]), programs[i].model)),
                         dtype=np.int64)
        self.gid_offset = np.zeros(len(programs), dtype=np.int64)
        self.gid_offset[order] = np.concatenate([[0], np.cumsum(sizes[order])])[:-1]
        self.gid_program = np.repeat(order, sizes[order])
        self.gid_local = np.arange(int(sizes.sum())) - self.gid_offset[self.gid_program]
        slice_ids = np.array([p.slice_id for p in programs], dtype=np.int64)
        self.gid_pop = slice_pop[slice_ids][self.gid_program]
        self.gid_index = self.gid_local + slice_lo[slice_ids][self.gid_program]
        keys = np.array([p.key for p in programs], dtype=np.uint32)
        self.gid_key = keys[self.gid_program] | self.gid_local.astype(np.uint32)
        self.gid_sends = np.array([p.sends_packets for p in programs], dtype=bool)[
            self.gid_program]
        mine = self.gid_offset[self.owned]
        self.first_gid = int(mine.min()) if len(mine) else 0
        self.n_neurons = int(sizes[self.owned].sum())
        # per program: its first column in this process's state arrays (emulated ones only)
        self.column_offset = self.gid_offset - self.first_gid
        self.column_pop, self.column_index = self.local(self.gid_pop), self.local(self.gid_index)

    def local(self, per_gid: np.ndarray) -> np.ndarray:
        """The part of a per-gid array that this process emulates, by column."""
        return per_gid[self.first_gid:self.first_gid + self.n_neurons]

    def _group_models(self) -> None:
        """Per model, its programs and columns; input scales; ring depth; random streams."""
        programs, n = self.programs, self.n_neurons
        self.model_programs: dict[str, np.ndarray] = {}
        for model in sorted({programs[i].model for i in self.owned}):
            idx = [i for i in self.owned if programs[i].model == model]
            # in gid order, so that concatenated neuron blocks line up with the column range
            self.model_programs[model] = np.array(
                sorted(idx, key=lambda i: self.gid_offset[i]), dtype=np.int64)
        self.model_range: dict[str, slice] = {}
        for m, members in self.model_programs.items():
            lo = int(self.column_offset[members].min())
            self.model_range[m] = slice(lo, lo + int(sum(programs[int(i)].n_neurons
                                                         for i in members)))
        # input scale per receptor and neuron: sign * 2**-exponent (float64, cast on use)
        self.input_scale = np.zeros((receptor_rows(p.model for p in programs), n))
        for i in self.owned:
            p = programs[i]
            columns = slice(self.column_offset[i], self.column_offset[i] + p.n_neurons)
            for r, sign in enumerate(NATIVE_MODELS[p.model].receptor_signs):
                self.input_scale[r, columns] = sign * np.ldexp(1.0, -int(p.weight_exponent[r]))
        # at least 64 slots, so that input still pending when the network is changed between
        # runs (adopt) keeps its arrival tick whatever the new delays are
        slots = max([p.ring_buffer_slots for p in programs] + [hw.MAX_DELAY_TICKS])
        # scatter_tick wraps a delayed slot once: every encodable delay must fit
        assert slots >= 1 << DELAY_BITS, "ring buffer shallower than the longest delay"
        self.n_slots = slots
        # per-neuron random stream ids of the random sources, in column order
        self.streams = {
            model: np.concatenate([np.uint64(programs[int(i)].rng_stream)
                                   + np.arange(programs[int(i)].n_neurons, dtype=np.uint64)
                                   for i in idx])
            for model, idx in self.model_programs.items()
            if NATIVE_MODELS[model].draws_random}
