"""The emulator's run state: everything that reset() rebuilds and a tick changes.

In:  the Layout (emulator/layout.py), the timestep.
Out: ``RunState``: the tick, the ring buffers, every model's neuron state, the per-tick input
     buffers, the recordings, the hardware trace, the STDP post-synaptic history, the bias
     currents and the recorded current sources' samples. Arrays are per column (the
     process's own neurons, layout.py).
Raises: nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..neuron_models import NATIVE_MODELS, receptor_rows
from . import neurons, stdp
from .layout import Layout
from .recordings import RawRecordings
from .trace import HardwareTrace


@dataclass
class RunState:
    """The state at ``tick`` (see the module docstring)."""

    tick: int
    ring: np.ndarray                      # (slots, receptors, columns) int64 weight sums
    blocks: dict[str, neurons.Block]      # per model, its neurons' state, in column order
    inputs: dict[str, np.ndarray]         # per model receiving input: this tick's float32 input
    recordings: RawRecordings
    trace: HardwareTrace
    post_history: stdp.PostHistory
    base_i_offset: dict[str, np.ndarray]  # per model: the neuron blocks' own bias current
    current_samples: dict[int, list[float]] = field(default_factory=dict)

    @classmethod
    def initial(cls, layout: Layout, dt: float) -> "RunState":
        """t = 0: initial neuron state from the neuron blocks, empty ring buffers, initial
        plastic synapse state (written back into the layout's fabric), first samples taken."""
        layout.fabric.restore_state()
        programs = layout.programs
        blocks = {m: neurons.concatenate_blocks([programs[i].neuron_block for i in idx])
                  for m, idx in layout.model_programs.items()}
        routes = layout.routes
        state = cls(
            tick=0,
            ring=np.zeros((layout.n_slots, len(layout.input_scale), layout.n_neurons),
                          np.int64),
            blocks=blocks,
            inputs={m: np.zeros((receptor_rows([m]), r.stop - r.start), dtype=np.float32)
                    for m, r in layout.model_range.items()
                    if NATIVE_MODELS[m].receives_input},
            recordings=RawRecordings(dt, layout.recorded_index, layout.sample_every),
            trace=HardwareTrace(len(programs), routes.hops, routes.routers, routes.drops,
                                routes.link_ids, routes.router_chips),
            post_history=stdp.PostHistory(layout.tau_minus, dt, layout.tau_y, layout.tau_d),
            # current sources add to the bias tick by tick
            base_i_offset={m: bias for m, b in blocks.items()
                           if (bias := NATIVE_MODELS[m].bias_current(b)) is not None})
        state.sample(layout)
        return state

    def sample(self, layout: Layout) -> None:
        """Take the samples due at the current tick."""
        self.recordings.sample(self.tick, lambda key: self.read(layout, key))

    def read(self, layout: Layout, key: tuple[int, str]) -> np.ndarray:
        """Out: the recorded neurons' current values of (population, variable), index order."""
        model, pos = layout.sample_positions[key]
        return NATIVE_MODELS[model].read(self.blocks[model], key[1])[pos]
