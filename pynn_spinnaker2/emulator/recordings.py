"""Recorded data in population terms, filled by the emulator or the reference simulator.

In:  per tick, spiking (population, neuron index) pairs and samples of recorded variables.
Out: per population, spike (index, time) arrays and (n_samples, n_recorded) signal arrays.

A recorded variable sampled every k ticks (PyNN's sampling_interval / dt) has samples at the
ticks that are multiples of k, t = 0 included, so a run of n ticks from t = 0 has n // k + 1,
as pyNN.nest gives. After a clear at tick c, a population's signals start with the state at c
and go on at c + k, c + 2k, ..., so that PyNN's t_start (the clear time) + j * k * dt is the
time of sample j. Spikes carry the time stamp of the end of their tick.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable, Sequence

import numpy as np

if TYPE_CHECKING:
    from ..compiled.program import PEProgram

Key = tuple[int, str]


class RawRecordings:
    """Spikes and sampled state, for every recorded (population, variable)."""

    def __init__(self, dt: float, recorded_index: dict[Key, np.ndarray],
                 every: dict[Key, int] | None = None) -> None:
        """every: ticks between samples per (population, variable); 1 when not given."""
        self.dt = dt
        self.recorded_index = recorded_index
        self.every = {k: int((every or {}).get(k, 1)) for k in recorded_index
                      if k[1] != "spikes"}
        self._spikes: list[tuple[np.ndarray, np.ndarray, int]] = []
        self._samples: dict[Key, list[np.ndarray]] = {k: [] for k in self.every}
        self.tick = 0                           # the latest sampling instant
        self._cleared_at: dict[int, int] = {}   # population -> tick of its last clear
        self._read: Callable[[Key], np.ndarray] | None = None
        # merged recordings (``merged``): per key, the order of the concatenated parts' columns
        self._columns: dict[Key, np.ndarray] = {}

    def add_spikes(self, pop: np.ndarray, index: np.ndarray, tick: int) -> None:
        """Spikes emitted in ``tick`` (time stamp (tick + 1) * dt)."""
        if len(pop):
            self._spikes.append((pop, index, tick))

    def add_sample(self, key: Key, values: np.ndarray) -> None:
        self._samples[key].append(np.array(values, dtype=np.float32))

    def sample(self, tick: int, read: Callable[[Key], np.ndarray]) -> None:
        """The state at the end of ``tick`` ticks: a sample of every variable due then, read
        with ``read(key)`` (kept, to read the state at a clear)."""
        for key, every in self.every.items():
            if (tick - self._cleared_at.get(key[0], 0)) % every == 0:
                self.add_sample(key, read(key))
        self.tick, self._read = tick, read

    def spikes(self, pop_id: int) -> tuple[np.ndarray, np.ndarray]:
        """Out: (neuron index, spike time in ms) of a population, in time order."""
        if not self._spikes:
            return np.zeros(0, dtype=np.int64), np.zeros(0)
        pops = np.concatenate([p for p, _, _ in self._spikes])
        index = np.concatenate([i for _, i, _ in self._spikes])
        ticks = np.concatenate([np.full(len(p), t) for p, _, t in self._spikes])
        mine = pops == pop_id
        return index[mine], (ticks[mine] + 1) * self.dt

    def signal(self, pop_id: int, variable: str, index: np.ndarray | None = None,
               every: int = 1) -> np.ndarray:
        """Out: (n_samples, n) float32 array of a recorded variable: of all its recorded neurons,
        or of the neurons ``index`` (sorted), NaN for those without samples (recorded since the
        last run). A variable not sampled yet has NaN at the instants of a grid of ``every``."""
        key = (pop_id, variable)
        recorded = self.recorded_index.get(key, np.zeros(0, dtype=np.int64))
        rows = self._samples.get(key, [])
        data = np.stack(rows) if rows else np.full(
            (0 if key in self.every else len(self._grid(key, every)), len(recorded)), np.nan,
            dtype=np.float32)
        if index is None:
            return data
        column = np.minimum(np.searchsorted(recorded, index), max(len(recorded) - 1, 0))
        known = (recorded[column] == index) if len(recorded) else np.zeros(len(index), bool)
        out = np.full((len(data), len(index)), np.nan, dtype=np.float32)
        out[:, known] = data[:, column[known]]
        return out

    def _grid(self, key: Key, every: int) -> np.ndarray:
        """Ticks a variable sampled every ``every`` ticks has samples at, up to now."""
        return np.arange(self._cleared_at.get(key[0], 0), self.tick + 1, every)

    def continued_as(self, recorded_index: dict[Key, np.ndarray],
                     every: dict[Key, int] | None = None,
                     read: Callable[[Key], np.ndarray] | None = None) -> RawRecordings:
        """These recordings, going on with a new set of recorded neurons or sampling intervals
        (a change between runs; ``read`` reads the new emulation's state): the samples of
        neurons recorded before, at instants that are on the new sampling grid, are kept;
        other entries until now are NaN."""
        out = RawRecordings(self.dt, recorded_index, every)
        out._spikes = self._spikes
        out.tick, out._read = self.tick, read
        out._cleared_at = dict(self._cleared_at)
        for key, index in recorded_index.items():
            if key[1] == "spikes":
                continue
            new_ticks = out._grid(key, out.every[key])
            old = np.stack(self._samples[key]) if self._samples.get(key) else \
                np.zeros((0, 0), dtype=np.float32)
            old_index = self.recorded_index.get(key, np.zeros(0, dtype=np.int64))
            filled = np.full((len(new_ticks), len(index)), np.nan, dtype=np.float32)
            if len(old) and len(old_index):
                old_ticks = self._grid(key, self.every[key])
                row = np.searchsorted(old_ticks, new_ticks)
                row_ok = row < len(old_ticks)
                row_ok[row_ok] = old_ticks[row[row_ok]] == new_ticks[row_ok]
                column = np.minimum(np.searchsorted(old_index, index), len(old_index) - 1)
                col_ok = old_index[column] == index
                filled[np.ix_(row_ok, col_ok)] = old[np.ix_(row[row_ok], column[col_ok])]
            out._samples[key] = list(filled)
        return out

    def portable(self, since: tuple[int, dict[Key, int]] | None = None) -> RawRecordings:
        """These recordings without their state reader (so that they can be pickled and sent
        to another process); with ``since`` (an earlier ``extent()``), only the spike entries
        and samples added after it. The data are shared, not copied."""
        spikes_from, rows_from = since if since is not None else (0, {})
        out = RawRecordings(self.dt, self.recorded_index, self.every)
        out._spikes = self._spikes[spikes_from:]
        out._samples = {key: rows[rows_from.get(key, 0):] for key, rows in self._samples.items()}
        out._cleared_at, out.tick = self._cleared_at, self.tick
        return out

    def extent(self) -> tuple[int, dict[Key, int]]:
        """How many spike entries and samples per key there are (for ``portable(since)``)."""
        return len(self._spikes), {key: len(rows) for key, rows in self._samples.items()}

    @classmethod
    def merged(cls, parts: list[RawRecordings]) -> RawRecordings:
        """The recordings of several processes that each emulated different neurons, as one
        (without a state reader: a clear() between samples keeps the last sample as the first
        of what follows). Spikes are ordered by tick, samples' columns by neuron index."""
        recorded: dict[Key, list[np.ndarray]] = {}
        every: dict[Key, int] = {}
        for part in parts:
            for key, index in part.recorded_index.items():
                recorded.setdefault(key, []).append(index)
            every.update(part.every)
        order = {key: np.argsort(np.concatenate(v), kind="stable") for key, v in recorded.items()}
        out = cls(parts[0].dt, {key: np.concatenate(v)[order[key]]
                                for key, v in recorded.items()}, every)
        out._columns = order
        out.extend_merged(parts)
        return out

    def extend_merged(self, parts: list[RawRecordings]) -> None:
        """Append what the processes recorded since they were last merged into these (made by
        ``merged``): ``parts`` are their ``portable(since)`` of the same recorded neurons."""
        self._spikes = self._spikes + sorted((entry for part in parts for entry in part._spikes),
                                             key=lambda entry: entry[2])   # stable: by tick
        for key in self.every:
            rows = [part._samples[key] for part in parts if key in part.recorded_index]
            if rows and len(rows[0]):
                self._samples[key] = self._samples[key] + [
                    np.concatenate(row)[self._columns[key]] for row in zip(*rows)]
        self._cleared_at, self.tick = dict(parts[0]._cleared_at), parts[0].tick

    def clear(self, pop_id: int) -> None:
        """Forget a population's data but the state at the current time, the first sample of
        what follows."""
        self._spikes = [(p[p != pop_id], i[p != pop_id], t) for p, i, t in self._spikes]
        for key, rows in self._samples.items():
            if key[0] == pop_id:
                due = (self.tick - self._cleared_at.get(pop_id, 0)) % self.every[key] == 0
                self._samples[key] = (rows[-1:] if due or self._read is None
                                      else [np.array(self._read(key), dtype=np.float32)])
        self._cleared_at[pop_id] = self.tick


class RecordingLayout:
    """Where the emulator finds what each PE records, in its own neuron numbering (gid).

    In:  the PE programs; per program its first gid; per gid its population and index; per
         model the first gid of its neuron block; the recorded folded Poisson sources.
    Out: ``spikes`` (bool per gid), ``positions`` ((population, variable) -> (model, positions
         in the model's block, in index order)), ``every`` (its ticks between samples) and
         ``index`` ((population, variable) -> sorted recorded neuron indices).
    """

    def __init__(self, programs: Sequence[PEProgram], gid_offset: np.ndarray, gid_pop: np.ndarray,
                 gid_index: np.ndarray, model_start: dict[str, int],
                 folded_sources: dict[int, np.ndarray]) -> None:
        self.spikes = np.zeros(len(gid_pop), dtype=bool)
        self.every: dict[Key, int] = {}
        parts: dict[Key, list[tuple[str, np.ndarray, np.ndarray]]] = {}
        for i, p in enumerate(programs):
            base = gid_offset[i]
            for var, mask in p.recorded.items():
                local = np.flatnonzero(mask)
                if var == "spikes":
                    self.spikes[base + local] = True
                    continue
                pop = int(gid_pop[base]) if p.n_neurons else -1
                parts.setdefault((pop, var), []).append(
                    (p.model, base + local - model_start[p.model], gid_index[base + local]))
                self.every[(pop, var)] = p.sample_every
        self.positions: dict[Key, tuple[str, np.ndarray]] = {}
        self.index: dict[Key, np.ndarray] = {}
        for key, found in parts.items():
            index = np.concatenate([x[2] for x in found])
            order = np.argsort(index)
            self.positions[key] = (found[0][0], np.concatenate([x[1] for x in found])[order])
            self.index[key] = index[order]
        for pop in np.unique(gid_pop[self.spikes]):
            self.index[(int(pop), "spikes")] = gid_index[self.spikes & (gid_pop == pop)]
        for pop, index in folded_sources.items():
            self.index[(pop, "spikes")] = index
