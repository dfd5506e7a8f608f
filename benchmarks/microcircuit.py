"""Potjans & Diesmann (2014) cortical microcircuit benchmark, on either backend.

Eight populations (L23e, L23i, L4e, L4i, L5e, L5i, L6e, L6i) of IF_curr_exp neurons (tau_m
10 ms, C_m 250 pF, tau_syn 0.5 ms, threshold -50 mV, reset and rest -65 mV, refractory 2 ms),
with the published connection probabilities. The total number of synapses of each pathway is
NEST's fixed_total_number count, log(1 - p) / log(1 - 1 / (N_pre N_post)) at full size,
scaled by scale^2 (neurons and in-degrees both scale by --scale, as N_scaling and K_scaling in
NEST's Potjans_2014 example). Weights: 87.8 pA with relative sd 0.1 (clipped at 0),
inhibitory g = -4, L4e -> L23e doubled, all divided by sqrt(scale); the input lost by the
smaller in-degrees is replaced by a DC current computed from the full model's rates, as in the
NEST example. Delays: normal, mean 1.5 ms (excitatory) / 0.75 ms (inhibitory), relative sd 0.5,
redrawn below dt, continuous: each backend puts them on its grid (both round to the nearest
step, as NEST does). Drive: --drive poisson gives each neuron its own
Poisson input (one SpikeSourcePoisson, several spikes per step when the rate asks for it) at
8 Hz x K_ext x scale (weight 87.8 pA / sqrt(scale), delay 1.5 ms);
--drive dc replaces it by its mean current. Initial v: normal, with NEST's "optimized"
per-population mean and sd. Prints the measurement of benchmarks/common.py.

Usage: python benchmarks/microcircuit.py [--backend spinnaker2|nest] [--scale 0.1]
       [--drive poisson|dc] [--timestep 0.1] [--duration 1000]
"""

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # this checkout's package

from common import (Benchmark, import_backend, main_guard,  # noqa: E402
                    parser, poisson_drive, setup_options)

LABELS = ["L23e", "L23i", "L4e", "L4i", "L5e", "L5i", "L6e", "L6i"]
N_FULL = np.array([20683, 5834, 21915, 5479, 4850, 1065, 14395, 2948])
CONN_PROBS = np.array([  # [target, source]
    [0.1009, 0.1689, 0.0437, 0.0818, 0.0323, 0.0, 0.0076, 0.0],
    [0.1346, 0.1371, 0.0316, 0.0515, 0.0755, 0.0, 0.0042, 0.0],
    [0.0077, 0.0059, 0.0497, 0.1350, 0.0067, 0.0003, 0.0453, 0.0],
    [0.0691, 0.0029, 0.0794, 0.1597, 0.0033, 0.0, 0.1057, 0.0],
    [0.1004, 0.0622, 0.0505, 0.0057, 0.0831, 0.3726, 0.0204, 0.0],
    [0.0548, 0.0269, 0.0257, 0.0022, 0.0600, 0.3158, 0.0086, 0.0],
    [0.0156, 0.0066, 0.0211, 0.0166, 0.0572, 0.0197, 0.0396, 0.2252],
    [0.0364, 0.0010, 0.0034, 0.0005, 0.0277, 0.0080, 0.0658, 0.1443]])
K_EXT = np.array([1600, 1500, 2100, 1900, 2000, 1900, 2900, 2100])
FULL_MEAN_RATES = np.array([0.903, 2.965, 4.414, 5.876, 7.569, 8.633, 1.105, 7.829])  # Hz
V0_MEAN = [-68.28, -63.16, -63.33, -63.45, -63.11, -61.66, -66.72, -61.43]
V0_SD = [5.36, 4.57, 4.74, 4.94, 4.94, 4.55, 5.46, 4.48]
W_MEAN, W_REL_SD, G, BG_RATE, TAU_SYN = 87.8, 0.1, -4.0, 8.0, 0.5   # pA, -, -, Hz, ms
DELAY_EXC, DELAY_INH, DELAY_REL_SD, DELAY_EXT = 1.5, 0.75, 0.5, 1.5


def model_parameters(scale: float, drive: str) -> dict:
    """Neurons, synapse counts, weights (pA), DC (pA) and Poisson rates (Hz) at this scale."""
    prod = np.outer(N_FULL, N_FULL).astype(float)
    full_synapses = np.log(1.0 - CONN_PROBS) / np.log((prod - 1.0) / prod)
    weights = np.full((8, 8), W_MEAN)
    weights[:, 1::2] *= G
    weights[0, 2] *= 2.0
    dc = (BG_RATE * K_EXT * W_MEAN * TAU_SYN * 0.001 if drive == "dc" else np.zeros(8))
    if scale != 1.0:
        indegree = full_synapses / N_FULL[:, None]
        recurrent = (weights * indegree * FULL_MEAN_RATES).sum(axis=1)
        dc = dc + 0.001 * TAU_SYN * (1.0 - np.sqrt(scale)) * recurrent
        if drive == "poisson":
            dc = dc + 0.001 * TAU_SYN * (1.0 - np.sqrt(scale)) * W_MEAN * K_EXT * BG_RATE
    return {"n": np.round(N_FULL * scale).astype(int),
            "synapses": np.round(full_synapses * scale * scale).astype(int),
            "weights": weights / np.sqrt(scale), "w_ext": W_MEAN / np.sqrt(scale),
            "dc": dc, "poisson_rate": BG_RATE * K_EXT * scale}


def cell_type(sim, dc_pA: float):
    """The model's IF_curr_exp neuron with a DC input of ``dc_pA``."""
    return sim.IF_curr_exp(cm=0.25, tau_m=10.0, tau_syn_E=TAU_SYN, tau_syn_I=TAU_SYN,
                           v_rest=-65.0, v_reset=-65.0, v_thresh=-50.0, tau_refrac=2.0,
                           i_offset=dc_pA / 1000.0)


def build(sim, scale: float, drive: str, dt: float, seed: int) -> tuple[list, list]:
    """Set up the simulator and build the microcircuit at this scale (recording spikes).

    Out: (the eight populations, every projection, the Poisson drive's included).
    """
    m = model_parameters(scale, drive)
    sim.setup(timestep=dt, min_delay=dt, **setup_options(sim))
    rng = sim.NumpyRNG(seed=seed)
    pops = []
    for i, label in enumerate(LABELS):
        pop = sim.Population(int(m["n"][i]), cell_type(sim, m["dc"][i]), label=label)
        pop.initialize(v=sim.RandomDistribution("normal", (V0_MEAN[i], V0_SD[i]), rng=rng))
        pop.record("spikes")
        pops.append(pop)

    projections = []
    for j, pre in enumerate(pops):           # source
        inhibitory = j % 2 == 1
        mean_delay = DELAY_INH if inhibitory else DELAY_EXC
        delay = sim.RandomDistribution(
            "normal_clipped", (mean_delay, mean_delay * DELAY_REL_SD, dt, np.inf), rng=rng)
        for i, post in enumerate(pops):      # target
            n_syn = int(m["synapses"][i, j])
            if n_syn == 0:
                continue
            w = m["weights"][i, j] / 1000.0  # nA
            bounds = (-np.inf, 0.0) if inhibitory else (0.0, np.inf)
            weight = sim.RandomDistribution("normal_clipped", (w, abs(w) * W_REL_SD, *bounds),
                                            rng=rng)
            projections.append(sim.Projection(
                pre, post, sim.FixedTotalNumberConnector(n_syn, allow_self_connections=True,
                                                         with_replacement=True, rng=rng),
                sim.StaticSynapse(weight=weight, delay=delay),
                receptor_type="inhibitory" if inhibitory else "excitatory",
                label=f"{pre.label}->{post.label}"))
    if drive == "poisson":
        for i, pop in enumerate(pops):
            projections += poisson_drive(sim, pop, float(m["poisson_rate"][i]),
                                         m["w_ext"] / 1000.0, DELAY_EXT)[1]
    return pops, projections


def main() -> None:
    p = parser(__doc__.splitlines()[0])
    p.add_argument("--scale", type=float, default=0.1, help="neurons and in-degrees factor")
    p.add_argument("--drive", choices=("poisson", "dc"), default="poisson")
    p.add_argument("--timestep", type=float, default=0.1, help="ms")
    p.add_argument("--duration", type=float, default=1000.0, help="ms")
    args = p.parse_args()
    sim = import_backend(args.backend)
    dt = args.timestep
    bench = Benchmark("microcircuit", sim, args, scale=args.scale, drive=args.drive, dt=dt)
    pops, projections = build(sim, args.scale, args.drive, dt, args.seed)
    bench.built()
    bench.run(args.duration)
    bench.report(pops, projections)
    sim.end()


if __name__ == "__main__":
    main_guard(main, "microcircuit")
