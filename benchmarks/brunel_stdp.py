"""Brunel (2000) network with plastic E->E synapses (STDP), on either backend.

benchmarks/brunel.py's network with its E->E synapses made plastic: STDPMechanism with
SpikePairRule (tau_plus = tau_minus = 20 ms, A_plus 0.01, A_minus 0.0105) and
AdditiveWeightDependence (w_min 0, w_max 2 J), starting at J. Prints benchmarks/common.py's
measurement plus the final E->E weights' mean and standard deviation (mV).

Usage: python benchmarks/brunel_stdp.py [--backend spinnaker2|nest] [--scale 0.25]
       [--timestep 0.1] [--duration 1000] [--seed 4242]
"""

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from brunel import DELAY, J, arguments, build  # noqa: E402
from common import Benchmark, import_backend, main_guard, setup_options  # noqa: E402


def fix_nest_w_max(projection, w_max: float) -> None:
    """pyNN.nest 0.13 scales an IF_curr_delta target's weights by its receptor_scale (1e-3, to
    keep mV) but not the STDP rule's Wmax, which would be 1000 times too large: set it on the
    NEST connections directly."""
    import nest
    nest.SetStatus(projection.nest_connections, {"Wmax": w_max})


def main() -> None:
    args = arguments(__doc__.splitlines()[0]).parse_args()
    sim = import_backend(args.backend)
    bench = Benchmark("brunel_stdp", sim, args, scale=args.scale, dt=args.timestep)
    sim.setup(timestep=args.timestep, min_delay=DELAY, **setup_options(sim))
    stdp = sim.STDPMechanism(
        timing_dependence=sim.SpikePairRule(tau_plus=20.0, tau_minus=20.0, A_plus=0.01,
                                            A_minus=0.0105),
        weight_dependence=sim.AdditiveWeightDependence(w_min=0.0, w_max=2 * J),
        weight=J, delay=DELAY)
    populations, projections, extra, e_to_e = build(sim, args, ee_synapse=stdp)
    if args.backend == "nest":
        fix_nest_w_max(e_to_e, 2 * J)
    bench.built()
    bench.run(args.duration)
    weights = np.asarray(e_to_e.get("weight", format="list", with_address=False), dtype=float)
    if args.backend == "nest":   # pyNN.nest reads them back without undoing receptor_scale
        weights /= getattr(e_to_e.post.celltype, "receptor_scale", 1.0)
    bench.report(populations, projections, {
        **extra, "ee_weight_mean": float(weights.mean()), "ee_weight_std": float(weights.std())})
    sim.end()


if __name__ == "__main__":
    main_guard(main, "brunel_stdp")
