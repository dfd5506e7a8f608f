"""The emulator-vs-reference comparison every neuron model's network test makes: after sim.run,
the emulator's spikes and recorded state equal, bit for bit, those of the project's float
reference simulator (pynn_spinnaker2.emulator.reference) run on the same mapped network.

In:  the backend module after sim.run, the run's length and timestep, the populations whose
     spikes to compare (each with the count it must exceed, so that the comparison means
     something) and the recorded variables to compare.
Out: the number of spikes compared per population label.
Raises: AssertionError naming the population or variable that differs.
"""

from __future__ import annotations

import numpy as np

from pynn_spinnaker2.emulator.reference import simulate


def emulated_spikes(pop) -> list[tuple[int, float]]:
    """(neuron index, time in ms rounded to 1e-9) of every recorded spike of a population."""
    trains = pop.get_data().segments[0].spiketrains
    return sorted((int(st.annotations["source_index"]), round(float(t), 9))
                  for st in trains for t in st.times.magnitude)


def assert_emulator_equals_reference(sim, run_ms: float, dt: float, spikes: dict,
                                     signals: dict | None = None,
                                     exact_weights: bool = True) -> dict[str, int]:
    """spikes: population -> the number of its spikes must be above this;
    signals: population -> names of recorded variables compared as float32 arrays;
    exact_weights: the network's weights are exactly representable in the synapse words
    (worst_weight_error 0), checked; False for networks whose weights are quantised."""
    mapped = sim.get_mapping()
    if exact_weights:
        assert mapped.report.worst_weight_error == 0.0
    reference = simulate(mapped.network, int(round(run_ms / dt)))
    counts = {}
    for pop, more_than in spikes.items():
        index, times = reference.spikes(pop._number)
        got = emulated_spikes(pop)
        assert got == sorted(zip(index.tolist(), np.round(times, 9).tolist())), pop.label
        assert len(got) > more_than, (pop.label, len(got))
        counts[pop.label] = len(got)
    for pop, names in (signals or {}).items():
        segment = pop.get_data().segments[0]
        for name in names:
            emulated = np.asarray(segment.filter(name=name)[0]).astype(np.float32)
            assert np.array_equal(emulated, reference.signal(pop._number, name)), \
                (pop.label, name)
    return counts
