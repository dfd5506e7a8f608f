"""What the NEST golden generators (tests/golden/make_*_golden.py) share: NEST on the time grid
through pyNN.nest, one cell driven by SpikeSourceArray inputs with the checks every script makes,
rounding for JSON, the scenario x timestep loop, and writing the JSON file with NEST's and
PyNN's versions.

In:  scenarios as plain dicts (cell parameters, inputs: spike_times, weight, delay,
     receptor_type), timesteps, run length.
Out: records (dicts) and the golden JSON file next to the scripts.
Raises: AssertionError when NEST does not do what a golden file's meaning relies on (its model
     name, the inputs' spike times).

Settings that matter for interpreting the data (make_iaf_psc_exp_golden.py explains them):
``spike_precision="on_grid"``, so that pyNN.nest uses NEST's grid-based models; ``min_delay``
passed explicitly (default 1.0 ms), so that SpikeSourceArray inputs are not 0.9 ms late (each
source's parrot neuron is checked to emit the requested times); ``FromListConnector([(0, 0)])``
rather than ``OneToOneConnector``, which fails in PyNN 0.13 with numpy >= 2.1 for a one-cell
target.

Importing this module imports NEST; run the scripts with an interpreter that has NEST 3.10 and
PyNN 0.13, from the repository root, e.g. ``python tests/golden/make_if_curr_delta_golden.py``.
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path
from typing import Any, Callable, Iterable, NamedTuple, Sequence

import nest
import numpy as np
import pyNN
import pyNN.nest as sim

# NEST 3.10 emits deprecation UserWarnings for the GetStatus/SetStatus calls pyNN makes.
warnings.filterwarnings("ignore", category=UserWarning, module=r"nest\.")

HERE = Path(__file__).resolve().parent
DELAY = 1.0


def setup_on_grid(timestep: float, min_delay: float = DELAY, **kwargs: Any) -> None:
    """sim.setup with on-grid spikes and an explicit min_delay (module docstring)."""
    sim.setup(timestep=timestep, min_delay=min_delay, spike_precision="on_grid", **kwargs)


def connect_inputs(neuron, inputs: Sequence[dict]) -> list:
    """One recorded SpikeSourceArray per input, connected to the one-cell ``neuron``.
    Out: the source populations, in input order."""
    sources = []
    for inp in inputs:
        source = sim.Population(1, sim.SpikeSourceArray(spike_times=inp["spike_times"]))
        sim.Projection(source, neuron, sim.FromListConnector([(0, 0)]),
                       sim.StaticSynapse(weight=inp["weight"], delay=inp["delay"]),
                       receptor_type=inp["receptor_type"])
        source.record("spikes")
        sources.append(source)
    return sources


def check_inputs_sent(inputs: Sequence[dict], sources: Sequence) -> None:
    """Raises: AssertionError unless each source's parrot neuron sent the requested times."""
    for inp, source in zip(inputs, sources):
        sent = source.get_data().segments[0].spiketrains[0].rescale("ms").magnitude
        np.testing.assert_allclose(sent, inp["spike_times"], atol=1e-9)


class SingleCell(NamedTuple):
    """What run_single_cell recorded: the NEST model, the spike times (ms), each variable's
    samples (in ``units`` where given, else as recorded), each signal's t_start and sampling
    period (ms), and what the ``inspect`` hook returned."""

    nest_model: str
    spikes: np.ndarray
    signals: dict[str, np.ndarray]
    t_start: dict[str, float]
    sampling_period: dict[str, float]
    inspected: Any


def run_single_cell(make_cell: Callable[[], Any], inputs: Sequence[dict], timestep: float,
                    run_ms: float, variables: Sequence[str],
                    units: dict[str, str] | None = None, nest_model: str | None = None,
                    inspect: Callable[[Any], Any] | None = None,
                    after_run: Callable[[Any, list], None] | None = None,
                    min_delay: float = DELAY) -> SingleCell:
    """One cell (``make_cell()``, called after setup) driven by ``inputs``, recording its
    spikes and ``variables`` for ``run_ms``; then sim.end().

    inspect(neuron) runs right after the cell is made (e.g. read NEST's status); after_run(
    neuron, sources) after the run (e.g. check NEST's connections). nest_model, if given, is
    the NEST model the cell must map to.
    """
    setup_on_grid(timestep, min_delay)
    neuron = sim.Population(1, make_cell(), label="neuron")
    model = neuron.node_collection.get("model")
    if nest_model is not None:
        assert model == nest_model, model
    inspected = inspect(neuron) if inspect else None
    sources = connect_inputs(neuron, inputs)
    neuron.record(["spikes", *variables])
    sim.run(run_ms)
    if after_run:
        after_run(neuron, sources)
    check_inputs_sent(inputs, sources)
    segment = neuron.get_data().segments[0]
    spikes = segment.spiketrains[0].rescale("ms").magnitude
    signals, t_start, period = {}, {}, {}
    for name in variables:
        signal = segment.filter(name=name)[0]
        scaled = signal.rescale(units[name]) if units and name in units else signal
        signals[name] = scaled.magnitude[:, 0]
        t_start[name] = float(signal.t_start.rescale("ms").magnitude)
        period[name] = float(signal.sampling_period.rescale("ms").magnitude)
    sim.end()
    return SingleCell(model, spikes, signals, t_start, period, inspected)


def rounded(values: Iterable, digits: int = 6) -> list[float]:
    """Values as JSON floats rounded to ``digits`` decimals (spike times and v: 1e-6 ms and
    mV, far below the tests' tolerances)."""
    return [round(float(x), digits) for x in values]


def run_all(scenarios: Sequence[dict], timesteps: Sequence[float],
            run: Callable[[dict, float], dict]) -> list[dict]:
    """``run(scenario, timestep)`` for every scenario, then every timestep (the records'
    order), printing each record's spikes. Out: the records."""
    records = []
    for scenario in scenarios:
        for timestep in timesteps:
            record = run(scenario, timestep)
            print(f"{record['name']} dt={timestep}: {len(record['spike_times'])} spikes "
                  f"{record['spike_times']}")
            records.append(record)
    return records


def write_golden(path: Path, description: str, **sections: Any) -> None:
    """Write {nest_version, pynn_version, description, **sections} to ``path`` (JSON, indent 1,
    final newline)."""
    golden = {"nest_version": nest.__version__, "pynn_version": pyNN.__version__,
              "description": description, **sections}
    path.write_text(json.dumps(golden, indent=1) + "\n")
    print(f"wrote {path}")
