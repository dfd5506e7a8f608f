"""Record golden Vogels 2011 inhibitory STDP data from NEST 3.10's vogels_sprekeler_synapse.

Runs the protocols of tests/vogels_protocols.py (the same code the tests run on
pynn_spinnaker2): pyNN.nest 0.13 builds the sources, neurons and current pulses; pyNN.nest has
no Vogels2011Rule, so the plastic synapses are made with NEST directly (one-to-one, weight
-W_INITIAL nA as -500 pA, Wmax -1000 pA: inhibitory, eta x 1000 in pA, alpha = 2 rho tau), and
the post-synaptic neurons' tau_minus (NEST keeps the post-synaptic trace on the neuron) is set
to tau. Stores, in tests/golden/vogels2011.json, per protocol: the final weight magnitude of
each pair's synapse (nA) and the post-synaptic spike times.

How it was run (from the repository root, PyNN 0.13.0, NEST 3.10.0)::

    /work/main/.venv/bin/python tests/golden/make_vogels2011_golden.py
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
import vogels_protocols as V  # noqa: E402

warnings.simplefilter("ignore")


def run(build, duration: float) -> dict:
    sim.setup(timestep=V.TIMESTEP, min_delay=V.TIMESTEP, max_delay=10.0,
              spike_precision="on_grid")
    pre, post = build(sim)
    nest.SetStatus(post.node_collection, {"tau_minus": V.TAU})
    nest.Connect(pre.node_collection, post.node_collection, {"rule": "one_to_one"},
                 {"synapse_model": "vogels_sprekeler_synapse", "weight": -1000.0 * V.W_INITIAL,
                  "delay": V.DELAY, "tau": V.TAU, "eta": 1000.0 * V.ETA, "alpha": V.ALPHA,
                  "Wmax": -1000.0 * V.W_MAX})
    sim.run(duration)
    connections = nest.GetConnections(source=pre.node_collection,
                                      synapse_model="vogels_sprekeler_synapse")
    first = min(pre.node_collection.tolist())
    source = np.asarray(connections.get("source")) - first
    weight = np.zeros(pre.size)
    weight[source] = -np.asarray(connections.get("weight")) / 1000.0
    trains = post.get_data().segments[0].spiketrains
    out = {"final_weight": weight.tolist(),
           "post_spike_times": [np.asarray(t).tolist() for t in trains]}
    sim.end()
    return out


def main() -> None:
    data = {
        "notes": ("NEST 3.10 vogels_sprekeler_synapse (made with nest.Connect) between "
                  "pyNN.nest 0.13 populations; protocols in tests/vogels_protocols.py; "
                  "tau_minus of the post-synaptic neurons set to tau; weights are magnitudes "
                  "in nA."),
        "versions": {"nest": nest.__version__, "pyNN": pyNN.__version__,
                     "numpy": np.__version__},
        "window": run(V.build_window, V.window_duration()),
        "random": run(V.build_random, V.RANDOM_MS),
    }
    path = Path(__file__).resolve().parent / "vogels2011.json"
    path.write_text(json.dumps(data, indent=1))
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
