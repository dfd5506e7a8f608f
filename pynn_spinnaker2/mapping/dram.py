"""DRAM per chip: synaptic rows, plastic state, spike-source data and the recording buffers of
the next run, checked against the chip's 2 GiB before the run starts.

In:  the MappedNetwork and the number of ticks about to run.
Out: bytes per chip (``dram_bytes_per_chip``).
Raises: ResourceError naming the chip, the need, the capacity, the populations recording the
     most there, and the fix (``check_dram``).

Recording as the PE does it: each tick, a spike bitfield of the PE's neurons (one bit each,
in 32-bit words) when any is recorded and a bitfield of the recorded source neurons of the
Poisson populations folded onto the PE; every ``sample_every`` ticks (the population's
sampling_interval / dt), one 32-bit sample per recorded neuron and state variable. A Poisson
source can spike several times in a tick: as sPyNNaker's Poisson source, the PE writes
bitfield k for the neurons with more than k spikes; budgeted per tick as
floor(lam + 3 sqrt(lam)) extra bitfields for the largest mean count lam of a recorded source
(0 below lam = 0.1, 6 at lam = 2). [M]
The buffers hold one run; the host reads them out after it, so a long simulation can be run in
shorter ``run()`` calls.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from .. import machine as hw
from ..errors import ResourceError

if TYPE_CHECKING:
    from ..compiled.network import MappedNetwork


def extra_bitfields(mean: np.ndarray) -> int:
    """Spike bitfields per tick beyond the first for sources of these mean counts per tick."""
    lam = float(np.max(mean, initial=0.0))
    return int(np.floor(lam + 3.0 * np.sqrt(lam)))


def recording_bytes(recorded: dict, n_neurons: int, n_ticks: int, sample_every: int = 1,
                    mean: np.ndarray | None = None) -> int:
    """Recording buffer bytes one PE fills for its own neurons in a run of ``n_ticks`` ticks
    (at most ceil(n_ticks / sample_every) samples of each recorded state variable; ``mean``:
    the mean spike counts per tick of a Poisson source's neurons, for their extra
    bitfields)."""
    spikes = samples = 0
    for variable, mask in recorded.items():
        if not mask.any():
            continue
        if variable == "spikes":
            extra = 0 if mean is None else extra_bitfields(np.asarray(mean)[mask])
            spikes += (1 + extra) * -(-n_neurons // hw.WORD_BITS) * hw.WORD_BYTES
        else:
            samples += int(mask.sum()) * hw.WORD_BYTES
    return spikes * n_ticks + samples * -(-n_ticks // max(1, sample_every))


def folded_recording_bytes_per_tick(poisson_inputs: dict) -> dict[int, int]:
    """Per folded Poisson population (id): the spike-bitfield bytes per tick that a PE fills
    for the inputs it records (each recorded source neuron on one of its targets' PEs)."""
    if not poisson_inputs or not poisson_inputs["records"].any():
        return {}
    records = poisson_inputs["records"]
    population = (poisson_inputs["stream"][records] >> np.uint64(32)).astype(np.int64)
    mean = poisson_inputs["mean"][records]
    ids, counts = np.unique(population, return_counts=True)
    return {int(i): (1 + extra_bitfields(mean[population == i])) * -(-int(n) // hw.WORD_BITS)
            * hw.WORD_BYTES for i, n in zip(ids, counts)}


def _recording_by_population(mapped: "MappedNetwork", prog, n_ticks: int) -> dict[int, int]:
    """Recording bytes a PE fills in ``n_ticks`` ticks, by population id (its own and folded
    sources)."""
    own = int(mapped.partition.pop[prog.slice_id])
    out = {pop: size * n_ticks
           for pop, size in folded_recording_bytes_per_tick(prog.poisson_inputs).items()}
    out[own] = out.get(own, 0) + recording_bytes(prog.recorded, prog.n_neurons, n_ticks,
                                                 prog.sample_every,
                                                 prog.neuron_block.get("mean"))
    return out


def recording_bytes_total(mapped: "MappedNetwork", n_ticks: int) -> int:
    """Recording bytes every PE together fills in a run of ``n_ticks`` ticks."""
    return sum(sum(_recording_by_population(mapped, prog, n_ticks).values())
               for prog in mapped.programs)


def dram_bytes_per_chip(mapped: "MappedNetwork", n_ticks: int) -> dict[int, int]:
    """Compiled images plus spike-source data plus ``n_ticks`` of recording, per chip."""
    use = {chip: image.nbytes for chip, image in mapped.dram.items()}
    for prog in mapped.programs:
        recording = sum(_recording_by_population(mapped, prog, n_ticks).values())
        use[prog.chip] = use.get(prog.chip, 0) + prog.dram_bytes + recording
    return use


def check_dram(mapped: "MappedNetwork", n_ticks: int) -> None:
    """Raise before a run whose recording would not fit a chip's DRAM."""
    use = dram_bytes_per_chip(mapped, n_ticks)
    chip, need = max(use.items(), key=lambda item: item[1], default=(0, 0))
    if need <= hw.DRAM_BYTES_PER_CHIP:
        return
    per_population: dict[str, int] = {}
    for prog in mapped.programs:
        if prog.chip == chip:
            for pop, size in _recording_by_population(mapped, prog, n_ticks).items():
                label = mapped.compiled_network.populations[pop].label
                per_population[label] = per_population.get(label, 0) + size
    top = sorted(per_population.items(), key=lambda item: -item[1])[:3]
    recorders = ", ".join(f"'{label}' {size / 2**20:,.0f} MiB" for label, size in top if size)
    x, y = (int(v) for v in mapped.machine.chips[chip])
    raise ResourceError(
        f"Chip ({x}, {y}) would need {need / 2**20:,.0f} MiB of DRAM for a run of {n_ticks} "
        f"ticks, it has {hw.DRAM_BYTES_PER_CHIP / 2**20:,.0f} MiB; recording there: "
        f"{recorders or 'nothing'}. Fix: run in shorter sim.run() calls (recordings are read "
        "out after each), record fewer variables or neurons or with a larger "
        "sampling_interval, or spread the populations over "
        "more chips (a smaller neurons_per_core). Nothing recorded so far is lost.")
