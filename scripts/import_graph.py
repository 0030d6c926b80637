"""Measure the import structure of src/laborcoop: the figures behind docs/architecture.md "Layers".

    .venv/bin/python scripts/import_graph.py [--src DIR]

Prints: packages that import each other, imports that run up the layers declared in pyproject.toml
([tool.importlinter] "layers"), cycles between modules, imports written inside functions, and the largest
modules. Reads the code with grimp (the graph import-linter uses); nothing is imported or run.
"""

import argparse
import ast
import sys
import tomllib
from collections import Counter
from pathlib import Path

import grimp


def declared_layers(pyproject: Path) -> list[set[str]]:
    config = tomllib.loads(pyproject.read_text())["tool"]["importlinter"]
    contract = next(c for c in config["contracts"] if c["type"] == "layers")
    return [{name.strip().split(".")[1] for name in layer.split("|")} for layer in contract["layers"]]


def app_of(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else parts[0]


def strongly_connected(nodes: set[str], edges: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's algorithm, iterative: the groups of modules that import each other in a loop."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    groups: list[list[str]] = []
    counter = 0
    for root in sorted(nodes):
        if root in index:
            continue
        work = [(root, iter(sorted(edges.get(root, ()))))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                if len(group) > 1:
                    groups.append(sorted(group))
    return groups


def function_level_imports(src: Path) -> int:
    """Imports of laborcoop modules written inside a function body (AppConfig.ready() in apps.py excepted: Django
    wants models and receivers imported there, once the registry of apps is ready)."""
    count = 0
    for path in (src / "laborcoop").rglob("*.py"):
        if "migrations" in path.parts or path.name == "apps.py":
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                for inner in ast.walk(node):
                    if isinstance(inner, ast.ImportFrom) and (inner.module or "").startswith("laborcoop"):
                        count += 1
    return count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--src", default="src", type=Path)
    parser.add_argument("--pyproject", default="pyproject.toml", type=Path)
    args = parser.parse_args()
    sys.path.insert(0, str(args.src.resolve()))
    graph = grimp.build_graph("laborcoop", include_external_packages=False)
    modules = {m for m in graph.modules if ".migrations" not in m}
    edges = {m: {i for i in graph.find_modules_directly_imported_by(m) if i in modules} for m in modules}

    rank = {app: n for n, layer in enumerate(declared_layers(args.pyproject)) for app in layer}  # 0 = top
    app_edges: Counter[tuple[str, str]] = Counter()
    for importer, imported in ((m, i) for m, targets in edges.items() for i in targets):
        if app_of(importer) != app_of(imported):
            app_edges[(app_of(importer), app_of(imported))] += 1
    upward = {pair: n for pair, n in app_edges.items() if rank.get(pair[0], 99) >= rank.get(pair[1], 99)}
    apps = {app_of(m) for m in modules} - {"laborcoop"}
    importing = {a for a, _ in app_edges}
    imported_by_other = {b for _, b in app_edges}
    tangled = {a for a in apps if a in importing and a in imported_by_other}

    print(f"apps: {len(apps)}; apps that import and are imported by other apps: {len(tangled)}")
    print(f"app-to-app import pairs: {len(app_edges)} ({sum(app_edges.values())} module imports)")
    print(f"upward or sideways imports against the layers: {len(upward)} pairs, {sum(upward.values())} imports")
    for (a, b), n in sorted(upward.items()):
        print(f"  {a} -> {b}: {n}")
    cycles = strongly_connected(modules, edges)
    print(f"module cycles: {len(cycles)}")
    for group in cycles:
        print(f"  {len(group)} modules: {', '.join(group)}")
    app_cycles = strongly_connected(apps, {a: {b for (x, b) in app_edges if x == a} for a in apps})
    print(f"app cycles: {len(app_cycles)}" + "".join(f"\n  {' <-> '.join(g)}" for g in app_cycles))
    print(f"laborcoop imports inside functions: {function_level_imports(args.src)}")
    sizes = sorted(
        ((len(p.read_text().splitlines()), p) for p in (args.src / "laborcoop").rglob("*.py") if "migrations" not in p.parts),
        reverse=True,
    )
    print("largest modules:")
    for lines, path in sizes[:5]:
        print(f"  {lines:5d}  {path.relative_to(args.src)}")


if __name__ == "__main__":
    main()
