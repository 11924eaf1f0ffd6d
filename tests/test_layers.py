"""Imports go one way: models -> etl -> dashboard/queries -> pages; dash only where allowed."""
from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# What each layer may import from the project (config and warehouse are the shared base; the
# queries also take the Scope and Period types every question is asked with).
ALLOWED = {
    "models": {"models", "dashboard.config"},
    "etl": {"models", "etl", "dashboard.config", "dashboard.warehouse"},
    "dashboard/queries": {"models", "etl", "dashboard.config", "dashboard.warehouse",
                          "dashboard.queries", "dashboard.period", "dashboard.scope"},
}
DASH_ALLOWED = ("pages/", "dashboard/app.py", "dashboard/components.py", "dashboard/figures.py")


def project_imports(path: Path) -> set[str]:
    """Modules of this project imported by one file."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names |= {f"{node.module}.{a.name}" for a in node.names}
    return {n for n in names if n.split(".")[0] in {"models", "etl", "dashboard", "pages"}}


def allowed(name: str, prefixes: set[str]) -> bool:
    return any(name == p or name.startswith(p + ".") for p in prefixes)


def test_no_layer_imports_upward():
    """Every project import of models/, etl/ and dashboard/queries/ points left."""
    bad = []
    for layer, prefixes in ALLOWED.items():
        for path in (ROOT / layer).rglob("*.py"):
            for name in project_imports(path):
                # "from dashboard import warehouse" names the package and the module
                if name in ("dashboard",) or allowed(name, prefixes):
                    continue
                bad.append(f"{path.relative_to(ROOT)} imports {name}")
    assert bad == []


def test_only_pages_and_the_app_import_dash():
    """Queries, ETL and models never import Dash."""
    bad = []
    for path in ROOT.glob("*/**/*.py"):
        rel = str(path.relative_to(ROOT))
        if rel.startswith((".venv", "tests/", "bench/")) or rel.startswith(DASH_ALLOWED):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            mods = ([a.name for a in node.names] if isinstance(node, ast.Import) else
                    [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            if any(m.split(".")[0] in ("dash", "dash_bootstrap_components", "dash_ag_grid")
                   for m in mods):
                bad.append(rel)
    assert bad == []


def test_every_module_and_public_function_has_a_docstring():
    """One-line docstrings everywhere (STYLE.md)."""
    missing = []
    for layer in ("models", "etl", "dashboard", "pages"):
        for path in (ROOT / layer).rglob("*.py"):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            if path.name != "__init__.py" or path.stat().st_size:
                if not ast.get_docstring(tree):
                    missing.append(str(path.relative_to(ROOT)))
            for node in tree.body:
                if isinstance(node, (ast.FunctionDef, ast.ClassDef)) and not node.name.startswith("_"):
                    if not ast.get_docstring(node):
                        missing.append(f"{path.relative_to(ROOT)}:{node.name}")
    assert missing == []
