"""The house rules, checked on the code itself (issue 10):

- no import cycle among altbot's modules, counting imports inside functions;
- no private name (``_x``) imported from another module;
- every module says in its docstring what it is for;
- the library API is public (``__all__``) and each name resolves.
"""

from __future__ import annotations

import ast
import os

import pytest

PKG = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "altbot")


def _modules() -> dict[str, str]:
    out = {}
    for dirpath, _dirs, files in os.walk(PKG):
        for name in files:
            if name.endswith(".py"):
                path = os.path.join(dirpath, name)
                rel = os.path.relpath(path, os.path.dirname(PKG))[:-3].replace(os.sep, ".")
                out[rel[: -len(".__init__")] if rel.endswith(".__init__") else rel] = path
    return out


MODULES = _modules()


def _imports(path: str, module: str) -> list[tuple[str, list[str]]]:
    """(imported altbot module, names taken from it) for every import, at any depth."""
    tree = ast.parse(open(path, encoding="utf-8").read(), path)
    package = module if path.endswith("__init__.py") else module.rsplit(".", 1)[0]
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for a in node.names:
                if a.name.startswith("altbot"):
                    out.append((a.name, []))
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                base = ".".join(parts[: len(parts) - node.level + 1] + ([base] if base else []))
            if not base.startswith("altbot"):
                continue
            names = [a.name for a in node.names]
            # "from altbot import decide" imports a module, not a name
            subs = [n for n in names if f"{base}.{n}" in MODULES]
            if subs:
                out.extend((f"{base}.{n}", []) for n in subs)
            rest = [n for n in names if n not in subs]
            if rest:
                out.append((base, rest))
        elif isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "import_module":
            continue  # the CLI's one dispatch by name: commands import nothing back
    return out


def _graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {m: set() for m in MODULES}
    for module, path in MODULES.items():
        for target, _names in _imports(path, module):
            while target not in MODULES and "." in target:
                target = target.rsplit(".", 1)[0]
            if target in MODULES and target != module:
                graph[module].add(target)
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    out: list[list[str]] = []
    counter = [0]

    def visit(v: str) -> None:
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def _parents(module: str) -> set[str]:
    parts = module.split(".")
    return {".".join(parts[:i]) for i in range(1, len(parts))}


def test_no_import_cycles_even_inside_functions():
    graph = _graph()
    # a package's __init__ re-exporting its own modules is not a cycle of the pipeline
    for m in graph:
        graph[m] = {t for t in graph[m] if t not in _parents(m)}
    assert _cycles(graph) == []


def test_the_cycle_finder_finds_a_cycle():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []


def test_no_private_name_crosses_a_module():
    crossing = []
    for module, path in MODULES.items():
        for target, names in _imports(path, module):
            for n in names:
                if n.startswith("_") and not n.startswith("__"):
                    crossing.append(f"{module} imports {n} from {target}")
    assert crossing == []


@pytest.mark.parametrize("module", sorted(MODULES))
def test_every_module_has_a_docstring(module):
    tree = ast.parse(open(MODULES[module], encoding="utf-8").read())
    doc = ast.get_docstring(tree)
    assert doc and len(doc.split()) >= 4, f"{module} needs a docstring that says what it does"


def test_public_api_resolves():
    import altbot

    assert {"check", "scan", "plan_fix", "CheckResult", "ScanResult", "FixPlan", "Proposal"} <= set(altbot.__all__)
    for name in altbot.__all__:
        assert getattr(altbot, name) is not None
