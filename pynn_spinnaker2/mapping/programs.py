"""Assemble each PE's program: neuron block, master population table, ring buffer, sources.

In:  NetworkSpec, Partition, Placements, KeyAllocation, SynapticData, Config.
Out: one PEProgram per slice, with its SRAM use.
Raises: ResourceError naming the population when a PE's data SRAM would overflow.
"""

from __future__ import annotations

import warnings

import numpy as np

from .. import machine as hw
from ..errors import ParameterRangeError, ResourceError
from ..ir import NetworkSpec
from ..neuron_models import NATIVE_MODELS
from ..compiled.program import PEProgram
from ..compiled.stages import KeyAllocation, Partition, Placements, PoissonInputs, SynapticData
from .partition import ring_buffer_slots
from .synaptic_matrices import master_population_table


def _spike_source_ticks(times: np.ndarray, offsets: np.ndarray, lo: int, hi: int,
                        dt: float, label: str) -> tuple[np.ndarray, np.ndarray]:
    """Emission ticks of neurons [lo, hi).

    A spike at time t is emitted in tick ceil(t/dt) - 1 and so carries the time stamp of the
    first grid point at or after t, as NEST's spike_generator does on the grid (a relative
    tolerance of 1e-6 step absorbs floating-point noise such as 0.30000000000000004).
    """
    chunk = times[offsets[lo]:offsets[hi]]
    ticks = np.ceil(chunk / dt - 1e-6).astype(np.int64) - 1
    early = ticks < 0
    if early.any():
        warnings.warn(f"Population '{label}': {int(early.sum())} spike time(s) at or before "
                      f"0 ms are dropped (the first time a spike can carry is {dt:g} ms).",
                      stacklevel=3)
    local_offsets = offsets[lo:hi + 1] - offsets[lo]
    neuron = np.repeat(np.arange(hi - lo), np.diff(local_offsets))
    keep = ~early
    # a tick listed n times for a neuron: n spikes, sent as one packet with count n
    neuron, ticks = neuron[keep], ticks[keep]
    order = np.lexsort((ticks, neuron))
    new_offsets = np.concatenate([[0], np.cumsum(np.bincount(neuron, minlength=hi - lo))])
    return new_offsets.astype(np.int64), ticks[order]


def _warn_same_tick(spec, dt: float) -> None:
    """Once per spike-time population: how many of its spikes share a tick with an earlier
    spike of the same source (they leave together, as one packet with a count)."""
    ticks = np.ceil(np.asarray(spec.spike_times) / dt - 1e-6).astype(np.int64) - 1
    neuron = np.repeat(np.arange(spec.size), np.diff(spec.spike_offsets))
    keep = ticks >= 0
    pairs = neuron[keep] * (int(ticks.max(initial=0)) + 1) + ticks[keep]
    shared = len(pairs) - len(np.unique(pairs))
    if shared:
        warnings.warn(f"Population '{spec.label}': {shared} spike(s) fall in the same "
                      f"timestep ({dt:g} ms) as another spike of the same source; each such "
                      "group is delivered as one packet with a spike count (every target gets "
                      "weight x count) and recorded as several spikes at the same time.",
                      stacklevel=4)


def _current_injections(network: NetworkSpec,
                        partition: Partition) -> list[tuple[np.ndarray, np.ndarray]]:
    """Per slice: (source id, local neuron index) of every current source injection."""
    out: list[tuple[list[np.ndarray], list[np.ndarray]]] = [
        ([], []) for _ in range(partition.n_slices)]
    for source in network.current_sources:
        for pop in np.unique(source.target_pop):
            index = source.target_index[source.target_pop == pop]
            slices = partition.slice_of_neuron(int(pop), index)
            for s in np.unique(slices):
                local = index[slices == s] - partition.lo[s]
                out[s][0].append(np.full(len(local), source.id, dtype=np.int64))
                out[s][1].append(local.astype(np.int64))
    return [(np.concatenate(a) if a else np.zeros(0, np.int64),
             np.concatenate(b) if b else np.zeros(0, np.int64)) for a, b in out]


def build_programs(network: NetworkSpec, partition: Partition, placements: Placements,
                   keys: KeyAllocation, data: SynapticData,
                   inputs: PoissonInputs) -> list[PEProgram]:
    """One PEProgram per slice, in slice order.

    In: ``inputs``, each slice's folded Poisson inputs and their SRAM (poisson_inputs).
    """
    programs = []
    senders = set(data.block_source.tolist())
    injections = _current_injections(network, partition)
    for s in range(partition.n_slices):
        spec = network.populations[int(partition.pop[s])]
        model = NATIVE_MODELS[spec.model]
        lo, hi = int(partition.lo[s]), int(partition.hi[s])
        params = {k: v[lo:hi] for k, v in spec.params.items()}
        initial = {k: v[lo:hi] for k, v in spec.initial.items()}
        try:
            block = model.build_block(params, initial, network.dt)
        except ParameterRangeError as err:
            raise ParameterRangeError(f"Population '{spec.label}': {err}. Change the "
                                      "parameter to a value the model accepts.") from err
        tables = master_population_table(data, keys, s)
        slots = int(data.ring_slots[s]) if model.receives_input else 0
        poisson = inputs.tables[s]
        if poisson:
            slots = max(slots, ring_buffer_slots(int(poisson["delay"].max())))
        sram = {
            "system": hw.STACK_HEAP_BYTES + hw.APP_FIXED_SRAM_BYTES,
            "neuron_block": model.block_bytes(block),
            "ring_buffer": slots * len(model.receptors) * (hi - lo) * hw.RING_BUFFER_ENTRY_BYTES,
            "master_population_table": len(tables.mpt_key) * hw.MPT_ENTRY_BYTES
            + len(tables.addr_block) * hw.ADDRESS_LIST_ENTRY_BYTES,
            "current_sources": len(injections[s][0]) * hw.CURRENT_INPUT_BYTES
            + len(np.unique(injections[s][0])) * hw.CURRENT_SOURCE_BYTES,
            "stdp": len(tables.stdp_rules) * hw.STDP_RULE_BYTES
            + (hi - lo) * hw.STDP_HISTORY_BYTES_PER_NEURON * len(tables.stdp_tau_minus)
            + (hi - lo) * hw.STDP_SECOND_TRACE_BYTES_PER_NEURON * len(tables.stdp_tau_y),
            "poisson_inputs": inputs.sram_bytes[s],
        }
        if sum(sram.values()) > hw.DATA_SRAM_BYTES_PER_PE:
            fix = ("put more source neurons on each PE (a larger neurons_per_core for the "
                   "pre-synaptic populations)" if max(sram, key=lambda part: sram[part])
                   == "master_population_table" else
                   "use setup(neurons_per_core=N) with a smaller N")
            raise ResourceError(
                f"Population '{spec.label}', neurons {lo}-{hi - 1}: the PE needs "
                f"{sum(sram.values())} bytes of data SRAM ({sram}), it has "
                f"{hw.DATA_SRAM_BYTES_PER_PE}. To fix it, {fix}.")
        source_offsets = source_ticks = None
        dram_bytes = 0
        if spec.spike_times is not None and spec.spike_offsets is not None:
            if lo == 0:
                _warn_same_tick(spec, network.dt)
            source_offsets, source_ticks = _spike_source_ticks(
                spec.spike_times, spec.spike_offsets, lo, hi, network.dt, spec.label)
            # spike times of a source are streamed from DRAM: one word each, plus offsets
            dram_bytes = hw.SPIKE_TIME_BYTES * (len(source_ticks) + len(source_offsets))
        programs.append(PEProgram(
            slice_id=s, chip=int(placements.chip[s]), pe=int(placements.pe[s]),
            model=spec.model, n_neurons=hi - lo, key=int(keys.base[s]), mask=int(keys.mask[s]),
            neuron_block=block, weight_exponent=data.weight_exponent[s].copy(),
            ring_buffer_slots=slots, tables=tables,
            recorded={k: v[lo:hi].copy() for k, v in spec.recorded.items()},
            sends_packets=s in senders, rng_stream=(spec.id << 32) | lo,
            source_offsets=source_offsets, source_ticks=source_ticks, sram=sram,
            dram_bytes=dram_bytes,
            current_source=injections[s][0], current_neuron=injections[s][1],
            delay_source=extension.source if (extension := network.extension_of(spec.id))
            else -1, poisson_inputs=poisson, sample_every=spec.sample_every))
    return programs
