"""sPyNNaker's ``neo_convertor`` helpers: recorded Neo data as plain numpy tables.

Scripts written for sPyNNaker import ``spynnaker.pyNN.utilities.neo_convertor``; that name
resolves here (aliases.py). The tables have sPyNNaker's layout:

- spikes: one row per spike, ``[neuron index, time in ms]``, sorted by neuron then time;
- analog signals: one row per neuron and sample, ``[neuron index, time in ms, value]``.
"""

from __future__ import annotations

import numpy as np


def convert_spiketrains(spiketrains) -> np.ndarray:
    """In: a list of Neo SpikeTrains (annotated with ``source_index`` as PyNN does).
    Out: an (n_spikes, 2) float array of [neuron index, time in ms]."""
    rows = []
    for position, train in enumerate(spiketrains):
        index = train.annotations.get("source_index", position)
        times = np.asarray(train.rescale("ms").magnitude, dtype=float)
        rows.append(np.column_stack([np.full(len(times), float(index)), times]))
    if not rows:
        return np.zeros((0, 2))
    table = np.concatenate(rows)
    return table[np.lexsort((table[:, 1], table[:, 0]))]


def convert_spikes(neo, run: int = 0) -> np.ndarray:
    """In: a Neo Block from ``get_data()`` (or a Segment) and the run (segment) number.
    Out: the spikes of that run as convert_spiketrains gives them."""
    segment = neo.segments[run] if hasattr(neo, "segments") else neo
    return convert_spiketrains(segment.spiketrains)


def count_spiketrains(spiketrains) -> int:
    """The number of spikes in a list of SpikeTrains."""
    return int(sum(len(train) for train in spiketrains))


def count_spikes(neo) -> int:
    """The number of spikes in every run of a Neo Block."""
    return int(sum(count_spiketrains(s.spiketrains) for s in neo.segments))


def convert_analog_signal(signal) -> np.ndarray:
    """In: a Neo AnalogSignal (one column per neuron, ``channel_index`` annotation as PyNN
    gives it). Out: a (n_neurons * n_samples, 3) array of [neuron index, time in ms, value]."""
    values = np.asarray(signal.magnitude, dtype=float)
    times = np.asarray(signal.times.rescale("ms").magnitude, dtype=float)
    ids = np.asarray(signal.array_annotations.get("channel_index",
                                                  np.arange(values.shape[1])), dtype=float)
    n_samples, n_neurons = values.shape
    return np.column_stack([np.repeat(ids, n_samples), np.tile(times, n_neurons),
                            values.T.reshape(-1)])


def convert_data(neo, name: str, run: int = 0) -> np.ndarray:
    """In: a Neo Block, a recorded variable ("v", "gsyn_exc", ...) and the run number.
    Out: convert_analog_signal of that variable. Raises: ValueError when it was not recorded."""
    segment = neo.segments[run]
    for signal in segment.analogsignals:
        if signal.name == name:
            return convert_analog_signal(signal)
    raise ValueError(f"convert_data: {name!r} was not recorded in run {run}; recorded: "
                     f"{', '.join(s.name for s in segment.analogsignals) or 'no signals'}.")


def convert_data_list(neo, name: str, runs=None) -> list[np.ndarray]:
    """convert_data for each run (all when runs is None)."""
    runs = range(len(neo.segments)) if runs is None else runs
    return [convert_data(neo, name, run) for run in runs]


def convert_v_list(neo, runs=None) -> list[np.ndarray]:
    """convert_data_list of "v"."""
    return convert_data_list(neo, "v", runs)


def convert_gsyn_exc_list(neo, runs=None) -> list[np.ndarray]:
    """convert_data_list of "gsyn_exc"."""
    return convert_data_list(neo, "gsyn_exc", runs)


def convert_gsyn_inh_list(neo, runs=None) -> list[np.ndarray]:
    """convert_data_list of "gsyn_inh"."""
    return convert_data_list(neo, "gsyn_inh", runs)


def convert_gsyn(gsyn_exc, gsyn_inh) -> np.ndarray:
    """In: two Neo Blocks (or AnalogSignals) of gsyn_exc and gsyn_inh of the same neurons.
    Out: rows [neuron index, time in ms, gsyn_exc, gsyn_inh]."""
    exc = convert_data(gsyn_exc, "gsyn_exc") if hasattr(gsyn_exc, "segments") \
        else convert_analog_signal(gsyn_exc)
    inh = convert_data(gsyn_inh, "gsyn_inh") if hasattr(gsyn_inh, "segments") \
        else convert_analog_signal(gsyn_inh)
    return np.column_stack([exc, inh[:, 2]])


def spinnaker_get_data(population, variable: str) -> np.ndarray:
    """sPyNNaker's ``Population.spinnaker_get_data(variable)``: the last run's recording of one
    variable as a table: spikes as [neuron index, time], others as [neuron index, time, value].
    Raises: ValueError for an analog variable that was not recorded."""
    if isinstance(variable, (list, tuple)):
        if len(variable) != 1:
            raise ValueError(f"spinnaker_get_data({variable!r}): give one variable.")
        variable = variable[0]
    block = population.get_data(variable)
    run = len(block.segments) - 1
    if variable == "spikes":
        return convert_spikes(block, run)
    return convert_data(block, variable, run)
