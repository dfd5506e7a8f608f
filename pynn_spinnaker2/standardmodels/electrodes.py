"""PyNN's standard current sources. The PE computes their current each tick
(current_sources.py); here they only hold parameters, targets and the recording flag."""

from __future__ import annotations

from contextlib import contextmanager

import numpy as np
from pyNN.parameters import ParameterSpace, Sequence
from pyNN.standardmodels import build_translations, electrodes

from .. import simulator
from ..errors import ParameterRangeError, SpiNNaker2Error


class _CurrentSource:
    """Behaviour shared by every current source of this backend."""

    kind = ""

    def __init__(self, **parameters):
        with self._usable_values():
            super().__init__(**parameters)
            self._check_values()
        if self.kind == "step":
            self._normalise_steps()
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
        if self.kind != "step":
            return self.parameter_space
        # arrays (not Sequences), so that ``source.times[0]`` works as on pyNN.nest
        return ParameterSpace({name: self._step_values(name) for name in ("times", "amplitudes")})

    def set_native_parameters(self, parameters):
        previous = dict(self.parameter_space.items())
        with self._usable_values():
            self.parameter_space.update(**parameters)
        try:
            with self._usable_values():
                self._check_values()
            if self.kind == "step":
                self._normalise_steps()
        except ValueError:
            self.parameter_space.update(**previous)      # nothing changes on a bad value
            raise
        simulator.state.mark_changed()

    @contextmanager
    def _usable_values(self):
        """Errors PyNN's parameter spaces and lazyarray raise on a value they cannot hold
        (None, a string, a list where a number belongs) as our ParameterRangeError."""
        try:
            yield
        except (ValueError, TypeError, IndexError, AssertionError, OverflowError,
                KeyError) as err:
            if isinstance(err, SpiNNaker2Error):
                raise
            raise ParameterRangeError(
                f"{type(self).__name__}: a parameter value cannot be used "
                f"({type(err).__name__}: {err}); give numbers (times and amplitudes as lists of "
                "numbers of the same length).") from err

    def _check_values(self) -> None:
        """Raises: ParameterRangeError (a ValueError) naming the source and parameter for a
        value that is not finite, a negative noise stdev, or a noise dt that is not a whole
        number of timesteps (NEST's noise_generator refuses it too)."""
        if self.kind == "step":
            return                      # _normalise_steps checks the sequences
        name = type(self).__name__
        values = self.native_values()
        for key, value in values.items():
            if not np.isfinite(value):
                raise ParameterRangeError(f"{name}: {key} = {value}; give a finite number.")
        if self.kind == "noisy":
            dt = simulator.state.dt
            if values["stdev"] < 0:
                raise ParameterRangeError(f"{name}: stdev = {values['stdev']:g}; the standard "
                                          "deviation must be >= 0.")
            steps = values["dt"] / dt
            if steps < 1 - 1e-9 or abs(steps - round(steps)) > 1e-6:
                raise ParameterRangeError(
                    f"{name}: dt = {values['dt']:g} ms; the noise must change every whole "
                    f"number of timesteps ({dt:g} ms, 2x{dt:g} ms, ...).")

    def _step_values(self, name: str) -> np.ndarray:
        value = self.parameter_space[name].base_value
        return np.asarray(value.value if isinstance(value, Sequence) else value, dtype=float)

    def _normalise_steps(self) -> None:
        """StepCurrentSource times onto the timestep grid, as pyNN.nest and pyNN.neuron do:
        each time rounded to the nearest tick, and of several times in one tick the last
        amplitude kept.

        Raises: ParameterRangeError (a ValueError) for negative, non-finite or not strictly
        increasing times, or times and amplitudes of different lengths.
        """
        times, amplitudes = self._step_values("times"), self._step_values("amplitudes")
        name = type(self).__name__
        if times.shape != amplitudes.shape or times.ndim != 1:
            raise ParameterRangeError(
                f"{name}: {times.size} times but {amplitudes.size} amplitudes; give one "
                "amplitude per time, as two lists of the same length.")
        if not (np.all(np.isfinite(times)) and np.all(np.isfinite(amplitudes))):
            raise ParameterRangeError(f"{name}: times and amplitudes must be finite numbers.")
        if len(times) and times.min() < 0:
            raise ParameterRangeError(f"{name}: time {times.min():g} ms is negative; step "
                                      "times must be >= 0 ms.")
        if len(times) > 1 and np.min(np.diff(times)) <= 0:
            raise ParameterRangeError(f"{name}: times {times.tolist()} must increase strictly "
                                      "(sort them, one amplitude per time).")
        dt = simulator.state.dt
        ticks = np.rint(times / dt)
        last_of_tick = np.append(ticks[1:] != ticks[:-1], True) if len(ticks) else ticks > 0
        self.parameter_space.update(times=Sequence(ticks[last_of_tick] * dt),
                                    amplitudes=Sequence(amplitudes[last_of_tick]))

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
