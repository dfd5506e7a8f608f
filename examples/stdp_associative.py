"""Associative learning with STDP: two input patterns become tied to two output groups.

Forty input neurons form two groups, A and B; twenty output neurons form two groups, X and Y.
Every input connects to every output through an STDP synapse (SpikePairRule, additive weights),
all starting alike and too weak to make an output fire. In training, A and B take turns: for
200 ms one group fires volleys every 50 ms (each neuron within 2 ms of the volley), and a
teacher current pulse makes X (after A's volleys) or Y (after B's) fire 6 ms later; every input
also fires at random at 2 Hz. Inputs that lead the output by a few ms strengthen A->X and B->Y;
random pairings weaken the rest. In the test afterwards, with no teacher, A's volleys alone
make X fire and B's make Y fire.

Prints the mean weight of each block and the test responses; plots the weight matrix before and
after, and the test rasters (--plot FILE). Runs on pynn_spinnaker2 or, with --backend nest, on
pyNN.nest.

Usage: python examples/stdp_associative.py [--backend spinnaker2|nest] [--plot stdp.png]
"""

import argparse
import importlib

import numpy as np

BACKENDS = {"spinnaker2": "pynn_spinnaker2", "nest": "pyNN.nest"}
N_IN, N_OUT = 40, 20                  # two groups of each
EPOCH_MS, TRAIN_EPOCHS, TEST_MS = 200.0, 30, 500.0
VOLLEY_EVERY_MS, JITTER_MS, TEACHER_LAG_MS = 50.0, 2, 6.0
BACKGROUND_HZ = 2.0
DT = 1.0
W_MAX = 0.4
TEACHER_NA = 20.0


def volley_times(start: float, length: float) -> np.ndarray:
    return start + 10.0 + np.arange(0.0, length - 10.0, VOLLEY_EVERY_MS)


def schedule() -> list[tuple[float, float, int]]:
    """(start, length, active group) of each epoch: training alternates A (0) and B (1), then
    a test of A and one of B."""
    epochs, start = [], 0.0
    for i in range(TRAIN_EPOCHS + 2):
        length = EPOCH_MS if i < TRAIN_EPOCHS else TEST_MS
        epochs.append((start, length, i % 2))
        start += length
    return epochs


def input_trains(rng: np.random.Generator) -> list[list[float]]:
    """Spike times of each input: the active group's volleys, plus background for all."""
    total = sum(length for _, length, _ in schedule())
    steps = int(total / DT)
    trains = []
    for i in range(N_IN):
        group = int(i >= N_IN // 2)
        background = (np.flatnonzero(rng.random(steps) < BACKGROUND_HZ * DT / 1000.0) + 1) * DT
        volleys = np.concatenate([volley_times(s, n) for s, n, g in schedule() if g == group])
        jitter = rng.integers(0, JITTER_MS + 1, size=len(volleys)) * DT
        trains.append(np.unique(np.concatenate([background, volleys + jitter])).tolist())
    return trains


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=sorted(BACKENDS), default="spinnaker2")
    parser.add_argument("--plot", default=None, help="PNG file for weights and test rasters")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    sim = importlib.import_module(BACKENDS[args.backend])
    extra = {"spike_precision": "on_grid"} if args.backend == "nest" else {}
    sim.setup(timestep=DT, min_delay=DT, **extra)
    rng = np.random.default_rng(args.seed)

    inputs = sim.Population(N_IN, sim.SpikeSourceArray(spike_times=input_trains(rng)),
                            label="inputs")
    outputs = sim.Population(N_OUT, sim.IF_curr_exp(tau_refrac=2.0), label="outputs")
    train_ms = EPOCH_MS * TRAIN_EPOCHS
    for group in (0, 1):
        # the teacher: a pulse into X after A's volleys, into Y after B's (training only)
        pulses = np.concatenate([volley_times(s, n) for s, n, g in schedule()[:TRAIN_EPOCHS]
                                 if g == group]) + TEACHER_LAG_MS
        times = np.ravel(np.column_stack([pulses, pulses + DT]))
        teacher = sim.StepCurrentSource(times=times.tolist(),
                                        amplitudes=[TEACHER_NA, 0.0] * len(pulses))
        half = N_OUT // 2
        outputs[group * half:(group + 1) * half].inject(teacher)
    stdp = sim.STDPMechanism(
        timing_dependence=sim.SpikePairRule(tau_plus=20.0, tau_minus=20.0, A_plus=0.02,
                                            A_minus=0.024),
        weight_dependence=sim.AdditiveWeightDependence(w_min=0.0, w_max=W_MAX),
        weight=W_MAX / 4, delay=DT)
    projection = sim.Projection(inputs, outputs, sim.AllToAllConnector(), stdp,
                                receptor_type="excitatory", label="learning")
    outputs.record("spikes")
    before = np.array(projection.get("weight", format="array"))
    sim.run(train_ms + 2 * TEST_MS)
    after = np.array(projection.get("weight", format="array"))

    half_in, half_out = N_IN // 2, N_OUT // 2
    blocks = {f"{a}->{x}": after[i * half_in:(i + 1) * half_in, j * half_out:(j + 1) * half_out]
              for i, a in enumerate("AB") for j, x in enumerate("XY")}
    print("mean weight after training (nA): " + ", ".join(
        f"{name} {block.mean():.3f}" for name, block in blocks.items()))
    trains = outputs.get_data().segments[0].spiketrains
    counts = {}
    for test, pattern in enumerate("AB"):
        lo = train_ms + test * TEST_MS
        spikes = np.array([np.sum((np.asarray(t) > lo) & (np.asarray(t) <= lo + TEST_MS))
                           for t in trains])
        counts[pattern] = (spikes[:half_out].sum(), spikes[half_out:].sum())
        print(f"test {pattern} alone: X fired {counts[pattern][0]} spikes, Y "
              f"{counts[pattern][1]}")
    if args.plot:
        plot(before, after, trains, train_ms, args.plot, args.backend)
    sim.end()


def plot(before, after, trains, train_ms: float, path: str, backend: str) -> None:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    fig, axes = plt.subplots(1, 3, figsize=(12, 4))
    for ax, weights, title in ((axes[0], before, "weights before"),
                               (axes[1], after, "weights after training")):
        image = ax.imshow(weights, aspect="auto", vmin=0.0, vmax=W_MAX, cmap="viridis")
        ax.set(title=title, xlabel="output neuron (X: 0-9, Y: 10-19)",
               ylabel="input neuron (A: 0-19, B: 20-39)")
    fig.colorbar(image, ax=axes[1], label="weight (nA)")
    for i, train in enumerate(trains):
        t = np.asarray(train)
        t = t[t > train_ms]
        axes[2].plot(t - train_ms, np.full(len(t), i), "|", color="C0" if i < 10 else "C1")
    axes[2].axvline(TEST_MS, color="grey", lw=0.5)
    axes[2].set(title="test: A alone, then B alone", xlabel="time after training (ms)",
                ylabel="output neuron")
    fig.suptitle(f"STDP associative learning ({backend})")
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
