"""Several spikes of one source in one tick: a Poisson count at any rate, and spike-time sources
with spikes in one tick, delivered as one packet whose payload is the count (weight * count).

NEST's numbers come from tests/golden/multispike.json (tests/golden/make_multispike_golden.py):
poisson_generator at 20 kHz (dt 0.1 ms), IF_curr_exp cells it drives one to one, and plastic
synapses (Tsodyks-Markram, STDP) hit by several spikes in one step.
"""

import importlib.util
import json
import warnings
from pathlib import Path

import numpy as np
import pytest

from pynn_spinnaker2.emulator.reference import simulate

GOLDEN = json.loads((Path(__file__).parent / "golden" / "multispike.json").read_text())
POISSON = next(s for s in GOLDEN["sets"] if s["name"] == "poisson_20khz")
DRIVE = next(s for s in GOLDEN["sets"] if s["name"] == "drive_if_curr_exp")
STP = next(s for s in GOLDEN["sets"] if s["name"] == "stp_same_tick")
STDP = next(s for s in GOLDEN["sets"] if s["name"] == "stdp_same_tick")
_spec = importlib.util.spec_from_file_location(
    "make_multispike_golden", Path(__file__).parent / "golden" / "make_multispike_golden.py")
MAKER = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(MAKER)
DT = 0.1


def _tick_counts(pop, n_ticks: int) -> np.ndarray:
    """(neurons, ticks) spike counts of a recorded population (a spike at t is of tick
    round(t / dt) - 1)."""
    trains = pop.get_data().segments[0].spiketrains
    counts = np.zeros((len(trains), n_ticks), dtype=np.int64)
    for st in trains:
        tick = np.round(st.times.magnitude / DT).astype(np.int64) - 1
        np.add.at(counts[int(st.annotations["source_index"])], tick, 1)
    return counts


def test_20khz_poisson_counts_match_nest(sim):
    """200 sources at 20 kHz for 1 s: the mean rate, the Fano factor of the per-tick counts and
    the distribution of the counts as NEST's poisson_generator (Poisson(2) per step)."""
    n, run_ms = POISSON["n_sources"], POISSON["run_ms"]
    sim.setup(timestep=DT, rng_seed=5, hardware_summary=False, progress_bar=False)
    sources = sim.Population(n, sim.SpikeSourcePoisson(rate=POISSON["rate"]), label="fast")
    sources.record("spikes")
    sim.run(run_ms)
    counts = _tick_counts(sources, int(round(run_ms / DT)))
    nest = POISSON["statistics"]
    mean = counts.mean()
    # 4e6 spikes: the standard error of the rate is 0.05 %, of the Fano factor about 0.1 %
    assert abs(mean / DT * 1000.0 - POISSON["rate"]) < 0.005 * POISSON["rate"]
    assert abs(mean / DT * 1000.0 - nest["mean_rate_hz"]) < 0.005 * POISSON["rate"]
    fano = counts.var() / mean
    assert abs(fano - 1.0) < 0.01 and abs(fano - nest["fano"]) < 0.015
    p_count = [np.mean(counts == c) for c in range(len(nest["p_count"]))]
    np.testing.assert_allclose(p_count, nest["p_count"], atol=0.003)
    assert counts.max() >= 8            # the tail is there, not capped


def _drive(sim, weight: float, n: int, run_ms: float, **setup):
    sim.setup(timestep=DT, rng_seed=9, hardware_summary=False, progress_bar=False, **setup)
    cells = sim.Population(n, sim.IF_curr_exp(**DRIVE["cell_params"]), label="cells")
    sources = sim.Population(n, sim.SpikeSourcePoisson(rate=DRIVE["rate"]), label="drive")
    sim.Projection(sources, cells, sim.OneToOneConnector(),
                   sim.StaticSynapse(weight=weight, delay=DRIVE["delay"]))
    cells.record("v")
    sim.run(run_ms)
    return cells, np.asarray(cells.get_data().segments[0].filter(name="v")[0])


@pytest.mark.parametrize("fold", [True, False])
def test_20khz_drive_equals_reference(sim, fold):
    """The membrane drive of a one-to-one 20 kHz source is weight * count every tick: the
    emulator (folded or with packets) equals the float reference simulator."""
    n_ticks = 1000
    cells, v = _drive(sim, 2.0 ** -7, 20, n_ticks * DT, fold_poisson=fold)
    mapped = sim.get_mapping()
    assert mapped.report.worst_weight_error == 0.0
    assert bool(mapped.compiled_network.folded_poisson) == fold
    reference = simulate(mapped.network, n_ticks)
    expected = reference.signal(cells._number, "v")
    np.testing.assert_allclose(v, expected, atol=1e-4)
    assert v[-1].mean() > -60.0            # the drive is there: about 16 mV above rest


def test_20khz_drive_mean_v_matches_nest(sim):
    """The same drive as NEST's golden (weight 0.01 nA): mean and spread of v over cells and
    time after 100 ms."""
    stats = DRIVE["statistics"]
    _, v = _drive(sim, DRIVE["weight"], DRIVE["n_cells"], DRIVE["run_ms"])
    settled = v[int(round(DRIVE["settle_ms"] / DT)):]
    # standard error of NEST's and our mean about 0.02 mV each (v correlated over ~20 ms)
    assert abs(settled.mean() - stats["v_mean"]) < 0.15
    assert abs(settled.std() / stats["v_std"] - 1.0) < 0.1


def _array_network(sim, neurons_per_core: int = 2):
    sim.setup(timestep=DT, hardware_summary=False, progress_bar=False,
              neurons_per_core=neurons_per_core)
    # neuron 0: 1.02 and 1.05 in one tick (and 1.0 the tick before); neuron 2: 3 x 2.0;
    # neuron 3 (the control): one spike of 3x the weight at 2.0
    times = [[1.0, 1.02, 1.05], [4.0], [2.0, 2.0, 2.0], [], []]
    arr = sim.Population(5, sim.SpikeSourceArray(spike_times=times), label="same tick")
    single = sim.Population(1, sim.SpikeSourceArray(spike_times=[[2.0]]), label="single")
    cells = sim.Population(5, sim.IF_curr_exp(v_thresh=100.0), label="cells")
    w = 0.25
    sim.Projection(arr, cells, sim.OneToOneConnector(), sim.StaticSynapse(weight=w, delay=1.0))
    sim.Projection(single, cells[3:4], sim.AllToAllConnector(),
                   sim.StaticSynapse(weight=3 * w, delay=1.0))
    arr.record("spikes")
    cells.record("v")
    return arr, cells


def test_same_tick_array_spikes_are_one_packet_with_count(sim):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        arr, cells = _array_network(sim)
        sim.run(10.0)
    same_tick = [w for w in caught if "same timestep" in str(w.message)]
    assert len(same_tick) == 1                       # one warning for the population (3 PEs)
    assert "'same tick'" in str(same_tick[0].message)
    assert "3 spike(s)" in str(same_tick[0].message)     # 1.05, and the 2nd and 3rd 2.0
    v = np.asarray(cells.get_data().segments[0].filter(name="v")[0])
    # three spikes of weight w in one tick drive exactly as one spike of 3 w
    np.testing.assert_array_equal(v[:, 2], v[:, 3])
    assert v[:, 2].max() > v[0, 2] + 1.0
    # recorded as NEST records them: each spike, same-tick ones at the same time
    trains = {int(st.annotations["source_index"]): st.times.magnitude.tolist()
              for st in arr.get_data().segments[0].spiketrains}
    assert trains[0] == pytest.approx([1.0, 1.1, 1.1])
    assert trains[2] == pytest.approx([2.0, 2.0, 2.0])
    report = sim.get_hardware_report()
    assert report.payload_packets_sent == 2          # neuron 0 at 1.1, neuron 2 at 2.0
    assert report.spikes_sent == 4 + 1               # packets: 3 + 1 of arr, 1 of single


def test_same_tick_array_equals_reference_through_delay_extension(sim):
    """Counts survive a delay-extension PE (delays above 64 ticks)."""
    sim.setup(timestep=DT, hardware_summary=False, progress_bar=False)
    arr = sim.Population(3, sim.SpikeSourceArray(spike_times=[[1.0, 1.02, 1.05], [2.0, 2.0],
                                                              [3.0]]), label="arr")
    cells = sim.Population(3, sim.IF_curr_exp(v_thresh=100.0), label="cells")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        sim.Projection(arr, cells, sim.OneToOneConnector(),
                       sim.StaticSynapse(weight=0.25, delay=15.0))
        cells.record("v")
        sim.run(30.0)
    mapped = sim.get_mapping()
    assert mapped.compiled_network.delay_extensions
    v = np.asarray(cells.get_data().segments[0].filter(name="v")[0])
    expected = simulate(mapped.network, 300).signal(cells._number, "v")
    np.testing.assert_allclose(v, expected, atol=1e-4)
    # cell 1 got 2 spikes in one tick, cell 2 one: twice the peak deflection
    rise = v.max(axis=0) - v[0]
    assert rise[1] == pytest.approx(2 * rise[2], rel=1e-3)


def test_hardware_report_counts_payload_packets(sim):
    """Unfolded 20 kHz sources: one packet per (source, tick) with spikes, of which those with
    two or more spikes carry the count; the cost model charges them."""
    n, n_ticks = 10, 500
    sim.setup(timestep=DT, rng_seed=3, fold_poisson=False, hardware_summary=False,
              progress_bar=False)
    sources = sim.Population(n, sim.SpikeSourcePoisson(rate=20000.0), label="fast")
    cells = sim.Population(n, sim.IF_curr_exp(v_thresh=100.0), label="cells")
    sim.Projection(sources, cells, sim.OneToOneConnector(),
                   sim.StaticSynapse(weight=0.01, delay=0.1))
    sources.record("spikes")
    sim.run(n_ticks * DT)
    counts = _tick_counts(sources, n_ticks)
    report = sim.get_hardware_report()
    assert report.spikes_sent == int(np.sum(counts >= 1))
    assert report.payload_packets_sent == int(np.sum(counts >= 2)) > 0
    assert report.payload_packets_received == report.payload_packets_sent   # one target PE
    assert "carried a spike count" in str(report)


def _mapped_run(sim, neurons_per_core: int, fold: bool) -> tuple[np.ndarray, np.ndarray]:
    sim.setup(timestep=DT, rng_seed=21, neurons_per_core=neurons_per_core, fold_poisson=fold,
              hardware_summary=False, progress_bar=False)
    sources = sim.Population(50, sim.SpikeSourcePoisson(rate=np.linspace(100.0, 50000.0, 50)),
                             label="src")
    cells = sim.Population(50, sim.IF_curr_exp(v_thresh=100.0), label="cells")
    sim.Projection(sources, cells, sim.OneToOneConnector(),
                   sim.StaticSynapse(weight=2.0 ** -8, delay=0.5))
    sources.record("spikes")
    cells.record("v")
    sim.run(50.0)
    assert bool(sim.get_mapping().compiled_network.folded_poisson) == fold
    counts = _tick_counts(sources, 500)
    v = np.asarray(cells.get_data().segments[0].filter(name="v")[0])
    sim.end()
    return counts, v


def test_same_spikes_whatever_mapping(sim):
    """The counts are drawn per neuron: the same spikes with 7 or 61 neurons per PE, folded or
    not, and the targets see the same input."""
    counts, v = _mapped_run(sim, 7, True)
    assert counts.max() >= 8                    # 50 kHz: 5 spikes per tick on average
    assert np.all(counts[0] <= 1)               # 100 Hz: rarely two
    for neurons_per_core, fold in ((61, True), (7, False), (61, False)):
        other_counts, other_v = _mapped_run(sim, neurons_per_core, fold)
        np.testing.assert_array_equal(other_counts, counts)
        np.testing.assert_array_equal(other_v, v)


def test_same_tick_spikes_through_tsodyks_markram_match_nest(sim):
    """Two spikes in one tick: the synapse transmits u*x twice in sequence, as NEST's
    tsodyks_synapse does for two events of one step."""
    sim.setup(timestep=DT, hardware_summary=False, progress_bar=False)
    src = sim.Population(1, sim.SpikeSourceArray(spike_times=STP["spike_times"]), label="src")
    cell = sim.Population(1, sim.IF_curr_exp(**STP["cell_params"]), label="cell")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        sim.Projection(src, cell, sim.AllToAllConnector(),
                       sim.TsodyksMarkramSynapse(**STP["synapse"]))
        cell.record("v")
        sim.run(STP["run_ms"])
    v = np.asarray(cell.get_data().segments[0].filter(name="v")[0]).ravel()
    expected = np.asarray(STP["v"])
    rise = expected.max() - expected[0]
    assert rise > 2.0                                    # more than one spike's 1.92 mV
    assert np.max(np.abs(v - expected)) < 1e-3 * rise
    reference = simulate(sim.get_mapping().network, len(v) - 1).signal(cell._number, "v")
    assert np.max(np.abs(v - reference.ravel())) < 1e-3 * rise


def test_same_tick_spikes_through_stdp_match_nest(sim):
    """Several pre-synaptic spikes in one tick: one STDP update per spike, in sequence, as
    NEST's stdp_synapse for several events of one step (the weights read at 30 and 100 ms)."""
    for name, times in MAKER.STDP_TIMES.items():
        sim.setup(timestep=DT, hardware_summary=False, progress_bar=False)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            proj = MAKER.build_stdp(sim, times)
            got = []
            for t in STDP["read_ms"]:
                sim.run_until(t)
                got.append(float(proj.get("weight", format="list", with_address=False)[0]))
        sim.end()
        # the weight's resolution on the PE is 2**-15 of w_max here
        np.testing.assert_allclose(got, STDP["weights"][name], atol=1e-4, err_msg=name)
    assert STDP["weights"]["same_tick"][1] < STDP["weights"]["single"][1] - 0.03


@pytest.mark.parametrize("mean", [0.001, 0.5, 2.0, 16.0, 16.5, 50.0])
def test_count_draw_is_poisson_at_any_mean(mean):
    """The PE kernel's counts over 200,000 sources in one tick: mean and variance of
    Poisson(mean), also for means drawn in several chunks (above 16)."""
    from pynn_spinnaker2.neuron_models import spike_source_poisson
    from pynn_spinnaker2.neuron_models.base import TickContext

    n = 200_000
    block = spike_source_poisson.build_block(
        {"rate": np.full(n, mean / DT * 1000.0), "start": np.zeros(n),
         "duration": np.full(n, 1e9)}, {}, DT)
    counts = spike_source_poisson.step(
        block, None, TickContext(7, DT, 3, np.arange(n, dtype=np.uint64))).astype(np.int64)
    assert abs(counts.mean() - mean) < 5 * np.sqrt(mean / n)
    # the variance of a Poisson sample has standard error sqrt((mean + 2 mean^2) / n)
    assert abs(counts.var() - mean) < 5 * np.sqrt((mean + 2 * mean ** 2) / n)


def test_recorded_fast_sources_budget_extra_spike_bitfields(sim):
    """The DRAM check budgets the extra spike bitfields of recorded sources with counts:
    floor(lam + 3 sqrt(lam)) = 6 more at 20 kHz (lam = 2), none at 20 Hz."""
    from pynn_spinnaker2.mapping.dram import dram_bytes_per_chip

    def recording(rate: float, fold: bool) -> int:
        sim.setup(timestep=DT, fold_poisson=fold, hardware_summary=False, progress_bar=False)
        src = sim.Population(320, sim.SpikeSourcePoisson(rate=rate), label="src")
        cells = sim.Population(320, sim.IF_curr_exp(), label="cells")
        sim.Projection(src, cells, sim.OneToOneConnector(), sim.StaticSynapse(weight=0.01))
        quiet = dram_bytes_per_chip(sim.get_mapping(), 1000)[0]
        src.record("spikes")
        mapped = sim.get_mapping()
        sim.end()
        return dram_bytes_per_chip(mapped, 1000)[0] - quiet

    for fold in (True, False):
        assert recording(20.0, fold) == 320 // 8 * 1000            # one bitfield per tick
        assert recording(20000.0, fold) == 7 * 320 // 8 * 1000     # and 6 more
