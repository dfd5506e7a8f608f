"""The emulator of the chip fabric: runs the compiled tables, tick by tick.

In:  the compiler's output only: PE programs, router tables, chip DRAM images, the Machine, and
     the host's slice -> (population, first neuron) map used to label recordings.
Out: RawRecordings (population terms) and hardware counters.
Raises: RoutingLoopError when the tables route a packet in circles.

Each tick, for all PEs at once: neurons update from their ring-buffer slot; spikes become packets
with their keys; packets are routed by the router tables; arriving keys are looked up in each
PE's master population table; rows are fetched from DRAM, decoded and added to ring buffers.
The route of a key is found by walking the tables once per source slice (every table entry covers
whole slices, which is checked), and reused for every packet with that slice's keys.
"""

from __future__ import annotations

import sys
from scipy import sparse
from typing import Mapping, Sequence

import numpy as np

from .. import machine as hw
from ..machine import Machine
from ..neuron_models import NATIVE_MODELS, TickContext, receptor_rows
from ..compiled.program import PEProgram
from ..compiled.router import RouterTable
from ..compiled.routing import route_slice_keys, senders
from . import neurons
from ..current_sources import current_at
from ..formats import DELAY_BITS, STP_WORDS
from .stochastic import transmitted
from . import stdp
from .recordings import RawRecordings, RecordingLayout
from .trace import HardwareTrace
from .poisson_inputs import PoissonInputs
from .ring import take_slot
from .scatter import PLASTIC, ScatterTables, scatter_tick
from .synapses import Decoded, SynapseFabric, expand_ranges
from .matching import match_neurons
from .multispike import (counts_or_ones, join_spikes, repeated_factors, single_counts,
                         spike_time_lists)



class Emulation:
    """Emulator state that persists across run() calls until reset()."""

    #: objects whose ``on_tick(emulation, tick, gids, counts, folded)`` sees every tick's
    #: spikes, and the recorded folded Poisson spikes ((population, index) or None), before they
    #: are delivered (live output, structural plasticity); the simulator state sets the list
    tick_observers: Sequence = ()

    def __init__(self, programs: Sequence[PEProgram], tables: Mapping[int, RouterTable],
                 dram: Mapping[int, np.ndarray], machine: Machine, dt: float, seed: int,
                 slice_pop: np.ndarray, slice_lo: np.ndarray, progress_bar: bool = True,
                 current_sources: Sequence[tuple[str, dict, bool]] = ()) -> None:
        self.programs, self.machine, self.dt, self.seed = programs, machine, dt, seed
        self.progress_bar = progress_bar
        self.fabric = SynapseFabric(programs, dram)
        # emulator-internal neuron numbering (gid): programs grouped by model, so that each
        # model's neurons form one contiguous range and its kernel works on array views
        sizes = np.array([p.n_neurons for p in programs], dtype=np.int64)
        by_model = np.array(sorted(range(len(programs)), key=lambda i: programs[i].model),
                            dtype=np.int64)
        self.gid_offset = np.zeros(len(programs), dtype=np.int64)
        self.gid_offset[by_model] = np.concatenate([[0], np.cumsum(sizes[by_model])])[:-1]
        n = int(sizes.sum())
        self.gid_program = np.repeat(by_model, sizes[by_model])
        self.gid_local = np.arange(n) - self.gid_offset[self.gid_program]
        slice_ids = np.array([p.slice_id for p in programs], dtype=np.int64)
        self.gid_pop = slice_pop[slice_ids][self.gid_program]
        self.gid_index = self.gid_local + slice_lo[slice_ids][self.gid_program]
        keys = np.array([p.key for p in programs], dtype=np.uint32)
        self.gid_key = keys[self.gid_program] | self.gid_local.astype(np.uint32)
        self.gid_sends = np.array([p.sends_packets for p in programs], dtype=bool)[
            self.gid_program]
        self.current_sources = tuple(current_sources)
        self.cs_gid = np.concatenate([self.gid_offset[i] + p.current_neuron
                                      for i, p in enumerate(programs)] + [np.zeros(0, np.int64)])
        self.cs_source = np.concatenate([p.current_source for p in programs]
                                        + [np.zeros(0, np.int64)])
        # each neuron's post-synaptic trace time constants (0: no STDP input, no history; the
        # second: the triplet rule's tau_y, the third: the dopamine's tau_d, 0 when unused)
        self.gid_tau_minus = np.zeros(n, dtype=np.float32)
        self.gid_tau_y = np.zeros(n, dtype=np.float32)
        self.gid_tau_d = np.zeros(n, dtype=np.float32)
        for i, p in enumerate(programs):
            for name, taus in (("stdp_tau_minus", self.gid_tau_minus),
                               ("stdp_tau_y", self.gid_tau_y), ("stdp_tau_d", self.gid_tau_d)):
                values = getattr(p.tables, name)
                if len(values):
                    taus[self.gid_offset[i]:self.gid_offset[i] + p.n_neurons] = values[0]
        self.has_stdp = bool(len(self.fabric.stdp_rules))
        # folded Poisson sources, drawn on their targets' PEs
        self.poisson_inputs = PoissonInputs.from_programs(programs, self.gid_offset)
        self._build_routes(tables)
        self._build_groups(n)
        self._build_recording()
        self.reset()

    # --- set-up: arrays derived from the generated programs and tables ----------------------
    def _build_routes(self, tables: Mapping[int, RouterTable]) -> None:
        for chip, table in tables.items():
            if np.any(table.mask & np.uint32((1 << hw.KEY_NEURON_BITS) - 1)):
                raise ValueError(f"router table of chip {chip} has an entry finer than a slice; "
                                 "the emulator's per-slice route cache would be wrong")
        where = {(p.chip, p.pe): i for i, p in enumerate(self.programs)}
        routed = route_slice_keys(tables, self.machine, self.programs, senders(self.programs))
        targets = np.array([where.get((c, pe), -1) for c, pe in
                            zip(routed.delivery_chip.tolist(), routed.delivery_pe.tolist())],
                           dtype=np.int64)
        if np.any(targets < 0):
            raise ValueError("router tables deliver packets to a PE that runs no program")
        self._build_incidence(routed)
        order = np.argsort(routed.delivery_packet, kind="stable")
        self.route_offsets = np.searchsorted(routed.delivery_packet[order],
                                             np.arange(len(self.programs) + 1))
        self.route_targets = targets[order]

    def _build_incidence(self, routed) -> None:
        """Links and routers that one packet of each slice crosses (for the hardware trace)."""
        n = len(self.programs)
        link = routed.hop_chip * hw.N_LINKS + routed.hop_link
        self.link_ids, link_col = np.unique(link, return_inverse=True)
        # a packet passes the router of its source chip and of every chip a hop reaches
        senders_ = np.unique(np.concatenate([routed.hop_packet, routed.delivery_packet,
                                             routed.dropped_packet]))
        source_chip = np.array([self.programs[i].chip for i in senders_], dtype=np.int64)
        reached = self.machine.neighbours[routed.hop_chip, routed.hop_link]
        visits_pkt = np.concatenate([senders_, routed.hop_packet]).astype(np.int64)
        visits_chip = np.concatenate([source_chip, reached]).astype(np.int64)
        self.router_chips, router_col = np.unique(visits_chip, return_inverse=True)
        ones = lambda k: np.ones(k, dtype=np.int64)  # noqa: E731
        self.route_hops = sparse.csr_matrix((ones(len(link)), (routed.hop_packet, link_col)),
                                            shape=(n, len(self.link_ids)))
        self.route_routers = sparse.csr_matrix((ones(len(visits_chip)),
                                                (visits_pkt, router_col)),
                                               shape=(n, len(self.router_chips)))
        self.route_drops = np.bincount(routed.dropped_packet, minlength=n)

    def _build_groups(self, n: int) -> None:
        self.model_programs: dict[str, np.ndarray] = {}
        for model in sorted({p.model for p in self.programs}):
            ids = [i for i, p in enumerate(self.programs) if p.model == model]
            # in gid order, so that concatenated neuron blocks line up with the gid range
            self.model_programs[model] = np.array(
                sorted(ids, key=lambda i: int(self.gid_offset[i])), dtype=np.int64)
        # programs of a model are consecutive in gid order (see __init__)
        self.model_range = {}
        for m, idx in self.model_programs.items():
            lo = int(self.gid_offset[idx].min())
            hi = lo + int(sum(self.programs[i].n_neurons for i in idx))
            self.model_range[m] = slice(lo, hi)
        # input scale per receptor and neuron: sign * 2**-exponent (float64, cast on use)
        self.input_scale = np.zeros((receptor_rows(p.model for p in self.programs), n))
        for i, p in enumerate(self.programs):
            gids = slice(self.gid_offset[i], self.gid_offset[i] + p.n_neurons)
            for r, sign in enumerate(NATIVE_MODELS[p.model].receptor_signs):
                self.input_scale[r, gids] = sign * np.ldexp(1.0, -int(p.weight_exponent[r]))
        # at least 64 slots, so that input still pending when the network is changed between
        # runs (adopt) keeps its arrival tick whatever the new delays are
        slots = max([p.ring_buffer_slots for p in self.programs] + [hw.MAX_DELAY_TICKS])
        # scatter_tick wraps a delayed slot once: every encodable delay must fit
        assert slots >= 1 << DELAY_BITS, "ring buffer shallower than the longest delay"
        self.n_slots, self.n_neurons = slots, n
        # each neuron model's float32 input of the tick, refilled from the ring every tick
        self.inputs = {m: np.zeros((receptor_rows([m]), r.stop - r.start), dtype=np.float32)
                       for m, r in self.model_range.items() if NATIVE_MODELS[m].receives_input}
        # spike-time sources: one global (tick, gid, count) list sorted by tick
        self.array_ticks, self.array_gids, self.array_counts = spike_time_lists(
            self.programs, self.gid_offset)
        # per-neuron random stream ids of the random sources, in gid order
        self.streams = {
            model: np.concatenate([np.uint64(self.programs[i].rng_stream)
                                   + np.arange(self.programs[i].n_neurons, dtype=np.uint64)
                                   for i in idx])
            for model, idx in self.model_programs.items()
            if NATIVE_MODELS[model].draws_random}

    def _build_recording(self) -> None:
        layout = RecordingLayout(self.programs, self.gid_offset, self.gid_pop, self.gid_index,
                                 {m: r.start for m, r in self.model_range.items()},
                                 self.poisson_inputs.recorded_sources())
        self.record_spikes, self.sample_positions = layout.spikes, layout.positions
        self.sample_every, self.recorded_index = layout.every, layout.index

    # --- state ----------------------------------------------------------------------------
    def reset(self) -> None:
        """Back to t = 0: initial neuron state from the neuron blocks, empty ring buffers,
        initial plastic synapse state."""
        self.tick = 0
        self.fabric.restore_state()
        self.post_history = stdp.PostHistory(self.gid_tau_minus, self.dt, self.gid_tau_y,
                                             self.gid_tau_d)
        self.blocks = {m: neurons.concatenate_blocks([self.programs[i].neuron_block
                                                      for i in idx])
                       for m, idx in self.model_programs.items()}
        self.ring = np.zeros((self.n_slots, len(self.input_scale), self.n_neurons), np.int64)
        self.recordings = RawRecordings(self.dt, self.recorded_index, self.sample_every)
        self.trace = HardwareTrace(len(self.programs), self.route_hops, self.route_routers,
                                   self.route_drops, self.link_ids, self.router_chips)
        # the neuron blocks' own bias current; current sources add to it tick by tick
        self.base_i_offset = {m: bias for m, b in self.blocks.items()
                              if (bias := NATIVE_MODELS[m].bias_current(b)) is not None}
        self.current_samples: dict[int, list[float]] = {}
        self._sample()

    def _sample(self) -> None:
        self.recordings.sample(self.tick, self._read)

    def _read(self, key: tuple[int, str]) -> np.ndarray:
        model, pos = self.sample_positions[key]
        return NATIVE_MODELS[model].read(self.blocks[model], key[1])[pos]

    def adopt(self, old: "Emulation",
              reinitialised: dict[int, np.ndarray] | None = None) -> None:
        """Continue from ``old`` after the network changed between runs (same populations).

        Keeps the time, every model's state arrays (neuron by neuron, by population and index),
        the synaptic input still in flight (re-quantised to the new weight scales) and the
        recordings (a variable recorded from now on has NaN before). The hardware trace starts
        afresh.
        Neurons marked in ``reinitialised`` (population -> mask; initialize() was called since the
        last run) start from their new initial state instead of carrying theirs over.
        Raises: ValueError when the populations differ.
        """
        mapping = match_neurons(self, old)
        self.tick = old.tick
        for model, rng in self.model_range.items():
            pops, index = self.gid_pop[rng], self.gid_index[rng]
            keep = mapping[rng] >= 0
            for pop, mask in (reinitialised or {}).items():
                mine = pops == pop
                keep[mine] &= ~mask[index[mine]]
            old_gids = mapping[rng][keep]
            if not len(old_gids):
                continue
            old_range = old.model_range[model]
            for key in NATIVE_MODELS[model].state_keys:
                self.blocks[model][key][keep] = old.blocks[model][key][old_gids - old_range.start]
        # pending input, as PyNN-unit values, into the new integer scale
        found, rows = mapping >= 0, min(len(self.input_scale), len(old.input_scale))
        mapping = np.where(found, mapping, 0)
        pending = old.ring[:, :rows, mapping] * np.abs(old.input_scale[None, :rows, mapping])
        scale = np.abs(self.input_scale[:rows])
        with np.errstate(divide="ignore", invalid="ignore"):
            scaled = np.where(scale != 0, pending * found / scale, 0.0)
        for offset in range(old.n_slots):
            tick = self.tick + offset
            self.ring[tick % self.n_slots, :rows] = np.round(scaled[tick % old.n_slots])
        self.recordings = old.recordings.continued_as(self.recorded_index, self.sample_every,
                                                      self._read)
        self.fabric.carry_state_from(old.fabric)
        self.post_history.copy_from(old.post_history, mapping)
        self.current_samples = old.current_samples

    # --- the tick loop --------------------------------------------------------------------
    def run(self, n_ticks: int) -> None:
        """Advance by ``n_ticks`` ticks."""
        ticks = range(n_ticks)
        if self.progress_bar and n_ticks >= 1000 and sys.stderr.isatty():
            from tqdm import tqdm
            ticks = tqdm(ticks, desc="emulating", unit="tick", leave=False)
        for _ in ticks:
            self._step()

    def current_recording(self, source_id: int) -> np.ndarray:
        """A recorded source's current at t = 0, dt, ..., now (the sample at t drives t..t+dt)."""
        kind, params, _ = self.current_sources[source_id]
        upcoming = current_at(kind, params, source_id, self.tick, self.dt, self.seed)
        return np.asarray(self.current_samples.get(source_id, []) + [upcoming])

    def _inject_currents(self) -> None:
        """Each PE adds the current of its sources in this tick to its neurons' bias current."""
        amps = np.array([current_at(kind, params, sid, self.tick, self.dt, self.seed)
                         for sid, (kind, params, _) in enumerate(self.current_sources)])
        for sid, (_, _, recorded) in enumerate(self.current_sources):
            if recorded:
                self.current_samples.setdefault(sid, []).append(float(amps[sid]))
        injected = np.bincount(self.cs_gid, weights=amps[self.cs_source],
                               minlength=self.n_neurons)
        for model, bias in self.base_i_offset.items():
            NATIVE_MODELS[model].inject(self.blocks[model], bias,
                                        injected[self.model_range[model]])

    def _step(self) -> None:
        k = self.tick
        slot = k % self.n_slots
        if self.current_sources:
            self._inject_currents()
        # the neuron models read (and clear) their ring slot; sources' slots are never written
        gids, counts = join_spikes([self._neuron_spikes(m, slot) for m in self.model_programs])
        rec = gids if counts is None else np.repeat(gids, counts)   # every spike of a count
        rec = rec[self.record_spikes[rec]]
        self.recordings.add_spikes(self.gid_pop[rec], self.gid_index[rec], k)
        folded = self.poisson_inputs.tick(self.seed, k, self.ring) if self.poisson_inputs.n \
            else None
        if folded is not None:
            self.recordings.add_spikes(*folded, k)
        for observer in self.tick_observers:
            observer.on_tick(self, k, gids, counts, folded)
        if self.has_stdp:
            self.post_history.record(gids, k)
        self._deliver(gids, counts_or_ones(counts, len(gids)), k)
        self.tick += 1
        self._sample()

    def _neuron_spikes(self, model: str, slot: int) -> tuple[np.ndarray, np.ndarray | None]:
        """Out: the model's spiking gids and their spike counts (None: one spike each)."""
        k = self.tick
        native = NATIVE_MODELS[model]
        start = self.model_range[model].start
        if native.kind == "array_source":
            lo, hi = np.searchsorted(self.array_ticks, [k, k + 1])
            return self.array_gids[lo:hi], self.array_counts[lo:hi]
        inputs = self.inputs.get(model)
        if inputs is not None:
            take_slot(self.ring, slot, self.input_scale, start, inputs)
        fired = native.step(self.blocks[model], inputs,
                            TickContext(k, self.dt, self.seed, self.streams.get(model)))
        spiking = np.nonzero(fired.astype(np.bool_, copy=False))[0]   # bool: the fast path
        return spiking + start, (None if fired.dtype == np.bool_ else single_counts(
            fired[spiking]))

    def _deliver(self, gids: np.ndarray, spike_counts: np.ndarray, k: int) -> None:
        """Send the tick's spikes (one packet per gid, with its count): the compiled pass adds
        every static synapse to the ring and counts the tick (scatter.py); plastic rows then go
        fetch -> plastic adjustment (once per spike of the count) -> scatter on the numpy
        path."""
        f = self.fabric
        counts = self.trace.next_tick()
        plastic_rows = scatter_tick(gids, spike_counts, ScatterTables(
            sends=self.gid_sends, gid_program=self.gid_program, gid_key=self.gid_key,
            route_offsets=self.route_offsets, route_targets=self.route_targets,
            gid_offset=self.gid_offset, **f.scatter_arrays()), self.ring, k, STP_WORDS, counts)
        if plastic_rows == 0:
            return
        program, keys = self._arrivals(gids)
        syn = f.fetch(program, keys, plastic_only=True)
        sent = self.gid_sends[gids]     # arrivals are in _arrivals' order: by sent spike
        times = np.repeat(spike_counts[sent], np.diff(self.route_offsets)[
            self.gid_program[gids[sent]]])[syn.arrival]
        # a plastic synapse is updated once per spike of the count; scatter counted one
        counts[PLASTIC] += np.bincount(syn.program, weights=times - 1, minlength=len(
            self.programs)).astype(np.int32)
        weight = syn.weight.copy()
        # records of short-term plasticity (an STDP block's records are its rule's)
        short_term = (syn.state_address >= 0) & (syn.rule < 0)
        if short_term.any():
            blocks, addresses = syn.block[short_term], syn.state_address[short_term]
            weight[short_term] = repeated_factors(
                lambda mine, repetition: transmitted(f, blocks[mine], addresses[mine], k,
                                                     self.dt, self.seed, repetition),
                weight[short_term], times[short_term])
        learning = syn.rule >= 0
        if learning.any():
            weight[learning] = stdp.apply_fetched(f, self.post_history, k, syn, learning,
                                                  weight[learning], self.gid_offset, counts,
                                                  times[learning], self.seed)
        self._scatter(syn, weight, k)

    def _arrivals(self, gids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Out: (target program, key) of every packet the spikes ``gids`` deliver to a PE."""
        gids = gids[self.gid_sends[gids]]
        src = self.gid_program[gids]
        packet, target = expand_ranges(self.route_offsets[src],
                                       self.route_offsets[src + 1] - self.route_offsets[src])
        return self.route_targets[target], self.gid_key[gids[packet]]

    def _scatter(self, syn: Decoded, weight: np.ndarray, k: int) -> None:
        """Add decoded synapses' integer weights into ring slot (k + delay) mod S."""
        target_gid = self.gid_offset[syn.program] + syn.index
        slot = (k + syn.delay_ticks) % self.n_slots
        np.add.at(self.ring, (slot, syn.synapse_type, target_gid), weight)
