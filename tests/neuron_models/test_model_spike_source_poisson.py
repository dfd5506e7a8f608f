"""SpikeSourcePoisson against NEST's Poisson process.

NEST's statistics come from tests/golden/sources_statistics.json, set "refrac_50hz_0ms": a
ppd_sup_generator with no dead time is a Poisson process (1000 neurons, 10 s, dt 0.1, 50 Hz),
made by tests/golden/make_sources_golden.py. Ours is run through the whole backend.
"""

import numpy as np

from goldens import load_golden

GOLDEN = load_golden("sources_statistics.json")
NEST = next(s for s in GOLDEN["sets"] if s["name"] == "refrac_50hz_0ms")


def test_rate_and_isi_statistics_match_nest(sim):
    n, run_ms = 500, 4000.0
    sim.setup(timestep=NEST["timestep"], rng_seed=11)
    sources = sim.Population(n, sim.SpikeSourcePoisson(rate=NEST["params"]["rate"]))
    sources.record("spikes")
    sim.run(run_ms)
    trains = sources.get_data().segments[0].spiketrains
    counts = np.array([len(st) for st in trains])
    isi = np.concatenate([np.diff(st.times.magnitude) for st in trains])
    rate = counts.sum() / (n * run_ms / 1000.0)
    expected = NEST["statistics"]
    # 100,000 spikes: the rate's standard error is about 0.3 %
    assert abs(rate - expected["mean_rate_hz"]) < 5 * np.sqrt(counts.sum()) / (n * run_ms / 1e3)
    assert abs(isi.std() / isi.mean() - expected["isi_cv"]) < 0.02
    # a tick holds a Poisson(lam) count, lam = rate dt, as NEST's poisson_generator draws it:
    # the fraction of intervals that are 0 (a second spike in the same tick) is about lam / 2
    lam = NEST["params"]["rate"] * NEST["timestep"] / 1000.0
    zero = np.mean(isi < 1e-9)
    assert abs(zero - lam / 2) < 5 * np.sqrt(lam / 2 / len(isi))
    assert isi[isi > 1e-9].min() >= NEST["timestep"] - 1e-9
