"""Record golden reference data for PyNN's current sources from NEST via pyNN.nest.

Runs five scenarios, each at timestep 0.1 ms and 1.0 ms (ten records in all).  Every scenario
has one population of two ``sim.IF_curr_exp`` cells (NEST ``iaf_psc_exp``; tau_m=20 ms,
cm=1 nF, v_rest=v_reset=-65 mV, v_thresh=-50 mV, tau_refrac=2 ms, no synapses), runs 200 ms
and injects one current source into cell 0 only (``source.inject_into(pop[0:1])``); cell 1
is the uninjected control and stays at rest.  The script records the cells' ``v`` and spikes
and the source's current (``source.record()``, ``source.get_data()``) and writes them to
``current_sources.json`` next to this script, for comparison with pynn_spinnaker2.

Scenarios:

* ``dc``: DCSource(amplitude=0.9, start=50, stop=150).  v_inf = -65 + 0.9 * 20 = -47 mV, so
  the cell fires.
* ``step``: StepCurrentSource(times=[20, 60, 100, 140], amplitudes=[0.4, 1.2, -0.5, 0.0]).
* ``ac``: ACSource(start=30, stop=170, amplitude=0.6, offset=0.5, frequency=25, phase=90).
* ``noisy``: NoisyCurrentSource(mean=0.5, stdev=0.2, start=40, stop=160, dt=1.0).  Random, so
  only statistics of the recorded current are stored (no v, spikes or current arrays): mean and
  standard deviation (ddof 0) over the active window, whether it is piecewise constant per
  ``dt`` and the times at which it changes value.  NEST's default seed was used.
* ``dc_changed_between_runs``: DCSource(amplitude=0.3, start=20, stop=180), run 100 ms, set
  ``source.amplitude = 1.0``, run 100 ms more (one segment, 200 ms).

Every record stores the cells' ``v`` (``run_ms / timestep + 1`` samples from t=0, the first
being the initial value pyNN.nest adds; the sample at t is V_m at the end of the step ending at
t), spike times, and for the deterministic sources the ``current`` as returned by
``source.get_data()`` (an AnalogSignal in nA: ``times`` and ``values``, also
``run_ms / timestep + 1`` samples from t=0).  ``timing`` holds numbers derived from the data and
checked by this script; ``notes`` in the JSON states the timing rules they support.  The check
that matters most is ``implied_current``: on every non-refractory step, the current that takes
cell 0 from v(t) to v(t + dt) under iaf_psc_exp's exact update (v_rest + (v - v_rest) * P22 +
I * R * (1 - P22)) is computed and compared with the recorded current sample at t.

Settings that matter for interpreting the data:

* ``spike_precision="on_grid"`` (NEST's grid-based ``iaf_psc_exp``), ``min_delay=1.0``.
  pyNN.nest connects the NEST generator to the cells with delay ``min_delay`` and subtracts
  ``min_delay`` from ``start``, ``stop`` and the step ``times`` it passes to NEST, so the current
  reaches the cell at the requested times.  ``get_data()`` shifts NEST's multimeter trace of
  the generator by ``min_delay`` the same way (dropping its last ``min_delay`` of samples).
* pyNN.nest simulates one ``min_delay`` past the requested time on the first ``run()``, so a
  parameter set between runs reaches NEST when the kernel is already ``min_delay`` ahead.

How it was run (from the repository root, with PyNN 0.13.0, NEST 3.10.0, numpy 2.4)::

    /work/venv/bin/python tests/golden/make_current_sources_golden.py
"""


import numpy as np
from nest_golden_common import HERE, sim, write_golden

OUT_PATH = HERE / "current_sources.json"
TIMESTEPS = (0.1, 1.0)
RUN_MS = 200.0
MIN_DELAY = 1.0
N_CELLS = 2
CELL_PARAMS = {
    "tau_m": 20.0,
    "cm": 1.0,
    "v_rest": -65.0,
    "v_thresh": -50.0,
    "v_reset": -65.0,
    "tau_refrac": 2.0,
}
# Tolerance (nA) for the recorded current against the current implied by v.
IMPLIED_CURRENT_ATOL = 1e-7

SCENARIOS = [
    {
        "name": "dc",
        "source_type": "DCSource",
        "source_params": {"amplitude": 0.9, "start": 50.0, "stop": 150.0},
        "runs": [{"run_ms": 200.0, "set_before": {}}],
    },
    {
        "name": "step",
        "source_type": "StepCurrentSource",
        "source_params": {
            "times": [20.0, 60.0, 100.0, 140.0],
            "amplitudes": [0.4, 1.2, -0.5, 0.0],
        },
        "runs": [{"run_ms": 200.0, "set_before": {}}],
    },
    {
        "name": "ac",
        "source_type": "ACSource",
        "source_params": {
            "start": 30.0,
            "stop": 170.0,
            "amplitude": 0.6,
            "offset": 0.5,
            "frequency": 25.0,
            "phase": 90.0,
        },
        "runs": [{"run_ms": 200.0, "set_before": {}}],
    },
    {
        "name": "noisy",
        "source_type": "NoisyCurrentSource",
        "source_params": {"mean": 0.5, "stdev": 0.2, "start": 40.0, "stop": 160.0, "dt": 1.0},
        "runs": [{"run_ms": 200.0, "set_before": {}}],
    },
    {
        "name": "dc_changed_between_runs",
        "source_type": "DCSource",
        "source_params": {"amplitude": 0.3, "start": 20.0, "stop": 180.0},
        "runs": [
            {"run_ms": 100.0, "set_before": {}},
            {"run_ms": 100.0, "set_before": {"amplitude": 1.0}},
        ],
    },
]

NOTES = [
    "Times below are on pyNN's time axis.  A v sample at t is V_m at the end of the step ending "
    "at t; a recorded current sample at t (source.get_data()) is the current that drives the "
    "step from t to t + dt, i.e. it shows in v(t + dt).  This holds on every non-refractory "
    "step of every record (timing.implied_current: recorded current = current implied by "
    "v(t) -> v(t + dt), max error < 2e-13 nA), including the noisy source.",
    "Onset: the recorded current becomes nonzero at t = start and v first departs from rest at "
    "t = start + dt (dc: 50.0 -> v(50.1) at dt 0.1, v(51.0) at dt 1.0; ac: 30; noisy: 40; "
    "dc_changed_between_runs: 20).  The first step carries the full amplitude (no ramp).",
    "Offset: the last nonzero recorded current sample is at t = stop - dt, so the current "
    "drives the steps [start, stop) (exactly (stop - start) / dt steps); v(stop) is the last "
    "driven sample and v decays from v(stop + dt) on.",
    "StepCurrentSource: amplitude k applies from the step starting at times[k] (recorded "
    "current changes at t = times[k], v first shows it at times[k] + dt) until the step "
    "before times[k + 1]; zero before times[0].  pyNN.nest passes times - min_delay, rounded "
    "to the grid with np.rint(t / dt) * dt, to NEST's step_current_generator.",
    "ACSource: recorded current = offset + amplitude * sin(2 pi frequency (t - start) / 1000 "
    "+ phase * pi / 180) for start <= t < stop and 0 outside (offset included), to ~1e-14 nA; "
    "so the first driven step carries offset + amplitude * sin(phase) = 1.1 nA.  pyNN.nest "
    "rewrites NEST's phase to phase - 360 * frequency * (start - min_delay) / 1000.",
    "NoisyCurrentSource: piecewise constant over intervals of its dt (1.0 ms) starting at start; "
    "the recorded current changes value at 40, 41, ..., 159 and drops to 0 at stop = 160 (at "
    "simulation dt 0.1 each value lasts 10 steps, at dt 1.0 one step).",
    "Recorded current shift: NEST's raw multimeter trace of the generator is min_delay (1 ms) "
    "earlier than the effect on the cell, because pyNN.nest gives NEST start - min_delay etc. "
    "and connects generator -> cell with delay min_delay.  source.get_data() undoes this: it "
    "prepends 0 at t=0, shifts the samples by min_delay / dt and drops the last min_delay of "
    "samples, so on its time axis the current starts at start and is NOT shifted relative to "
    "the requested times (it is aligned as stated in the first note).",
    "Parameter change between runs (dc_changed_between_runs): source.amplitude = 1.0 set after "
    "run(100) does not take effect at 100.  The recorded current and v show the new amplitude "
    "from t = 100 + 2 * min_delay + dt (102.1, first seen in v(102.2), at dt 0.1; 103.0, first "
    "in v(104.0), at dt 1.0): one min_delay for the generator -> cell delay, which pyNN.nest "
    "does not compensate for a changed amplitude, one min_delay because pyNN.nest's first run() "
    "simulates min_delay past the requested time, and one step.",
    "pyNN.nest reads current source parameters back from NEST without undoing its corrections: "
    "after DCSource(start=50, stop=150) source.start is 49 and source.stop 149, "
    "StepCurrentSource.times are [19, 59, 99, 139] and ACSource.phase is -171 (lazy arrays, "
    "not floats).",
    "The control cell (cell 1, no current) stays at -65 mV with no spikes in every record.",
]


def make_source(scenario):
    return getattr(sim, scenario["source_type"])(**scenario["source_params"])


def implied_current(v, spikes, timestep):
    """Current (nA) taking v from each sample to the next, and a mask of the usable steps.

    Uses iaf_psc_exp's exact propagator with no synaptic current.  A step is unusable if it
    ends in a spike or in the refractory period after one (v clamped at v_reset).
    """
    p22 = np.exp(-timestep / CELL_PARAMS["tau_m"])
    r = CELL_PARAMS["tau_m"] / CELL_PARAMS["cm"]
    v_rest = CELL_PARAMS["v_rest"]
    current = ((v[1:] - v_rest) - (v[:-1] - v_rest) * p22) / (r * (1.0 - p22))
    step_end = timestep * np.arange(1, v.size)
    usable = np.ones(v.size - 1, dtype=bool)
    for ts in spikes:
        clamped = (step_end >= ts - 1e-9) & (step_end <= ts + CELL_PARAMS["tau_refrac"] + 1e-9)
        np.testing.assert_allclose(v[1:][clamped], CELL_PARAMS["v_reset"], atol=1e-9)
        usable &= ~clamped
    return current, usable


def change_times(times, values):
    """Times of the samples whose value differs from the previous sample."""
    return [round(float(t), 6) for t in times[1:][np.diff(values) != 0]]


def run_scenario(scenario, timestep):
    """Run one scenario at one timestep and return its JSON record."""
    sim.setup(timestep=timestep, min_delay=MIN_DELAY, spike_precision="on_grid")
    pop = sim.Population(N_CELLS, sim.IF_curr_exp(**CELL_PARAMS), label="cells")
    nest_model = pop.node_collection.get("model")[0]
    assert nest_model == "iaf_psc_exp", nest_model
    source = make_source(scenario)
    nest_device = source._device.get("model")
    source.inject_into(pop[0:1])
    source.record()
    pop.record(["v", "spikes"])
    for run in scenario["runs"]:
        for name, value in run["set_before"].items():
            setattr(source, name, value)
        sim.run(run["run_ms"])

    segment = pop.get_data().segments[0]
    spikes = [st.rescale("ms").magnitude for st in segment.spiketrains]
    signal = segment.filter(name="v")[0]
    v = signal.rescale("mV").magnitude.T
    v_t_start = float(signal.t_start.rescale("ms").magnitude)
    v_period = float(signal.sampling_period.rescale("ms").magnitude)
    i_signal = source.get_data()
    i_signal_type = type(i_signal).__name__
    i_times = i_signal.times.rescale("ms").magnitude
    i_values = i_signal.rescale("nA").magnitude[:, 0]
    sim.end()

    run_ms = sum(run["run_ms"] for run in scenario["runs"])
    n_samples = int(round(run_ms / timestep)) + 1
    assert v.shape == (N_CELLS, n_samples), v.shape
    assert i_values.shape == (n_samples,), i_values.shape
    np.testing.assert_allclose(i_times, timestep * np.arange(n_samples), atol=1e-9)
    # The control cell is untouched.
    assert np.all(v[1] == CELL_PARAMS["v_rest"]) and spikes[1].size == 0

    # The recorded current at t drives the step from t to t + dt.
    implied, usable = implied_current(v[0], spikes[0], timestep)
    err = np.abs(implied - i_values[:-1])[usable]
    assert err.max() < IMPLIED_CURRENT_ATOL, err.max()

    departed = np.nonzero(np.abs(v[0] - v[1]) > 1e-9)[0]
    nonzero = np.nonzero(i_values)[0]
    timing = {
        "current_first_nonzero_t": round(float(i_times[nonzero[0]]), 6),
        "current_last_nonzero_t": round(float(i_times[nonzero[-1]]), 6),
        "v_first_departs_t": round(float(i_times[departed[0]]), 6),
        "implied_current": {
            "n_steps_checked": int(usable.sum()),
            "n_steps_refractory": int((~usable).sum()),
            "max_abs_error_nA": float(err.max()),
        },
    }
    if scenario["source_type"] != "ACSource":
        timing["current_change_times"] = change_times(i_times, i_values)

    record = {
        "name": scenario["name"],
        "timestep": timestep,
        "run_ms": run_ms,
        "runs": scenario["runs"],
        "nest_model": nest_model,
        "nest_device": nest_device,
        "cell_params": CELL_PARAMS,
        "n_cells": N_CELLS,
        "injected_into": [0],
        "source_type": scenario["source_type"],
        "source_params": scenario["source_params"],
        "timing": timing,
    }
    if scenario["source_type"] == "NoisyCurrentSource":
        params = scenario["source_params"]
        active = (i_times >= params["start"] - 1e-9) & (i_times < params["stop"] - 1e-9)
        window = i_values[active]
        interval_steps = int(round(params["dt"] / timestep))
        pieces = window.reshape(-1, interval_steps)
        record["current_stats"] = {
            "window": [params["start"], params["stop"]],
            "n_samples": int(window.size),
            "n_intervals": int(pieces.shape[0]),
            "mean_nA": float(window.mean()),
            "std_nA": float(window.std()),
            "piecewise_constant_per_dt": bool(np.all(pieces == pieces[:, :1])),
            "all_intervals_differ_from_previous": bool(np.all(np.diff(pieces[:, 0]) != 0)),
            "zero_outside_window": bool(np.all(i_values[~active] == 0.0)),
            "change_times": timing["current_change_times"],
        }
        return record, (i_times, i_values)

    record.update(
        {
            "spike_times": [[round(float(t), 6) for t in st] for st in spikes],
            "v": [[round(float(x), 6) for x in row] for row in v],
            "v_t_start": round(v_t_start, 6),
            "v_sampling_period": round(v_period, 6),
            "v_n_samples": n_samples,
            "current": {
                "signal_type": i_signal_type,
                "units": "nA",
                "times": [round(float(t), 6) for t in i_times],
                "values": [round(float(x), 12) for x in i_values],
            },
        }
    )
    return record, (i_times, i_values, v)


def show(record, data, times):
    """Print the samples around the given times (for checking the notes by eye)."""
    i_times, i_values = data[:2]
    dt = record["timestep"]
    for t in times:
        k = int(round(t / dt))
        sl = slice(max(k - 1, 0), k + 3)
        line = f"  t={i_times[sl].round(6).tolist()} I={i_values[sl].round(5).tolist()}"
        if len(data) == 3:
            line += f" v0={data[2][0][sl].round(5).tolist()}"
        print(line)


def main():
    records = []
    for scenario in SCENARIOS:
        for timestep in TIMESTEPS:
            record, data = run_scenario(scenario, timestep)
            timing = record["timing"]
            print(
                f"{record['name']} dt={timestep}: current nonzero "
                f"{timing['current_first_nonzero_t']}..{timing['current_last_nonzero_t']}, "
                f"v departs at {timing['v_first_departs_t']}, implied-current error "
                f"{timing['implied_current']['max_abs_error_nA']:.2e} nA over "
                f"{timing['implied_current']['n_steps_checked']} steps"
            )
            params = scenario["source_params"]
            if "start" in params:
                show(record, data, [params["start"], params["stop"]])
            if scenario["source_type"] == "StepCurrentSource":
                show(record, data, params["times"])
                print(f"  change times {timing['current_change_times']}")
            if scenario["name"] == "dc_changed_between_runs":
                show(record, data, [100.0, 101.0, 102.0, 103.0])
                print(f"  change times {timing['current_change_times']}")
            if scenario["source_type"] == "ACSource":
                i_times, i_values = data[:2]
                on = (i_times >= params["start"] - 1e-9) & (i_times < params["stop"] - 1e-9)
                expected = params["offset"] + params["amplitude"] * np.sin(
                    2 * np.pi * params["frequency"] * (i_times - params["start"]) / 1000.0
                    + np.deg2rad(params["phase"])
                )
                ac_err = np.abs(np.where(on, expected, 0.0) - i_values).max()
                print(f"  max |I - offset - amplitude sin(...)| = {ac_err:.2e} nA")
                assert ac_err < 1e-9
                record["timing"]["formula_max_abs_error_nA"] = float(ac_err)
            if "current_stats" in record:
                stats = {k: v for k, v in record["current_stats"].items() if k != "change_times"}
                print(f"  {stats}")
            if "spike_times" in record:
                print(f"  spikes cell 0: {record['spike_times'][0]}")
            records.append(record)
    write_golden(OUT_PATH, (
        "Current sources (DCSource, StepCurrentSource, ACSource, NoisyCurrentSource, and a "
        "DCSource whose amplitude is changed between runs) injected into cell 0 of a "
        "population of two pyNN IF_curr_exp cells (NEST iaf_psc_exp, on-grid spike "
        "precision, min_delay 1.0 ms; cell 1 is an uninjected control), recorded through "
        "pyNN.nest at timesteps 0.1 and 1.0 ms for 200 ms: v and spikes of both cells and "
        "the source's current from source.get_data() (statistics only for the noisy "
        "source)."
    ), notes=NOTES, scenarios=records)


if __name__ == "__main__":
    main()
