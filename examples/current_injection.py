"""Current injection: DC, AC, step and noisy current sources into IF_curr_exp cells.

Runs on pynn_spinnaker2 by default, or on pyNN.nest with --backend nest; prints each cell's spike
count and rate, and plots the membrane potentials (--plot FILE).

Usage: python examples/current_injection.py [--backend spinnaker2|nest] [--plot results/ci.png]
"""

import argparse
import importlib


BACKENDS = {"spinnaker2": "pynn_spinnaker2", "nest": "pyNN.nest"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=sorted(BACKENDS), default="spinnaker2")
    parser.add_argument("--plot", default=None, help="PNG file for the v traces")
    args = parser.parse_args()
    sim = importlib.import_module(BACKENDS[args.backend])
    extra = {"spike_precision": "on_grid"} if args.backend == "nest" else {}
    sim.setup(timestep=0.1, min_delay=1.0, **extra)

    cells = sim.Population(4, sim.IF_curr_exp(tau_refrac=2.0), label="cells")
    sources = {
        "dc": sim.DCSource(amplitude=1.2, start=50.0, stop=450.0),
        "ac": sim.ACSource(amplitude=0.8, offset=1.0, frequency=10.0, start=50.0, stop=450.0),
        "step": sim.StepCurrentSource(times=[50.0, 150.0, 300.0, 450.0],
                                      amplitudes=[0.8, 1.6, 1.1, 0.0]),
        "noisy": sim.NoisyCurrentSource(mean=1.1, stdev=0.6, start=50.0, stop=450.0, dt=1.0),
    }
    for i, source in enumerate(sources.values()):
        source.inject_into(cells[i:i + 1])
    cells.record(["spikes", "v"])
    sim.run(500.0)

    segment = cells.get_data().segments[0]
    for name, train in zip(sources, segment.spiketrains):
        print(f"{name:>6}: {len(train)} spikes, {len(train) / 0.4:.1f} Hz while driven")
    if args.plot:
        from pyNN.utility.plotting import Figure, Panel
        v = segment.filter(name="v")[0]
        Figure(*[Panel(v[:, i], ylabel=f"{name} v (mV)", xticks=i == 3)
                 for i, name in enumerate(sources)],
               title=f"Current injection ({args.backend})").save(args.plot)
        print(f"wrote {args.plot}")
    sim.end()


if __name__ == "__main__":
    main()
