"""The package has no import cycles, function-level imports included.

The graph is computed from the source with ``ast``: every ``import`` / ``from ... import``
anywhere in a module (relative imports resolved), except those under ``if TYPE_CHECKING:``.
An edge a -> b means module a imports module b (``from pkg import name`` counts as importing
``pkg.name`` when that is a module, else ``pkg``). Importing ``pkg.sub`` first runs ``pkg``'s
``__init__``, so it is also an edge to every package above ``pkg.sub`` that is not already above
the importer (``mapping.validate`` importing ``compiled.routing`` depends on ``compiled``'s
``__init__`` too).
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = "pynn_spinnaker2"
ROOT = Path(__file__).resolve().parent.parent / PACKAGE


def module_names(root: Path = ROOT) -> dict[str, Path]:
    """Out: dotted module name -> source file, for every .py under the package."""
    out = {}
    for path in sorted(root.rglob("*.py")):
        parts = list(path.relative_to(root.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = path
    return out


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _imports(tree: ast.AST):
    """Every Import/ImportFrom node of ``tree`` outside ``if TYPE_CHECKING:`` blocks."""
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            stack.extend(node.orelse)
            continue
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            yield node
        stack.extend(ast.iter_child_nodes(node))


def import_graph(root: Path = ROOT) -> dict[str, set[str]]:
    """Out: module -> the package modules it imports."""
    modules = module_names(root)
    graph: dict[str, set[str]] = {m: set() for m in modules}
    for name, path in modules.items():
        is_package = path.name == "__init__.py"
        here = name if is_package else name.rpartition(".")[0]
        for node in _imports(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            else:
                base = node.module or ""
                if node.level:
                    anchor = here.split(".")
                    anchor = anchor[:len(anchor) - (node.level - 1)]
                    base = ".".join(anchor + ([base] if base else []))
                targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in modules else base
                           for a in node.names]
            for target in targets:
                while target and target not in modules:     # a name inside a module
                    target = target.rpartition(".")[0]
                while target and target != PACKAGE and not name.startswith(target + "."):
                    if target != name:
                        graph[name].add(target)
                    target = target.rpartition(".")[0]
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """Out: one cycle as [a, b, ..., a], or None (iterative depth-first search)."""
    state: dict[str, int] = {}          # 1: on the current path, 2: done
    for start in sorted(graph):
        if state.get(start):
            continue
        path, iters = [start], [iter(sorted(graph[start]))]
        state[start] = 1
        while path:
            nxt = next(iters[-1], None)
            if nxt is None:
                state[path.pop()] = 2
                iters.pop()
            elif state.get(nxt) == 1:
                return path[path.index(nxt):] + [nxt]
            elif not state.get(nxt):
                state[nxt] = 1
                path.append(nxt)
                iters.append(iter(sorted(graph[nxt])))
    return None


def test_graph_sees_function_level_and_relative_imports():
    graph = import_graph()
    # mapping/__init__ imports its stages relatively at module level
    assert f"{PACKAGE}.mapping.partition" in graph[f"{PACKAGE}.mapping"]
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


def test_no_import_cycles():
    cycle = find_cycle(import_graph())
    assert cycle is None, "import cycle: " + " -> ".join(cycle)


if __name__ == "__main__":
    g = import_graph()
    import sys
    seen = 0
    while (c := find_cycle(g)) and seen < 50:
        print(" -> ".join(x.removeprefix(PACKAGE + ".") for x in c))
        g[c[-2]].discard(c[-1])
        seen += 1
    sys.exit(0)
