"""Recorded data in population terms, filled by the emulator or the reference simulator.

In:  per tick, spiking (population, neuron index) pairs and samples of recorded variables.
Out: per population, spike (index, time) arrays and (n_samples, n_recorded) signal arrays.

Samples are taken at t = 0 and after every tick, so a run of n ticks has n + 1 samples, as
PyNN's recorder expects. Spikes carry the time stamp of the end of their tick.
"""

from __future__ import annotations

import numpy as np


class RawRecordings:
    """Spikes and sampled state, for every recorded (population, variable)."""

    def __init__(self, dt: float, recorded_index: dict[tuple[int, str], np.ndarray]) -> None:
        self.dt = dt
        self.recorded_index = recorded_index
        self._spikes: list[tuple[np.ndarray, np.ndarray, int]] = []
        self._samples: dict[tuple[int, str], list[np.ndarray]] = {
            k: [] for k in recorded_index if k[1] != "spikes"}
        self.samples_taken = 0        # sampling instants since the start
        self._cleared_at: dict[int, int] = {}   # population -> samples_taken at its last clear

    def add_spikes(self, pop: np.ndarray, index: np.ndarray, tick: int) -> None:
        """Spikes emitted in ``tick`` (time stamp (tick + 1) * dt)."""
        if len(pop):
            self._spikes.append((pop, index, tick))

    def add_sample(self, key: tuple[int, str], values: np.ndarray) -> None:
        self._samples[key].append(np.array(values, dtype=np.float32))

    def sampled(self) -> None:
        """One sampling instant is complete (every recorded variable has its sample)."""
        self.samples_taken += 1

    def spikes(self, pop_id: int) -> tuple[np.ndarray, np.ndarray]:
        """Out: (neuron index, spike time in ms) of a population, in time order."""
        if not self._spikes:
            return np.zeros(0, dtype=np.int64), np.zeros(0)
        pops = np.concatenate([p for p, _, _ in self._spikes])
        index = np.concatenate([i for _, i, _ in self._spikes])
        ticks = np.concatenate([np.full(len(p), t) for p, _, t in self._spikes])
        mine = pops == pop_id
        return index[mine], (ticks[mine] + 1) * self.dt

    def signal(self, pop_id: int, variable: str) -> np.ndarray:
        """Out: (n_samples, n_recorded) float32 array of a recorded variable."""
        samples = self._samples.get((pop_id, variable), [])
        n = len(self.recorded_index.get((pop_id, variable), []))
        return np.stack(samples) if samples else np.zeros((0, n), dtype=np.float32)

    def continued_as(self, recorded_index: dict[tuple[int, str], np.ndarray]) -> RawRecordings:
        """These recordings, going on with a new set of recorded neurons (a change between
        runs): samples of neurons recorded before are kept, new ones are NaN until now."""
        out = RawRecordings(self.dt, recorded_index)
        out._spikes = self._spikes
        out.samples_taken = self.samples_taken
        out._cleared_at = dict(self._cleared_at)
        for key, index in recorded_index.items():
            if key[1] == "spikes":
                continue
            old_index = self.recorded_index.get(key, np.zeros(0, dtype=np.int64))
            rows = self._samples.get(key, [])
            n_samples = self.samples_taken - self._cleared_at.get(key[0], 0)
            column = np.searchsorted(old_index, index)
            known = (column < len(old_index)) & (old_index[np.minimum(
                column, max(len(old_index) - 1, 0))] == index) if len(old_index) else \
                np.zeros(len(index), dtype=bool)
            filled = []
            for r in range(n_samples):
                row = np.full(len(index), np.nan, dtype=np.float32)
                if r < len(rows):
                    row[known] = rows[r][column[known]]
                filled.append(row)
            out._samples[key] = filled
        return out

    def clear(self, pop_id: int) -> None:
        """Forget a population's data; keep its latest sample (the state at the current time)."""
        self._spikes = [(p[p != pop_id], i[p != pop_id], t) for p, i, t in self._spikes]
        self._samples = {k: (v[-1:] if k[0] == pop_id else v) for k, v in self._samples.items()}
        self._cleared_at[pop_id] = self.samples_taken - 1
