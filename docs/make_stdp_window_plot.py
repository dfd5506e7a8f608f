"""Plot the STDP window of pynn_spinnaker2 against NEST 3.10's (docs/images/stdp_window.png).

Runs the window protocol of tests/stdp_protocols.py on pynn_spinnaker2 and draws, for each
weight dependence, the weight change after the pairings against the lag (post - pre, as driven),
beside the NEST values stored in tests/golden/stdp.json.

Usage: python docs/make_stdp_window_plot.py [--output docs/images/stdp_window.png]
"""

import argparse
import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
import stdp_protocols as P  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", default=str(ROOT / "docs" / "images" / "stdp_window.png"))
    args = parser.parse_args()
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import pynn_spinnaker2 as sim

    golden = json.loads((ROOT / "tests" / "golden" / "stdp.json").read_text())["window"]
    sim.setup(timestep=P.WINDOW_TIMESTEP, hardware_summary=False)
    built = P.build_window(sim)
    sim.run(P.window_duration())
    fig, ax = plt.subplots(figsize=(7, 4.5))
    worst = 0.0
    for k, (name, (projection, _)) in enumerate(built.items()):
        ours = np.array(projection.get("weight", format="array")).diagonal() - P.W_INITIAL
        nest = np.asarray(golden[name]["final_weight"]) - P.W_INITIAL
        worst = max(worst, float(np.max(np.abs(ours - nest) / np.abs(nest))))
        ax.plot(P.LAGS_MS, nest, "o", mfc="none", color=f"C{k}", label=f"NEST {name}")
        ax.plot(P.LAGS_MS, ours, "-", marker=".", color=f"C{k}",
                label=f"pynn_spinnaker2 {name}")
    sim.end()
    ax.axhline(0, color="grey", lw=0.5)
    ax.axvline(0, color="grey", lw=0.5)
    ax.set(xlabel="lag: post-synaptic pulse - pre-synaptic spike (ms)",
           ylabel=f"weight change after {P.PAIRINGS} pairings (w_max = {P.W_MAX:g})",
           title=f"STDP window, dendritic delay {P.PLASTIC_DELAY_MS:g} ms "
                 f"(worst relative difference {100 * worst:.2f}%)")
    ax.legend(fontsize=6, ncol=2)
    fig.tight_layout()
    fig.savefig(args.output, dpi=110)
    print(f"wrote {args.output}; worst relative difference to NEST {100 * worst:.3f}%")


if __name__ == "__main__":
    main()
