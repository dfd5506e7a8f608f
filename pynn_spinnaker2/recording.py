"""Recorder hooks: read the emulator's RawRecordings; PyNN's Recorder builds the Neo objects."""

from __future__ import annotations

import numpy as np
from pyNN import recording

from . import simulator
from .offgrid import exact_source_times
from .spinnaker1.conventions import recorded_name, tick_start_times


class Recorder(recording.Recorder):
    """One population's recording. ``sampling_interval`` (ms, one per population as in
    pyNN.nest) applies to its state variables; spikes are always recorded every tick."""

    _simulator = simulator

    @property
    def sample_every(self) -> int:
        """Ticks between two samples of the recorded state variables."""
        return max(1, int(round(self.sampling_interval / self._simulator.state.dt)))

    def record(self, variables, ids, sampling_interval=None, locations=None):
        """PyNN's record(); ``"all"`` means every variable the cell type can record (PyNN 0.13
        would read the string as the variables "a", "l", "l"; sPyNNaker and older PyNN
        accept it)."""
        if isinstance(variables, str) and variables == "all":
            variables = list(self.population.celltype.recordable)
        return super().record(variables, ids, sampling_interval, locations)

    def _record(self, variable, new_ids, sampling_interval=None):
        self._simulator.state.check_current(self.population.grandparent
                                            if hasattr(self.population, "grandparent")
                                            else self.population, "Population")
        if sampling_interval is not None and variable.name != "spikes":
            self.sampling_interval = self._checked_interval(sampling_interval)
        self._simulator.state.mark_changed()

    def _checked_interval(self, sampling_interval) -> float:
        """In: a sampling interval in ms. Out: it, as a float.
        Raises: ParameterRangeError unless it is a whole number (>= 1) of timesteps, as NEST's
        multimeter does."""
        dt = self._simulator.state.dt
        ticks = float(sampling_interval) / dt
        if ticks < 1 - 1e-9 or abs(ticks - round(ticks)) > 1e-9 * max(ticks, 1.0):
            from .errors import ParameterRangeError
            below = max(1, int(ticks))
            raise ParameterRangeError(
                f"Population '{self.population.label}': sampling_interval={sampling_interval} "
                f"ms is not a whole number of timesteps (dt = {dt} ms); the PE samples once "
                f"every k ticks. Use a multiple of dt, e.g. {below * dt:g} or "
                f"{(below + 1) * dt:g} ms.")
        return float(sampling_interval)

    def _data(self):
        results = self._simulator.state.results     # under MPI: every rank's, gathered
        return None if results is None else results.recordings

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
        times = tick_start_times(self.population.celltype, times, self._simulator.state.dt)
        cell_ids = index + int(self.population.first_id)
        keep = np.isin(cell_ids, ids)
        return cell_ids[keep], times[keep]

    def _get_all_signals(self, variable, ids, clear=False):
        data = self._data()
        ids = np.asarray([int(i) for i in ids], dtype=np.int64)
        if data is None:
            return np.zeros((0, len(ids))), None
        name = recorded_name(self.population.celltype, variable.name)  # sPyNNaker mode
        signal = data.signal(self.population._number, name,
                             ids - int(self.population.first_id), self.sample_every)
        return signal.astype(float), None

    def _local_count(self, variable, filter_ids=None):
        index, _ = (self._data().spikes(self.population._number) if self._data()
                    else (np.zeros(0, dtype=np.int64), None))
        counts = np.bincount(index, minlength=self.population.size)
        first = int(self.population.first_id)
        return {int(i): int(counts[int(i) - first])
                for i in self.filter_recorded(variable, filter_ids)}

    def write(self, variables, file=None, gather=False, filter_ids=None, clear=False,
              annotations=None, locations=None):
        """Write the recorded data once: every rank holds the whole network's data (under MPI
        it is gathered after each run), and rank 0 writes it, whatever ``gather`` says."""
        super().write(variables, file, True, filter_ids, clear, annotations, locations)

    def _clear_simulator(self):
        gathered = self._simulator.state.gathered
        if gathered is not None:
            gathered.clear(self.population._number)
            return
        data = self._data()
        if data is not None:
            data.clear(self.population._number)

    def _reset(self):
        # record(None): back to every timestep until record() asks otherwise, as in pyNN.nest
        self.sampling_interval = self._simulator.state.dt
        self._simulator.state.mark_changed()
