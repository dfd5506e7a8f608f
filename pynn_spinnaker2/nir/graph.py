"""A NIR graph flattened: nested subgraphs inlined, node roles and shapes, successors.

In:  a ``nir.NIRGraph`` (possibly with NIRGraph nodes inside).
Out: ``FlatGraph``: nodes by dotted name ("sub.lif"), edges, successors, each node's kind
     (primitives.kind_of) and input shape. The Input and Output nodes of subgraphs become
     pass-through nodes.
Raises: NotSupportedError naming the node for an edge to a subgraph with several inputs or
     outputs, or a node whose input shape is unknown.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np

from ..errors import NotSupportedError
from .primitives import kind_of


@dataclass
class FlatGraph:
    nodes: dict[str, object] = field(default_factory=dict)
    kinds: dict[str, str] = field(default_factory=dict)
    edges: list[tuple[str, str]] = field(default_factory=list)

    @property
    def successors(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = defaultdict(list)
        for a, b in self.edges:
            out[a].append(b)
        return out

    @property
    def predecessors(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = defaultdict(list)
        for a, b in self.edges:
            out[b].append(a)
        return out

    def in_shape(self, name: str) -> tuple[int, ...]:
        node = self.nodes[name]
        shape = (node.input_type or {}).get("input")
        if shape is None:
            for pre in self.predecessors.get(name, []):
                shape = (self.nodes[pre].output_type or {}).get("output")
                if shape is not None:
                    break
        if shape is None:
            raise NotSupportedError(f"NIR node '{name}': its input shape is unknown; build the "
                                    "graph with type checking (nir.NIRGraph(..., "
                                    "type_check=True)) or give the node its input shape.")
        return tuple(int(s) for s in np.atleast_1d(shape))


def _end(graph, name: str, want: str) -> str:
    """The single Input (want='input') or Output node of a subgraph, by name."""
    import nir

    cls = nir.Input if want == "input" else nir.Output
    ends = [k for k, n in graph.nodes.items() if isinstance(n, cls)]
    if len(ends) != 1:
        raise NotSupportedError(f"NIR subgraph '{name}': an edge names the subgraph itself, but "
                                f"it has {len(ends)} {want} nodes; name one ('{name}.<node>').")
    return ends[0]


def flatten(graph, prefix: str = "", top: bool = True, flat: FlatGraph | None = None) -> FlatGraph:
    """Inline every nested NIRGraph; Out: the FlatGraph (see module docstring)."""
    import nir

    flat = FlatGraph() if flat is None else flat

    def resolve(endpoint: str, want: str) -> str:
        head, _, rest = endpoint.partition(".")
        sub = graph.nodes.get(head)
        if isinstance(sub, nir.NIRGraph):
            return _resolve_inner(sub, f"{prefix}{head}.", rest or _end(sub, head, want), want)
        return f"{prefix}{endpoint}"

    for name, node in graph.nodes.items():
        if isinstance(node, nir.NIRGraph):
            flatten(node, f"{prefix}{name}.", False, flat)
            continue
        flat.nodes[f"{prefix}{name}"] = node
        kind = kind_of(node, f"{prefix}{name}")
        flat.kinds[f"{prefix}{name}"] = "pass" if kind in ("input", "output") and not top else kind
    for a, b in graph.edges:
        flat.edges.append((resolve(a, "output"), resolve(b, "input")))
    return flat


def _resolve_inner(sub, prefix: str, inner: str, want: str) -> str:
    """A dotted name inside a subgraph, itself possibly naming a deeper subgraph."""
    import nir

    head, _, rest = inner.partition(".")
    node = sub.nodes.get(head)
    if isinstance(node, nir.NIRGraph):
        return _resolve_inner(node, f"{prefix}{head}.", rest or _end(node, head, want), want)
    return f"{prefix}{inner}"
