"""Record golden STDP data from NEST 3.10's stdp_synapse through pyNN.nest.

Runs the two protocols of tests/stdp_protocols.py (the same code the tests run on
pynn_spinnaker2) and stores, in tests/golden/stdp.json:

* ``window``: per weight dependence, the final weight of each lag's synapse after the pairings,
  the post-synaptic spike times (to check that both simulators paired the same spikes) and the
  parameters;
* ``long_delay_window``: the same for the window protocol with a 30 ms plastic delay
  (``build_long_delay_window``; on pynn_spinnaker2 it goes through a delay extension);
* ``rate``: the final weights of the rate network (mean, standard deviation, all of them) and
  the post-synaptic spike counts.

Two things pyNN.nest 0.13 does not pass to NEST, set here on the NEST objects directly:

* tau_minus, a parameter of the post-synaptic neuron in NEST, which pyNN.nest drops (its
  "TODO: set tau_minus on the post-synaptic cells"); it is set on the post-synaptic neurons;
* GutigWeightDependence's mu_plus and mu_minus, which pyNN.nest's __init__ does not forward;
  they are set on the connections.

How it was run (from the repository root, PyNN 0.13.0, NEST 3.10.0, numpy 2.4)::

    /work/main/.venv/bin/python tests/golden/make_stdp_golden.py
"""

import json
import sys
import warnings
from pathlib import Path

import nest
import numpy as np
import pyNN
import pyNN.nest as sim

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import stdp_protocols as P  # noqa: E402

warnings.simplefilter("ignore")


def window(build=P.build_window, max_delay: float = 10.0) -> dict:
    sim.setup(timestep=P.WINDOW_TIMESTEP, min_delay=P.WINDOW_TIMESTEP, max_delay=max_delay,
              spike_precision="on_grid")
    built = build(sim)
    for name, (projection, post) in built.items():
        # each dependence has its own synapse model copy in pyNN.nest: set its own mu only
        extra = P.WEIGHT_DEPENDENCES[name][1]
        nest.SetStatus(post.node_collection, {"tau_minus": P.TIMING["tau_minus"]})
        if extra:
            connections = nest.GetConnections(target=post.node_collection)
            plastic = [c for c in connections if "stdp" in c.get("synapse_model")]
            for c in plastic:
                nest.SetStatus(c, {"mu_plus": extra["mu_plus"], "mu_minus": extra["mu_minus"]})
    sim.run(P.window_duration())
    out = {}
    for name, (projection, post) in built.items():
        weights = np.array(projection.get("weight", format="array")).diagonal()
        trains = post.get_data().segments[0].spiketrains
        out[name] = {"final_weight": weights.tolist(),
                     "post_spike_times": [np.asarray(t).tolist() for t in trains]}
    sim.end()
    return out


def rate() -> dict:
    sim.setup(timestep=P.RATE_TIMESTEP, min_delay=P.RATE_TIMESTEP, spike_precision="on_grid")
    projection, post = P.build_rate(sim)
    nest.SetStatus(post.node_collection, {"tau_minus": P.RATE_RULE["tau_minus"]})
    sim.run(P.RATE_SECONDS * 1000.0)
    weights = np.array(projection.get("weight", format="array"))
    counts = [len(t) for t in post.get_data().segments[0].spiketrains]
    sim.end()
    return {"final_weight": weights.tolist(), "mean": float(weights.mean()),
            "std": float(weights.std()), "post_spike_counts": counts}


def main() -> None:
    data = {
        "notes": ("NEST 3.10 stdp_synapse via pyNN.nest 0.13; protocols in "
                  "tests/stdp_protocols.py; tau_minus set on the NEST neurons and Gutig's "
                  "mu_plus/mu_minus on the NEST connections (pyNN.nest does not pass them)."),
        "versions": {"nest": nest.__version__, "pyNN": pyNN.__version__,
                     "numpy": np.__version__},
        "window": window(),
        "long_delay_window": window(P.build_long_delay_window, 2 * P.LONG_DELAY_MS),
        "rate": rate(),
    }
    path = Path(__file__).resolve().parent / "stdp.json"
    path.write_text(json.dumps(data, indent=1))
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
