"""Population, PopulationView and Assembly: PyNN's classes with this backend's storage hooks.

Parameters are kept as per-neuron native arrays; any change marks the network as changed, so the
next run() or get_mapping() compiles it again.
"""

from __future__ import annotations

from contextlib import contextmanager

import numpy as np
from pyNN import common, errors
from pyNN.parameters import ParameterSpace, simplify
from pyNN.standardmodels import StandardCellType

from . import parameter_checks, resource_checks, simulator
from .data_files import FileChecks
from .errors import InvalidParameterValueError, SpiNNaker2Error
from .recording import Recorder
from .spinnaker1.conventions import additional_parameters as spynnaker_additional
from .spinnaker1.conventions import whole_size as spynnaker_size
from .spinnaker1 import neo_convertor as neo_tables


class CheckedInitialize:
    """Mixin: initialize() and set() values PyNN's parameter spaces and lazy arrays refuse
    (None, a string, inf for an int, a list of the wrong length) raise our
    InvalidParameterValueError naming the population."""

    def initialize(self, **initial_values):
        with _usable(self, f"initialize({', '.join(initial_values)}=...)"):
            super().initialize(**initial_values)

    def set(self, **parameters):
        with _usable(self, f"set({', '.join(parameters)}=...)"):
            super().set(**parameters)

    initialize.__doc__ = common.Population.initialize.__doc__
    set.__doc__ = common.Population.set.__doc__


@contextmanager
def _usable(cells, call: str):
    try:
        yield
    except (ValueError, TypeError, OverflowError, KeyError) as err:
        if isinstance(err, (SpiNNaker2Error, errors.InvalidParameterValueError)):
            raise
        raise InvalidParameterValueError(
            f"Population '{cells.label}': {call} got a value it cannot use "
            f"({type(err).__name__}: {err}); give a number, one number per neuron "
            f"({cells.size}), or a RandomDistribution.") from err


class Assembly(FileChecks, CheckedInitialize, common.Assembly):
    _simulator = simulator


def _reverse(celltype, native_space: ParameterSpace) -> ParameterSpace:
    if isinstance(celltype, StandardCellType):
        return celltype.reverse_translate(native_space)
    return native_space


def _native_names(celltype, names) -> list[str]:
    if any(n in celltype.computed_parameters() for n in names):
        return celltype.get_native_names()
    return celltype.get_native_names(*names)


class PopulationView(FileChecks, CheckedInitialize, common.PopulationView):
    _assembly_class = Assembly
    _simulator = simulator

    def _get_parameters(self, *names):
        native = {n: simplify(self.parent._parameters[n][self.mask])
                  for n in _native_names(self.celltype, names)}
        return _reverse(self.celltype, ParameterSpace(native, shape=(self.size,)))

    def _set_parameters(self, parameter_space):
        parameter_space.shape = (self.size,)
        try:
            values = {n: v.evaluate(simplify=False) for n, v in parameter_space.items()}
        except (ValueError, IndexError) as err:       # lazyarray's shape errors
            raise errors.InvalidParameterValueError(
                f"Population '{self.label}': a value does not fit its {self.size} neuron(s) "
                f"({err}); give one value, or one per neuron.") from err
        _check_spike_times(self, {n: v for n, v in values.items() if n == "spike_times"})
        _check_finite(self, {n: v for n, v in values.items() if n != "spike_times"})
        # the parent's arrays as they would be after the change, for checks between parameters
        merged = dict(self.parent._parameters)
        for name, value in values.items():
            if merged[name].dtype != object:
                merged[name] = merged[name].copy()
                merged[name][self.mask] = value
        parameter_checks.check_cells(self, values, merged)
        for name, value in values.items():
            self.parent._parameters[name][self.mask] = value
        simulator.state.mark_changed()

    def _set_initial_value_array(self, variable, initial_values):
        initial_values.shape = (self.size,)
        values = np.asarray(initial_values.evaluate(simplify=False), dtype=float)
        _check_initial(self, variable, values)
        self.parent._initial_arrays()[variable][self.mask] = values
        self.parent._pending_mask()[self.mask] = simulator.state.t > 0
        simulator.state.mark_changed()

    @property
    def initial_values(self):
        """Write-only view: PyNN stores the lazy value here; the parent keeps the arrays."""
        return _Discard()

    def _get_view(self, selector, label=None):
        return PopulationView(self, selector, label)


class _Discard(dict):
    def __setitem__(self, key, value):
        pass


class Population(FileChecks, CheckedInitialize, common.Population):
    __doc__ = common.Population.__doc__
    _simulator = simulator
    _recorder_class = Recorder
    _assembly_class = Assembly

    def __init__(self, size, cellclass, cellparams=None, structure=None, initial_values={},
                 label=None, additional_parameters=None, **additional_keywords):
        # sPyNNaker's keywords (seed=, n_synapse_cores=, ...), its whole float sizes (sPyNNaker
        # mode) and Population(n, IF_curr_exp) without cellparams, as sPyNNaker allows
        spynnaker_additional(label, {**(additional_parameters or {}), **additional_keywords})
        size = spynnaker_size(size, label)
        if cellparams is None and isinstance(cellclass, type):
            cellparams = {}
        dims = size if isinstance(size, tuple) else (size,)
        if not dims or any(isinstance(d, bool) or not isinstance(d, (int, np.integer)) or d < 1
                           for d in dims):
            raise InvalidParameterValueError(
                f"Population '{label or '(unlabelled)'}': size {size!r} is not a whole number "
                ">= 1 (or a tuple of them); give the number of neurons, e.g. "
                "sim.Population(100, sim.IF_curr_exp()).")
        state = simulator.state
        resource_checks.check_neurons(
            state.config, label or f"population{len(state.populations)}", int(np.prod(dims)),
            sum(p.size for p in state.populations))
        super().__init__(size, cellclass, cellparams, structure, initial_values, label)

    def _create_cells(self):
        state = simulator.state
        id_range = np.arange(state.id_counter, state.id_counter + self.size)
        self.all_cells = np.array([simulator.ID(i) for i in id_range], dtype=simulator.ID)
        self._mask_local = np.ones(self.size, dtype=bool)
        space = (self.celltype.native_parameters if isinstance(self.celltype, StandardCellType)
                 else self.celltype.parameter_space)
        try:
            space.shape = (self.size,)
            space.evaluate(simplify=False)      # every neuron is local: no mask
        except (ValueError, IndexError) as err:       # lazyarray's shape errors
            raise InvalidParameterValueError(
                f"Population '{self.label}': a parameter does not fit its {self.size} "
                f"neuron(s) ({err}); give one value, or one per neuron.") from err
        self._parameters = {name: _per_neuron(value, self.size)
                            for name, value in space.as_dict().items()}
        _check_finite(self, self._parameters)
        parameter_checks.check_cells(self, self._parameters)
        _check_spike_times(self, self._parameters)
        for cell in self.all_cells:
            cell.parent = self
        state.id_counter += self.size
        self._number = len(state.populations)
        self._generation = state.generation
        state.populations.append(self)
        state.mark_changed()

    def set_neurons_per_core(self, n: int) -> None:
        """At most ``n`` neurons of this population per PE (1..256); overrides
        setup(neurons_per_core=...) for this population.

        Raises: ConfigurationError for a value outside 1..256.
        """
        from .errors import ConfigurationError
        from .machine import MAX_NEURONS_PER_PE
        if isinstance(n, bool) or not isinstance(n, (int, np.integer)) \
                or not 1 <= n <= MAX_NEURONS_PER_PE:
            raise ConfigurationError(
                f"Population '{self.label}': set_neurons_per_core({n!r}) needs a whole number "
                f"from 1 to {MAX_NEURONS_PER_PE} (the synapse word's 8-bit target index).")
        self._neurons_per_core = int(n)
        simulator.state.mark_changed()

    # sPyNNaker's name for the same setting, so that its scripts run unchanged
    set_max_atoms_per_core = set_neurons_per_core

    def spinnaker_get_data(self, variable):
        """sPyNNaker's: one recorded variable of the last run as a numpy table (spikes as
        [neuron index, time], others as [neuron index, time, value])."""
        return neo_tables.spinnaker_get_data(self, variable)

    def _set_initial_value_array(self, variable, initial_values):
        simulator.state.check_current(self, "Population")
        # evaluated once, here, so that random initial values do not change between compiles
        values = np.array(initial_values.evaluate(simplify=False), dtype=float).reshape(self.size)
        _check_initial(self, variable, values)
        self._initial_arrays()[variable] = values
        # after a run, the new values take effect at the next run (state is not carried over)
        self._pending_mask()[:] = simulator.state.t > 0
        simulator.state.mark_changed()

    def _pending_mask(self) -> np.ndarray:
        """Neurons initialize()d since the last run."""
        if not hasattr(self, "_initialize_pending"):
            self._initialize_pending = np.zeros(self.size, dtype=bool)
        return self._initialize_pending

    def _initial_arrays(self) -> dict:
        if not hasattr(self, "_initial"):
            self._initial = {}
        return self._initial

    def _get_view(self, selector, label=None):
        return PopulationView(self, selector, label)

    def _get_parameters(self, *names):
        native = {n: simplify(self._parameters[n]) for n in _native_names(self.celltype, names)}
        return _reverse(self.celltype, ParameterSpace(native, shape=(self.size,)))

    def _set_parameters(self, parameter_space):
        simulator.state.check_current(self, "Population")
        try:
            parameter_space.evaluate(simplify=False)
        except (ValueError, IndexError) as err:       # lazyarray's shape errors
            raise InvalidParameterValueError(
                f"Population '{self.label}': a value does not fit its {self.size} neuron(s) "
                f"({err}); give one value, or one per neuron.") from err
        values = {name: _per_neuron(value, self.size) for name, value in parameter_space.items()}
        _check_finite(self, values)
        parameter_checks.check_cells(self, values, {**self._parameters, **values})
        _check_spike_times(self, values)
        self._parameters.update(values)
        simulator.state.mark_changed()


def _per_neuron(value, size: int) -> np.ndarray:
    """An evaluated parameter as one entry per neuron (PyNN gives a one-neuron population's
    random draw as a scalar, and a one-neuron Sequence parameter unwrapped)."""
    if isinstance(value, np.ndarray) and value.shape == (size,):
        return value
    if isinstance(value, (int, float, np.number)):
        return np.full(size, value, dtype=float)
    out = np.empty(size, dtype=object)
    for i in range(size):
        out[i] = value
    return out


def _check_initial(cells, variable: str, values: np.ndarray) -> None:
    """Raises: InvalidParameterValueError naming the population when the model has no such
    state variable, or a value is not finite."""
    known = cells.celltype.default_initial_values
    if variable not in known:
        raise InvalidParameterValueError(
            f"Population '{cells.label}': initialize({variable}=...): "
            f"{type(cells.celltype).__name__} has no state variable '{variable}'; it has "
            f"{', '.join(sorted(known)) or 'none'}.")
    _check_finite(cells, {variable: values})


def _check_finite(population, parameters: dict) -> None:
    """Raises: InvalidParameterValueError naming the population, the parameter and the first
    neuron whose value is NaN or infinite (NEST refuses them too; a PE would run on with them)."""
    for name, values in parameters.items():
        array = np.asarray(values)
        if array.dtype.kind not in "fi":
            continue
        bad = ~np.isfinite(array)
        if bad.any():
            index = int(np.flatnonzero(bad.reshape(-1))[0])
            raise InvalidParameterValueError(
                f"Population '{population.label}': {name} = {array.reshape(-1)[index]} for "
                f"neuron {index}; parameters must be finite numbers. Give a finite value.")


def _check_spike_times(population, parameters: dict) -> None:
    """Raises: InvalidParameterValueError (PyNN's, and ours) naming the population and the
    neuron when a SpikeSourceArray's spike times are not finite or not in increasing order."""
    trains = parameters.get("spike_times")
    if trains is None:
        return
    for index, train in enumerate(np.atleast_1d(trains)):
        try:
            times = np.asarray(getattr(train, "value", train), dtype=float)
        except (ValueError, TypeError) as err:
            raise InvalidParameterValueError(
                f"Population '{population.label}': spike times of neuron {index} are not "
                f"numbers ({err}); give a list or Sequence of times in ms.") from err
        if times.ndim != 1:
            raise InvalidParameterValueError(
                f"Population '{population.label}': spike times of neuron {index} "
                f"({times.tolist()!r}) are not a list of times; give a list or Sequence of "
                "times in ms, or one per neuron.")
        if times.size and not np.all(np.isfinite(times)):
            raise InvalidParameterValueError(
                f"Population '{population.label}': spike times of neuron {index} include "
                f"{times[~np.isfinite(times)][0]}; spike times must be finite numbers in ms.")
        if times.size > 1 and np.any(np.diff(times) < 0):
            raise InvalidParameterValueError(
                f"Population '{population.label}': spike times of neuron {index} "
                f"({times.tolist()[:8]}...) are not in increasing order, as SpikeSourceArray "
                "needs. Sort them (e.g. sorted(times)).")
