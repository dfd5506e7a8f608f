"""A small float simulator of the IR: the oracle for the mapping chain.

In:  NetworkSpec only (no mapping), as the user built it (``MappedNetwork.network``): float64
     weights, the same neuron kernels and random streams.
Out: RawRecordings in population terms, comparable with the emulator's.
Raises: RewrittenNetworkError for a network the compiler rewrote (``compiled_network``: its
     folded Poisson sources and delay extensions are not simulated here, so the result would
     silently differ); NotSupportedError for STDP or stochastic synapses.

Where weights are exactly representable in the PE's fixed-point format, the emulator must give
exactly these spikes; any difference is a mapping or emulation bug.

Several spikes of one source in one tick (a spike count, emulator/multispike.py) are delivered
as the emulator does: weight * count into the ring, and a Tsodyks-Markram synapse transmits
once per spike, in sequence; the recording lists each spike.
"""

from __future__ import annotations

import numpy as np

from ..errors import NotSupportedError, RewrittenNetworkError
from ..ir import NetworkSpec
from ..current_sources import current_at
from ..formats import STP_FIELDS, STP_WORDS, stp_initial_record
from ..neuron_models import NATIVE_MODELS, TickContext, receptor_rows
from .recordings import RawRecordings
from .short_term import transmit


def _initial_stp_state(pr) -> np.ndarray:
    """Per-synapse Tsodyks-Markram records (formats.STP_FIELDS), flattened."""
    values = stp_initial_record(pr.dynamics_params)
    state = np.zeros((pr.n_synapses, STP_WORDS), dtype=np.float32)
    for k, name in enumerate(STP_FIELDS):
        state[:, k] = values[name]
    return state.ravel()


def _transmit_times(state: np.ndarray, address: np.ndarray, t_spike: float,
                    times: np.ndarray) -> np.ndarray:
    """The summed fraction u*x that ``times`` spikes at t_spike transmit, one after another."""
    total = transmit(state, address, t_spike).astype(np.float64)
    for j in range(1, int(times.max(initial=1))):
        again = np.flatnonzero(times > j)
        total[again] += transmit(state, address[again], t_spike)
    return total


def simulate(network: NetworkSpec, n_ticks: int, seed: int | None = None) -> RawRecordings:
    """Simulate ``n_ticks`` ticks of the network from its initial state.

    Raises: RewrittenNetworkError, NotSupportedError (module docstring).
    """
    if network.delay_extensions or network.folded_poisson:
        raise RewrittenNetworkError(
            f"the reference simulator runs the network as the user built it; this one was "
            f"rewritten by the compiler ({len(network.delay_extensions)} delay extension(s), "
            f"{len(network.folded_poisson)} folded Poisson population(s)), whose rewritten "
            "parts it would not simulate. Pass MappedNetwork.network, not compiled_network.")
    seed = network.seed if seed is None else seed
    learning = [pr.label for pr in network.projections
                if pr.dynamics not in ("static", "tsodyks_markram")]
    if learning:
        # STDP and the stochastic synapses are checked against NEST instead
        # (tests/test_stdp.py, tests/test_stochastic_synapses.py)
        raise NotSupportedError("the reference simulator has no STDP or stochastic synapses "
                                  f"(projections {learning})")
    dt = network.dt
    pops = network.populations
    blocks = {p.id: NATIVE_MODELS[p.model].build_block(p.params, p.initial, dt) for p in pops}
    max_delay = max([int(np.max(np.round(pr.delay / dt))) for pr in network.projections
                     if pr.n_synapses] + [1])
    slots = max_delay + 1
    ring = {p.id: np.zeros((slots, receptor_rows([p.model]), p.size)) for p in pops}
    by_pre = {}
    for pr in network.projections:
        order = np.argsort(pr.pre_index, kind="stable")
        offsets = np.searchsorted(pr.pre_index[order], np.arange(pops[pr.pre].size + 1))
        by_pre[pr.id] = (order, offsets)
    source_ticks = {}
    for p in pops:
        if p.spike_times is not None and p.spike_offsets is not None:
            neuron = np.repeat(np.arange(p.size), np.diff(p.spike_offsets))
            ticks = np.ceil(p.spike_times / dt - 1e-6).astype(np.int64) - 1
            source_ticks[p.id] = (ticks, neuron)
    plastic = {pr.id: _initial_stp_state(pr) for pr in network.projections
               if pr.dynamics == "tsodyks_markram"}
    recorded = {(p.id, var): np.flatnonzero(mask) for p in pops for var, mask in p.recorded.items()
                if mask.any()}
    rec = RawRecordings(dt, recorded, {key: pops[key[0]].sample_every for key in recorded})

    def read(key: tuple[int, str]) -> np.ndarray:
        return NATIVE_MODELS[pops[key[0]].model].read(blocks[key[0]], key[1])[recorded[key]]

    base_i_offset = {pid: bias for pid, b in blocks.items()
                     if (bias := NATIVE_MODELS[pops[pid].model].bias_current(b)) is not None}
    rec.sample(0, read)
    for k in range(n_ticks):
        slot = k % slots
        if network.current_sources:
            injected = {pid: np.zeros(pops[pid].size) for pid in base_i_offset}
            for cs in network.current_sources:
                amp = current_at(cs.kind, dict(cs.params), cs.id, k, dt, seed)
                for pid in np.unique(cs.target_pop):
                    if int(pid) in injected:
                        np.add.at(injected[int(pid)], cs.target_index[cs.target_pop == pid], amp)
            for pid, bias in base_i_offset.items():
                NATIVE_MODELS[pops[pid].model].inject(blocks[pid], bias, injected[pid])
        spikes, n_spikes = {}, {}
        for p in pops:
            native = NATIVE_MODELS[p.model]
            if native.kind == "array_source":
                ticks, neuron = source_ticks[p.id]
                spikes[p.id], n_spikes[p.id] = np.unique(neuron[ticks == k], return_counts=True)
            else:
                streams = (np.uint64(p.id) << np.uint64(32)) + np.arange(p.size, dtype=np.uint64)
                inputs = (ring[p.id][slot].astype(np.float32) if native.receives_input
                          else None)
                fired = native.step(blocks[p.id], inputs, TickContext(k, dt, seed, streams))
                spikes[p.id] = np.flatnonzero(fired)
                n_spikes[p.id] = fired[spikes[p.id]].astype(np.int64)
            ring[p.id][slot] = 0.0
            if (p.id, "spikes") in recorded:
                fired = np.repeat(spikes[p.id], n_spikes[p.id])
                fired = fired[p.recorded["spikes"][fired]]
                rec.add_spikes(np.full(len(fired), p.id), fired, k)
        for pr in network.projections:
            order, offsets = by_pre[pr.id]
            fired = spikes[pr.pre]
            starts, counts = offsets[fired], offsets[fired + 1] - offsets[fired]
            syn = order[np.repeat(starts, counts) + np.arange(counts.sum())
                        - np.repeat(np.cumsum(counts) - counts, counts)]
            delay = np.round(pr.delay[syn] / dt).astype(np.int64)
            times = np.repeat(n_spikes[pr.pre], counts)
            weight = pr.weight[syn] * times
            if pr.id in plastic:
                weight = pr.weight[syn] * _transmit_times(plastic[pr.id], syn * STP_WORDS,
                                                          (k + 1) * dt, times)
            np.add.at(ring[pr.post], ((k + delay) % slots, pr.synapse_type, pr.post_index[syn]),
                      weight)
        rec.sample(k + 1, read)
    return rec
