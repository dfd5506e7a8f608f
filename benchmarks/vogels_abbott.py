"""Vogels-Abbott balanced network benchmark (CUBA or COBA), on either backend.

The network is examples/balanced_network.py's (3,200 excitatory and 800 inhibitory neurons, 2%
connectivity, 200 Poisson drive sources at 20 Hz), built by that example's build(); its
projections are collected for the synapse and event counts. Prints the measurement of
benchmarks/common.py.

Usage: python benchmarks/vogels_abbott.py [--backend spinnaker2|nest] [--model cuba|coba]
       [--timestep 0.1] [--duration 1000] [--scale 1.0] [--seed 4242]
"""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "examples"))
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(ROOT))    # this checkout's pynn_spinnaker2, not an installed one

from balanced_network import build  # noqa: E402
from common import Benchmark, import_backend, main_guard, parser, setup_options  # noqa: E402


def main() -> None:
    p = parser(__doc__.splitlines()[0])
    p.add_argument("--model", choices=("cuba", "coba"), default="cuba")
    p.add_argument("--timestep", type=float, default=0.1, help="ms")
    p.add_argument("--duration", type=float, default=1000.0, help="ms")
    p.add_argument("--scale", type=float, default=1.0, help="network size factor")
    args = p.parse_args()
    sim = import_backend(args.backend)
    bench = Benchmark(f"vogels_abbott_{args.model}", sim, args, model=args.model,
                      dt=args.timestep, scale=args.scale)
    projections = []
    original = sim.Projection

    def collect(*a, **k):
        projections.append(original(*a, **k))
        return projections[-1]

    sim.Projection = collect            # build() creates its projections through sim.Projection
    try:
        options = setup_options(sim)
        options.pop("spike_precision", None)     # build() sets it for NEST itself
        exc, inh = build(sim, args.timestep, args.scale, seed=args.seed, model=args.model,
                         **options)
    finally:
        sim.Projection = original
    bench.built()
    bench.run(args.duration)
    bench.report([exc, inh], projections)
    sim.end()


if __name__ == "__main__":
    main_guard(main, "vogels_abbott")
