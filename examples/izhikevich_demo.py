"""Izhikevich neurons: the classic firing patterns from one model with four parameters.

Regular spiking, intrinsically bursting, chattering, fast spiking and low-threshold spiking cells
(Izhikevich 2003), each driven by a step of current from 20 ms. Runs on pynn_spinnaker2, or on
pyNN.nest with --backend nest; prints spike counts and, with --plot FILE, plots v.

Usage: python examples/izhikevich_demo.py [--backend spinnaker2|nest] [--plot results/izh.png]
"""

import argparse
import importlib

BACKENDS = {"spinnaker2": "pynn_spinnaker2", "nest": "pyNN.nest"}
PATTERNS = {   # name: (a, b, c, d)
    "regular spiking": (0.02, 0.2, -65.0, 8.0),
    "intrinsically bursting": (0.02, 0.2, -55.0, 4.0),
    "chattering": (0.02, 0.2, -50.0, 2.0),
    "fast spiking": (0.1, 0.2, -65.0, 2.0),
    "low-threshold spiking": (0.02, 0.25, -65.0, 2.0),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=sorted(BACKENDS), default="spinnaker2")
    parser.add_argument("--plot", default=None, help="PNG file for the v traces")
    args = parser.parse_args()
    sim = importlib.import_module(BACKENDS[args.backend])
    extra = {"spike_precision": "on_grid"} if args.backend == "nest" else {}
    sim.setup(timestep=0.1, min_delay=1.0, **extra)

    a, b, c, d = zip(*PATTERNS.values())
    cells = sim.Population(len(PATTERNS), sim.Izhikevich(a=list(a), b=list(b), c=list(c),
                                                         d=list(d)), label="izhikevich")
    cells.initialize(v=-70.0, u=-14.0)
    step = sim.DCSource(amplitude=0.010, start=20.0, stop=500.0)   # 10 pA
    step.inject_into(cells)
    cells.record(["spikes", "v"])
    sim.run(500.0)

    segment = cells.get_data().segments[0]
    for name, train in zip(PATTERNS, segment.spiketrains):
        print(f"{name:>24}: {len(train):3d} spikes, first at {float(train.times.min()):.1f} ms"
              if len(train) else f"{name:>24}: no spikes")
    if args.plot:
        from pyNN.utility.plotting import Figure, Panel
        v = segment.filter(name="v")[0]
        Figure(*[Panel(v[:, i], ylabel=name.split()[0], xticks=i == len(PATTERNS) - 1)
                 for i, name in enumerate(PATTERNS)],
               title=f"Izhikevich firing patterns ({args.backend})").save(args.plot)
        print(f"wrote {args.plot}")
    sim.end()


if __name__ == "__main__":
    main()
