"""Delay extension: re-emits its source's spikes whole delay stages later (as sPyNNaker's
delay-extension vertex on SpiNNaker1). The compiler adds one per source population that has
synapses with delays above the ring buffer (mapping/delay_extensions.py); it is no PyNN cell type.

Layout: "neuron" ``i * n_stages + s - 1`` of the extension is stage s (1..n_stages) of source
neuron i; an extension PE holds whole source neurons (all their stages). The stage-1 neuron of i
receives i's spikes as packets, with a delay of one tick, through the ring buffer.

State: a spike-history bit buffer of H = n_stages * L bits per source neuron (L =
``DELAY_STAGE_TICKS`` = 64), one bit per tick, kept as 64-bit segments, one per (neuron, stage):
``history[i * n_stages + j]`` holds bits j*L .. j*L + L - 1 of i's buffer.
In tick t the PE
  1. writes bit ``t mod H`` of each source neuron's buffer: 1 when its spike (sent in tick t - 1)
     arrived, else 0;
  2. for each (i, s) whose ``sends`` flag is set (it has synapses), emits key (i, s) when bit
     ``(t + 1 - s*L) mod H`` is set, i.e. when i spiked in tick t - s*L.
So a spike of tick k leaves stage s in tick k + s*L, and the synapse word adds the remaining
1..64 ticks.

Spike counts (a packet with a count payload, scatter.py): an extension of a source that can
send several spikes in one tick (``counts`` = 1: Poisson and spike-time sources) also keeps one
byte per tick of its buffer, ``extra`` = count - 1 of the spike written there (saturating at 255,
so at most 256 spikes per source per tick pass an extension), and re-emits the packet with its
count. Its SRAM grows by L bytes per (neuron, stage); other extensions keep the bits only.

In:  per extension neuron: stage, n_stages, sends (0/1), counts (0/1; absent: 0).
Out: the neuron block (below); per tick, which (neuron, stage) keys to send.
Raises: ParameterRangeError for a stage outside 1..n_stages or more than MAX_DELAY_STAGES stages.
"""

from __future__ import annotations

import numpy as np

from .. import machine as hw
from ..errors import ParameterRangeError
from .base import Block, NativeModel, TickContext, read_block

L = hw.DELAY_STAGE_TICKS
WORD_BITS = 32
WORDS = L // WORD_BITS          # uint32 words per (neuron, stage) segment


def build_block(params, initial, dt: float) -> Block:
    stage = np.asarray(params["stage"])
    n_stages = np.asarray(params["n_stages"])
    if np.any(stage < 1) or np.any(stage > n_stages) or np.any(n_stages > hw.MAX_DELAY_STAGES):
        raise ParameterRangeError(f"delay stages must be 1..n_stages <= {hw.MAX_DELAY_STAGES}")
    return {
        "stage": np.ascontiguousarray(stage, dtype=np.uint16),
        "n_stages": np.ascontiguousarray(n_stages, dtype=np.uint16),
        "sends": np.ascontiguousarray(np.asarray(params["sends"]) != 0, dtype=np.uint8),
        "history": np.zeros((len(stage), WORDS), dtype=np.uint32),
        "counts": np.ascontiguousarray(np.asarray(params.get("counts", np.zeros(len(stage))))
                                       != 0, dtype=np.uint8),
        "extra": np.zeros((len(stage), L), dtype=np.uint8),
    }


def step(b: Block, inputs: np.ndarray, ctx: TickContext) -> np.ndarray:
    """One tick of every extension neuron (of all PEs at once).
    Out: int32 spike counts (0: no packet)."""
    t = ctx.tick
    stage = b["stage"].astype(np.int64)
    span = b["n_stages"].astype(np.int64) * L          # H, per (neuron, stage)
    first = np.arange(len(stage)) - (stage - 1)          # the source neuron's stage-1 entry
    history = b["history"]
    # 1. write this tick's bit of every source neuron's buffer
    heads = np.flatnonzero(stage == 1)
    segment = heads + (t % span[heads]) // L
    word, bit = divmod(t % L, WORD_BITS)
    flag = np.uint32(1 << bit)
    arrived = inputs[0, heads] > 0
    history[segment, word] = np.where(arrived, history[segment, word] | flag,
                                      history[segment, word] & ~flag)
    # the input is weight 1 times the packet's count
    extra = np.clip(np.rint(inputs[0, heads]) - 1, 0, 255) * b["counts"][heads]
    b["extra"][segment, t % L] = extra.astype(np.uint8)
    # 2. stage s sends the spike its source sent s*L ticks ago (written in tick t + 1 - s*L)
    segment = first + ((t + 1 - stage * L) % span) // L
    word, bit = divmod((t + 1) % L, WORD_BITS)
    fired = ((history[segment, word] >> np.uint32(bit)) & np.uint32(1)).astype(np.int32)
    return fired * (b["sends"] != 0) * (1 + b["extra"][segment, (t + 1) % L].astype(np.int32))


class _DelayExtensionModel(NativeModel):
    def block_bytes(self, block: Block) -> int:
        """SRAM of the block: the count bytes only for extensions of sources with counts (the
        ``counts`` flag is one per PE: an extension serves one source population)."""
        own = sum(a.nbytes for k, a in block.items() if k not in ("extra", "counts"))
        return int(own) + int(block["counts"].sum()) * L


MODEL = _DelayExtensionModel(
    name="delay_extension", pynn_class=None, kind="delay_extension",
    parameters=("stage", "n_stages", "sends", "counts"), state=(), recordable=(),
    receptors=("excitatory",), receptor_signs=(1,), build_block=build_block, step=step,
    read=read_block, state_keys=("history", "extra"), injection=("", 0.0))
