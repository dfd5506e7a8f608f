"""from_nir: a NIR graph as ordinary PyNN Populations and Projections of pynn_spinnaker2.

In:  a ``nir.NIRGraph`` or the path of a ``.nir`` file; ``dt``, the graph's timestep in its own
     time unit (default: the simulator's timestep read as seconds); options ``reset``
     ("reset" or "subtract"), ``scheme`` ("exp_euler" or "euler"), ``quantise`` (None or a bit
     width, e.g. 8). One graph step is one simulator tick.
Out: ``NIRNetwork`` with ``populations`` (node name -> Population), ``projections`` (list),
     ``inputs`` / ``outputs`` (Input / Output node name -> Population) and ``quantisation``
     (a QuantisationReport or None).
Raises: NotSupportedError (ours) naming the node for what cannot map: a non-spiking node whose
     output feeds anything but an Output node, a loop of weight layers without a neuron in it.
     ConfigurationError for a bad option value.

Every neuron node becomes a NIR_Neuron population, every Input a SpikeSourceArray; the weight
layers between two populations are composed into one sparse matrix per extra delay and become
FromListConnector projections (positive weights excitatory, negative inhibitory).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..errors import ConfigurationError, NotSupportedError
from .expand import Layer, Operator, layer_of
from .graph import FlatGraph, flatten
from .primitives import RESETS, SCHEMES, neuron_parameters, readout_parameters
from .quantise import QuantisationReport, quantise


@dataclass
class NIRNetwork:
    populations: dict = field(default_factory=dict)
    projections: list = field(default_factory=list)
    inputs: dict = field(default_factory=dict)
    outputs: dict = field(default_factory=dict)
    quantisation: QuantisationReport | None = None
    timestep: float = 1.0

    def set_input(self, name: str, spikes: np.ndarray) -> None:
        """Feed Input node ``name`` with a (steps, *shape) array of 0/1 (or counts ignored
        above 1): a spike at step t is emitted at tick t + 1, the first tick a spike can use.
        """
        pop = self.inputs[name]
        frames = np.asarray(spikes).reshape(len(spikes), -1) > 0
        if frames.shape[1] != pop.size:
            raise ConfigurationError(f"Input '{name}': frames of {frames.shape[1]} elements, "
                                     f"the node has {pop.size}.")
        steps, cells = np.nonzero(frames)
        order = np.argsort(cells, kind="stable")
        times = (steps[order] + 1) * self.timestep
        bounds = np.searchsorted(cells[order], np.arange(pop.size + 1))
        from pyNN.parameters import Sequence
        pop.set(spike_times=[Sequence(times[bounds[i]:bounds[i + 1]])
                             for i in range(pop.size)])


def _check(value, allowed, name: str) -> None:
    if value not in allowed:
        raise ConfigurationError(f"from_nir: {name}={value!r}; allowed: {', '.join(allowed)}.")


def from_nir(graph_or_path, dt: float | None = None, *, reset: str = "reset",
             scheme: str = "exp_euler", quantise_bits: int | None = None,
             label_prefix: str = "") -> NIRNetwork:
    """Build the graph with pynn_spinnaker2 (after setup()). See the module docstring."""
    import nir

    import pynn_spinnaker2 as sim

    _check(reset, RESETS, "reset")
    _check(scheme, SCHEMES, "scheme")
    if quantise_bits is not None and not 2 <= int(quantise_bits) <= 16:
        raise ConfigurationError(f"from_nir: quantise_bits={quantise_bits}; use 2 to 16.")
    graph = nir.read(graph_or_path) if isinstance(graph_or_path, (str, Path)) else graph_or_path
    timestep = sim.get_time_step()
    dt = timestep * 1e-3 if dt is None else float(dt)
    if not dt > 0:
        raise ConfigurationError(f"from_nir: dt={dt}; it must be > 0 (the graph's timestep).")
    flat = flatten(graph)
    result = NIRNetwork(timestep=timestep)
    pops, params = _make_populations(sim, flat, timestep / dt, reset, scheme, label_prefix)
    layers = {name: layer_of(flat.nodes[name], name, flat.in_shape(name))
              for name, kind in flat.kinds.items() if kind == "weight"}
    delays = {name: _delay_ticks(flat.nodes[name], name, dt)
              for name, kind in flat.kinds.items() if kind == "delay"}
    operators = _operators(flat, pops, layers, delays)
    _add_biases(flat, pops, layers, params)
    for name, pop in pops.items():
        if name in params:
            pop.set(**params[name])
            pop.initialize(v=params[name]["v_leak"] if "v_leak" in params[name] else 0.0)
    report = QuantisationReport(int(quantise_bits)) if quantise_bits else None
    for target in dict.fromkeys(t for _, t in operators):   # graph order, deterministic
        incoming = {s: op for (s, t), op in operators.items() if t == target}
        result.projections += _project(sim, pops, target, incoming, timestep, report,
                                       _input_lag(flat.nodes[target]))
    result.populations = {n: p for n, p in pops.items() if flat.kinds[n] == "neuron"}
    result.inputs = {n: p for n, p in pops.items() if flat.kinds[n] == "input"}
    result.outputs = _outputs(flat, pops)
    result.quantisation = report
    return result


def _make_populations(sim, flat: FlatGraph, ms_per_unit: float, reset: str, scheme: str,
                      prefix: str):
    pops, params = {}, {}
    for name, kind in flat.kinds.items():
        node = flat.nodes[name]
        if kind == "input":
            n = int(np.prod(flat.in_shape(name)))
            pops[name] = sim.Population(n, sim.SpikeSourceArray(), label=prefix + name)
        elif kind == "neuron":
            meta = getattr(node, "metadata", None) or {}
            params[name] = neuron_parameters(node, name, ms_per_unit,
                                             _option(meta, "reset", RESETS, reset),
                                             _option(meta, "scheme", SCHEMES, scheme))
        elif kind == "output" and _needs_readout(flat, name):
            params[name] = readout_parameters(int(np.prod(flat.in_shape(name))))
        else:
            continue
        if name in params:
            n = len(params[name]["tau_mem"])
            params[name]["bias"] = np.zeros(n)
            pops[name] = sim.Population(n, sim.NIR_Neuron(), label=prefix + name)
    return pops, params


def _input_lag(node) -> int:
    """Extra ticks on every connection into a node: to_nir writes ``input_lag_ticks`` = 1 on
    the CubaLIF of an IF_curr_exp, whose exact scheme integrates an input from the tick after
    it arrives (NIR_Neuron: in the tick it arrives)."""
    meta = getattr(node, "metadata", None) or {}
    return int(np.asarray(meta.get("input_lag_ticks", 0)).reshape(-1)[0]) if meta else 0


def _option(meta: dict, key: str, allowed, default: str) -> str:
    """A node's own reset / scheme (written by to_nir in its metadata), else the option."""
    value = meta.get(key, default)
    value = value.decode() if isinstance(value, bytes) else str(value)
    return value if value in allowed else default


def _needs_readout(flat: FlatGraph, name: str) -> bool:
    """An Output fed by anything but one population node records the signal itself."""
    pre = flat.predecessors.get(name, [])
    return not (len(pre) == 1 and flat.kinds[pre[0]] in ("input", "neuron"))


def _outputs(flat: FlatGraph, pops: dict) -> dict:
    out = {}
    for name, kind in flat.kinds.items():
        if kind == "output":
            out[name] = pops[name] if name in pops else pops[flat.predecessors[name][0]]
    return out


def _delay_ticks(node, name: str, dt: float) -> np.ndarray:
    ticks = np.asarray(node.delay, dtype=np.float64).reshape(-1) / dt
    if np.any(ticks < 0) or not np.all(np.isfinite(ticks)):
        raise NotSupportedError(f"NIR node '{name}': delays must be finite and >= 0.")
    rounded = np.round(ticks)
    if np.any(np.abs(rounded - ticks) > 1e-6):
        import warnings

        from ..errors import DelayRoundingWarning
        warnings.warn(f"NIR node '{name}': delays rounded to whole steps of {dt:g}.",
                      DelayRoundingWarning, stacklevel=3)
    return rounded.astype(np.int64)


def _spiking_source(flat: FlatGraph, name: str) -> bool:
    return flat.kinds[name] == "input" or type(flat.nodes[name]).__name__ in (
        "LIF", "CubaLIF", "IF", "Threshold")


def _operators(flat: FlatGraph, pops: dict, layers: dict[str, Layer],
               delays: dict[str, np.ndarray]) -> dict[tuple[str, str], Operator]:
    """(source population, target population) -> the composed operator between them."""
    successors = flat.successors
    found: dict[tuple[str, str], Operator] = {}

    def walk(source: str, here: str, op: Operator, path: tuple[str, ...]) -> None:
        for nxt in successors.get(here, []):
            kind = flat.kinds[nxt]
            if nxt in pops and kind != "input":
                if not _spiking_source(flat, source):
                    raise NotSupportedError(
                        f"NIR node '{source}' ({type(flat.nodes[source]).__name__}) does not "
                        f"spike, but its output feeds '{nxt}'; only Output nodes may follow "
                        "non-spiking nodes (LI, CubaLI, I) on this machine.")
                key = (source, nxt)
                found[key] = found[key].plus(op) if key in found else op
                continue
            if kind == "output":
                continue
            if nxt in path:
                raise NotSupportedError(f"NIR node '{nxt}': a loop of weight layers with no "
                                        "neuron in it has no spiking equivalent.")
            if kind == "weight":
                walk(source, nxt, op.then(layers[nxt].matrix), path + (nxt,))
            elif kind == "delay":
                walk(source, nxt, op.delayed(delays[nxt]), path + (nxt,))
            else:
                walk(source, nxt, op, path + (nxt,))

    for name in pops:
        if flat.kinds[name] != "output":
            walk(name, name, Operator.identity(pops[name].size), (name,))
    return found


def _add_biases(flat: FlatGraph, pops: dict, layers: dict[str, Layer], params: dict) -> None:
    """Each weight layer's bias, carried through the layers after it, into the populations'
    bias parameter (a constant signal: delays do not change it)."""
    successors = flat.successors

    def carry(here: str, vector: np.ndarray) -> None:
        for nxt in successors.get(here, []):
            if nxt in pops and flat.kinds[nxt] != "input":
                params[nxt]["bias"] += vector
            elif flat.kinds[nxt] == "weight":
                carry(nxt, layers[nxt].matrix @ vector)
            elif flat.kinds[nxt] in ("delay", "pass"):
                carry(nxt, vector)

    for name, layer in layers.items():
        if layer.bias is not None and np.any(layer.bias):
            carry(name, layer.bias)


def _project(sim, pops: dict, target: str, incoming: dict[str, Operator], timestep: float,
             report: QuantisationReport | None, lag: int = 0) -> list:
    """The projections onto one population (quantised together when asked)."""
    parts = []
    for source, op in incoming.items():
        for extra, matrix in op.parts.items():
            coo = matrix.tocoo()
            keep = coo.data != 0
            parts.append((source, max(1, extra) + lag, coo.row[keep], coo.col[keep],
                          coo.data[keep]))
    if report is not None:
        weights, entry = quantise(np.concatenate([p[4] for p in parts]), report.bits)
        report.populations[target] = entry
        bounds = np.cumsum([0] + [len(p[4]) for p in parts])
        parts = [(s, d, r, c, weights[bounds[i]:bounds[i + 1]])
                 for i, (s, d, r, c, _) in enumerate(parts)]
    projections = []
    for source, ticks, rows, cols, weights in parts:
        for receptor, sign in (("excitatory", 1), ("inhibitory", -1)):
            mine = weights * sign > 0
            if not mine.any():
                continue
            conn = np.column_stack([cols[mine], rows[mine], weights[mine],
                                    np.full(int(mine.sum()), ticks * timestep)])
            projections.append(sim.Projection(
                pops[source], pops[target],
                sim.FromListConnector(conn, column_names=["weight", "delay"]),
                sim.StaticSynapse(), receptor_type=receptor,
                label=f"{pops[source].label}->{pops[target].label}:{receptor}:{ticks}"))
    return projections
