"""Every import inside the ``supervision`` package points one way: no module needs itself back.

The modules' imports are read with ``ast``, not executed, so a cycle hidden under
``if TYPE_CHECKING:`` or inside a function (where it would only fail at call time, or never
show up at all) counts as much as one at the top of a file.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

PACKAGE = "supervision"
PACKAGE_DIR = Path(__file__).resolve().parent.parent / PACKAGE

# Imports inside functions are allowed only here, each for a reason that is not a cycle.
FUNCTION_LOCAL_ALLOWED = {
    # The app factory: importing any ``supervision.x`` runs this package's __init__ first, so
    # it loads the features only when an app is made, keeping ``supervision.extensions`` a leaf.
    "supervision": "the app factory loads the features when it builds an app",
}


@dataclass(frozen=True)
class Import:
    importer: str
    imported: str
    line: int
    in_function: bool
    # Importing a.b.c runs a/__init__ and a/b/__init__ first: an edge to each that is not
    # already running (an ancestor of the importer).
    via_package: bool = False


def module_names() -> dict[str, Path]:
    names = {}
    for path in PACKAGE_DIR.rglob("*.py"):
        parts = list(path.relative_to(PACKAGE_DIR.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        names[".".join(parts)] = path
    return names


def _function_imports(tree: ast.AST) -> set[int]:
    inside = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            inside.update(
                id(n) for n in ast.walk(node) if isinstance(n, ast.Import | ast.ImportFrom)
            )
    return inside


def _targets(node: ast.Import | ast.ImportFrom, module: str, path: Path, known: set[str]):
    if isinstance(node, ast.Import):
        yield from (alias.name for alias in node.names)
        return
    base = node.module or ""
    if node.level:  # relative: from the module's package, one level up per extra dot
        package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
        package = package[: len(package) - (node.level - 1)]
        base = ".".join([*package, base] if base else package)
    for alias in node.names:
        submodule = f"{base}.{alias.name}"  # `from package import module`
        yield submodule if submodule in known else base


@cache
def package_imports() -> tuple[Import, ...]:
    """Every import of a package module by another, read once per test session."""
    return tuple(_read_imports())


def _read_imports() -> Iterator[Import]:
    modules = module_names()
    known = set(modules)
    for module, path in sorted(modules.items()):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        in_function = _function_imports(tree)
        for node in ast.walk(tree):
            if not isinstance(node, ast.Import | ast.ImportFrom):
                continue
            for target in _targets(node, module, path, known):
                while target not in known and "." in target:  # `import a.b.name` -> a.b
                    target = target.rsplit(".", 1)[0]
                if target not in known or target == module:
                    continue
                local = id(node) in in_function
                yield Import(module, target, node.lineno, local)
                running = _ancestors(module) | {module}
                for package in sorted(_ancestors(target) - running):
                    yield Import(module, package, node.lineno, local, via_package=True)


def _ancestors(module: str) -> set[str]:
    parts = module.split(".")
    return {".".join(parts[:n]) for n in range(1, len(parts))}


def import_cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan, iteratively)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles = []
    for start in sorted(edges):
        if start in index:
            continue
        work = [(start, iter(sorted(edges[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is None:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        cycles.append(sorted(component))
            elif child not in index:
                index[child] = low[child] = len(index)
                stack.append(child)
                on_stack.add(child)
                work.append((child, iter(sorted(edges.get(child, ())))))
            elif child in on_stack:
                low[node] = min(low[node], index[child])
    return cycles


def _graph(imports: list[Import]) -> dict[str, set[str]]:
    edges: dict[str, set[str]] = {name: set() for name in module_names()}
    for edge in imports:
        edges[edge.importer].add(edge.imported)
    return edges


def test_the_cycle_finder_finds_a_cycle_through_three_modules():
    edges = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert import_cycles(edges) == [["a", "b", "c"]]
    assert import_cycles({"a": {"b"}, "b": set()}) == []


def test_the_reader_sees_imports_in_functions_and_through_package_inits():
    imports = list(package_imports())
    assert any(i.importer == "supervision" and i.in_function for i in imports)
    assert any(i.imported == "supervision.models.user" for i in imports)
    # annotations.services imports cases.privacy, so it runs the cases package's __init__.
    assert any(
        i.importer == "supervision.annotations.services"
        and i.imported == "supervision.cases"
        and i.via_package
        for i in imports
    )
    assert len({i.importer for i in imports}) > 50


def test_no_import_cycles_in_the_package():
    imports = list(package_imports())
    cycles = import_cycles(_graph(imports))
    described = [
        " <-> ".join(cycle)
        + "\n"
        + "\n".join(
            sorted(
                {
                    f"    {i.importer}:{i.line} imports {i.imported}"
                    + (" (its package __init__)" if i.via_package else "")
                    for i in imports
                    if i.importer in cycle and i.imported in cycle
                }
            )
        )
        for cycle in cycles
    ]
    assert not cycles, "import cycles:\n" + "\n".join(described)


def test_imports_inside_functions_are_only_where_they_have_a_reason():
    local = [
        f"{i.importer}:{i.line} imports {i.imported}"
        for i in package_imports()
        if i.in_function and not i.via_package and i.importer not in FUNCTION_LOCAL_ALLOWED
    ]
    assert not local, "import these at the top of the module:\n" + "\n".join(local)


def _imports_between(importers: str, imported: tuple[str, ...]) -> list[str]:
    def inside(module: str, package: str) -> bool:
        return module == package or module.startswith(f"{package}.")

    return sorted(
        {
            f"{i.importer}:{i.line} imports {i.imported}"
            for i in package_imports()
            if inside(i.importer, importers) and any(inside(i.imported, p) for p in imported)
        }
    )


def test_cases_imports_none_of_the_features_that_build_on_cases():
    # Annotations, reviews and discussions point at cases; the case page that shows them all is
    # assembled above them, in supervision.pages.
    above = ("supervision.annotations", "supervision.reviews", "supervision.discussions")
    assert _imports_between("supervision.cases", above) == []


def test_only_the_app_factory_imports_the_pages():
    for package in sorted({name.split(".")[1] for name in module_names() if "." in name}):
        if package != "pages":
            assert _imports_between(f"supervision.{package}", ("supervision.pages",)) == []
