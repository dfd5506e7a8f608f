"""The cost model: cycles per PE per tick, performance levels, deadlines and energy.

In:  the hardware trace (per-tick counts), the PE programs, the Config.
Out: per (tick, PE) cycles, performance level, cycle budget and deadline misses; energy by part.

Each constant says where it comes from: [P]/[S] figures are from ``shared/HARDWARE.md`` (through
``machine.py``); [M] marks our own estimate, to be replaced when measured on the chip.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .. import machine as hw
from ..neuron_models._adex import H_MAX_MS as ADEX_SUBSTEP_MS
from ..neuron_models._composed import PREFIX as COMPOSED_PREFIX, parse as parse_composed
from .trace import TraceArrays


@dataclass(frozen=True)
class CostModel:
    """Cycle and energy constants of the PE application."""

    # Fixed work of every tick: timer interrupt, ring-buffer slot turnover, recording DMA. [M]
    tick_overhead_cycles: float = 600.0
    # Neuron state update per neuron per tick, float32 on the M4F FPU. [M]
    neuron_update_cycles: dict[str, float] = field(default_factory=lambda: {
        "if_curr_exp": 40.0,           # about 12 multiply-adds, compare, reset, input conversion
        "if_curr_alpha": 60.0,         # about 20 multiply-adds (two states per synapse)
        "if_curr_delta": 25.0,         # decay, jump, compare
        "if_cond_exp": 90.0,           # conductance-weighted membrane update
        "if_cond_alpha": 110.0,
        "if_cond_exp_gsfa_grr": 150.0,  # as if_cond_exp with four conductances, two spike jumps
        # as if_cond_exp, plus 5 + 5 kernel sums, decays and jumps, one expf and one expm1 for
        # the escape noise and one PRNG draw and compare
        "gif_cond_exp": 190.0,
        "izhikevich": 45.0,
        # sPyNNaker's extra models (extra_models/neurons.py)
        "if_curr_dual_exp": 50.0,          # as if_curr_exp with a third current
        "if_cur_delta": 30.0,              # as if_curr_delta, jumps scaled by 1/cm
        "if_curr_exp_ca2_adaptive": 50.0,  # as if_curr_exp with the calcium current
        "if_curr_exp_semd": 60.0,          # as if_curr_dual_exp plus the latch compares
        "if_cond_exp_stoc": 130.0,         # as if_cond_exp, one expf, one expm1, one PRNG draw
        "izhikevich_cond": 120.0,          # per RK4 sub-step: 4 stages of ~12 flops, 2 decays
        "eif_cond_exp_isfa_ista": 380.0,     # per RK4 sub-step (4 stages, one exp each)
        "eif_cond_alpha_isfa_ista": 400.0,
        "hh_cond_exp": 1800.0,         # per RK4 sub-step: 4 stages x 6 exp/expm1, ~40 flops
        "spike_source_poisson": 12.0,  # one PRNG draw and compare
        "spike_source_poisson_refractory": 16.0,
        "spike_source_gamma": 24.0,
        "spike_source_array": 4.0,     # compare the next spike tick
        # per (source neuron, stage): test one history bit (and the stage's sends flag); the
        # stage-1 entries also write this tick's bit
        "delay_extension": 6.0,
    })
    # A model without its own figure above. [M]
    default_neuron_update_cycles: float = 100.0
    # Models that integrate with fixed sub-steps (ms): their figure above is per sub-step.
    substep_ms: dict[str, float] = field(default_factory=lambda: {
        "eif_cond_exp_isfa_ista": 0.025, "eif_cond_alpha_isfa_ista": 0.025,
        "hh_cond_exp": 0.02,   # at most; stiffer parameters take more sub-steps
        "izhikevich_cond": 0.1,
    })

    # Composed models (PointNeuron): the membrane's figure plus one per receptor, per sub-step
    # for adexp (RK4: each receptor's conductance at 3 stage times, 4 multiply-adds). [M]
    composed_cycles: dict[str, tuple[float, float]] = field(default_factory=lambda: {
        "lif": (40.0, 25.0), "adexp": (340.0, 30.0), "izhikevich": (45.0, 20.0)})

    def neuron_cycles(self, model: str, dt_ms: float) -> float:
        """Cycles to update one neuron of ``model`` for one tick of ``dt_ms``."""
        per_step = self.neuron_update_cycles.get(model, self.default_neuron_update_cycles)
        h = self.substep_ms.get(model)
        if model.startswith(f"{COMPOSED_PREFIX}:"):
            membrane, receptors = parse_composed(model)
            base, per_receptor = self.composed_cycles[membrane]
            per_step = base + per_receptor * len(receptors)
            h = ADEX_SUBSTEP_MS if membrane == "adexp" else None
        return per_step * (max(1, int(np.ceil(dt_ms / h - 1e-9))) if h else 1)
    # Per packet received: interrupt, master population table binary search, DMA set-up. [M]
    packet_cycles: float = 120.0
    # Per synapse processed: decode word, add into ring buffer. 12 M events/s at 300 MHz. [S]
    synapse_cycles: float = hw.CLOCK_HZ_HIGH / hw.SYNAPTIC_EVENTS_PER_S_PER_PE
    # Per folded Poisson input (mapping/poisson_fold.py) per tick: the source's PRNG draw and
    # compare, and on a spike the ring-buffer add of its weight; timer work, no packet. [M]
    poisson_input_cycles: float = 14.0
    # Per spike sent: build the key, write the multicast packet. [M]
    spike_sent_cycles: float = 20.0
    # Extra per packet sent with a count payload (several spikes of a source in one tick): the
    # count loop of the draw and the write of the payload register. [M]
    payload_sent_cycles: float = 8.0
    # Extra per packet received with a count payload: read the payload, and the row's adds
    # become multiply-adds. [M]
    payload_received_cycles: float = 10.0
    # Extra per short-term-plastic synapse: three exponentials on the exp unit, the u/x/y
    # update and the write-back of the state record. [M]
    plastic_synapse_cycles: float = 60.0
    # Extra per post-synaptic spike that an STDP update pairs: the pre-synaptic trace's decay
    # on the exp unit and the weight-dependent potentiation. [M]
    stdp_pairing_cycles: float = 30.0
    # Energy of one packet crossing one inter-chip link (about 1 pJ/bit, 40 bits). [M]
    link_hop_energy_j: float = 40e-12
    # Energy of one router look-up and forward. [M]
    router_energy_j: float = 10e-12
    # Extra for a packet with its 32-bit payload (72 instead of 40 bits): per link hop, at
    # 1 pJ/bit, and per router forward. [M]
    link_payload_hop_energy_j: float = 32e-12
    router_payload_energy_j: float = 4e-12
    # LPDDR4 access energy, about 4 pJ/bit. [M]
    dram_energy_j_per_byte: float = 32e-12

    def pe_sleep_power_w(self, level: str) -> float:
        """Power of one powered, sleeping PE: (all sleeping - PEs off) / 152. [S]"""
        return (hw.CHIP_POWER_ALL_SLEEPING_W[level] - hw.CHIP_POWER_PES_OFF_W) / hw.PES_PER_CHIP

    def pe_active_extra_power_w(self, level: str) -> float:
        """Extra power of one busy PE over sleeping: (all busy - all sleeping) / 152. [S]"""
        return (hw.CHIP_POWER_ALL_BUSY_W[level]
                - hw.CHIP_POWER_ALL_SLEEPING_W[level]) / hw.PES_PER_CHIP

    def energy_per_cycle_j(self, level: str) -> float:
        return self.pe_active_extra_power_w(level) / hw.CLOCK_HZ[level]


DEFAULT_COSTS = CostModel()


@dataclass(frozen=True)
class TickCosts:
    """Per (tick, PE) figures derived from the trace."""

    neuron_cycles: np.ndarray     # tick overhead, neuron updates, Poisson inputs, spikes sent
    synaptic_cycles: np.ndarray   # packets received, synapses processed
    high: np.ndarray              # bool: the PE ran at the high performance level
    budget: np.ndarray            # cycles available in the tick

    @property
    def cycles(self) -> np.ndarray:
        return self.neuron_cycles + self.synaptic_cycles

    @property
    def missed(self) -> np.ndarray:
        return self.cycles > self.budget


def tick_costs(trace: TraceArrays, models: list[str], n_neurons: np.ndarray, dt_ms: float,
               level: str, pl_threshold: int, time_scale_factor: float,
               costs: CostModel = DEFAULT_COSTS,
               poisson_inputs: np.ndarray | None = None) -> TickCosts:
    """Cycles, performance level and budget of every PE in every tick.

    In: ``poisson_inputs``, the folded Poisson inputs each PE draws every tick (none if None).
    """
    per_neuron = np.array([costs.neuron_cycles(m, dt_ms) for m in models])
    inputs = np.zeros(len(models)) if poisson_inputs is None else poisson_inputs
    neuron = (costs.tick_overhead_cycles + n_neurons * per_neuron
              + inputs * costs.poisson_input_cycles
              + trace.spikes_sent * costs.spike_sent_cycles
              + trace.payload_sent * costs.payload_sent_cycles)
    neuron = np.broadcast_to(neuron, trace.spikes_sent.shape).astype(np.float64)
    synaptic = (trace.packets_received * costs.packet_cycles
                + trace.payload_received * costs.payload_received_cycles
                + trace.synapses * costs.synapse_cycles
                + trace.plastic_synapses * costs.plastic_synapse_cycles
                + trace.stdp_pairings * costs.stdp_pairing_cycles).astype(np.float64)
    if level == "auto":
        high = trace.packets_received > pl_threshold
    else:
        high = np.full(trace.spikes_sent.shape, level == "high")
    tick_s = dt_ms / 1000.0 * time_scale_factor
    budget = np.where(high, hw.CLOCK_HZ_HIGH, hw.CLOCK_HZ_LOW) * tick_s
    return TickCosts(neuron, synaptic, high, budget)


def poisson_inputs(programs) -> np.ndarray:
    """Per PE program, how many folded Poisson inputs it draws every tick."""
    return np.array([len(p.poisson_inputs.get("target", ())) for p in programs], dtype=np.int64)


def energy(tc: TickCosts, trace: TraceArrays, n_chips: int, dt_ms: float,
           time_scale_factor: float, costs: CostModel = DEFAULT_COSTS) -> dict[str, float]:
    """Energy in joules by part: static, neuron_updates, synaptic_events, packets, dram."""
    tick_s = dt_ms / 1000.0 * time_scale_factor
    n_ticks = tc.high.shape[0]
    epc = np.where(tc.high, costs.energy_per_cycle_j("high"), costs.energy_per_cycle_j("low"))
    sleep = np.where(tc.high, costs.pe_sleep_power_w("high"), costs.pe_sleep_power_w("low"))
    parts = {
        "static": float(n_chips * hw.CHIP_POWER_PES_OFF_W * n_ticks * tick_s
                        + sleep.sum() * tick_s),
        "neuron_updates": float((tc.neuron_cycles * epc).sum()),
        "synaptic_events": float((tc.synaptic_cycles * epc).sum()),
        "packets": float(trace.link_packets.sum() * costs.link_hop_energy_j
                         + trace.router_packets.sum() * costs.router_energy_j
                         + trace.link_payload_packets.sum() * costs.link_payload_hop_energy_j
                         + trace.router_payload_packets.sum() * costs.router_payload_energy_j),
        "dram": float(trace.dram_words.sum() * hw.WORD_BYTES * costs.dram_energy_j_per_byte),
    }
    return parts
