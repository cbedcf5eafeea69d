"""The kit's imports point one way, from the build down to the facts (builder -> publish -> geo -> figures -> facts),
with no cycle, counting imports inside functions too; a notebook imports the kit in at most three lines."""

from __future__ import annotations

import ast
import json
from pathlib import Path

from helpers.builder import notebooks

ROOT = Path(__file__).resolve().parents[1]
KIT = ROOT / "src" / "helpers"
RANK = {"facts": 0, "figures": 1, "geo": 2, "publish": 3, "builder": 4}  # a folder may import only those ranked lower


def _module(path: Path, kit: Path) -> str:
    parts = list(path.relative_to(kit.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def import_graph(kit: Path) -> dict[str, set[str]]:
    """module -> the kit's modules it imports, anywhere in its code (a function's own imports included)."""
    modules = {_module(p, kit): p for p in kit.rglob("*.py")}
    graph = {}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
        deps = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                base = package.split(".")[: len(package.split(".")) - node.level + 1] if node.level else []
                mod = ".".join(base + ([node.module] if node.module else []))
                deps |= {f"{mod}.{a.name}" if f"{mod}.{a.name}" in modules else mod for a in node.names}
            elif isinstance(node, ast.Import):
                deps |= {a.name for a in node.names}
        graph[name] = {d for d in deps if d in modules and d != name}
    return graph


def wrong_way(graph: dict[str, set[str]]) -> list[str]:
    folder = {m: m.split(".")[1] for m in graph if m.count(".") >= 1 and m.split(".")[1] in RANK}
    return sorted(f"{m} -> {d}" for m, deps in graph.items() for d in deps
                  if m in folder and d in folder and RANK[folder[d]] > RANK[folder[m]])  # fmt: skip


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Import cycles, leaving out a package's import of its own modules (its __init__ re-exporting them)."""
    state, stack, found = {}, [], []

    def visit(m):
        state[m] = "open"
        stack.append(m)
        for d in sorted(graph[m]):
            if d.startswith(m + "."):
                continue
            if state.get(d) == "open":
                found.append([*stack[stack.index(d) :], d])
            elif d not in state:
                visit(d)
        stack.pop()
        state[m] = "done"

    for m in sorted(graph):
        if m not in state:
            visit(m)
    return found


def test_the_kits_imports_point_from_the_build_down_to_the_facts_without_a_cycle():
    graph = import_graph(KIT)
    assert {"helpers.facts.load", "helpers.builder.run", "helpers.publish.site"} <= set(graph)
    assert not wrong_way(graph), (
        f"imports against the direction builder -> publish -> geo -> figures -> facts: {wrong_way(graph)}"
    )
    assert not cycles(graph), f"import cycles: {cycles(graph)}"


def test_the_import_checks_find_a_wrong_way_import_and_a_cycle_inside_a_function(tmp_path):
    kit = tmp_path / "helpers"
    for folder in ("facts", "figures"):
        (kit / folder).mkdir(parents=True)
        (kit / folder / "__init__.py").write_text("", encoding="utf-8")
    (kit / "__init__.py").write_text("", encoding="utf-8")
    (kit / "figures" / "theme.py").write_text("from ..facts import verdicts\n", encoding="utf-8")
    (kit / "facts" / "verdicts.py").write_text("def colour():\n    from ..figures import theme\n", encoding="utf-8")
    graph = import_graph(kit)
    assert wrong_way(graph) == ["helpers.facts.verdicts -> helpers.figures.theme"]
    assert cycles(graph) and set(cycles(graph)[0]) == {"helpers.facts.verdicts", "helpers.figures.theme"}


def test_a_notebook_imports_the_kit_in_at_most_three_lines():
    for path in notebooks(ROOT):
        code = [c["source"] for c in json.loads(path.read_text(encoding="utf-8"))["cells"] if c["cell_type"] == "code"]
        lines = [line for c in code for line in "".join(c).splitlines()
                 if line.startswith(("from helpers", "import helpers"))]  # fmt: skip
        assert 1 <= len(lines) <= 3, f"{path.name}: {lines}"
