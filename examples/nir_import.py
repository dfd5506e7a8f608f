"""NIR import: build a small spiking CNN with nir's classes, write it to a .nir file, import it
with pynn_spinnaker2.nir.from_nir, run it on random input and print the hardware report.

Needs the nir extra (pip install "pynn_spinnaker2[nir]").

Usage: python examples/nir_import.py [--file results/cnn.nir] [--steps 50] [--quantise 8]
"""

import argparse
import os
import time

import nir
import numpy as np

import pynn_spinnaker2 as sim
from pynn_spinnaker2.nir import from_nir


def build_graph(rng) -> nir.NIRGraph:
    """Input 2x16x16 -> Conv2d 4x3x3 -> LIF -> SumPool2d 2 -> Flatten -> Affine 10 -> LIF."""
    shape = (4, 16, 16)
    nodes = {
        "input": nir.Input(np.array([2, 16, 16])),
        "conv": nir.Conv2d(input_shape=(16, 16), weight=rng.normal(0.4, 0.4, (4, 2, 3, 3)),
                           stride=1, padding=1, dilation=1, groups=1, bias=np.zeros(4)),
        "lif1": nir.LIF(tau=np.full(shape, 0.01), r=np.full(shape, 3.0),
                        v_leak=np.zeros(shape), v_threshold=np.ones(shape)),
        "pool": nir.SumPool2d(kernel_size=np.array([2, 2]), stride=np.array([2, 2]),
                              padding=np.array([0, 0])),
        "flat": nir.Flatten(input_type={"input": np.array([4, 8, 8])}, start_dim=0),
        "fc": nir.Affine(weight=rng.normal(0.05, 0.1, (10, 256)), bias=np.full(10, 0.02)),
        "lif2": nir.LIF(tau=np.full(10, 0.02), r=np.full(10, 2.0), v_leak=np.zeros(10),
                        v_threshold=np.full(10, 0.5)),
        "output": nir.Output(np.array([10])),
    }
    names = list(nodes)
    return nir.NIRGraph(nodes=nodes, edges=list(zip(names[:-1], names[1:])))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--file", default="results/cnn.nir")
    parser.add_argument("--steps", type=int, default=50)
    parser.add_argument("--quantise", type=int, default=None, help="weight bits, e.g. 8")
    args = parser.parse_args()
    rng = np.random.default_rng(1)
    os.makedirs(os.path.dirname(args.file) or ".", exist_ok=True)
    nir.write(args.file, build_graph(rng))
    print(f"wrote {args.file}")

    sim.setup(timestep=1.0, hardware_summary=False)
    start = time.perf_counter()
    net = from_nir(args.file, dt=1e-3, quantise_bits=args.quantise)   # one 1 ms step per tick
    net.set_input("input", rng.random((args.steps, 2, 16, 16)) < 0.1)
    net.outputs["output"].record("spikes")
    net.populations["lif1"].record("spikes")
    sim.run(float(args.steps))
    print(f"import, compile and {args.steps} ticks: {time.perf_counter() - start:.1f} s")
    for name, pop in (("lif1", net.populations["lif1"]), ("output", net.outputs["output"])):
        counts = pop.get_spike_counts()
        print(f"{name}: {pop.size} neurons, {sum(counts.values())} spikes")
    if net.quantisation is not None:
        print(net.quantisation)
    print(sim.get_hardware_report())
    sim.end()


if __name__ == "__main__":
    main()
