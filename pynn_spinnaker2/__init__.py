"""pynn_spinnaker2: run PyNN models on an emulated SpiNNaker2 machine.

``import pynn_spinnaker2 as sim`` in place of ``import pyNN.nest as sim``. At ``run()`` the network
is compiled for a virtual SpiNNaker2 machine (PE slices, placement, keys, routes, router tables,
synaptic rows, master population tables, neuron blocks) and the emulator runs those tables.
"""

from __future__ import annotations

from pyNN import common, errors, random, space  # noqa: F401
from pyNN.common.control import DEFAULT_MIN_DELAY, DEFAULT_TIMESTEP
from pyNN.common.procedural_api import set  # noqa: F401  (PyNN's procedural set())
from pyNN.connectors import *  # noqa: F401,F403
from pyNN.network import Network  # noqa: F401
from pyNN.random import GSLRNG, NumpyRNG, RandomDistribution  # noqa: F401
from pyNN.recording import get_io
from pyNN.space import Space  # noqa: F401
from pyNN.space import Cuboid, Grid2D, Grid3D, Line, RandomStructure, Sphere  # noqa: F401
from pyNN.standardmodels import StandardCellType

from . import simulator
from . import live  # noqa: F401  (sim.live: in-process live input and output)
from .config import Config
from .errors import (ConfigurationError, DeadlineMissedError,  # noqa: F401
                     DelayRoundingWarning, MachineTooSmallError, MappingError,
                     NotSupportedError, ParameterRangeError, ResourceError,
                     RouterTableOverflowError, SpiNNaker2Error, SpiNNaker2Warning,
                     UnknownOptionWarning)
from .machine import MAX_TOTAL_DELAY_TICKS
from .native_rng import NativeRNG  # noqa: F401
from .setup_options import (is_finite_number, SETUP_OPTIONS, check_times, spike_precision,
                            warn_unknown_options)
from .connector_types import *  # noqa: F401,F403  (PyNN's connectors, arguments checked)
from .populations import Assembly, Population, PopulationView  # noqa: F401
from .projections import Projection
from .standardmodels.cells import *  # noqa: F401,F403
from .standardmodels.composed import *  # noqa: F401,F403
from .standardmodels.electrodes import *  # noqa: F401,F403
from .standardmodels.synapses import *  # noqa: F401,F403
from .standardmodels.synapses import StaticSynapse
from .spinnaker1.izhikevich import Izhikevich  # noqa: F401,F811  (sPyNNaker's in sPyNNaker mode)
from .spinnaker1.api import (get_machine, name, set_allow_delay_extensions,  # noqa: F401
                             set_number_of_neurons_per_core, set_number_of_synapse_cores,
                             spynnaker_setup_options)
from . import extra_models, external_devices  # noqa: F401,E402  (p.extra_models, sPyNNaker's)
# sPyNNaker's pyNN.spiNNaker also names its structural plasticity classes at the top level
from .extra_models import (DistanceDependentFormation, LastNeuronSelection,  # noqa: F401,E402
                           RandomByWeightElimination, RandomSelection, StructuralMechanismSTDP,
                           StructuralMechanismStatic)
from .spinnaker1.refused import refused_local_only as _refused_local_only

globals().update(_refused_local_only())     # sPyNNaker's ConvolutionConnector, ...: refused

__version__ = "0.1.0"

def setup(timestep=DEFAULT_TIMESTEP, min_delay=DEFAULT_MIN_DELAY, **extra_params):
    """Start a new simulation.

    Besides PyNN's arguments: machine ("auto", "chip", "board"), boards (int), rng_seed (int),
    validate (bool: run the compiler's invariant checks), neurons_per_core (int <= 256, or a
    dict from population labels / cell type names to ints, "default" for the rest),
    weight_bits (16, or 8/4 to preview small formats), progress_bar (bool), fold_poisson (bool,
    default True: Poisson sources with only one-to-one static projections are drawn on their
    targets' PEs). sPyNNaker's n_boards_required / n_chips_required set the machine's size;
    its time_scale_factor is the hardware report's wall-clock tick length.
    Unknown options give one UnknownOptionWarning (naming the nearest known option) and are
    ignored, as drop-in use of scripts written for other backends needs.
    Raises: ConfigurationError for a bad value of a known option.
    """
    _join_mpi()
    extra_params = spynnaker_setup_options(extra_params)   # n_boards_required=, ...
    max_delay = extra_params.pop("max_delay", "auto")
    check_times(timestep, min_delay, max_delay)
    common.setup(timestep, min_delay, max_delay=max_delay, **extra_params)
    known = {k: extra_params.pop(k) for k in list(extra_params) if k in SETUP_OPTIONS}
    if "rng_seed" not in known and "rng" in extra_params:
        known["rng_seed"] = int(extra_params.pop("rng").seed or 0)
    simulator.state.spike_precision = spike_precision(extra_params.pop("spike_precision",
                                                                       "on_grid"))
    for ignored in ("rank", "num_processes", "threads", "verbosity"):
        extra_params.pop(ignored, None)
    if extra_params:
        warn_unknown_options(sorted(extra_params))
    simulator.state.min_delay_auto = min_delay == "auto"
    if min_delay == "auto":
        min_delay = timestep
    if max_delay == "auto":
        max_delay = MAX_TOTAL_DELAY_TICKS * timestep   # with delay-extension PEs
    state = simulator.state
    if isinstance(known.get("neurons_per_core"), dict):
        known["neurons_per_core"] = tuple(sorted(known["neurons_per_core"].items()))
    for faults in ("dead_chips", "dead_links", "dead_pes"):
        if faults in known:
            try:
                known[faults] = tuple(tuple(f) for f in known[faults])
            except TypeError:
                pass                     # Config names the option and what it needs
    state.config = Config(timestep=float(timestep), min_delay=float(min_delay),
                          max_delay=float(max_delay), **known)
    state.clear()
    state.setup_done = True
    return 0


def _join_mpi() -> None:
    """Under an MPI launcher with K > 1 ranks (mpiexec -n K), this process becomes one rank of
    one emulation split over K processes (docs/mpi.md); mpi4py is imported only then.
    Raises: NotSupportedError when mpi4py is missing under a launcher."""
    from .parallel import world
    state = simulator.state
    state.world = world()
    state.mpi_rank = 0 if state.world is None else state.world.rank


def end(compatible_output=True):
    """Write data requested with record(..., to_file=...), print the hardware summary, finish."""
    state = simulator.state
    for population, variables, filename in state.write_on_end:
        population.write_data(get_io(filename), variables)
    state.write_on_end = []
    if state.config.hardware_summary and state.emulation is not None and state.emulation.tick:
        report = state.get_hardware_report()
        if state.mpi_rank == 0:          # under MPI: the merged report, printed once
            print(report)


def get_hardware_report():
    """What the hardware would say about the run so far: a HardwareReport (print it, or
    ``save_json()``). Raises RuntimeError before the first run."""
    return simulator.state.get_hardware_report()


def save_hardware_plots(directory="hardware_plots"):
    """Write the hardware report's plots (load map, links, cycles, energy) as PNG files.

    Needs matplotlib (``pip install pynn_spinnaker2[plots]``). Out: the list of paths.
    """
    from pathlib import Path
    report = simulator.state.get_hardware_report()
    if simulator.state.mpi_rank != 0:     # under MPI, rank 0 draws the (merged) report
        return [Path(directory) / f"{name}.png" for name in
                ("machine_load", "link_traffic", "cycles_per_tick", "energy")]
    from .plots import save_hardware_plots as save
    return save(report, simulator.state.mapped, directory)


_pynn_run, _pynn_run_until = common.build_run(simulator)


def _run_time(call: str, value) -> None:
    """Raises: ConfigurationError (a ValueError) for a run time that is not a finite number
    (PyNN would add a string to the clock, or wait for ever)."""
    if not is_finite_number(value):
        raise ConfigurationError(f"{call}({value!r}): give a finite number of ms.")


def run(simtime, callbacks=None):
    _run_time("run", simtime)
    if simtime < 0:
        raise ConfigurationError(f"run({simtime!r}): the time to run must be >= 0 ms.")
    return _pynn_run(simtime, callbacks)


def run_until(time_point, callbacks=None):
    _run_time("run_until", time_point)
    if time_point < simulator.state.t - simulator.state.dt / 2:     # PyNN's tolerance
        raise ConfigurationError(f"run_until({time_point!r}): that time is in the past (now "
                                 f"{simulator.state.t:g} ms).")
    return _pynn_run_until(time_point, callbacks)


run.__doc__, run_until.__doc__ = _pynn_run.__doc__, _pynn_run_until.__doc__
run_for = run
reset = common.build_reset(simulator)
initialize = common.initialize
(get_current_time, get_time_step, get_min_delay, get_max_delay, _num_processes,
 rank) = common.build_state_queries(simulator)


def num_processes():
    """The number of MPI processes (ranks) sharing the emulation: 1 without mpiexec."""
    world = simulator.state.world
    return 1 if world is None else world.size

create = common.build_create(Population)
connect = common.build_connect(Projection, FixedProbabilityConnector, StaticSynapse)  # noqa: F405
record = common.build_record(simulator)


def record_v(source, filename):
    return record(["v"], source, filename)


def record_gsyn(source, filename):
    return record(["gsyn_exc", "gsyn_inh"], source, filename)


def get_mapping():
    """The compiled network (MappedNetwork) of the current model, compiling it if needed."""
    return simulator.state.get_mapping()


def list_standard_models():
    """Names of the standard cell types this backend runs."""
    from .standardmodels.cells import SUPPORTED
    return [c.__name__ for c in SUPPORTED if issubclass(c, StandardCellType)]
