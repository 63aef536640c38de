"""The enterprises app's modules import each other without a circle through its services.

Every import counts, also one inside a function: a lazy import hides a circle from Python
at start-up, not from a reader who has to know which module may be loaded first.
"""

import ast
from pathlib import Path

from django.conf import settings

PACKAGE = "enterprises"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(settings.BASE_DIR).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of(path: Path, name: str, known: set[str]) -> set[str]:
    """The app's modules that ``path`` imports; ``from .services import mail`` imports ``….services.mail``."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            targets = [base] + [f"{base}.{alias.name}" for alias in node.names]
        else:
            continue
        found |= {target for target in targets if target in known and target != name}
    return found


def import_graph() -> dict[str, set[str]]:
    paths = {
        module_name(p): p for p in (Path(settings.BASE_DIR) / PACKAGE).rglob("*.py") if "migrations" not in p.parts
    }
    known = set(paths)
    return {name: imports_of(path, name, known) for name, path in paths.items()}


def cycle_through(start: str, graph: dict[str, set[str]]) -> list[str] | None:
    """A path of imports from ``start`` back to itself, if there is one."""
    stack, seen = [(start, [start])], set()
    while stack:
        node, path = stack.pop()
        for target in sorted(graph[node]):
            if target == start:
                return [*path, start]
            if target not in seen:
                seen.add(target)
                stack.append((target, [*path, target]))
    return None


def test_no_services_module_imports_itself_round_a_circle():
    graph = import_graph()
    services = sorted(name for name in graph if name.startswith(f"{PACKAGE}.services."))
    assert services, "the services modules were not found"
    circles = {name: cycle_through(name, graph) for name in services}
    assert {name: " → ".join(c) for name, c in circles.items() if c} == {}
