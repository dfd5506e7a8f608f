"""sPyNNaker's conventions, followed in sPyNNaker mode only (mode.py), one warning each.

The hooks are called by the PyNN front end (standard cell classes, connectors, projections,
the recorder, Population); outside sPyNNaker mode each returns its input unchanged, so PyNN's
own rules apply. No compiler or emulator module imports this one.
"""

from __future__ import annotations

import functools
import warnings

import numpy as np

from ..errors import SpiNNaker2Warning
from . import mode

_warned: set[str] = set()
GSYN_ALIASES = {"gsyn_exc": "isyn_exc", "gsyn_inh": "isyn_inh"}
# delta-synapse models have no synaptic current: sPyNNaker records the tick's summed input (mV)
TICK_INPUTS = {"if_curr_delta": {"gsyn_exc": "input_exc", "gsyn_inh": "input_inh"}}



def initial_as_parameters(init):
    """A standard cell class's ``__init__`` that, in sPyNNaker mode, takes initial values given
    as parameters (``v=-65``, ``u=-14``, old PyNN's ``v_init=-65``) as the cell type's default
    initial values (so every Population of it starts there), and lets current-based cells
    record ``gsyn_exc``/``gsyn_inh`` (their synaptic input currents, nA) as sPyNNaker does.
    Outside sPyNNaker mode it is ``init`` unchanged.
    """
    @functools.wraps(init)
    def __init__(self, *args, **parameters):
        if not mode.active():
            return init(self, *args, **parameters)
        initial = {}
        for name in list(parameters):
            variable = name[:-len("_init")] if name.endswith("_init") else name
            if variable in type(self).default_initial_values \
                    and name not in type(self).default_parameters:
                initial[variable] = parameters.pop(name)
        init(self, *args, **parameters)
        if initial:
            mode.warn_once("initial_as_parameter",
                           f"{type(self).__name__}({', '.join(initial)}=...): initial values "
                           "given as cell parameters set the initial state, as sPyNNaker does "
                           "(PyNN's way: Population(..., initial_values={...}) or "
                           "initialize()).")
            self.default_initial_values = {**type(self).default_initial_values, **initial}
        alias_gsyn(self)
    return __init__


def alias_gsyn(celltype, aliases: dict[str, str] = GSYN_ALIASES) -> None:
    """Let a current-based cell type record gsyn_exc/gsyn_inh as its synaptic input currents
    (nA), or, for delta-synapse cells (TICK_INPUTS), as the tick's summed input (mV).

    In: a cell type instance and {sPyNNaker's name: the cell's own recordable}. Changes only
    that instance (its recordable, units and recording_aliases), only for cells that are not
    conductance-based and have such a variable.
    """
    if getattr(celltype, "conductance_based", True):
        return
    inputs = TICK_INPUTS.get(getattr(celltype, "native_model", None))
    usable = inputs or {name: own for name, own in aliases.items()
                        if own in celltype.recordable}
    if not usable:
        return
    celltype.recordable = [*celltype.recordable, *usable]
    celltype.units = {**celltype.units, **{name: "mV" if inputs else "nA" for name in usable}}
    celltype.recording_aliases = usable


def recorded_name(celltype, variable: str) -> str:
    """The cell's own recordable that ``variable`` stands for (gsyn_exc -> isyn_exc on a
    current-based cell in sPyNNaker mode), else ``variable`` itself."""
    aliases = getattr(celltype, "recording_aliases", None)
    if aliases and variable in aliases:
        mode.warn_once("gsyn_current",
                       f"recording {variable} on a current-based cell "
                       f"({type(celltype).__name__}) records its synaptic input "
                       f"{aliases[variable]} ({celltype.units[variable]}), as sPyNNaker does.")
        return aliases[variable]
    return variable


def inhibitory_weights(weights, projection):
    """sPyNNaker uses a weight's magnitude and takes its sign from the receptor. In sPyNNaker
    mode, therefore, positive weights onto the inhibitory receptor of current-based cells
    inhibit (PyNN wants them negative), and negative weights onto conductance-based cells are
    their magnitudes (PyNN refuses them). Out: the weights to use (``weights`` unchanged
    outside sPyNNaker mode or when nothing needs changing)."""
    if not mode.active():
        return weights
    celltype = projection.post.celltype
    values = np.asarray(weights, dtype=float)
    if getattr(celltype, "conductance_based", False):
        if not (values < 0).any():
            return weights
        mode.warn_once("negative_conductance",
                       f"Projection '{projection.label}': negative weights onto "
                       f"{type(celltype).__name__} (conductance-based) are used as their "
                       "magnitudes, as sPyNNaker does.")
        return np.abs(values)
    if projection.receptor_type != "inhibitory" or not (values > 0).any():
        return weights
    mode.warn_once("positive_inhibitory",
                   f"Projection '{projection.label}': positive weights onto the inhibitory "
                   f"receptor of {type(celltype).__name__} inhibit (sPyNNaker uses the "
                   "weight's magnitude; PyNN's convention is a negative weight).")
    return -np.abs(values)


def additional_parameters(label: str, parameters: dict | None) -> None:
    """sPyNNaker's ``Population(..., additional_parameters={...})`` and its extra keywords
    (``seed=``, ``n_synapse_cores=``).

    Splitters are refused (RefusedDeviceError). Every other key tunes SpiNNaker1's software or
    hardware (seed, spikes_per_second, ring_buffer_sigma, a SpikeInjector's ``virtual_key``
    or ``port``, ...) and is ignored, with one warning naming the keys.
    Raises: RefusedDeviceError for a splitter.
    """
    if not parameters:
        return
    from .refused import refused_splitter
    for key, value in parameters.items():
        if key in ("splitter", "splitter_object"):
            raise refused_splitter(type(value).__name__)
    if "additional_parameters" not in _warned:
        _warned.add("additional_parameters")
        warnings.warn(f"Population '{label or '(unlabelled)'}': sPyNNaker's "
                      f"additional_parameters {sorted(parameters)} tune SpiNNaker1's software "
                      "and are ignored here.", SpiNNaker2Warning, stacklevel=3)


def type_name(neuron_type) -> str:
    """The name a cell type is known by: its class name (sPyNNaker's Izhikevich keeps
    "Izhikevich" through ``spynnaker_name``), for a class, an instance or a string."""
    if isinstance(neuron_type, str):
        return neuron_type
    name = getattr(neuron_type, "spynnaker_name", None)
    if name:
        return name
    return neuron_type.__name__ if isinstance(neuron_type, type) else type(neuron_type).__name__


def neurons_per_core_of(population) -> int | None:
    """The population's own limit (set_neurons_per_core), else the one
    set_number_of_neurons_per_core gave its cell type, else None."""
    own = getattr(population, "_neurons_per_core", None)
    if own:
        return own
    table = getattr(population._simulator.state, "neurons_per_core_by_type", None) or {}
    return table.get(type_name(population.celltype))


def whole_size(size, label):
    """In sPyNNaker mode a population size given as a whole float (``0.25 * 2000``) is used
    as the whole number it is, as sPyNNaker does (one warning); otherwise ``size`` unchanged
    (PyNN wants an int, and the Population says so)."""
    if mode.active() and isinstance(size, float) and size.is_integer() and size >= 1:
        mode.warn_once("float_size", f"Population '{label or '(unlabelled)'}': size {size!r} "
                       "is used as the whole number it is, as sPyNNaker does.")
        return int(size)
    return size


def tick_start_times(celltype, times: np.ndarray, dt: float) -> np.ndarray:
    """In sPyNNaker mode a neuron's spike is stamped with the start of the tick in which it
    fired, as sPyNNaker records it (times 0 to T - dt of a run of T ms); PyNN and NEST stamp
    the end of the tick (dt later). Spike sources keep their own times. Out: the times to
    report (``times`` unchanged outside sPyNNaker mode)."""
    if not mode.active() or not getattr(celltype, "injectable", False) or not len(times):
        return times
    mode.warn_once("spike_times", "neuron spikes are stamped with the start of the tick in "
                   f"which they fire, as sPyNNaker records them ({dt:g} ms before PyNN's "
                   "and NEST's time stamps).")
    return times - dt
