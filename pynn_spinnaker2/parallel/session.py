"""One rank's emulation of its chips and the results gathered from all ranks, for the
simulator's State.

In:  the World, the MappedNetwork (every rank compiles the same one), the Config.
Out: ``new_emulation``: this rank's Emulation (its own PEs, the MPI exchange);
     ``check_same_mapping``: raises unless every rank compiled the same network;
     ``Gathered``: the recordings and hardware trace of the whole network,
     refreshed after each run and reset (collective steps: every rank calls them in step).
Raises: RankFailedError (see World.agree); MappingError when the ranks compiled different
     networks.
"""

from __future__ import annotations

import hashlib

import numpy as np

from .. import formats
from .. import machine as hw
from ..emulator import Emulation
from ..errors import MappingError, NotSupportedError
from . import World
from .exchange import MPIExchange
from ..mapping.agreed import slice_owners
from .gather import TraceGatherer, extend_recordings, merge_recordings
from .ownership import SAME_RANDOM_NUMBERS, AgreementOverMPI


def new_emulation(world: World, mapped, config, previous: Emulation | None) -> Emulation:
    """This rank's part of the emulation: the PEs of the slices whose first neuron it holds.
    Raises: NotSupportedError when a network changed between runs (no reset) puts a PE on
    another rank than before (its state is on the old one)."""
    # the rank of each slice's first neuron: the rank that holds the slice's synapses
    owner = slice_owners(mapped.partition,
                         [p.size for p in mapped.compiled_network.populations], world.size)
    ranks = owner[np.array([p.slice_id for p in mapped.programs], dtype=np.int64)]
    if previous is not None:
        before = {(p.chip, p.pe): int(r)
                  for p, r in zip(previous.programs, previous.layout.ranks)}
        if any(before.get((p.chip, p.pe), r) != r for p, r in zip(mapped.programs, ranks)):
            raise NotSupportedError(
                "The change since the last run moves neurons between PE slices of different "
                "MPI ranks, so their state cannot carry over. Call sim.reset() before the "
                "next run (or make the change before the first run).")
    emulation = Emulation(
        mapped.programs, mapped.tables_by_index, mapped.dram, mapped.machine, mapped.dt,
        config.rng_seed, mapped.partition.pop, mapped.partition.lo,
        progress_bar=config.progress_bar and world.rank == 0,
        current_sources=mapped.current_sources, ranks=ranks, rank=world.rank)
    emulation.window = int(AgreementOverMPI(world).reduce(np.array(
        [exchange_window(mapped, emulation.layout.emulated)]), "min")[0])
    emulation.exchange = MPIExchange(world, emulation.layout.gid_sends, emulation.window)
    return emulation


def exchange_window(mapped, emulated: np.ndarray) -> int:
    """Ticks the ranks may run between exchanges without changing a spike, as far as this
    rank's PEs (``emulated``: bool per program) tell (the ranks take the smallest): the
    shortest delay of any synapse word in their rows (a spike of tick k is read at tick
    k + delay at the earliest), capped at the ring depth; 1 when any PE runs STDP (its
    pairing reads the post-synaptic history when the spike arrives)."""
    if any(len(p.tables.stdp_rules) for p in mapped.programs):
        return 1
    shortest = hw.MAX_DELAY_TICKS
    for p in (p for p, mine in zip(mapped.programs, emulated) if mine):
        image, t = mapped.dram.get(p.chip), p.tables
        if image is None:
            continue
        entry = formats.row_entry_words(t.addr_rule >= 0)
        for block, rows, step in zip(t.addr_block.astype(np.int64),
                                     t.addr_rows.astype(np.int64), entry):
            first, end = int(image[block]), int(image[block + rows * step])
            if end > first:
                _, delay, _, _ = formats.unpack_synapse_words(image[block + first:block + end])
                shortest = min(shortest, int(delay.min()))
    return max(1, shortest)


def fingerprint(mapped) -> str:
    """A digest of what the ranks must agree on: every program's place, key, size, initial
    neuron state and row blocks (address and rows), and every chip's DRAM image length. (Each
    rank writes only its own PEs' rows, so the rows themselves differ.)"""
    digest = hashlib.blake2b(digest_size=16)
    for p in mapped.programs:
        digest.update(np.array([p.chip, p.pe, p.key, p.n_neurons, p.slice_id],
                               dtype=np.int64).tobytes())
        for name in sorted(p.neuron_block):
            digest.update(np.ascontiguousarray(p.neuron_block[name]).tobytes())
        for table in (p.tables.addr_block, p.tables.addr_rows):
            digest.update(np.ascontiguousarray(table).tobytes())
    for chip in sorted(mapped.dram):
        digest.update(np.array([chip, len(mapped.dram[chip])], dtype=np.int64).tobytes())
    return digest.hexdigest()


def check_same_mapping(world: World, mapped) -> None:
    """Raises: MappingError on every rank unless all ranks compiled the same network."""
    prints = world.allgather(fingerprint(mapped))
    if len(set(prints)) > 1:
        differ = [r for r, f in enumerate(prints) if f != prints[0]]
        raise MappingError(
            f"The MPI ranks built different networks (rank 0 and ranks {differ} differ), so "
            f"they cannot share one emulation. {SAME_RANDOM_NUMBERS} Build the same network "
            "on every rank.")


class Gathered:
    """The whole network's results, as one process would have them, on every rank."""

    def __init__(self, world: World, emulation: Emulation, mapped) -> None:
        self.world = world
        self.emulation, self.mapped = emulation, mapped
        self._traces = TraceGatherer(world, emulation.layout.emulated)
        self.recordings = merge_recordings(world, emulation.recordings)
        self._since = emulation.recordings.extent()      # what the merge holds of each rank's
        self.trace = self._traces.update(emulation.trace)

    @property
    def tick(self) -> int:
        return self.emulation.tick

    def refresh(self) -> None:
        """After a run: gather what every rank recorded (since the last time) and counted.
        (Learned weights are not gathered: each rank's PEs hold the synapses of its own
        connections, which Projection.get gathers when asked.)"""
        extend_recordings(self.world, self.recordings, self.emulation.recordings, self._since)
        self._since = self.emulation.recordings.extent()
        self.trace = self._traces.update(self.emulation.trace)

    def clear(self, population: int) -> None:
        """get_data(clear=True): forget a population's data here and in the rank's own (which
        keeps its last samples: the merge already holds them)."""
        self.emulation.recordings.clear(population)
        self.recordings.clear(population)
        self._since = self.emulation.recordings.extent()
