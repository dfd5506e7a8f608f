"""Binary formats of the PE application, defined in this one place.

Synapse word (32 bits, HARDWARE.md [M]):  weight 16 | delay 6 | synapse type 2 | target 8,
most significant first. The delay field holds delay_ticks - 1 (delays of 1 to 64 ticks).

Row block in chip DRAM (one per target slice, source slice and projection): a row table of
``rows + 1`` fixed-size entries, then the rows' synapse words back to back. Entry r (source
neuron lo + r) is at ``block_address + r * row_entry_words(stdp)``; its first word is the
offset of row r's first synapse word from ``block_address``, and row r has
``offset[r + 1] - offset[r]`` words (the last entry only ends the last row). In an STDP block
the entry's next two words hold the row's pre-synaptic state.
"""

from __future__ import annotations

import numpy as np

WEIGHT_SHIFT, WEIGHT_BITS = 16, 16
DELAY_SHIFT, DELAY_BITS = 10, 6
TYPE_SHIFT, TYPE_BITS = 8, 2
INDEX_SHIFT, INDEX_BITS = 0, 8
ROW_OFFSET_WORDS = 1     # a row-table entry's first word: the row's offset in its block


def _field(words: np.ndarray, shift: int, bits: int) -> np.ndarray:
    return (words >> np.uint32(shift)) & np.uint32((1 << bits) - 1)


def pack_synapse_words(weight: np.ndarray, delay_ticks: np.ndarray,
                       synapse_type: np.ndarray | int,
                       index: np.ndarray, checked: bool = True) -> np.ndarray:
    """Pack fields into uint32 synapse words.

    In: integer weight (0..65535), delay in ticks (1..64), synapse type (0..3), index (0..255);
    checked=False skips the range checks (for callers that built the fields in range).
    Raises: ValueError when a field does not fit (a compiler bug, not a user error).
    """
    fields = ((weight, 0, WEIGHT_BITS), (np.asarray(delay_ticks) - 1, 0, DELAY_BITS),
              (synapse_type, 0, TYPE_BITS), (index, 0, INDEX_BITS))
    for value, lo, bits in fields if checked else ():
        value = np.asarray(value)
        if value.size and (value.min() < lo or value.max() >= 1 << bits):
            raise ValueError(f"synapse word field out of range: {value.min()}..{value.max()} "
                             f"in {bits} bits")
    return ((np.asarray(weight, dtype=np.uint32) << np.uint32(WEIGHT_SHIFT))
            | ((np.asarray(delay_ticks, dtype=np.uint32) - np.uint32(1)) << np.uint32(DELAY_SHIFT))
            | (np.asarray(synapse_type, dtype=np.uint32) << np.uint32(TYPE_SHIFT))
            | (np.asarray(index, dtype=np.uint32) << np.uint32(INDEX_SHIFT)))


def unpack_synapse_words(words: np.ndarray) -> tuple[np.ndarray, ...]:
    """Out: (weight, delay_ticks, synapse_type, index) arrays from uint32 words."""
    words = np.asarray(words, dtype=np.uint32)
    return (_field(words, WEIGHT_SHIFT, WEIGHT_BITS).astype(np.int64),
            _field(words, DELAY_SHIFT, DELAY_BITS).astype(np.int64) + 1,
            _field(words, TYPE_SHIFT, TYPE_BITS).astype(np.int64),
            _field(words, INDEX_SHIFT, INDEX_BITS).astype(np.int64))

# Short-term plasticity (TsodyksMarkramSynapse): a row block of such a projection has a state
# region in the same chip DRAM, one record of STP_WORDS float32 words per synapse word: the
# block's k-th synapse word (at block_address + (rows + 1) * row_entry_words + k: the rows lie
# back to back after the row table) has its record at state_address + k * STP_WORDS, in this
# order:
STP_FIELDS = ("u", "x", "y", "last_spike_ms", "U", "tau_rec", "tau_facil", "tau_psc")
STP_WORDS = len(STP_FIELDS)


def stp_initial_record(params) -> dict:
    """Initial value of each STP_FIELDS word, from a projection's dynamics parameters (arrays
    or numbers): u = u0, x = 1, y = 0, no spike yet, then the synapse's parameters."""
    return {"u": params["u0"], "x": 1.0, "y": 0.0, "last_spike_ms": 0.0,
            **{k: params[k] for k in ("U", "tau_rec", "tau_facil", "tau_psc")}}

# The stochastic synapses (SimpleStochasticSynapse, StochasticTsodyksMarkramSynapse,
# MultiQuantalSynapse) have records of the same STP_WORDS words, in these orders; the last two
# words are the synapse's random stream id (uint32 low, high), float32 words otherwise except
# the uint32 ``sites`` (available sites a | total sites n << 16). A ``t_surv_ms`` of -1 means
# recovered; a ``last_spike_ms`` of -1 means no spike yet. The address-list entry of each row
# block says which record its synapses have (``addr_dynamics``, DYNAMICS_CODES).
RECORD_FIELDS = {
    "tsodyks_markram": STP_FIELDS,
    "bernoulli": ("p", "unused1", "unused2", "unused3", "unused4", "unused5",
                  "stream_lo", "stream_hi"),
    "stochastic_tsodyks_markram": ("u", "t_surv_ms", "last_spike_ms", "U", "tau_rec",
                                   "tau_facil", "stream_lo", "stream_hi"),
    "quantal": ("u", "sites", "last_spike_ms", "U", "tau_rec", "tau_facil", "stream_lo",
                "stream_hi"),
}
DYNAMICS_CODES = {"static": 0, "stdp": 0, "tsodyks_markram": 1, "bernoulli": 2,
                  "stochastic_tsodyks_markram": 3, "quantal": 4}
# the words of a record that change as it runs (kept when the network changes between runs)
DYNAMIC_WORDS = {1: 4, 2: 0, 3: 3, 4: 3}
UINT_FIELDS = ("stream_lo", "stream_hi", "sites")


def initial_record(dynamics: str, params) -> dict:
    """Initial value of each word of a ``dynamics`` record (RECORD_FIELDS), from a projection's
    dynamics parameters (arrays or numbers); uint32 fields as integers."""
    if dynamics == "tsodyks_markram":
        return stp_initial_record(params)
    stream = np.asarray(params["stream"], dtype=np.float64).astype(np.uint64)
    out = {"stream_lo": stream & np.uint64(0xFFFFFFFF), "stream_hi": stream >> np.uint64(32)}
    if dynamics == "bernoulli":
        return {**out, "p": params["p"], **{f"unused{i}": 0.0 for i in range(1, 6)}}
    out.update({k: params[k] for k in ("U", "tau_rec", "tau_facil")}, u=params["u0"])
    if dynamics == "stochastic_tsodyks_markram":
        return {**out, "t_surv_ms": -1.0, "last_spike_ms": 0.0}
    sites = (np.asarray(params["a0"], dtype=np.float64).astype(np.uint64)
             | (np.asarray(params["n"], dtype=np.float64).astype(np.uint64) << np.uint64(16)))
    return {**out, "sites": sites, "last_spike_ms": -1.0}

# STDP (STDPMechanism): the row-table entry of a plastic block carries, after the offset word,
# the pre-synaptic state that the PE reads and writes back with the row, in this order:
STDP_HEADER_FIELDS = ("last_pre_stamp", "pre_trace")   # uint32 ticks since 0; float32 trace
STDP_HEADER_WORDS = len(STDP_HEADER_FIELDS)
# The PE's rule table: one record of float32 words per plastic projection onto the PE, weights
# in the PE's integer weight units (``value * 2**exponent``), times in ms; a_plus and a_minus
# are A_plus and A_minus times (w_max - w_min); delay_stages is the n_stages of the delay
# extension whose keys the rows come from (0 for rows keyed by the source itself): row n of
# such a block is stage n % delay_stages + 1, DELAY_STAGE_TICKS ticks each, before the word's
# delay:
STDP_RULE_FIELDS = ("tau_plus", "tau_minus", "a_plus", "a_minus", "w_min", "w_max",
                    "mu_plus", "mu_minus", "dendritic_delay_fraction", "delay_stages")
STDP_RULE_WORDS = len(STDP_RULE_FIELDS)


def row_entry_words(stdp: np.ndarray | bool) -> np.ndarray:
    """Words of one row-table entry: the offset, then the STDP state (STDP blocks only)."""
    return ROW_OFFSET_WORDS + STDP_HEADER_WORDS * np.asarray(stdp, dtype=np.int64)


def row_table_words(rows: np.ndarray, stdp: np.ndarray | bool) -> np.ndarray:
    """Words of a block's row table: rows + 1 entries (the last one ends the last row)."""
    return (np.asarray(rows, dtype=np.int64) + 1) * row_entry_words(stdp)
