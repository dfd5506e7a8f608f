"""Recorder hooks: read the emulator's RawRecordings; PyNN's Recorder builds the Neo objects."""

from __future__ import annotations

import numpy as np
from pyNN import recording

from . import simulator
from .offgrid import exact_source_times


class Recorder(recording.Recorder):
    _simulator = simulator

    def _record(self, variable, new_ids, sampling_interval=None):
        if sampling_interval is not None and sampling_interval != self._simulator.state.dt:
            from .errors import NotSupportedError
            raise NotSupportedError(
                f"Population '{self.population.label}': recording with sampling_interval="
                f"{sampling_interval} is not supported yet; record every timestep.")
        self._simulator.state.mark_changed()

    def _data(self):
        emulation = self._simulator.state.emulation
        return None if emulation is None else emulation.recordings

    def _get_spiketimes(self, ids, clear=False):
        data = self._data()
        ids = np.asarray([int(i) for i in ids], dtype=np.int64)
        if data is None:
            return np.zeros(0, dtype=np.int64), np.zeros(0)
        index, times = data.spikes(self.population._number)
        if self._simulator.state.spike_precision == "off_grid" and \
                "spike_times" in self.population._parameters:
            times = exact_source_times(index, times, self.population._parameters["spike_times"],
                                       self._simulator.state.dt)
        cell_ids = index + int(self.population.first_id)
        keep = np.isin(cell_ids, ids)
        return cell_ids[keep], times[keep]

    def _get_all_signals(self, variable, ids, clear=False):
        data = self._data()
        ids = np.asarray([int(i) for i in ids], dtype=np.int64)
        if data is None:
            return np.zeros((0, len(ids))), None
        pop = self.population._number
        recorded = data.recorded_index.get((pop, variable.name), np.zeros(0, dtype=np.int64))
        columns = np.searchsorted(recorded, ids - int(self.population.first_id))
        return data.signal(pop, variable.name)[:, columns].astype(float), None

    def _local_count(self, variable, filter_ids=None):
        index, _ = (self._data().spikes(self.population._number) if self._data()
                    else (np.zeros(0, dtype=np.int64), None))
        counts = np.bincount(index, minlength=self.population.size)
        first = int(self.population.first_id)
        return {int(i): int(counts[int(i) - first])
                for i in self.filter_recorded(variable, filter_ids)}

    def _clear_simulator(self):
        data = self._data()
        if data is not None:
            data.clear(self.population._number)

    def _reset(self):
        self._simulator.state.mark_changed()
