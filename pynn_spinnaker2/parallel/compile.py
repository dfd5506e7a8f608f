"""Compiling one network over MPI ranks, each rank holding only its own synapses.

In:  the simulator State under a World (K > 1 ranks), its projections holding the connections
     onto this rank's neurons (parallel/ownership.py).
Out: ``compile_here``: the MappedNetwork, the same on every rank but for the synaptic rows,
     which each rank writes only for the PE slices it emulates.
Raises: what compiling raises; RankFailedError (through World.agree) when another rank failed.

Two passes. The first runs the stages up to partitioning with the facts agreed over the ranks
(mapping/agreed.py) to learn which rank emulates each slice (the rank of its first neuron);
the synapses onto a slice's neurons that another rank holds (a slice that straddles two ranks'
shares of a population) move to the slice's rank, and the projections keep them from then on.
The second pass compiles the network as it now lies, every stage agreeing with the others.
"""

from __future__ import annotations

import numpy as np

from ..mapping import compile_network
from ..mapping.agreed import slice_owners
from ..mapping.delay_extensions import add_delay_extensions
from ..mapping.partition import partition
from ..mapping.poisson_fold import fold_poisson_sources
from ..snapshot import to_ir
from .ownership import AgreementOverMPI, post_owners


def compile_here(state):
    """Out: the MappedNetwork of the state's objects (a collective step: every rank calls
    it, inside World.agree)."""
    agree = AgreementOverMPI(state.world)
    network, _, _ = to_ir(state)
    folded = fold_poisson_sources(network, state.config.fold_poisson, agree)
    extended = add_delay_extensions(folded, agree)
    parts = partition(extended, state.config, agree)
    owner = slice_owners(parts, [p.size for p in extended.populations], agree.size)
    owned = {}
    for pop in state.populations:
        if np.any(parts.pop == pop._number):
            owned[pop._number] = owner[parts.neuron_slices(pop._number)].astype(np.int64)
    del network, folded, extended     # views of the arrays that moving replaces
    move_synapses(state, owned, agree)
    network, projection_ids, positions = to_ir(state)
    return compile_network(network, state.config, projection_ids, positions, agree)


def move_synapses(state, owned: dict[int, np.ndarray], agree: AgreementOverMPI) -> None:
    """Give every connection to the rank that now owns its post-synaptic neuron (``owned``:
    per population number, the rank of each neuron) and remember the new owners. Only the
    connections of straddling slices move; a projection keeps its one-process order."""
    state.slice_owner_of = {**state.slice_owner_of, **owned}
    state._owners_cache = None
    outgoing: dict[int, dict[int, tuple]] = {}
    staying: dict[int, np.ndarray] = {}
    for proj in state.projections:
        if not len(proj):
            continue
        dest = post_owners(state, proj.post)[proj._post]
        if np.all(dest == agree.rank):
            continue
        staying[proj._number] = dest == agree.rank
        for r in np.unique(dest[dest != agree.rank]).tolist():
            outgoing.setdefault(r, {})[proj._number] = _connections(proj, dest == r)
    if not agree.reduce(np.array([bool(outgoing)]), "or")[0]:
        return
    everyone = agree.gather(outgoing)
    by_number = {p._number: p for p in state.projections}
    changed = set(staying) | {n for sent in everyone for n in sent.get(agree.rank, {})}
    for number in sorted(changed):
        proj = by_number[number]
        keep = staying.get(number, np.ones(len(proj), dtype=bool))
        parts = []
        for r in range(agree.size):
            if r == agree.rank:
                parts.append(_connections(proj, keep))
            elif number in everyone[r].get(agree.rank, {}):
                parts.append(everyone[r][agree.rank][number])
        proj._replace_connections(parts)


def _connections(proj, sel: np.ndarray) -> tuple:
    """(pre, post, attributes) of the selected connections of a projection."""
    return (proj._pre[sel], proj._post[sel],
            {k: np.asarray(v)[sel] for k, v in proj._attributes.items()})
