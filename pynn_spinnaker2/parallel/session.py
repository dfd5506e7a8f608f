"""One rank's emulation of its chips and the results gathered from all ranks, for the
simulator's State.

In:  the World, the MappedNetwork (every rank compiles the same one), the Config.
Out: ``new_emulation``: this rank's Emulation (its own PEs, the MPI exchange);
     ``check_same_mapping``: raises unless every rank compiled the same network;
     ``Gathered``: the recordings, hardware trace and learned weights of the whole network,
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
from ..compiled.synapse_tables import joined_images
from ..errors import MappingError
from . import World
from .exchange import MPIExchange
from .gather import TraceGatherer, extend_recordings, merge_recordings, merge_weights
from .partition import program_ranks


def new_emulation(world: World, mapped, config, previous: Emulation | None) -> Emulation:
    """This rank's part of the emulation. A network changed between runs keeps the previous
    PE -> rank assignment where its PEs are the same, so each neuron's state stays on its
    rank."""
    ranks = program_ranks(mapped, world.size)
    if previous is not None:
        owner = {(p.chip, p.pe): int(r)
                 for p, r in zip(previous.programs, previous.layout.ranks)}
        if all((p.chip, p.pe) in owner for p in mapped.programs):
            ranks = np.array([owner[(p.chip, p.pe)] for p in mapped.programs],
                             dtype=np.int64)
    emulation = Emulation(
        mapped.programs, mapped.tables_by_index, mapped.dram, mapped.machine, mapped.dt,
        config.rng_seed, mapped.partition.pop, mapped.partition.lo,
        progress_bar=config.progress_bar and world.rank == 0,
        current_sources=mapped.current_sources, ranks=ranks, rank=world.rank)
    emulation.window = exchange_window(mapped)
    emulation.exchange = MPIExchange(world, emulation.layout.gid_sends, emulation.window)
    return emulation


def exchange_window(mapped) -> int:
    """Ticks the ranks may run between exchanges without changing a spike: the shortest
    delay of any synapse word in any chip's DRAM (a spike of tick k is read at tick
    k + delay at the earliest), capped at the ring depth; 1 when any PE runs STDP (its
    pairing reads the post-synaptic history when the spike arrives)."""
    if any(len(p.tables.stdp_rules) for p in mapped.programs):
        return 1
    shortest = hw.MAX_DELAY_TICKS
    for p in mapped.programs:
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
    """A digest of what the ranks must agree on: every program's place, key, size and initial
    neuron state, and every chip's DRAM image (its length and every 1024th word)."""
    digest = hashlib.blake2b(digest_size=16)
    for p in mapped.programs:
        digest.update(np.array([p.chip, p.pe, p.key, p.n_neurons, p.slice_id],
                               dtype=np.int64).tobytes())
        for name in sorted(p.neuron_block):
            digest.update(np.ascontiguousarray(p.neuron_block[name]).tobytes())
    for chip in sorted(mapped.dram):
        image = mapped.dram[chip]
        digest.update(np.array([chip, len(image)], dtype=np.int64).tobytes())
        digest.update(np.ascontiguousarray(image[::1024]).tobytes())
    return digest.hexdigest()


def check_same_mapping(world: World, mapped) -> None:
    """Raises: MappingError on every rank unless all ranks compiled the same network."""
    prints = world.allgather(fingerprint(mapped))
    if len(set(prints)) > 1:
        differ = [r for r, f in enumerate(prints) if f != prints[0]]
        raise MappingError(
            f"The MPI ranks built different networks (rank 0 and ranks {differ} differ), so "
            "they cannot share one emulation. Every rank must draw the same random numbers: "
            "give every NumpyRNG/RandomDistribution a seed and keep parallel_safe=True (a "
            "NumpyRNG with parallel_safe=False adds the rank to its seed), and build the "
            "same network on every rank.")


class Gathered:
    """The whole network's results, as one process would have them, on every rank."""

    def __init__(self, world: World, emulation: Emulation, mapped) -> None:
        self.world = world
        self.emulation, self.mapped = emulation, mapped
        self._traces = TraceGatherer(world, emulation.trace, emulation.layout.emulated)
        self.recordings = merge_recordings(world, emulation.recordings)
        self._since = emulation.recordings.extent()      # what the merge holds of each rank's
        self.trace = self._traces.trace
        self._initial: dict[int, np.ndarray] | None = None     # the compiled STDP weights
        self.weights = self._merged_weights()

    @property
    def tick(self) -> int:
        return self.emulation.tick

    def refresh(self) -> None:
        """After a run: gather what every rank recorded (since the last time) and counted,
        and the weights."""
        extend_recordings(self.world, self.recordings, self.emulation.recordings, self._since)
        self._since = self.emulation.recordings.extent()
        self.trace = self._traces.update(self.emulation.trace)
        self.weights = self._merged_weights()

    def clear(self, population: int) -> None:
        """get_data(clear=True): forget a population's data here and in the rank's own (which
        keeps its last samples: the merge already holds them)."""
        self.emulation.recordings.clear(population)
        self.recordings.clear(population)
        self._since = self.emulation.recordings.extent()

    def _merged_weights(self) -> dict[int, np.ndarray]:
        """Every STDP synapse's current weight (PyNN units), from the rank that emulates its
        PE: a rank writes only its own PEs' rows, so a weight that differs from the compiled
        one comes from that rank, and one that does not is the same everywhere."""
        if self._initial is None:
            self._initial = self.mapped.learned_weights(_Compiled(self.mapped))
        fabric = self.emulation.fabric
        held = {pid: np.isin(chip, list(fabric.chip_base))      # the chips this rank holds
                for pid, (chip, _) in self.mapped.stdp_words.items()}
        return merge_weights(self.world, self.mapped.learned_weights(fabric), self._initial,
                             held)


class _Compiled:
    """The compiled DRAM images seen as a fabric (``chip_base``, ``dram``) for
    MappedNetwork.learned_weights: the weights before any learning."""

    def __init__(self, mapped) -> None:
        chips = sorted(mapped.dram)
        sizes = [len(mapped.dram[c]) for c in chips]
        self.chip_base = dict(zip(chips, np.concatenate([[0], np.cumsum(sizes)])[:-1].tolist()))
        # the compiler's buffer itself when the images lie back to back in it (no copy)
        self.dram = joined_images([mapped.dram[c] for c in chips])
