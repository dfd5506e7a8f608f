"""sPyNNaker's conveniences at the top level of the package (``p.set_number_of_neurons_per_core``,
``p.name()``, ``p.get_machine()``, sPyNNaker's setup() options), mapped onto this backend's
own settings where they mean something on SpiNNaker2 and accepted with one warning where
they only tune SpiNNaker1's software."""

from __future__ import annotations

import math
import numbers
import warnings
from dataclasses import dataclass

from .. import machine as hw
from .. import simulator
from ..errors import ConfigurationError, SpiNNaker2Warning
from .conventions import type_name as _type_name

_warned: set[str] = set()


def _warn_once(kind: str, message: str) -> None:
    if kind not in _warned:
        _warned.add(kind)
        warnings.warn(message, SpiNNaker2Warning, stacklevel=3)


def set_number_of_neurons_per_core(neuron_type, max_permitted) -> None:
    """At most ``max_permitted`` neurons of every population of ``neuron_type`` on one PE.

    In: a cell type class (``p.IF_curr_exp``), instance or name, and a whole number (a float
    such as ``200 / 2`` that is whole is accepted, as sPyNNaker does; a tuple (w, h) of a 2-D
    population means w * h). A limit above 256 (the synapse word's 8-bit neuron index) is
    lowered to 256 with one warning. A population's own ``set_neurons_per_core`` wins.
    Raises: ConfigurationError for a limit below 1 or not a whole number.
    """
    limit = math.prod(max_permitted) if isinstance(max_permitted, tuple) else max_permitted
    if isinstance(limit, bool) or not isinstance(limit, numbers.Real) \
            or limit != int(limit) or limit < 1:
        raise ConfigurationError(
            f"set_number_of_neurons_per_core({_type_name(neuron_type)}, {max_permitted!r}): "
            "give a whole number of neurons >= 1.")
    limit = int(limit)
    if limit > hw.MAX_NEURONS_PER_PE:
        _warn_once("npc_cap", f"set_number_of_neurons_per_core({_type_name(neuron_type)}, "
                   f"{limit}): a SpiNNaker2 PE holds at most {hw.MAX_NEURONS_PER_PE} "
                   f"neurons (8-bit neuron index); using {hw.MAX_NEURONS_PER_PE}.")
        limit = hw.MAX_NEURONS_PER_PE
    simulator.state.neurons_per_core_by_type[_type_name(neuron_type)] = limit
    simulator.state.mark_changed()


def set_number_of_synapse_cores(neuron_type, n_synapse_cores) -> None:
    """sPyNNaker's split of a population's synapse processing over extra cores: a SpiNNaker2
    PE processes its own neurons' synapses, so this is accepted and ignored (one warning)."""
    _warn_once("synapse_cores", f"set_number_of_synapse_cores({_type_name(neuron_type)}, "
               f"{n_synapse_cores}) is ignored: a SpiNNaker2 PE processes the synapses of its "
               "own neurons (set_number_of_neurons_per_core sets how many).")


def set_allow_delay_extensions(neuron_type, allow) -> None:
    """sPyNNaker's switch for delay-extension cores: pynn_spinnaker2 adds delay-extension PEs
    only for delays longer than a PE's 64 ticks, so this is accepted and ignored (one
    warning)."""
    _warn_once("delay_extensions", f"set_allow_delay_extensions({_type_name(neuron_type)}, "
               f"{allow}) is ignored: delay-extension PEs are added only for delays above "
               f"{hw.MAX_DELAY_TICKS} ticks.")


def name() -> str:
    """The simulator's name (sPyNNaker scripts put it in figure annotations)."""
    return "SpiNNaker2 (pynn_spinnaker2 emulator)"


def spynnaker_setup_options(options: dict) -> dict:
    """setup()'s sPyNNaker options mapped onto this backend's: ``n_boards_required=n`` ->
    ``boards=n``; ``n_chips_required=n`` -> one chip, or the boards that hold n chips.
    Out: the options with these replaced (the rest unchanged)."""
    options = dict(options)
    boards = options.pop("n_boards_required", None)
    chips = options.pop("n_chips_required", None)
    if boards is not None:
        options.setdefault("boards", boards)
    elif chips is not None:
        if isinstance(chips, bool) or not isinstance(chips, numbers.Integral) or chips < 1:
            raise ConfigurationError(f"setup(n_chips_required={chips!r}): give a whole "
                                     "number of chips >= 1.")
        if chips == 1:
            options.setdefault("machine", "chip")
        else:
            options.setdefault("boards", -(-int(chips) // hw.CHIPS_PER_BOARD))
    return options


@dataclass(frozen=True)
class MachineDescription:
    """The virtual SpiNNaker2 machine the current setup() maps onto (get_machine()).

    ``auto`` is True when setup() left the size open: a run then uses the fewest boards that
    hold the network, and this describes one board.
    """

    name: str
    auto: bool
    n_boards: int
    width: int
    height: int
    chips: tuple
    pes_per_chip: int
    usable_pes_per_chip: int
    sram_bytes_per_pe: int
    dram_bytes_per_chip: int
    router_entries_per_chip: int
    max_neurons_per_pe: int

    @property
    def n_chips(self) -> int:
        return len(self.chips)

    @property
    def n_pes(self) -> int:
        return self.n_chips * self.usable_pes_per_chip

    @property
    def max_chip_x(self) -> int:
        return self.width - 1

    @property
    def max_chip_y(self) -> int:
        return self.height - 1

    def __str__(self) -> str:
        size = " (sized at run time; one board shown)" if self.auto else ""
        return (f"SpiNNaker2 machine {self.name}{size}: {self.n_chips} chips, "
                f"{self.usable_pes_per_chip} of {self.pes_per_chip} PEs per chip usable "
                f"({self.n_pes} PEs), {self.sram_bytes_per_pe // 1024} KiB SRAM per PE, "
                f"{self.dram_bytes_per_chip // 2 ** 30} GiB DRAM per chip, "
                f"{self.router_entries_per_chip} router entries per chip")


def get_machine() -> MachineDescription:
    """The machine described by the current setup() (machine=, boards=, usable_pes_per_chip=).

    Out: a MachineDescription (print it for a summary).
    """
    config = simulator.state.config
    auto = config.machine == "auto" and config.boards is None
    if config.machine == "chip":
        built = hw.single_chip(config.usable_pes_per_chip)
    else:
        built = hw.boards(config.boards or 1, config.usable_pes_per_chip)
    return MachineDescription(
        built.name, auto, built.n_boards, built.width, built.height,
        tuple((int(x), int(y)) for x, y in built.chips), hw.PES_PER_CHIP,
        config.usable_pes_per_chip, hw.SRAM_BYTES_PER_PE, hw.DRAM_BYTES_PER_CHIP,
        hw.ROUTER_ENTRIES, hw.MAX_NEURONS_PER_PE)
