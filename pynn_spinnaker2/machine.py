"""The virtual SpiNNaker2 machine: every hardware number of the project lives here.

Figures cite ``shared/HARDWARE.md`` with its tags: [P] primary source, [S] secondary,
[M] our modelling decision.

In:  a machine kind ("chip", "board", N boards).
Out: a frozen :class:`Machine` with chip coordinates, the 6-link neighbour table and budgets.
Raises: ConfigurationError for an impossible description.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .errors import ConfigurationError

# --- chip [P] unless tagged -------------------------------------------------------------------
PES_PER_CHIP = 152                      # 38 QPEs x 4 PEs [P]
USABLE_PES_PER_CHIP = 148               # 4 kept for system software [S]
SRAM_BYTES_PER_PE = 128 * 1024          # 32 KiB instructions + 96 KiB data [P]
DATA_SRAM_BYTES_PER_PE = 96 * 1024      # [P]
STACK_HEAP_BYTES = 4 * 1024             # part of the data memory [P]
DRAM_BYTES_PER_CHIP = 2 * 1024 ** 3     # LPDDR4 [P]
ROUTER_ENTRIES = 16_384                 # key/mask entries per chip router [P]
N_LINKS = 6                             # hexagonal neighbourhood [P]
CLOCK_HZ_HIGH = 300e6                   # performance level "high", 0.8 V [P/S]
CLOCK_HZ_LOW = 150e6                    # performance level "low", 0.5 V [P/S]
CLOCK_HZ = {"low": CLOCK_HZ_LOW, "high": CLOCK_HZ_HIGH}
# chip power (W) [S]: PEs off; all 152 PEs sleeping; all 152 PEs busy, per performance level
CHIP_POWER_PES_OFF_W = 0.075
CHIP_POWER_ALL_SLEEPING_W = {"low": 0.235, "high": 0.565}
CHIP_POWER_ALL_BUSY_W = {"low": 0.425, "high": 1.248}
CHIP_POWER_RANGE_W = (0.24, 2.2)        # published envelope, for comparison [S]
SYNAPTIC_EVENT_ENERGY_PUBLISHED_J = 10e-12   # "about 10 pJ", rough [S]
SYNAPTIC_EVENTS_PER_S_PER_PE = 12e6     # at 300 MHz [S]
CHIPS_PER_BOARD = 48                    # SpiNN-5 style layout [P]

# --- the PE application we define [M] ---------------------------------------------------------
MAX_NEURONS_PER_PE = 256                # 8-bit target index of the synapse word
MAX_DELAY_TICKS = 64                    # 6-bit delay field, storing delay - 1
# Delay extensions (mapping/delay_extensions.py): a stage delays a spike by a whole ring buffer,
# so every delay splits into stages and a remainder the synapse word holds (1..64 ticks). An
# extension PE holds (source neuron, stage) pairs, at most 256 (8-bit key index), so at most 256
# stages per source neuron.
DELAY_STAGE_TICKS = MAX_DELAY_TICKS
MAX_DELAY_STAGES = MAX_NEURONS_PER_PE
MAX_TOTAL_DELAY_TICKS = MAX_DELAY_STAGES * DELAY_STAGE_TICKS + MAX_DELAY_TICKS
N_SYNAPSE_TYPES = 4                     # 2-bit synapse type field
KEY_BITS = 32                           # multicast routing key [P]
KEY_NEURON_BITS = 8                     # low key bits carry the neuron index
WORD_BYTES = 4                          # DRAM and SRAM words are 32 bits [P]
WORD_BITS = 8 * WORD_BYTES
APP_FIXED_SRAM_BYTES = 2 * 1024         # PE application's own globals, DMA buffers [M]
RING_BUFFER_ENTRY_BYTES = 4             # 32-bit accumulators [M]
MPT_ENTRY_BYTES = 12                    # key, mask, address-list start and count [M]
ADDRESS_LIST_ENTRY_BYTES = 8            # row block address, row length [M]
# STDP: each neuron with STDP input keeps its last post-synaptic spikes (time stamp and trace,
# 4 bytes each) and a spike count; one rule record per STDP projection onto the PE. [M]
STDP_POST_HISTORY_ENTRIES = 10          # as sPyNNaker's post-synaptic history on SpiNNaker1
STDP_HISTORY_BYTES_PER_NEURON = STDP_POST_HISTORY_ENTRIES * 8 + 4
STDP_RULE_BYTES = 10 * 4
# current sources: one (source, neuron) pair per injection, 16 bits each, and one record of
# parameters per distinct source on the PE [M]
CURRENT_INPUT_BYTES = 4
CURRENT_SOURCE_BYTES = 32
SPIKE_TIME_BYTES = 4                    # one emission tick of a spike-time source, in DRAM [M]
# a folded Poisson input on its target PE: spike threshold (4), mean count (4, float32), first
# and stop tick (8), the source's stream id (4: the neuron index; the population id is per PE),
# a synapse word with target, receptor, delay and weight (4) [M]
POISSON_INPUT_BYTES = 24

# Link directions, in this order: index d sends to (x + dx[d], y + dy[d]); the opposite
# direction of d is (d + 3) % 6. [P]
LINK_NAMES = ("E", "NE", "N", "W", "SW", "S")
LINK_DX = np.array([1, 1, 0, -1, -1, 0])
LINK_DY = np.array([0, 1, 1, 0, -1, -1])

# Board offsets of a 3-board group that tiles a 12 x 12 torus. [P]
TRIAD_BOARD_OFFSETS = ((0, 0), (4, 8), (8, 4))
TRIAD_WIDTH = 12


def board_chip_offsets() -> np.ndarray:
    """Chip (x, y) of one 48-chip board relative to its corner: 8x8 with the corners cut. [P]

    Out: (48, 2) int array; column x holds 4,5,6,7,8,7,6,5 chips.
    """
    chips = [(x, y) for x in range(4) for y in range(4 + x)]
    chips += [(x, y) for x in range(4, 8) for y in range(x - 4, 8)]
    return np.array(chips, dtype=np.int64)


@dataclass(frozen=True)
class Machine:
    """A virtual SpiNNaker2 machine.

    chips: (n_chips, 2) chip coordinates; a chip's index is its row here.
    neighbours: (n_chips, 6) index of the chip reached over each link, -1 where there is none.
    """

    name: str
    width: int
    height: int
    wrap: bool
    chips: np.ndarray
    neighbours: np.ndarray
    n_boards: int
    usable_pes_per_chip: int = USABLE_PES_PER_CHIP
    dead_pes: frozenset = frozenset()   # (chip index, PE) pairs that must not be used

    @property
    def n_chips(self) -> int:
        return len(self.chips)

    @property
    def n_pes(self) -> int:
        return self.n_chips * self.usable_pes_per_chip - len(self.dead_pes)

    def chip_index(self, x: int, y: int) -> int:
        """Index of chip (x, y). Raises KeyError when the chip does not exist."""
        hits = np.flatnonzero((self.chips[:, 0] == x) & (self.chips[:, 1] == y))
        if len(hits) == 0:
            raise KeyError(f"chip ({x}, {y}) is not part of machine {self.name}")
        return int(hits[0])

    def describe(self) -> str:
        return f"{self.name}: {self.n_chips} chips, {self.n_pes} application PEs"


def _build(name: str, chips: np.ndarray, width: int, height: int, wrap: bool,
           n_boards: int, usable_pes: int) -> Machine:
    index = {(int(x), int(y)): i for i, (x, y) in enumerate(chips)}
    neighbours = np.full((len(chips), N_LINKS), -1, dtype=np.int64)
    for i, (x, y) in enumerate(chips):
        for d in range(N_LINKS):
            nx, ny = x + LINK_DX[d], y + LINK_DY[d]
            if wrap:
                nx, ny = nx % width, ny % height
            neighbours[i, d] = index.get((int(nx), int(ny)), -1)
    return Machine(name, width, height, wrap, chips, neighbours, n_boards, usable_pes)


def single_chip(usable_pes: int = USABLE_PES_PER_CHIP) -> Machine:
    """One SpiNNaker2 chip at (0, 0)."""
    return _build("single chip", np.zeros((1, 2), dtype=np.int64), 1, 1, False, 0, usable_pes)


def boards(n: int, usable_pes: int = USABLE_PES_PER_CHIP) -> Machine:
    """``n`` 48-chip boards.

    One board is an 8x8 box without wrap-around. Several boards are laid out in 3-board groups
    that tile 12x12-chip blocks; the groups form a torus (a grid of w x h groups), of which the
    first ``n`` boards are present.
    """
    if n < 1:
        raise ConfigurationError(f"a machine needs at least one board, not {n}")
    offsets = board_chip_offsets()
    if n == 1:
        return _build("1 board", offsets, 8, 8, False, 1, usable_pes)
    n_triads = -(-n // 3)
    w = int(np.ceil(np.sqrt(n_triads)))
    h = -(-n_triads // w)
    width, height = TRIAD_WIDTH * w, TRIAD_WIDTH * h
    chips = []
    for b in range(n):
        triad, member = divmod(b, 3)
        tx, ty = (triad % w) * TRIAD_WIDTH, (triad // w) * TRIAD_WIDTH
        bx, by = TRIAD_BOARD_OFFSETS[member]
        chips.append((offsets + [tx + bx, ty + by]) % [width, height])
    return _build(f"{n} boards", np.concatenate(chips), width, height, True, n, usable_pes)


def with_faults(machine: Machine, dead_chips=(), dead_links=(), dead_pes=()) -> Machine:
    """The machine without the listed dead chips, links and PEs.

    In: dead_chips as (x, y); dead_links as (x, y, direction) with a direction of LINK_NAMES (the
    link is dead both ways); dead_pes as (x, y, pe).
    Raises: ConfigurationError naming an entry that is not part of the machine.
    """
    def index(x, y, what):
        try:
            return machine.chip_index(int(x), int(y))
        except KeyError:
            raise ConfigurationError(f"{what} ({x}, {y}) is not a chip of {machine.name}") from None

    dead = {index(x, y, "dead chip") for x, y in dead_chips}
    keep = np.array([i for i in range(machine.n_chips) if i not in dead], dtype=np.int64)
    renumber = np.full(machine.n_chips + 1, -1, dtype=np.int64)
    renumber[keep] = np.arange(len(keep))
    neighbours = renumber[machine.neighbours[keep]]      # -1 stays -1 (index -1 -> last)
    for x, y, direction in dead_links:
        if direction not in LINK_NAMES:
            raise ConfigurationError(f"dead link direction {direction!r}: use one of "
                                     f"{', '.join(LINK_NAMES)}")
        a = renumber[index(x, y, "dead link at chip")]
        d = LINK_NAMES.index(direction)
        if a >= 0:
            b = neighbours[a, d]
            neighbours[a, d] = -1
            if b >= 0:
                neighbours[b, (d + 3) % N_LINKS] = -1
    pes = set()
    for x, y, pe in dead_pes:
        chip = renumber[index(x, y, "dead PE on chip")]
        if not 0 <= int(pe) < machine.usable_pes_per_chip:
            raise ConfigurationError(f"dead PE {pe} on chip ({x}, {y}): chips have PEs 0 to "
                                     f"{machine.usable_pes_per_chip - 1}")
        if chip >= 0:
            pes.add((int(chip), int(pe)))
    faults = len(dead) + len(dead_links) + len(pes)
    name = machine.name + (f" ({faults} fault(s) avoided)" if faults else "")
    return Machine(name, machine.width, machine.height, machine.wrap, machine.chips[keep],
                   neighbours, machine.n_boards, machine.usable_pes_per_chip, frozenset(pes))


def boards_needed(n_pes: int, usable_pes: int = USABLE_PES_PER_CHIP) -> int:
    """Smallest number of boards with at least ``n_pes`` application PEs."""
    return max(1, -(-n_pes // (CHIPS_PER_BOARD * usable_pes)))
