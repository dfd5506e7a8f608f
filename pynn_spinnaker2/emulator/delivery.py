"""A tick's spikes delivered: packets routed to PEs, rows fetched and added to ring buffers.

In:  the Layout, the RunState, the tick's spikes (gids, from any process) and their counts.
Out: the ring buffer with every synapse's weight at its arrival slot, the plastic state updated,
     the tick's hardware counters.
Raises: nothing (the tables were checked when the layout was built).

The compiled pass (scatter.py) routes every packet by the route cache, adds every static
synapse to the ring and counts the tick; plastic rows then go fetch -> plastic adjustment
(once per spike of the count) -> scatter on the numpy path.
"""

from __future__ import annotations

import numpy as np

from ..formats import STP_WORDS
from . import stdp
from .layout import Layout
from .multispike import repeated_factors
from .routes import deliver_packets
from .run_state import RunState
from .scatter import PLASTIC, scatter_tick
from .stochastic import transmitted
from .synapses import Decoded


def deliver(layout: Layout, state: RunState, gids: np.ndarray, spike_counts: np.ndarray,
            tick: int, dt: float, seed: int) -> None:
    """Send the tick's spikes (one packet per sending gid, with its count); see the module
    docstring."""
    f, routes = layout.fabric, layout.routes
    counts = state.trace.next_tick()
    plastic_rows = scatter_tick(gids, spike_counts, layout.scatter_tables, state.ring, tick,
                                STP_WORDS, counts)
    if plastic_rows == 0:
        return
    sent = layout.gid_sends[gids]
    program, keys, packet = deliver_packets(routes, layout.gid_program[gids[sent]],
                                            layout.gid_key[gids[sent]])
    syn = f.fetch(program, keys, plastic_only=True)
    times = spike_counts[sent][packet][syn.arrival]
    # a plastic synapse is updated once per spike of the count; scatter counted one
    counts[PLASTIC] += np.bincount(syn.program, weights=times - 1, minlength=len(
        layout.programs)).astype(np.int32)
    weight = syn.weight.copy()
    # records of short-term plasticity (an STDP block's records are its rule's)
    short_term = (syn.state_address >= 0) & (syn.rule < 0)
    if short_term.any():
        blocks, addresses = syn.block[short_term], syn.state_address[short_term]
        weight[short_term] = repeated_factors(
            lambda mine, repetition: transmitted(f, blocks[mine], addresses[mine], tick, dt,
                                                 seed, repetition),
            weight[short_term], times[short_term])
    learning = syn.rule >= 0
    if learning.any():
        weight[learning] = stdp.apply_fetched(f, state.post_history, tick, syn, learning,
                                              weight[learning], layout.column_offset, counts,
                                              times[learning], seed)
    _scatter(layout, state, syn, weight, tick)


def _scatter(layout: Layout, state: RunState, syn: Decoded, weight: np.ndarray,
             tick: int) -> None:
    """Add decoded synapses' integer weights into ring slot (tick + delay) mod S."""
    column = layout.column_offset[syn.program] + syn.index
    slot = (tick + syn.delay_ticks) % layout.n_slots
    np.add.at(state.ring, (slot, syn.synapse_type, column), weight)
