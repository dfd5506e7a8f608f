"""The emulator of the chip fabric: runs the compiled tables, tick by tick.

In:  the compiler's output only: PE programs, router tables, chip DRAM images, the Machine, and
     the host's slice -> (population, first neuron) map used to label recordings; optionally
     the rank that emulates each program, this process's rank and the exchange between ranks.
Out: RawRecordings (population terms) and hardware counters.
Raises: RoutingLoopError when the tables route a packet in circles.

The parts: ``Layout`` (layout.py), what the compiled tables fix (numbering, routes, groups,
scales, streams, recording positions); ``RunState`` (run_state.py), what reset() rebuilds;
``carry_over`` (carry_over.py), the state kept when the network changes between runs; the
tick loop below. Each tick, for all the process's PEs at once: neurons update from their
ring-buffer slot; their spikes leave their PEs as packets, which the exchange (exchange.py)
hands to the processes whose PEs they are routed to; the arriving packets are routed to PEs
(routes.py), looked up in each PE's master population table, and their rows fetched, decoded
and added to ring buffers (delivery.py).
"""

from __future__ import annotations

import sys
from typing import Mapping, Sequence

import numpy as np

from ..current_sources import current_at
from ..errors import RankFailedError
from ..machine import Machine
from ..compiled.program import PEProgram
from ..compiled.router import RouterTable
from ..neuron_models import NATIVE_MODELS, TickContext
from .carry_over import carry_over
from .delivery import deliver
from .exchange import Exchange, LocalExchange
from .layout import Layout
from .multispike import counts_or_ones, join_spikes, single_counts
from .poisson_inputs import PoissonInputs
from .recordings import RawRecordings
from .ring import take_slot
from .run_state import RunState
from .synapses import SynapseFabric
from .trace import HardwareTrace


class Emulation:
    """A Layout and its RunState, which persists across run() calls until reset()."""

    #: objects whose ``on_tick(emulation, tick, gids, counts, folded)`` sees every tick's
    #: spikes, and the recorded folded Poisson spikes ((population, index) or None), before they
    #: are delivered (live output, structural plasticity); the simulator state sets the list.
    #: Observers work in one process only (the simulator refuses them under MPI).
    tick_observers: Sequence = ()

    def __init__(self, programs: Sequence[PEProgram], tables: Mapping[int, RouterTable],
                 dram: Mapping[int, np.ndarray], machine: Machine, dt: float, seed: int,
                 slice_pop: np.ndarray, slice_lo: np.ndarray, progress_bar: bool = True,
                 current_sources: Sequence[tuple[str, dict, bool]] = (),
                 ranks: np.ndarray | None = None, rank: int = 0,
                 exchange: Exchange | None = None) -> None:
        self.dt, self.seed, self.progress_bar = dt, seed, progress_bar
        self.layout = Layout(programs, tables, dram, machine, slice_pop, slice_lo,
                             current_sources, ranks, rank)
        self.exchange = LocalExchange() if exchange is None else exchange
        # ticks run before their packets are exchanged and delivered: at most the shortest
        # delay of any synapse, and 1 with STDP (set by the MPI session; see run())
        self.window = 1
        self.reset()

    # --- views --------------------------------------------------------------------------
    @property
    def programs(self) -> Sequence[PEProgram]:
        return self.layout.programs

    @property
    def fabric(self) -> SynapseFabric:
        return self.layout.fabric

    @property
    def tick(self) -> int:
        return self.state.tick

    @property
    def trace(self) -> HardwareTrace:
        return self.state.trace

    @property
    def recordings(self) -> RawRecordings:
        return self.state.recordings

    # views the tick observers and the live driver use (one process: columns are gids)
    @property
    def gid_pop(self) -> np.ndarray:
        return self.layout.gid_pop

    @property
    def gid_index(self) -> np.ndarray:
        return self.layout.gid_index

    @property
    def ring(self) -> np.ndarray:
        return self.state.ring

    @property
    def input_scale(self) -> np.ndarray:
        return self.layout.input_scale

    @property
    def n_slots(self) -> int:
        return self.layout.n_slots

    @property
    def poisson_inputs(self) -> PoissonInputs:
        return self.layout.poisson_inputs

    @property
    def array_ticks(self) -> np.ndarray:
        return self.layout.array_ticks

    @array_ticks.setter
    def array_ticks(self, value: np.ndarray) -> None:
        self.layout.array_ticks = value

    @property
    def array_gids(self) -> np.ndarray:
        return self.layout.array_columns

    @array_gids.setter
    def array_gids(self, value: np.ndarray) -> None:
        self.layout.array_columns = value

    @property
    def array_counts(self) -> np.ndarray:
        return self.layout.array_counts

    @array_counts.setter
    def array_counts(self, value: np.ndarray) -> None:
        self.layout.array_counts = value

    # --- state --------------------------------------------------------------------------
    def reset(self) -> None:
        """Back to t = 0 (RunState.initial)."""
        self.state = RunState.initial(self.layout, self.dt)

    def adopt(self, old: "Emulation",
              reinitialised: dict[int, np.ndarray] | None = None) -> None:
        """Continue from ``old`` after the network changed between runs (carry_over.py).
        Raises: ValueError when the populations differ."""
        carry_over(self.layout, self.state, old.layout, old.state, reinitialised)

    def current_recording(self, source_id: int) -> np.ndarray:
        """A recorded source's current at t = 0, dt, ..., now (the sample at t drives t..t+dt)."""
        kind, params, _ = self.layout.current_sources[source_id]
        upcoming = current_at(kind, params, source_id, self.tick, self.dt, self.seed)
        return np.asarray(self.state.current_samples.get(source_id, []) + [upcoming])

    # --- the tick loop ------------------------------------------------------------------
    def run(self, n_ticks: int) -> None:
        """Advance by ``n_ticks`` ticks, ``window`` ticks at a time: the neurons of every tick
        of a window update first, then the window's packets are exchanged (exchange.py) and
        delivered tick by tick. A spike of tick k lands in ring slot k + delay, read no earlier
        than tick k + window when every delay is at least ``window`` ticks, so this is the
        tick-by-tick result (the sums are integers); STDP reads the post-synaptic history at
        the delivery, so it needs a window of 1."""
        progress = None
        if self.progress_bar and n_ticks >= 1000 and sys.stderr.isatty():
            from tqdm import tqdm
            progress = tqdm(total=n_ticks, desc="emulating", unit="tick", leave=False)
        try:
            done = 0
            while done < n_ticks:
                n = min(self.window, n_ticks - done)
                self._run_window(n)
                done += n
                if progress is not None:
                    progress.update(n)
        except RankFailedError:
            raise                            # every rank raises it together
        except Exception as err:
            self.exchange.fail(err)          # one process: raises err; MPI: on every rank
            raise
        finally:
            if progress is not None:
                progress.close()
        self.exchange.settle()

    def _run_window(self, n: int) -> None:
        """``n`` ticks of neurons, then their packets exchanged and delivered."""
        layout, state = self.layout, self.state
        emitted = [self._update_neurons() for _ in range(n)]
        arrived = self.exchange.swap_window([(gids, counts) for _, gids, counts in emitted])
        for (tick, _, _), (gids, counts) in zip(emitted, arrived):
            deliver(layout, state, gids, counts_or_ones(counts, len(gids)), tick, self.dt,
                    self.seed)

    def _update_neurons(self) -> tuple[int, np.ndarray, np.ndarray | None]:
        """One tick of every neuron: currents, updates, spike recording, folded Poisson inputs,
        STDP history, samples. Out: (the tick, its spiking gids, their counts or None)."""
        layout, state = self.layout, self.state
        k = state.tick
        slot = k % layout.n_slots
        if layout.current_sources:
            self._inject_currents()
        # the neuron models read (and clear) their ring slot; sources' slots are never written
        columns, counts = join_spikes([self._neuron_spikes(m, slot)
                                       for m in layout.model_programs])
        rec = columns if counts is None else np.repeat(columns, counts)   # every spike
        rec = rec[layout.record_spikes[rec]]
        state.recordings.add_spikes(layout.column_pop[rec], layout.column_index[rec], k)
        folded = layout.poisson_inputs.tick(self.seed, k, state.ring) \
            if layout.poisson_inputs.n else None
        if folded is not None:
            state.recordings.add_spikes(*folded, k)
        for observer in self.tick_observers:
            observer.on_tick(self, k, columns, counts, folded)
        if layout.has_stdp:
            state.post_history.record(columns, k)
        state.tick += 1
        state.sample(layout)
        return k, (columns + layout.first_gid if layout.first_gid else columns), counts

    def _inject_currents(self) -> None:
        """Each PE adds the current of its sources in this tick to its neurons' bias current."""
        layout, state = self.layout, self.state
        sources = layout.current_sources
        amps = np.array([current_at(kind, params, sid, state.tick, self.dt, self.seed)
                         for sid, (kind, params, _) in enumerate(sources)])
        for sid, (_, _, recorded) in enumerate(sources):
            if recorded:
                state.current_samples.setdefault(sid, []).append(float(amps[sid]))
        injected = np.bincount(layout.cs_gid, weights=amps[layout.cs_source],
                               minlength=layout.n_neurons)
        for model, bias in state.base_i_offset.items():
            NATIVE_MODELS[model].inject(state.blocks[model], bias,
                                        injected[layout.model_range[model]])

    def _neuron_spikes(self, model: str, slot: int) -> tuple[np.ndarray, np.ndarray | None]:
        """Out: the model's spiking columns and their spike counts (None: one spike each)."""
        layout, state = self.layout, self.state
        k = state.tick
        native = NATIVE_MODELS[model]
        start = layout.model_range[model].start
        if native.kind == "array_source":
            lo, hi = np.searchsorted(layout.array_ticks, [k, k + 1])
            return layout.array_columns[lo:hi], layout.array_counts[lo:hi]
        inputs = state.inputs.get(model)
        if inputs is not None:
            take_slot(state.ring, slot, layout.input_scale, start, inputs)
        fired = native.step(state.blocks[model], inputs,
                            TickContext(k, self.dt, self.seed, layout.streams.get(model)))
        spiking = np.nonzero(fired.astype(np.bool_, copy=False))[0]   # bool: the fast path
        return spiking + start, (None if fired.dtype == np.bool_ else single_counts(
            fired[spiking]))
