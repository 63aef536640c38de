"""Imports run one way: the project package (``hkhz_portal/``) never imports an app; apps
plug into it through its registries (dashboard panels, demo seeders) instead."""

import ast
from pathlib import Path

from django.conf import settings

APPS = {"enterprises", "programs", "funds"}


def imported_modules(path: Path) -> list[tuple[int, str]]:
    """Every module a file imports, at any depth (an import inside a function counts too)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module))
    return found


def test_the_project_package_imports_no_app():
    package = Path(settings.BASE_DIR) / "hkhz_portal"
    offenders = [
        f"{path.relative_to(settings.BASE_DIR)}:{line} imports {module}"
        for path in sorted(package.rglob("*.py"))
        for line, module in imported_modules(path)
        if module.split(".")[0] in APPS
    ]
    assert offenders == []
