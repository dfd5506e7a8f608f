"""to_nir: a PyNN network of pynn_spinnaker2 as a ``nir.NIRGraph``.

In:  populations (SpikeSourceArray, NIR_Neuron, IF_curr_exp, IF_curr_delta) and their static
     projections;
     ``dt``, the graph's timestep in its time unit (default: the simulator's timestep in
     seconds, so the graph's time is in seconds).
Out: a NIRGraph: one Input per SpikeSourceArray, one neuron node per population (named by its
     label), a Linear (Affine when the target has a bias) per (source, target, delay), a Delay
     node after it for delays longer than one tick, an Output after every population that
     projects to no other population. Importing it with from_nir (same dt, same timestep)
     runs the same network.
Raises: NotSupportedError (ours) naming the population for a cell type with no NIR equivalent,
     a NIR_Neuron population whose flags differ between its neurons, an IF_curr_exp with
     tau_refrac > 0 or tau_syn_E != tau_syn_I.

IF_curr_exp becomes a CubaLIF (tau_mem = tau_m, tau_syn = tau_syn_E, r = tau_m / cm,
v_leak = v_rest, w_in = 1, i_offset as the input bias) whose incoming weights are scaled so
from_nir reproduces the exact propagator (see _if_curr_exp); its metadata
``input_lag_ticks = 1`` makes from_nir deliver one tick later, as IF_curr_exp integrates.

IF_curr_delta becomes a LIF (r = tau_m / cm, v_leak = v_rest) whose incoming weights are divided
by the per-tick gain (1 - exp(-dt/tau_m)) r, so one spike moves v by the weight in mV as in
PyNN; its refractory period has no NIR equivalent (a warning says so when it is >= one tick).
"""

from __future__ import annotations

import warnings

import numpy as np

from ..errors import NotSupportedError, SpiNNaker2Warning

_FLAGS = ("leaky", "spiking", "reset_subtract", "euler")


def _name(pop, used: set) -> str:
    base = str(pop.label).replace(".", "_") or "population"
    name, i = base, 1
    while name in used:
        name, i = f"{base}_{i}", i + 1
    used.add(name)
    return name


def _values(pop, names) -> dict[str, np.ndarray]:
    got = pop.get(list(names), simplify=False)
    got = got if isinstance(got, (list, tuple)) else [got]
    return {n: np.broadcast_to(np.asarray(v, dtype=np.float64), (pop.size,)).copy()
            for n, v in zip(names, got)}


def _nir_neuron(nir, pop, ms_per_unit: float):
    """(node, weight scale per target neuron, bias) of a NIR_Neuron population."""
    p = _values(pop, pop.celltype.default_parameters)
    for flag in _FLAGS:
        if np.unique(p[flag] > 0).size > 1:
            raise NotSupportedError(f"Population '{pop.label}': {flag} differs between its "
                                    "neurons; NIR nodes have one type. Split the population.")
    k = ms_per_unit
    meta = {"reset": "subtract" if p["reset_subtract"][0] > 0 else "reset",
            "scheme": "euler" if p["euler"][0] > 0 else "exp_euler"}
    spiking = p["spiking"][0] > 0
    if p["leaky"][0] <= 0:
        r = p["r"] * k / p["tau_in"]
        node = nir.IF(r=r, v_threshold=p["v_threshold"], v_reset=p["v_reset"]) if spiking \
            else nir.I(r=r)
    elif np.all(p["tau_mem"] == 0):
        if not spiking or np.any(p["r"] != 1) or np.any(p["w_in"] != 1):
            raise NotSupportedError(f"Population '{pop.label}': a memoryless NIR_Neuron is a "
                                    "NIR Threshold only when spiking with r = w_in = 1.")
        node = nir.Threshold(threshold=p["v_threshold"])
    else:
        r = p["r"] * np.where(p["tau_in"] > 0, p["tau_mem"] / np.where(p["tau_in"] > 0,
                                                                         p["tau_in"], 1), 1)
        tau, v_leak = p["tau_mem"] / k, p["v_leak"]
        if np.all(p["tau_syn"] > 0):
            common = dict(tau_syn=p["tau_syn"] / k, tau_mem=tau, r=r, v_leak=v_leak,
                          w_in=p["w_in"])
            node = nir.CubaLIF(v_threshold=p["v_threshold"], v_reset=p["v_reset"],
                               **common) if spiking else nir.CubaLI(**common)
        elif np.any(p["tau_syn"] > 0):
            raise NotSupportedError(f"Population '{pop.label}': tau_syn is 0 for some neurons "
                                    "only; split the population.")
        else:
            node = nir.LIF(tau=tau, r=r, v_leak=v_leak, v_threshold=p["v_threshold"],
                           v_reset=p["v_reset"]) if spiking else nir.LI(tau=tau, r=r,
                                                                         v_leak=v_leak)
    node.metadata = meta
    return node, np.ones(pop.size), p["bias"]


def _if_curr_delta(nir, pop, ms_per_unit: float, timestep: float):
    p = _values(pop, ("tau_m", "cm", "v_rest", "v_thresh", "v_reset", "tau_refrac",
                      "i_offset"))
    if np.any(p["tau_refrac"] >= timestep):
        warnings.warn(f"Population '{pop.label}': tau_refrac has no NIR equivalent and is "
                      "dropped; the exported LIF has no refractory period.", SpiNNaker2Warning,
                      stacklevel=3)
    r = p["tau_m"] / p["cm"]
    gain = -np.expm1(-timestep / p["tau_m"]) * r
    node = nir.LIF(tau=p["tau_m"] / ms_per_unit, r=r, v_leak=p["v_rest"],
                   v_threshold=p["v_thresh"], v_reset=p["v_reset"])
    node.metadata = {"reset": "reset", "scheme": "exp_euler"}
    return node, 1.0 / gain, p["i_offset"]


def _if_curr_exp(nir, pop, ms_per_unit: float, timestep: float):
    """(CubaLIF, weight scale per target neuron, bias) of an IF_curr_exp population.

    Raises NotSupportedError for tau_refrac > 0 or tau_syn_E != tau_syn_I (no NIR equivalent).
    The scale makes from_nir's exp_euler step reproduce the exact propagator: a weight w (nA)
    adds w to I, and I reaches v through P21 (mV per nA per tick) as in IF_curr_exp, one tick
    later than NIR_Neuron integrates it (input_lag_ticks = 1 in the node's metadata).
    """
    from ..neuron_models.base import psc_exp_propagator, refractory_ticks

    p = _values(pop, ("tau_m", "cm", "v_rest", "v_thresh", "v_reset", "tau_refrac",
                      "i_offset", "tau_syn_E", "tau_syn_I"))
    if np.any(refractory_ticks(p["tau_refrac"], timestep) > 0):
        raise NotSupportedError(
            f"Population '{pop.label}': tau_refrac = {p['tau_refrac'].max():g} ms; NIR's "
            "CubaLIF has no refractory period, so only tau_refrac = 0 exports. Set "
            "tau_refrac=0 (or export a NIR_Neuron population).")
    if not np.allclose(p["tau_syn_E"], p["tau_syn_I"], rtol=1e-12, atol=0.0):
        raise NotSupportedError(
            f"Population '{pop.label}': tau_syn_E != tau_syn_I (e.g. {p['tau_syn_E'][0]:g} and "
            f"{p['tau_syn_I'][0]:g} ms); NIR's CubaLIF has one synaptic time constant. Set "
            "tau_syn_I equal to tau_syn_E.")
    if np.any(p["i_offset"] != 0):
        warnings.warn(f"Population '{pop.label}': i_offset becomes the CubaLIF's input bias, "
                      "which NIR filters through tau_syn: v approaches the same steady state "
                      "but differs during the first few tau_syn.", SpiNNaker2Warning,
                      stacklevel=3)
    tau_m, tau_s = p["tau_m"], p["tau_syn_E"]
    r = tau_m / p["cm"]
    gain_syn = -np.expm1(-timestep / tau_s)
    gain_mem = -np.expm1(-timestep / tau_m) * r
    scale = psc_exp_propagator(tau_s, tau_m, p["cm"], timestep) / (gain_mem * gain_syn)
    node = nir.CubaLIF(tau_syn=tau_s / ms_per_unit, tau_mem=tau_m / ms_per_unit, r=r,
                       v_leak=p["v_rest"], v_threshold=p["v_thresh"], v_reset=p["v_reset"],
                       w_in=np.ones(pop.size))
    node.metadata = {"reset": "reset", "scheme": "exp_euler", "input_lag_ticks": 1}
    return node, scale, p["i_offset"]


def to_nir(populations, projections, dt: float | None = None):
    """Export; see the module docstring. Out: nir.NIRGraph."""
    import nir

    import pynn_spinnaker2 as sim

    timestep = sim.get_time_step()
    dt = timestep * 1e-3 if dt is None else float(dt)
    ms_per_unit = timestep / dt
    nodes, edges, used = {}, [], set()
    names, scales, biases = {}, {}, {}
    for pop in populations:
        name = _name(pop, used)
        names[id(pop)] = name
        kind = type(pop.celltype).__name__
        if kind == "SpikeSourceArray":
            nodes[name] = nir.Input(input_type=np.array([pop.size]))
            continue
        if kind == "NIR_Neuron":
            node, scale, bias = _nir_neuron(nir, pop, ms_per_unit)
        elif kind == "IF_curr_delta":
            node, scale, bias = _if_curr_delta(nir, pop, ms_per_unit, timestep)
        elif kind == "IF_curr_exp":
            node, scale, bias = _if_curr_exp(nir, pop, ms_per_unit, timestep)
        else:
            raise NotSupportedError(f"Population '{pop.label}': {kind} has no NIR equivalent "
                                    "here; the types that export are NIR_Neuron, "
                                    "IF_curr_exp, IF_curr_delta and SpikeSourceArray.")
        nodes[name], scales[name], biases[name] = node, scale, bias
    matrices: dict[tuple[str, str, int], np.ndarray] = {}
    for prj in projections:
        pre, post = names[id(prj.pre)], names[id(prj.post)]
        conns = np.asarray(prj.get(["weight", "delay"], format="list", with_address=True),
                           dtype=np.float64).reshape(-1, 4)
        ticks = np.round(conns[:, 3] / timestep).astype(np.int64)
        for t in np.unique(ticks):
            mine = conns[ticks == t]
            key = (pre, post, int(t))
            if key not in matrices:
                matrices[key] = np.zeros((prj.post.size, prj.pre.size))
            np.add.at(matrices[key], (mine[:, 1].astype(int), mine[:, 0].astype(int)),
                      mine[:, 2])
    has_bias = {n for n, b in biases.items() if np.any(b)}
    for (pre, post, t), weight in matrices.items():
        layer = f"{pre}__{post}__{t}"
        weight = weight * scales[post][:, None]
        if post in has_bias:
            nodes[layer] = nir.Affine(weight=weight, bias=biases[post])
            has_bias.discard(post)
        else:
            nodes[layer] = nir.Linear(weight=weight)
        edges.append((pre, layer))
        if t > 1:
            nodes[f"{layer}__delay"] = nir.Delay(delay=np.full(weight.shape[0], t * dt))
            edges += [(layer, f"{layer}__delay"), (f"{layer}__delay", post)]
        else:
            edges.append((layer, post))
    for post in sorted(has_bias):   # a bias with no projection in: fed from a silent input
        nodes[f"{post}__bias_input"] = nir.Input(input_type=np.array([1]))
        nodes[f"{post}__bias"] = nir.Affine(weight=np.zeros((len(biases[post]), 1)),
                                            bias=biases[post])
        edges += [(f"{post}__bias_input", f"{post}__bias"), (f"{post}__bias", post)]
    sources = {pre for pre, post, _ in matrices if pre != post}   # self-loops do not count
    for name in list(scales):
        if name not in sources:
            nodes[f"{name}__output"] = nir.Output(output_type=np.array([len(scales[name])]))
            edges.append((name, f"{name}__output"))
    return nir.NIRGraph(nodes=nodes, edges=edges, metadata={"dt": dt}, type_check=False)
