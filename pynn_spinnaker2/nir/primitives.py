"""What each NIR node becomes: its kind, and for neuron nodes the NIR_Neuron parameters.

In:  a NIR node and its name; ``ms_per_unit`` (milliseconds of simulated time per unit of the
     graph's time: the timestep in ms over the graph's dt); the reset and scheme options.
Out: ``kind_of`` -> "input", "output", "neuron", "weight", "delay" or "pass";
     ``neuron_parameters`` -> NIR_Neuron parameters (flat arrays, times in ms).
Raises: NotSupportedError (ours) for a node type that is not one of NIR's primitives.
"""

from __future__ import annotations

import numpy as np

from ..errors import NotSupportedError

NEURONS = ("LIF", "CubaLIF", "IF", "LI", "CubaLI", "I", "Threshold")
WEIGHTS = ("Affine", "Linear", "Scale", "Conv1d", "Conv2d", "SumPool2d", "AvgPool2d", "Flatten")
SPIKING = ("LIF", "CubaLIF", "IF", "Threshold")
RESETS = ("reset", "subtract")
SCHEMES = ("exp_euler", "euler")


def kind_of(node, name: str) -> str:
    """The role of a node in the mapping. Raises: NotSupportedError for an unknown type."""
    kind = type(node).__name__
    if kind in NEURONS:
        return "neuron"
    if kind in WEIGHTS:
        return "weight"
    if kind == "Delay":
        return "delay"
    if kind in ("Input", "Output", "Identity"):
        return {"Input": "input", "Output": "output", "Identity": "pass"}[kind]
    raise NotSupportedError(
        f"NIR node '{name}' has type {kind}, which is not a NIR primitive this importer knows "
        f"({', '.join(NEURONS + WEIGHTS)}, Delay, Input, Output, nested NIRGraph).")


def size_of(node) -> int:
    """Neurons a neuron node has (the size of its parameter arrays or its input)."""
    for attr in ("v_threshold", "threshold", "tau", "tau_mem", "r"):
        if hasattr(node, attr):
            return int(np.size(getattr(node, attr)))
    return int(np.prod(node.input_type["input"]))


def _flat(value, n: int) -> np.ndarray:
    return np.broadcast_to(np.asarray(value, dtype=np.float64).reshape(-1), (n,)).copy()


def neuron_parameters(node, name: str, ms_per_unit: float, reset: str,
                      scheme: str) -> dict[str, np.ndarray]:
    """NIR_Neuron parameters for one neuron node (see neuron_models/nir_neuron.py)."""
    kind = type(node).__name__
    n = size_of(node)
    k = float(ms_per_unit)
    p = {"euler": np.full(n, float(scheme == "euler")),
         "reset_subtract": np.full(n, float(reset == "subtract")),
         "spiking": np.full(n, float(kind in SPIKING)),
         "leaky": np.full(n, float(kind not in ("IF", "I"))),
         "tau_syn": np.zeros(n), "w_in": np.ones(n), "v_leak": np.zeros(n),
         "v_reset": np.zeros(n), "v_threshold": np.zeros(n), "r": np.ones(n)}
    if kind in ("LIF", "LI"):
        p["tau_mem"] = _flat(node.tau, n) * k
    elif kind in ("CubaLIF", "CubaLI"):
        p["tau_mem"] = _flat(node.tau_mem, n) * k
        p["tau_syn"] = _flat(node.tau_syn, n) * k
        p["w_in"] = _flat(node.w_in, n)
    else:                             # IF, I: no leak; Threshold: v follows the input
        p["tau_mem"] = np.zeros(n)
    p["tau_in"] = p["tau_mem"].copy() if kind not in ("IF", "I") else np.full(n, k)
    if kind != "Threshold":
        p["r"] = _flat(node.r, n)
    if hasattr(node, "v_leak"):
        p["v_leak"] = _flat(node.v_leak, n)
    if kind in SPIKING:
        threshold = node.threshold if kind == "Threshold" else node.v_threshold
        p["v_threshold"] = _flat(threshold, n)
        if getattr(node, "v_reset", None) is not None:
            p["v_reset"] = _flat(node.v_reset, n)
    for time_constant in ("tau_mem", "tau_syn"):
        if np.any(p[time_constant] < 0):
            raise NotSupportedError(f"NIR node '{name}': negative {time_constant}.")
    return p


def readout_parameters(n: int) -> dict[str, np.ndarray]:
    """A non-spiking population whose v is the signal reaching an Output node each tick."""
    return {"tau_mem": np.zeros(n), "tau_in": np.zeros(n), "spiking": np.zeros(n),
            "leaky": np.ones(n), "r": np.ones(n), "v_threshold": np.zeros(n)}
