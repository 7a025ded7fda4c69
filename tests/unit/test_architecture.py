"""The shape of the code: imports run one way, and the web layer works on typed objects."""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

WEBAPP = Path(__file__).resolve().parents[2] / "webapp"
# Modules that render or answer requests: they take the typed Comparison from service.py.
WEB_LAYER = ("views.py", "viewmodel.py", "embed.py", "render.py", "export.py", "api.py", "cli.py", "matrix.py")
# Keys of the stored JSON document (serialize.py): indexing with them means a dict got through.
DOCUMENT_KEYS = {"rows", "left", "right", "diff", "kind", "stats", "paragraphs", "removed", "shared", "counts",
                 "outlet", "title", "reasons", "similarity", "moved", "op", "text", "right_text"}


def _module(path: Path) -> str:
    parts = path.relative_to(WEBAPP.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    """webapp modules `path` imports, at the top or inside functions."""
    package = _module(path) if path.name == "__init__.py" else _module(path).rpartition(".")[0]
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            base = package
            for _ in range(node.level - 1):
                base = base.rpartition(".")[0]
            target = f"{base}.{node.module}" if node.level and node.module else (node.module or base)
            if node.module:  # "from . import x" names modules x; the package itself is already loaded
                out.add(target)
            out.update(f"{target}.{a.name}" for a in node.names)
        elif isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
    return out


def test_the_import_graph_of_webapp_has_no_cycle():
    modules = {_module(p): p for p in WEBAPP.rglob("*.py")}
    graph = {m: {t for t in _imports(p) if t in modules and t != m} for m, p in modules.items()}
    state: dict[str, str] = {}

    def visit(module: str, path: list[str]) -> None:
        state[module] = "open"
        for target in sorted(graph[module]):
            if state.get(target) == "open":
                pytest.fail("import cycle: " + " -> ".join([*path[path.index(target):], target]))
            if target not in state:
                visit(target, [*path, target])
        state[module] = "done"

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])


@pytest.mark.parametrize("name", WEB_LAYER)
def test_the_web_layer_never_indexes_the_stored_document(name):
    tree = ast.parse((WEBAPP / name).read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant):
            assert node.slice.value not in DOCUMENT_KEYS, f"{name}:{node.lineno} indexes [{node.slice.value!r}]"
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "get" \
                and node.args and isinstance(node.args[0], ast.Constant):
            assert node.args[0].value not in DOCUMENT_KEYS, f"{name}:{node.lineno} .get({node.args[0].value!r})"


def test_the_command_line_help_loads_no_web_stack_or_pipeline():
    code = ("import sys; from webapp import cli\n"
            "try:\n    cli.main(['--help'])\nexcept SystemExit:\n    pass\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in "
            "('flask', 'werkzeug', 'jinja2', 'bs4', 'lxml', 'webapp') and m not in ('webapp', 'webapp.cli')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip().splitlines()[-1] == "[]"
