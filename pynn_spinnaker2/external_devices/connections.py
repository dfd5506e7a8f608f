"""sPyNNaker's live connections and functions over the in-process live module.

On SpiNNaker these talk UDP to the machine; here they call pynn_spinnaker2.live directly, so no
socket is opened: ``local_port`` is only a number for scripts that pass it around. Callbacks keep
sPyNNaker's signatures: init ``(label, n_neurons, run_time_ms, timestep_ms)``, start/resume and
pause/stop ``(label, connection)`` (each in its own live thread, whose sleeps follow simulated
time: see live/clock.py), receive ``(label, time, neuron_ids)`` with ``time`` in ticks (the
recorded spike time divided by the timestep).
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from typing import Callable, Iterable

import numpy as np

from .. import live, simulator
from ..errors import ConfigurationError
from ..live.clock import CLOCK
from ..live.session import SESSION

_ports = itertools.count(17_900)


def _population(label: str, purpose: str):
    """The current network's population labelled ``label``.
    Raises: ConfigurationError when there is none."""
    state = simulator.state
    for population in state.populations:
        if population.label == label:
            return population
    known = ", ".join(repr(p.label) for p in state.populations) or "none"
    raise ConfigurationError(f"No Population labelled {label!r} to {purpose} (populations: "
                             f"{known}). Fix: give the Population label={label!r}.")


class _LiveConnection:
    """What the spike and Poisson control connections share: labels and run callbacks."""

    def __init__(self, labels: Iterable[str], local_port) -> None:
        self.local_port = next(_ports) if local_port is None else local_port
        self._labels = list(labels)
        self._init = defaultdict(list)
        self._start = defaultdict(list)
        self._stop = defaultdict(list)
        self._initialised: set = set()
        SESSION.on_start.append(self._run_started)
        SESSION.on_stop.append(self._run_stopped)

    def _check_label(self, label: str, labels: list, what: str) -> None:
        if label not in labels:
            raise ConfigurationError(
                f"{type(self).__name__}: label {label!r} is not one of its {what} labels "
                f"{labels}. Fix: add it to {what}_labels=[...] when creating the connection.")

    def add_init_callback(self, label: str, init_callback: Callable) -> None:
        """``init_callback(label, n_neurons, run_time_ms, timestep_ms)`` before the first run."""
        self._init[label].append(init_callback)

    def add_start_resume_callback(self, label: str, start_resume_callback: Callable) -> None:
        """``callback(label, connection)`` in a live thread at the start of every run."""
        self._start[label].append(start_resume_callback)

    add_start_callback = add_start_resume_callback

    def add_pause_stop_callback(self, label: str, pause_stop_callback: Callable) -> None:
        """``callback(label, connection)`` in a live thread at the end of every run."""
        self._stop[label].append(pause_stop_callback)

    def close(self) -> None:
        """Nothing to close in the emulator; the callbacks stay registered."""

    def _callback_label(self, label: str) -> str:
        return label

    def _run_started(self, run_ms) -> None:
        state = simulator.state
        for label, callbacks in self._init.items():
            if (label, state.generation) in self._initialised:
                continue
            self._initialised.add((label, state.generation))
            size = _population(self._population_label(label), "initialise").size
            for callback in callbacks:
                callback(self._callback_label(label), size, run_ms, state.dt)
        for label, callbacks in self._start.items():
            for callback in callbacks:
                CLOCK.start_thread(callback, self._callback_label(label), self,
                                   name=f"start/resume {label}")

    def _run_stopped(self) -> None:
        for label, callbacks in self._stop.items():
            for callback in callbacks:
                CLOCK.start_thread(callback, self._callback_label(label), self,
                                   name=f"pause/stop {label}")

    def _population_label(self, label: str) -> str:
        return label


class SpynnakerLiveSpikesConnection(_LiveConnection):
    """Send spikes into SpikeInjector populations and receive the spikes of populations with
    live output, while the simulation runs."""

    def __init__(self, receive_labels: Iterable[str] | None = None, local_port=None,
                 send_labels: Iterable[str] | None = None, local_host=None) -> None:
        self._receive_labels = list(receive_labels or [])
        self._send_labels = list(send_labels or [])
        super().__init__(self._receive_labels + self._send_labels, local_port)
        self._receive = defaultdict(list)
        SESSION.receivers.append(self._spikes_arrived)

    def add_receive_callback(self, label: str, live_event_callback: Callable,
                             translate_key: bool = True) -> None:
        """``live_event_callback(label, time, neuron_ids)`` for each tick in which the
        population ``label`` spiked; ``time`` in ticks."""
        self._check_label(label, self._receive_labels, "receive")
        self._receive[label].append(live_event_callback)

    def send_spike(self, label: str, neuron_id: int, send_full_keys: bool = False) -> None:
        """Neuron ``neuron_id`` of the SpikeInjector ``label`` spikes in the next tick."""
        self.send_spikes(label, [neuron_id], send_full_keys)

    def send_spikes(self, label: str, neuron_ids, send_full_keys: bool = False) -> None:
        """Neurons ``neuron_ids`` of the SpikeInjector ``label`` spike in the next tick."""
        self._check_label(label, self._send_labels, "send")
        live.inject(_population(label, "send spikes to"), list(neuron_ids))

    def _run_started(self, run_ms) -> None:
        for label in self._receive:
            live.read_out(_population(label, "receive spikes from"))
        super()._run_started(run_ms)

    def _spikes_arrived(self, stamps, pops, index, by_number) -> None:
        for label, callbacks in self._receive.items():
            number = next((n for n, p in by_number.items() if p.label == label), None)
            mine = pops == number
            if number is None or not mine.any():
                continue
            times, ids = stamps[mine], index[mine]
            for t in np.unique(times):
                at = [int(i) for i in ids[times == t]]
                for callback in callbacks:
                    callback(label, int(t), at)


class SpynnakerPoissonControlConnection(_LiveConnection):
    """Change the rates of SpikeSourcePoisson populations (made controllable with
    ``add_poisson_live_rate_control``) while the simulation runs."""

    def __init__(self, poisson_labels: Iterable[str] | None = None, local_port=None,
                 control_label_extension: str = "_control", local_host=None) -> None:
        self._extension = control_label_extension
        super().__init__(list(poisson_labels or []), local_port)

    def _callback_label(self, label: str) -> str:
        return self._population_label(label) + self._extension

    def _population_label(self, label: str) -> str:
        if label.endswith(self._extension) and label not in self._labels:
            return label[:-len(self._extension)]
        return label

    def add_receive_callback(self, label: str, live_event_callback: Callable,
                             translate_key: bool = True) -> None:
        """Raises: ConfigurationError (a Poisson control connection receives nothing)."""
        raise ConfigurationError("SpynnakerPoissonControlConnection cannot receive spikes: "
                                 "use a SpynnakerLiveSpikesConnection with receive_labels.")

    def set_rate(self, label: str, neuron_id: int, rate: float) -> None:
        """The Poisson population ``label``'s neuron ``neuron_id`` fires at ``rate`` Hz from the
        next tick on (``label`` with or without the control extension)."""
        self.set_rates(label, [(neuron_id, rate)])

    def set_rates(self, label: str, neuron_id_rates) -> None:
        """Set several rates: ``neuron_id_rates`` is a list of (neuron id, rate in Hz)."""
        name = self._population_label(label)
        self._check_label(name, self._labels, "poisson")
        population = _population(name, "set rates of")
        if population not in SESSION.rate_controlled:
            raise ConfigurationError(
                f"Population {name!r} has no live rate control. Fix: call "
                f"p.external_devices.add_poisson_live_rate_control({name}_population) before "
                "running.")
        pairs = np.asarray(list(neuron_id_rates), dtype=np.float64).reshape(-1, 2)
        live.set_rates(population, pairs[:, 1], ids=pairs[:, 0].astype(np.int64))
