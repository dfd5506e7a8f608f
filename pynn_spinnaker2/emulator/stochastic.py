"""Synapses with a state record, as the PE updates them when a spike's row is fetched:
Tsodyks-Markram (short_term.py) and the three stochastic synapses.

In:  the SynapseFabric (DRAM, its ``addr_dynamics`` per row block), the fetched synapses'
     blocks and record addresses, the tick, dt and the simulation seed.
Out: per synapse the factor its integer weight is multiplied by for this spike (u*x for
     Tsodyks-Markram; 0 or 1 for a Bernoulli or stochastic Tsodyks-Markram synapse; the number
     of released sites for a multi-quantal one); the records are updated in place.

Release draws come from the PE's counter-based generator (random_streams): draw j of a synapse
in tick k is its stream's 32-bit draw at counter ``k + j * 2**40``, the stream being the
synapse's own id (formats.RECORD_FIELDS ``stream_lo``/``stream_hi``: bit 63 set, the PyNN
projection's number << 32, the synapse's position in it). A probability p releases when the
draw is below ``p * 2**32``. So the same seed gives the same releases whatever PE, chip or
delay stage the synapse's row lands on.

The models are NEST's, as pyNN.nest runs them (float32 state, as on the PE):
- ``bernoulli`` (SimpleStochasticSynapse; NEST bernoulli_synapse): each spike is transmitted
  with probability p.
- ``stochastic_tsodyks_markram`` (StochasticTsodyksMarkramSynapse; pyNN.nest's extension
  stochastic_stp_synapse): u = u·exp(-h/tau_facil) + U(1 - u·exp(-h/tau_facil)) (u = U when
  tau_facil is 0); an unrecovered site recovers with probability 1 - exp(-(t - t_surv)/tau_rec)
  (else t_surv = t); a recovered one releases with probability u, and is then unrecovered from
  t.
- ``quantal`` (MultiQuantalSynapse; NEST quantal_stp_synapse): from the second spike on,
  u = U + u(1 - U)exp(-h/tau_facil) (no facilitation term when tau_facil is 0) and each of the
  n - a depleted sites recovers with probability 1 - exp(-h/tau_rec); then each of the a
  available sites releases with probability u; the weight times the released count is sent,
  and they are depleted.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable

import numpy as np

from ..formats import DYNAMICS_CODES, RECORD_FIELDS
from ..random_streams import uniform_u32
from .short_term import transmit

if TYPE_CHECKING:
    from .synapses import SynapseFabric

_FIELDS = {kind: {name: i for i, name in enumerate(fields)}
           for kind, fields in RECORD_FIELDS.items()}
_TWO32 = float(2 ** 32)
_DRAW_STRIDE = 1 << 40
_SITE_DRAWS = 1 << 16       # draws 1 .. n recover sites, 1 + 2**16 .. release them


def transmitted(fabric: "SynapseFabric", block: np.ndarray, address: np.ndarray, tick: int,
                dt: float, seed: int) -> np.ndarray:
    """The weight factor of each fetched synapse with a record (see the module docstring).

    In: per synapse its row block (global address-list index) and record address; the tick.
    Out: float64 factors, one per synapse.
    """
    kind = fabric.addr_dynamics[block]
    out = np.zeros(len(address))
    t_spike = (tick + 1) * dt           # the spike's time stamp: the end of its tick
    for name, code in DYNAMICS_CODES.items():
        mine = np.flatnonzero(kind == code)
        if not len(mine) or name not in RECORD_FIELDS:
            continue
        if name == "tsodyks_markram":
            out[mine] = transmit(fabric.dram_f32, address[mine], t_spike)
        else:
            out[mine] = _UPDATES[name](fabric.dram, address[mine], np.float32(t_spike),
                                       tick, seed)
    return out


def _record(dram: np.ndarray, address: np.ndarray,
            kind: str) -> tuple[Callable, Callable, np.ndarray]:
    """(read, write, stream) accessors of the records at ``address``."""
    fields = _FIELDS[kind]
    as_f32 = dram.view(np.float32)

    def read(name: str) -> np.ndarray:
        return as_f32[address + fields[name]]

    def write(name: str, values: np.ndarray) -> None:
        as_f32[address + fields[name]] = values

    stream = (dram[address + fields["stream_lo"]].astype(np.uint64)
              | (dram[address + fields["stream_hi"]].astype(np.uint64) << np.uint64(32)))
    return read, write, stream


def _below(stream: np.ndarray, tick: int, seed: int, j: int,
           probability: np.ndarray) -> np.ndarray:
    """Draw j of each stream in ``tick`` is below ``probability`` (per stream)."""
    draws = uniform_u32(seed, stream, tick + j * _DRAW_STRIDE).astype(np.float64)
    return draws < np.asarray(probability, dtype=np.float64) * _TWO32


def _bernoulli(dram: np.ndarray, address: np.ndarray, t_spike: np.float32, tick: int,
               seed: int) -> np.ndarray:
    read, _, stream = _record(dram, address, "bernoulli")
    return _below(stream, tick, seed, 0, read("p")).astype(np.float64)


def _facilitated(u: np.ndarray, h: np.ndarray, U: np.ndarray,
                 tau_facil: np.ndarray) -> np.ndarray:
    """u before a release: decayed with tau_facil and incremented (u = U without it)."""
    with np.errstate(divide="ignore", over="ignore", invalid="ignore"):
        decayed = u * np.exp(-h / np.where(tau_facil > 1e-10, tau_facil, 1))
    return np.where(tau_facil > 1e-10, decayed + U * (1 - decayed), U).astype(np.float32)


def _stochastic_tm(dram: np.ndarray, address: np.ndarray, t_spike: np.float32, tick: int,
                   seed: int) -> np.ndarray:
    read, write, stream = _record(dram, address, "stochastic_tsodyks_markram")
    u = _facilitated(read("u"), t_spike - read("last_spike_ms"), read("U"), read("tau_facil"))
    t_surv = read("t_surv_ms")
    unrecovered = t_surv >= 0
    survives = np.exp(-(t_spike - t_surv) / read("tau_rec")).astype(np.float32)
    # NEST: recovered when a uniform draw exceeds the survival probability
    recovers = unrecovered & ~_below(stream, tick, seed, 0, survives)
    recovered = ~unrecovered | recovers
    release = recovered & _below(stream, tick, seed, 1, u)
    write("t_surv_ms", np.where(release | (unrecovered & ~recovers), t_spike,
                                np.float32(-1)).astype(np.float32))
    write("u", u)
    write("last_spike_ms", np.full(len(address), t_spike, dtype=np.float32))
    return release.astype(np.float64)


def _quantal(dram: np.ndarray, address: np.ndarray, t_spike: np.float32, tick: int,
             seed: int) -> np.ndarray:
    read, write, stream = _record(dram, address, "quantal")
    sites = dram[address + _FIELDS["quantal"]["sites"]].astype(np.int64)
    available, n = sites & 0xFFFF, sites >> 16
    last, U, tau_facil = read("last_spike_ms"), read("U"), read("tau_facil")
    seen = last >= 0             # NEST updates u and recovers sites from the second spike on
    h = t_spike - last
    with np.errstate(divide="ignore", over="ignore", invalid="ignore"):
        u_decay = np.where(tau_facil < 1e-10, 0, np.exp(-h / np.where(tau_facil > 0,
                                                                       tau_facil, 1)))
    u = np.where(seen, U + read("u") * (1 - U) * u_decay, read("u")).astype(np.float32)
    recovery = (1 - np.exp(-h / read("tau_rec"))).astype(np.float32)
    depleted = np.where(seen, n - available, 0)
    for site in range(int(depleted.max(initial=0))):
        available += (site < depleted) & _below(stream, tick, seed, 1 + site, recovery)
    released = np.zeros(len(address), dtype=np.int64)
    for site in range(int(available.max(initial=0))):
        released += (site < available) & _below(stream, tick, seed, 1 + _SITE_DRAWS + site, u)
    dram[address + _FIELDS["quantal"]["sites"]] = ((available - released) | (n << 16)
                                                   ).astype(np.uint32)
    write("u", u)
    write("last_spike_ms", np.full(len(address), t_spike, dtype=np.float32))
    return released.astype(np.float64)


_UPDATES = {"bernoulli": _bernoulli, "stochastic_tsodyks_markram": _stochastic_tm,
            "quantal": _quantal}
