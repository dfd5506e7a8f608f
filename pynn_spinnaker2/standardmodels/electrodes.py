"""PyNN's standard current sources. The PE computes their current each tick
(current_sources.py); here they only hold parameters, targets and the recording flag."""

from __future__ import annotations

import numpy as np
from pyNN.parameters import ParameterSpace, Sequence
from pyNN.standardmodels import build_translations, electrodes

from .. import simulator


class _CurrentSource:
    """Behaviour shared by every current source of this backend."""

    kind = ""

    def __init__(self, **parameters):
        super().__init__(**parameters)
        object.__setattr__(self, "cell_ids", np.zeros(0, dtype=np.int64))
        object.__setattr__(self, "recording", False)
        object.__setattr__(self, "_number", len(simulator.state.current_sources))
        simulator.state.current_sources.append(self)
        simulator.state.mark_changed()

    def inject_into(self, cells):
        """Inject into a Population, PopulationView, Assembly or list of cell IDs."""
        ids = [cells] if isinstance(cells, int) else list(cells)
        for cell in ids:
            if not cell.celltype.injectable:
                raise TypeError(f"Can't inject current into a spike source "
                                f"({type(cell.celltype).__name__}).")
        merged = np.union1d(self.cell_ids, np.asarray([int(c) for c in ids], dtype=np.int64))
        object.__setattr__(self, "cell_ids", merged)
        simulator.state.mark_changed()

    def get_native_parameters(self):
        return self.parameter_space

    def set_native_parameters(self, parameters):
        self.parameter_space.update(**parameters)
        simulator.state.mark_changed()

    def record(self):
        object.__setattr__(self, "recording", True)
        simulator.state.mark_changed()

    def native_values(self) -> dict:
        """Parameters as floats (and arrays for sequences), for the IR."""
        space = ParameterSpace(dict(self.parameter_space.items()), shape=(1,))
        space.evaluate(simplify=True)
        values = {}
        for name, value in space.items():
            if isinstance(value, Sequence):
                value = value.value
            values[name] = (np.asarray(value, dtype=float) if np.ndim(value)
                            else float(value))
        return values

    def _get_data(self):
        emulation = simulator.state.emulation
        if emulation is None or not self.recording:
            return np.zeros(1), np.zeros(1)
        current = emulation.current_recording(self._number)
        return np.arange(len(current)) * simulator.state.dt, current


def _source(base: type, kind: str) -> type:
    names = list(base.default_parameters)
    return type(base.__name__, (_CurrentSource, base), {
        "__doc__": base.__doc__, "__module__": __name__, "kind": kind,
        "translations": build_translations(*[(n, n) for n in names])})


DCSource = _source(electrodes.DCSource, "dc")
ACSource = _source(electrodes.ACSource, "ac")
StepCurrentSource = _source(electrodes.StepCurrentSource, "step")
NoisyCurrentSource = _source(electrodes.NoisyCurrentSource, "noisy")
SUPPORTED = (DCSource, ACSource, StepCurrentSource, NoisyCurrentSource)

__all__ = [c.__name__ for c in SUPPORTED]
