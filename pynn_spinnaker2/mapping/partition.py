"""Partition populations into PE slices.

In:  NetworkSpec, Config.
Out: Partition: for each slice, its population id and the neuron range [lo, hi).
Raises: ResourceError when not even one neuron of a population fits a PE's SRAM.

A neuron population gets at most 256 neurons per PE (the synapse word's 8-bit index), fewer
when the user asks (setup(neurons_per_core=...)) or when the PE's data SRAM cannot hold the
neuron block, the ring buffer and the master population table for more.

A delay extension (mapping/delay_extensions.py) is cut inside its source's slices, each slice
holding whole source neurons (all their stages) and at most 256 (neuron, stage) entries, so that
one source slice feeds each extension PE and every (neuron, stage) key fits the 8-bit index.
Its PE needs about 17 bytes per entry (block and one ring-buffer slot), far below the SRAM; the
exact figure is checked by pe_programs.

A Poisson population folded onto its targets (mapping/poisson_fold.py) gets no slices; its
targets' SRAM estimate counts their Poisson inputs (the most any neuron has, for every neuron)
and the ring buffer covers their delays, both as the fold recorded them
(``NetworkSpec.folded_inputs_of``).
"""

from __future__ import annotations


import numpy as np

from .. import machine as hw
from ..config import Config
from ..errors import ResourceError
from ..ir import NetworkSpec
from ..neuron_models import NATIVE_MODELS
from ..compiled.stages import Partition
from .agreed import ALONE, Agreement, synapse_counts


def _requested_limit(spec, config: Config) -> int:
    """The user's neurons-per-PE limit: the population's own, else setup()'s."""
    return spec.neurons_per_core or config.neurons_per_core_for(spec.label, spec.model)


def ring_buffer_slots(max_delay_ticks: int) -> int:
    """Ring-buffer depth (a power of two) for delays up to ``max_delay_ticks``."""
    return 1 << int(np.ceil(np.log2(max(max_delay_ticks, 1))))


def max_incoming_delay_ticks(network: NetworkSpec, pop_id: int,
                             longest: np.ndarray | None = None) -> int:
    """Largest delay, in ticks, of any projection into a population (1 when there is none).
    In: ``longest``, each projection's longest delay in ms (0 when it has no synapse), when
    already known (agreed over MPI ranks); else read from the projections."""
    if longest is None:
        longest = projection_longest_delays(network)
    delays = [longest[p.id] for p in network.projections if p.post == pop_id]
    ticks = int(round(max(max(delays, default=0.0), network.dt) / network.dt))
    ticks = max(ticks, network.folded_inputs_of(pop_id).max_delay_ticks)
    # longer delays went to delay extensions; any left are reported by synaptic_matrices
    return min(max(ticks, 1), hw.MAX_DELAY_TICKS)


def projection_longest_delays(network: NetworkSpec, agree: Agreement = ALONE) -> np.ndarray:
    """Out: each projection's longest delay in ms over all ranks, 0 when it has no synapse."""
    return agree.reduce(np.array([float(p.delay.max()) if p.n_synapses else 0.0
                                  for p in network.projections]), "max")


def sram_bytes(n_neurons: int, bytes_per_neuron: int, n_receptors: int, slots: int,
               n_mpt_entries: int, n_address_entries: int) -> int:
    """Data SRAM a neuron PE needs: fixed part, neuron block, ring buffer, master pop table."""
    return (hw.STACK_HEAP_BYTES + hw.APP_FIXED_SRAM_BYTES
            + n_neurons * bytes_per_neuron
            + slots * n_receptors * n_neurons * hw.RING_BUFFER_ENTRY_BYTES
            + n_mpt_entries * hw.MPT_ENTRY_BYTES
            + n_address_entries * hw.ADDRESS_LIST_ENTRY_BYTES)


def neurons_per_pe(network: NetworkSpec, pop_id: int, config: Config,
                   per_pe: dict[int, int], max_delay_ticks: int | None = None,
                   present: np.ndarray | None = None) -> int:
    """Largest number of neurons of a population that one PE can hold.

    In: per_pe, the current neurons-per-PE of every population (sets the number of source
    slices, and so the size of the master population table, in the worst case that every
    source slice reaches this PE); the population's largest incoming delay in ticks, if known
    (else found from the projections); ``present``, which projections have synapses on any
    rank (else read from the projections).
    """
    if present is None:
        present = np.array([p.n_synapses > 0 for p in network.projections], dtype=bool)
    spec = network.populations[pop_id]
    model = NATIVE_MODELS[spec.model]
    limit = min(hw.MAX_NEURONS_PER_PE, _requested_limit(spec, config))
    if model.is_source:
        return limit
    if max_delay_ticks is None:
        max_delay_ticks = max_incoming_delay_ticks(network, pop_id)
    slots = ring_buffer_slots(max_delay_ticks)
    incoming = [p.pre for p in network.projections if p.post == pop_id and present[p.id]]
    n_slices = {pre: -(-network.populations[pre].size // per_pe[pre]) for pre in incoming}
    mpt_entries = sum(n_slices.values())
    address_entries = sum(n_slices[pre] for pre in incoming)
    per_neuron = (model.block_bytes_per_neuron() + hw.POISSON_INPUT_BYTES
                  * network.folded_inputs_of(pop_id).inputs_per_neuron)
    stdp = [p for p in network.projections
            if p.post == pop_id and present[p.id] and p.dynamics == "stdp"]
    if stdp:   # the post-synaptic spike history, and a rule record per STDP projection
        per_neuron += hw.STDP_HISTORY_BYTES_PER_NEURON
    rule_bytes = len(stdp) * hw.STDP_RULE_BYTES
    for n in range(limit, 0, -1):
        if sram_bytes(n, per_neuron, len(model.receptors), slots, mpt_entries,
                      address_entries) + rule_bytes <= hw.DATA_SRAM_BYTES_PER_PE:
            return n
    raise ResourceError(
        f"Population '{spec.label}': not even one neuron fits a PE's "
        f"{hw.DATA_SRAM_BYTES_PER_PE} bytes of data SRAM (ring buffer of {slots} slots, "
        f"{mpt_entries} master population table entries for its source slices). Put more "
        "source neurons on each PE (a larger neurons_per_core) or use shorter delays.")


def extension_sources_per_pe(n_stages: int) -> int:
    """Source neurons per delay-extension PE: as many as fit 256 (neuron, stage) keys."""
    return max(1, hw.MAX_NEURONS_PER_PE // n_stages)


def partition(network: NetworkSpec, config: Config, agree: Agreement = ALONE) -> Partition:
    """Split every population into slices of at most ``neurons_per_pe`` neurons.
    Under MPI the projections' longest delays and whether they have synapses are agreed over
    the ranks (``agree``), so every rank cuts the same slices.

    Neurons per PE and the number of source slices depend on each other (a finer source needs a
    larger table on its targets); a few rounds of fixed-point iteration settle them. Delay
    extensions come after the user's populations and are cut along their source's slices.
    """
    extensions = {d.population: d for d in network.delay_extensions}
    fixed = {d.population: extension_sources_per_pe(d.n_stages) * d.n_stages
             for d in network.delay_extensions}
    sizes = {spec.id: fixed.get(spec.id, min(hw.MAX_NEURONS_PER_PE,
                                             _requested_limit(spec, config)))
             for spec in network.populations}
    # each delay is read once, not once per round
    longest = projection_longest_delays(network, agree)
    present = synapse_counts(network, agree) > 0
    delays = {spec.id: max_incoming_delay_ticks(network, spec.id, longest)
              for spec in network.populations if spec.id not in fixed}
    for _ in range(8):
        updated = {spec.id: fixed[spec.id] if spec.id in fixed else
                   neurons_per_pe(network, spec.id, config, sizes, delays[spec.id], present)
                   for spec in network.populations}
        if updated == sizes:
            break
        sizes = updated
    bounds: dict[int, np.ndarray] = {}
    folded = network.folded_populations()
    for spec in network.populations:
        if spec.id in folded:
            continue
        if spec.id in extensions:
            ext = extensions[spec.id]
            bounds[spec.id] = ext.n_stages * _split(bounds[ext.source],
                                                    extension_sources_per_pe(ext.n_stages))
            continue
        per_pe = sizes[spec.id]
        n_slices = max(1, -(-spec.size // per_pe))
        # equal-sized slices balance the load better than full slices and a remainder
        bounds[spec.id] = np.linspace(0, spec.size, n_slices + 1).round().astype(np.int64)
    if not bounds:
        empty = np.zeros(0, dtype=np.int64)
        return Partition(empty, empty, empty)
    pops = [np.full(len(b) - 1, pop, dtype=np.int64) for pop, b in bounds.items()]
    return Partition(np.concatenate(pops), np.concatenate([b[:-1] for b in bounds.values()]),
                     np.concatenate([b[1:] for b in bounds.values()]))


def _split(bounds: np.ndarray, most: int) -> np.ndarray:
    """Cut each slice [bounds[i], bounds[i+1]) into equal parts of at most ``most`` neurons.

    Out: the finer bounds (a superset of ``bounds``).
    """
    lo, hi = bounds[:-1], bounds[1:]
    parts = np.maximum(1, -(-(hi - lo) // most))
    owner = np.repeat(np.arange(len(lo)), parts)
    k = np.arange(parts.sum()) - np.repeat(np.cumsum(parts) - parts, parts)
    starts = lo[owner] + np.round(k * (hi - lo)[owner] / parts[owner]).astype(np.int64)
    return np.append(starts, bounds[-1])
