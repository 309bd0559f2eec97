"""Data flows one way between the apps (docs/architecture.md): every import in every module,
lazy ones inside functions included, stays inside the arrows drawn here. The demo app uses
them all and nothing uses it."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Which of the project's own packages each package may import, besides itself.
MAY_IMPORT = {
    "imports": set(),
    "cms": {"imports"},
    "publications": {"cms"},
    "search": {"cms"},
    "supervision": {"cms", "publications", "imports"},
    "demo": {"cms", "publications", "search", "supervision", "imports"},
}


def imported_packages(path):
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name.split(".")[0], node.lineno
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module.split(".")[0], node.lineno


def crossings(package):
    allowed = MAY_IMPORT[package] | {package}
    for path in sorted((ROOT / package).rglob("*.py")):
        for imported, line in imported_packages(path):
            if imported in MAY_IMPORT and imported not in allowed:
                yield f"{path.relative_to(ROOT)}:{line} imports {imported}"


@pytest.mark.parametrize("package", sorted(MAY_IMPORT))
def test_each_app_imports_only_the_apps_upstream_of_it(package):
    assert list(crossings(package)) == []


def test_the_boundary_check_sees_a_lazy_import_inside_a_function(tmp_path):
    module = tmp_path / "module.py"
    module.write_text("def later():\n    from demo.hall import generate_demo_year\n")
    assert list(imported_packages(module)) == [("demo", 2)]


def test_every_package_of_the_project_has_its_arrows_drawn():
    packages = {
        path.parent.name
        for path in ROOT.glob("*/__init__.py")
        if path.parent.name not in {"config", "tests", "bench"}
    }
    assert packages == set(MAY_IMPORT)
