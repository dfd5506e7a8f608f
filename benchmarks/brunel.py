"""Brunel (2000) sparse network benchmark, on either backend.

NEST's brunel_delta_nest.py model written in PyNN: IF_curr_delta neurons (tau_m 20 ms,
threshold 20 mV, reset and rest 0 mV, refractory 2 ms), NE = 10,000 x scale excitatory and
NI = 2,500 x scale inhibitory neurons, fixed in-degrees CE = 1,000 and CI = 250 whatever the
scale (FixedNumberPreConnector, drawn with replacement and self-connections allowed, as NEST's
fixed_indegree), J = 0.1 mV, g = 5 (inhibitory weight -0.5 mV), delay 1.5 ms everywhere,
eta = 2: every neuron receives its own Poisson input at nu_ext * CE = 20 kHz (OneToOne, weight J).
Initial membrane potentials are uniform in [0, 20) mV (the NEST example starts all at 0 mV).

Each neuron's 20 kHz input is ONE SpikeSourcePoisson (2 spikes per tick on average at dt 0.1):
both backends draw a Poisson count per tick (NEST's poisson_generator; pynn_spinnaker2 sends
the count as the packet's payload), and the same network is built on NEST.

Usage: python benchmarks/brunel.py [--backend spinnaker2|nest] [--scale 1.0] [--timestep 0.1]
       [--duration 1000] [--seed 4242]
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # this checkout's package

from common import (Benchmark, import_backend, main_guard, parser, poisson_drive,  # noqa: E402
                    setup_options)

THETA, TAU_M, J, G, ETA, DELAY, CE, CI = 20.0, 20.0, 0.1, 5.0, 2.0, 1.5, 1000, 250


def arguments(description: str):
    p = parser(description)
    p.add_argument("--scale", type=float, default=1.0,
                   help="neuron-count factor (10,000 E + 2,500 I at 1.0); in-degrees stay")
    p.add_argument("--timestep", type=float, default=0.1, help="ms")
    p.add_argument("--duration", type=float, default=1000.0, help="ms")
    return p


def build(sim, args, ee_synapse=None):
    """The network on ``sim`` (after setup). ``ee_synapse``: the E->E synapse type (static
    J by default). Out: ([E, I], projections, {"drive_hz": ...}, the E->E projection)."""
    n_exc, n_inh = round(10000 * args.scale), round(2500 * args.scale)
    rng = sim.NumpyRNG(seed=args.seed)
    cell = sim.IF_curr_delta(tau_m=TAU_M, v_rest=0.0, v_reset=0.0, v_thresh=THETA,
                             tau_refrac=2.0, i_offset=0.0)
    exc = sim.Population(n_exc, cell, label="E")
    inh = sim.Population(n_inh, cell, label="I")
    for pop in (exc, inh):
        pop.initialize(v=sim.RandomDistribution("uniform", (0.0, THETA), rng=rng))

    nu_ext = ETA * THETA / (J * CE * TAU_M) * 1000.0 * CE    # Hz into each neuron: 20 kHz
    projections = []
    for target in (exc, inh):
        projections += poisson_drive(sim, target, nu_ext, J, DELAY)[1]
    e_to_e = None
    for source, n, weight, receptor in ((exc, CE, J, "excitatory"),
                                        (inh, CI, -G * J, "inhibitory")):
        connector = sim.FixedNumberPreConnector(n, allow_self_connections=True,
                                                with_replacement=True, rng=rng)
        for target in (exc, inh):   # one projection per target: pyNN.nest's len() fails on
            synapse = (ee_synapse if ee_synapse is not None and (source, target) == (exc, exc)
                       else sim.StaticSynapse(weight=weight, delay=DELAY))
            projections.append(sim.Projection(    # projections onto an Assembly
                source, target, connector, synapse,
                receptor_type=receptor, label=f"{source.label}->{target.label}"))
            if (source, target) == (exc, exc):
                e_to_e = projections[-1]
    exc.record("spikes")
    inh.record("spikes")
    return [exc, inh], projections, {"drive_hz": nu_ext}, e_to_e


def main() -> None:
    args = arguments(__doc__.splitlines()[0]).parse_args()
    sim = import_backend(args.backend)
    bench = Benchmark("brunel", sim, args, scale=args.scale, dt=args.timestep)
    sim.setup(timestep=args.timestep, min_delay=DELAY, **setup_options(sim))
    populations, projections, extra, _ = build(sim, args)
    bench.built()
    bench.run(args.duration)
    bench.report(populations, projections, extra)
    sim.end()


if __name__ == "__main__":
    main_guard(main, "brunel")
