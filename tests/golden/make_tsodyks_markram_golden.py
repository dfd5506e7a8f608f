"""Record golden reference data for PyNN's TsodyksMarkramSynapse from NEST via pyNN.nest.

Runs two scenarios (input spike trains), each at timestep 0.1 ms and 1.0 ms (four records in
all), 1000 ms per run.  Every record has one ``sim.SpikeSourceArray`` cell and one population
of three ``sim.IF_curr_exp(tau_syn_E=5.0, tau_syn_I=5.0, v_thresh=1000.0)`` cells (NEST
``iaf_psc_exp``; the threshold is never reached, so ``v`` is a clean, linear PSP trace), and
three excitatory projections from the source, each ``FromListConnector([(0, i)])`` onto one
post cell ``i``, with delay 1.0 ms:

* cell 0, ``depressing``: ``TsodyksMarkramSynapse(weight=1.0, U=0.5, tau_rec=100.0,
  tau_facil=0.0)``
* cell 1, ``facilitating``: ``TsodyksMarkramSynapse(weight=1.0, U=0.1, tau_rec=50.0,
  tau_facil=500.0)``
* cell 2, ``static``: ``StaticSynapse(weight=1.0)`` (control)

Scenarios (source spike times, ms):

* ``regular_20hz``: 10, 60, ..., 460 (every 50 ms up to 500 ms), then a recovery spike at 900.
* ``burst``: 50, 55, ..., 85 (eight spikes at 200 Hz), then 400.

Every record stores ``v`` of the three post cells (``run_ms / timestep + 1`` samples from t=0,
the first being the initial value pyNN.nest adds; the sample at t is V_m at the end of the step
ending at t), ``projection.get(...)`` for each projection (the attributes pyNN.nest supports),
the NEST connection status after the run, and, per post cell and input spike, the jump of the
synaptic current (nA) at the spike's arrival, i.e. the effective weight ``w * u * x`` that the
synapse delivered.  The jumps are measured in two independent ways and both are checked against
a Python transcription of NEST's ``tsodyks_synapse`` update (relative error < 1e-6, asserted):

* from ``I_syn_ex``, recorded by a native NEST multimeter attached to the post cells (pyNN.nest
  refuses ``record("isyn_exc")`` for IF_curr_exp: its ``recordable`` is only spikes and v);
  jump at sample k = I[k] - exp(-dt / tau_syn_E) * I[k - 1];
* from ``v`` alone, by inverting iaf_psc_exp's exact update v_rel[k + 1] = P22 * v_rel[k] +
  P21 * I[k] for the current I[k] and then taking the same jump.

``notes`` in the JSON states the model, its parameters and the per-spike formula.

Settings that matter for interpreting the data:

* ``spike_precision="on_grid"`` (NEST's grid-based ``iaf_psc_exp``) and ``min_delay=1.0``
  (see make_iaf_psc_exp_golden.py for why min_delay must be explicit).  The script records the
  source's spikes and checks that they leave at the requested times.
* One 3-cell post population with a FromListConnector per projection: PyNN 0.13's generic
  connectors fail with numpy >= 2.1 on one-cell targets.

How it was run (from the repository root, with PyNN 0.13.0, NEST 3.10.0, numpy 2.4)::

    /work/venv/bin/python tests/golden/make_tsodyks_markram_golden.py
"""

import math

import nest
import numpy as np
from nest_golden_common import HERE, sim, write_golden

OUT_PATH = HERE / "tsodyks_markram.json"
TIMESTEPS = (0.1, 1.0)
RUN_MS = 1000.0
DELAY = 1.0
RTOL = 1e-6
CELL_PARAMS = {"tau_syn_E": 5.0, "tau_syn_I": 5.0, "v_thresh": 1000.0}

SYNAPSES = [
    {
        "name": "depressing",
        "synapse_type": "TsodyksMarkramSynapse",
        "params": {"weight": 1.0, "delay": DELAY, "U": 0.5, "tau_rec": 100.0, "tau_facil": 0.0},
    },
    {
        "name": "facilitating",
        "synapse_type": "TsodyksMarkramSynapse",
        "params": {"weight": 1.0, "delay": DELAY, "U": 0.1, "tau_rec": 50.0, "tau_facil": 500.0},
    },
    {
        "name": "static",
        "synapse_type": "StaticSynapse",
        "params": {"weight": 1.0, "delay": DELAY},
    },
]

SCENARIOS = [
    {
        "name": "regular_20hz",
        "spike_times": [float(t) for t in range(10, 501, 50)] + [900.0],
    },
    {
        "name": "burst",
        "spike_times": [float(t) for t in range(50, 86, 5)] + [400.0],
    },
]

# Attributes tried one by one with Projection.get; those that work are stored.
GET_CANDIDATES = ["weight", "delay", "U", "tau_rec", "tau_facil", "u", "x", "y", "tau_psc"]
# NEST connection status entries stored after the run.
NEST_STATUS_KEYS = [
    "synapse_model",
    "weight",
    "delay",
    "U",
    "tau_psc",
    "tau_rec",
    "tau_fac",
    "u",
    "x",
    "y",
]

NOTES = [
    "NEST synapse model: pyNN.nest maps TsodyksMarkramSynapse to NEST's tsodyks_synapse "
    "(connections show synapse_model 'tsodyks_synapse_lbl', the labelled variant), with "
    "weight (nA) -> weight * 1000 (pA), U -> U, tau_rec -> tau_rec, tau_facil -> tau_fac.  "
    "StaticSynapse maps to static_synapse.  NEST 3.10 defaults of tsodyks_synapse: U=0.5, "
    "tau_psc=3.0, tau_rec=800.0, tau_fac=0.0, u=0.0, x=1.0, y=0.0, weight=1.0.",
    "tau_psc: tsodyks_synapse has its own time constant tau_psc for the 'active' resource y.  "
    "pyNN.nest sets it per connection, at connect time, to the post cell's tau_syn_E (NEST "
    "tau_syn_ex) for receptor_type 'excitatory' or tau_syn_I for 'inhibitory', read from NEST "
    "(pyNN/nest/projections.py); here tau_psc = 5.0 on every Tsodyks-Markram connection.  It "
    "is not a PyNN parameter and does not follow later changes: after post.set(tau_syn_E=2.0) "
    "the connection still has tau_psc 5.0 (checked by hand, not by this script).",
    "Initial state: NEST starts each connection with u=0, x=1, y=0 (so z = 1 - x - y = 0) and "
    "t_lastspike=0.  PyNN's TsodyksMarkramSynapse.default_initial_values is {'u': 0.0}; "
    "pyNN.nest does not push it to NEST (only Projection.initialize(u=...) does, via SetStatus), "
    "but NEST's default is the same.  u is the release probability as left by the previous "
    "spike (after its increment), so u=0 means 'no facilitation yet': the first spike uses "
    "u = U and x = 1, i.e. delivers weight * U.",
    "Per-spike update (NEST tsodyks_synapse::send, three-state model of Tsodyks, Uziel & "
    "Markram 2000, solved exactly between spikes): with h = t_spike - t_lastspike (spike "
    "times at the source; the delay does not enter), Puu = exp(-h / tau_fac) (0 if "
    "tau_fac == 0), Pyy = exp(-h / tau_psc), Pzz = expm1(-h / tau_rec), Pxy = (Pzz * tau_rec - "
    "(Pyy - 1) * tau_psc) / (tau_psc - tau_rec), z = 1 - x - y; then u *= Puu; x += Pxy * y - "
    "Pzz * z; y *= Pyy; u += U * (1 - u); delivered weight = weight * u * x; then x -= u * x "
    "and y += u * x (same u * x); t_lastspike = t_spike.  Between spikes y decays to z with "
    "tau_psc and z recovers to x with tau_rec, so recovery of x depends on tau_psc: it is NOT "
    "the two-state recursion x <- 1 - (1 - x + u x) exp(-h / tau_rec) of tsodyks2_synapse.",
    "Facilitation: u decays towards 0 (not towards U) with tau_fac and jumps by U * (1 - u) "
    "before each release.  With tau_fac = 0, u = U at every spike.",
    "Measured jumps: the delivered weight (nA) arrives after the delay and is added to the "
    "post cell's I_syn_ex in the step ending at t_spike + delay: the jump shows in the "
    "I_syn_ex sample at t_spike + delay (11.0 for a spike at 10.0, at both timesteps) and v "
    "first responds at t_spike + delay + dt.  'jumps_from_isyn' = I[k] - exp(-dt / tau_syn_E) "
    "* I[k - 1] from a native NEST multimeter on I_syn_ex; 'jumps_from_v' = the same from the "
    "current implied by v, I[k] = (v_rel[k + 1] - P22 v_rel[k]) / P21 with v_rel = v - v_rest, "
    "P22 = exp(-dt / tau_m), P21 = tau_s tau_m / (cm (tau_m - tau_s)) (expm1(-dt / tau_m) - "
    "expm1(-dt / tau_s)).  Both equal 'jumps_expected' (the formula above) to < 1e-6 relative "
    "(the script asserts it; measured maxima are in each record's 'max_rel_error'), and are "
    "zero (< 1e-9 nA) on every other step.",
    "The delivered weights are the same at dt 0.1 and 1.0: the synapse state is updated only "
    "at spikes, with exact propagators over the (on-grid) inter-spike intervals.",
    "Projection.get works for weight, delay, U, tau_rec and tau_facil of a "
    "TsodyksMarkramSynapse projection (weight, delay for StaticSynapse); u, x, y and tau_psc "
    "raise KeyError, so they are stored from nest.GetStatus of the connection ('nest_status', "
    "NEST units: weight in pA).  NEST's u, x, y after the run are the values left by the last "
    "spike (they are not propagated to the end of the run).",
    "Per Tsodyks-Markram cell, 'u_at_spike' and 'x_at_spike' are the model's u (after the "
    "increment) and x (before the release) used for each spike, so jumps_expected = weight * "
    "u_at_spike * x_at_spike.  'jumps_two_state_model' is, for comparison only, what NEST's "
    "tsodyks2_synapse recursion (x <- 1 + (x - u x - 1) exp(-h / tau_rec), u <- U + u (1 - U) "
    "exp(-h / tau_fac), first spike u = U, x = 1) would deliver with the same parameters: it is "
    "larger by up to 2.7 % (regular_20hz) and 14 % (burst), because it ignores the tau_psc "
    "stage; it is not what pyNN.nest simulates.",
    "The static control (cell 2) receives exactly weight = 1.0 nA per spike.  No post cell "
    "fires (v_thresh = 1000 mV).",
]


def tsodyks_jumps(spike_times, weight, U, tau_rec, tau_fac, tau_psc, u=0.0, x=1.0, y=0.0):
    """Delivered weight per spike, transcribed from NEST 3.10's tsodyks_synapse::send.

    Returns the lists (jump, u, x) where u and x are the values used for each spike's release
    (u after its increment, x before the release).
    """
    jumps, us, xs = [], [], []
    t_last = 0.0
    for t in spike_times:
        h = t - t_last
        p_uu = 0.0 if tau_fac == 0.0 else math.exp(-h / tau_fac)
        p_yy = math.exp(-h / tau_psc)
        p_zz = math.expm1(-h / tau_rec)
        p_xy = (p_zz * tau_rec - (p_yy - 1.0) * tau_psc) / (tau_psc - tau_rec)
        z = 1.0 - x - y
        u *= p_uu
        x += p_xy * y - p_zz * z
        y *= p_yy
        u += U * (1.0 - u)
        delta = u * x
        jumps.append(weight * delta)
        us.append(u)
        xs.append(x)
        x -= delta
        y += delta
        t_last = t
    return jumps, us, xs


def two_state_jumps(spike_times, weight, U, tau_rec, tau_fac):
    """Delivered weight per spike of the two-state model (tsodyks2_synapse), for comparison."""
    jumps = []
    u, x, t_last = U, 1.0, None
    for t in spike_times:
        if t_last is not None:
            h = t - t_last
            x = 1.0 + (x - u * x - 1.0) * math.exp(-h / tau_rec)
            u = U + u * (1.0 - U) * (0.0 if tau_fac == 0.0 else math.exp(-h / tau_fac))
        jumps.append(weight * u * x)
        t_last = t
    return jumps


def jumps_from_current(current, timestep, tau_syn):
    """Input added to an exponentially decaying current in each step (index k: step ending
    at sample k)."""
    current = np.asarray(current, dtype=float)
    previous = np.concatenate([[0.0], current[:-1]])
    return current - math.exp(-timestep / tau_syn) * previous


def current_from_v(v, timestep, cell):
    """Synaptic current I[k] (nA) implied by v[k] -> v[k + 1] under iaf_psc_exp's update."""
    tau_m, tau_s, cm = cell["tau_m"], cell["tau_syn_E"], cell["cm"]
    v_rel = np.asarray(v, dtype=float) - cell["v_rest"]
    p22 = math.exp(-timestep / tau_m)
    p21 = (
        tau_s
        * tau_m
        / (cm * (tau_m - tau_s))
        * (math.expm1(-timestep / tau_m) - math.expm1(-timestep / tau_s))
    )
    return (v_rel[1:] - p22 * v_rel[:-1]) / p21


def jumps_at(all_jumps, arrival_indices, label):
    """Pick the jumps at the arrival samples and check that all other steps carry none."""
    mask = np.ones(all_jumps.size, dtype=bool)
    mask[arrival_indices] = False
    stray = np.max(np.abs(all_jumps[mask]))
    assert stray < 1e-9, f"{label}: input of {stray} nA off the arrival steps"
    return all_jumps[arrival_indices]


def max_rel_error(measured, expected):
    measured, expected = np.asarray(measured), np.asarray(expected)
    return float(np.max(np.abs(measured - expected) / np.abs(expected)))


def make_synapse(spec):
    if spec["synapse_type"] == "TsodyksMarkramSynapse":
        return sim.TsodyksMarkramSynapse(**spec["params"])
    return sim.StaticSynapse(**spec["params"])


def projection_get(projection):
    """Projection.get(..., format="list") with every candidate attribute that pyNN.nest
    supports, and the error raised by each one that it does not."""
    supported, unsupported = [], {}
    for name in GET_CANDIDATES:
        try:
            projection.get([name], format="list")
        except Exception as err:  # record whatever pyNN raises
            unsupported[name] = f"{type(err).__name__}: {err}"
        else:
            supported.append(name)
    values = projection.get(supported, format="list")
    return {
        "attributes": ["i", "j", *supported],
        "values": [[int(row[0]), int(row[1]), *(float(x) for x in row[2:])] for row in values],
        "unsupported": unsupported,
    }


def nest_status(projection):
    (status,) = nest.GetStatus(projection.nest_connections)
    return {key: status[key] for key in NEST_STATUS_KEYS if key in status}


def run_scenario(scenario, timestep):
    """Run one scenario at one timestep and return its JSON record."""
    spike_times = scenario["spike_times"]
    sim.setup(timestep=timestep, min_delay=DELAY, spike_precision="on_grid")
    source = sim.Population(1, sim.SpikeSourceArray(spike_times=spike_times), label="source")
    post = sim.Population(len(SYNAPSES), sim.IF_curr_exp(**CELL_PARAMS), label="post")
    nest_model = post.node_collection.get("model")[0]
    assert nest_model == "iaf_psc_exp", nest_model
    projections = [
        sim.Projection(
            source,
            post,
            sim.FromListConnector([(0, index)]),
            make_synapse(spec),
            receptor_type="excitatory",
            label=spec["name"],
        )
        for index, spec in enumerate(SYNAPSES)
    ]
    multimeter = nest.Create(
        "multimeter", params={"record_from": ["I_syn_ex"], "interval": timestep}
    )
    nest.Connect(multimeter, post.node_collection)
    source.record("spikes")
    post.record(["spikes", "v"])
    sim.run(RUN_MS)

    sent = source.get_data().segments[0].spiketrains[0].rescale("ms").magnitude
    np.testing.assert_allclose(sent, spike_times, atol=1e-9)

    segment = post.get_data().segments[0]
    assert all(len(train) == 0 for train in segment.spiketrains), "a post cell fired"
    signal = segment.filter(name="v")[0]
    v = signal.rescale("mV").magnitude
    t_start = float(signal.t_start.rescale("ms").magnitude)
    sampling_period = float(signal.sampling_period.rescale("ms").magnitude)
    n_samples = int(round(RUN_MS / timestep)) + 1
    assert v.shape == (n_samples, len(SYNAPSES)), v.shape
    cell = {name: float(post.get(name)) for name in ("tau_m", "tau_syn_E", "cm", "v_rest")}

    events = multimeter.get("events")
    senders = np.asarray(events["senders"])
    mm_times = np.asarray(events["times"])
    i_syn = np.asarray(events["I_syn_ex"]) * 0.001  # pA -> nA

    arrival_times = [t + DELAY for t in spike_times]
    arrival_indices = np.rint(np.asarray(arrival_times) / timestep).astype(int)
    post_records = []
    for index, (spec, projection) in enumerate(zip(SYNAPSES, projections)):
        status = nest_status(projection)
        params = spec["params"]
        if spec["synapse_type"] == "TsodyksMarkramSynapse":
            assert status["tau_psc"] == cell["tau_syn_E"], status
            expected, u_used, x_used = tsodyks_jumps(
                spike_times,
                params["weight"],
                params["U"],
                params["tau_rec"],
                params["tau_facil"],
                status["tau_psc"],
            )
            two_state = two_state_jumps(
                spike_times, params["weight"], params["U"], params["tau_rec"], params["tau_facil"]
            )
        else:
            expected = [params["weight"]] * len(spike_times)
            u_used = x_used = two_state = None

        # Native multimeter: samples at dt, 2 dt, ..., RUN_MS; prepend I(0) = 0.
        mine = senders == post.node_collection[index].global_id
        np.testing.assert_allclose(mm_times[mine], np.arange(1, n_samples) * timestep, atol=1e-9)
        current = np.concatenate([[0.0], i_syn[mine]])
        from_isyn = jumps_at(
            jumps_from_current(current, timestep, cell["tau_syn_E"]),
            arrival_indices,
            f"{scenario['name']} {spec['name']} I_syn_ex",
        )
        # From v: I[k] for k = 0 .. n - 2 (the last sample has no successor).
        implied = current_from_v(v[:, index], timestep, cell)
        np.testing.assert_allclose(implied, current[:-1], rtol=0, atol=1e-9)
        from_v = jumps_at(
            jumps_from_current(implied, timestep, cell["tau_syn_E"]),
            arrival_indices,
            f"{scenario['name']} {spec['name']} v",
        )
        err_isyn = max_rel_error(from_isyn, expected)
        err_v = max_rel_error(from_v, expected)
        assert err_isyn < RTOL, (spec["name"], from_isyn, expected)
        assert err_v < RTOL, (spec["name"], from_v, expected)

        record = {
            "index": index,
            "name": spec["name"],
            "synapse_type": spec["synapse_type"],
            "synapse_params": params,
            "projection_get": projection_get(projection),
            "nest_status": status,
            "arrival_times": arrival_times,
            "jumps_expected": [round(float(j), 12) for j in expected],
            "jumps_from_isyn": [round(float(j), 12) for j in from_isyn],
            "jumps_from_v": [round(float(j), 12) for j in from_v],
            "max_rel_error": {"from_isyn": err_isyn, "from_v": err_v},
        }
        if u_used is not None:
            record["u_at_spike"] = [round(float(u), 12) for u in u_used]
            record["x_at_spike"] = [round(float(x), 12) for x in x_used]
            record["jumps_two_state_model"] = [round(float(j), 12) for j in two_state]
        record["v"] = [round(float(x), 6) for x in v[:, index]]
        post_records.append(record)
    sim.end()

    return {
        "name": scenario["name"],
        "timestep": timestep,
        "run_ms": RUN_MS,
        "nest_model": nest_model,
        "cell_params": CELL_PARAMS,
        "cell_params_used": cell,
        "spike_times": spike_times,
        "v_t_start": round(t_start, 6),
        "v_sampling_period": round(sampling_period, 6),
        "v_n_samples": n_samples,
        "post_cells": post_records,
    }


def main():
    records = []
    for scenario in SCENARIOS:
        for timestep in TIMESTEPS:
            record = run_scenario(scenario, timestep)
            print(f"{record['name']} dt={timestep}:")
            for cell in record["post_cells"]:
                print(
                    f"  {cell['name']:12s} jumps {[round(j, 4) for j in cell['jumps_from_v']]}"
                    f" max rel err isyn {cell['max_rel_error']['from_isyn']:.1e}"
                    f" v {cell['max_rel_error']['from_v']:.1e}"
                )
            records.append(record)
    for name in {s["name"] for s in SCENARIOS}:
        jumps = [
            [c["jumps_from_isyn"] for c in r["post_cells"]] for r in records if r["name"] == name
        ]
        np.testing.assert_allclose(jumps[0], jumps[1], rtol=RTOL)
    write_golden(OUT_PATH, (
        "Tsodyks-Markram short-term plasticity through pyNN.nest (NEST tsodyks_synapse): "
        "one SpikeSourceArray cell projecting with delay 1.0 ms onto three non-firing "
        "IF_curr_exp cells (iaf_psc_exp, tau_syn_E 5 ms, on-grid, min_delay 1.0 ms) via a "
        "depressing and a facilitating TsodyksMarkramSynapse and a StaticSynapse control, "
        "at timesteps 0.1 and 1.0 ms: v of each cell and the synaptic current jump "
        "(delivered weight, nA) at each input spike's arrival."
    ), notes=NOTES, scenarios=records)


if __name__ == "__main__":
    main()
