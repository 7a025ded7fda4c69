"""webapp/pipeline is pure: no Flask, no request, no file, process or network I/O."""

import ast
from pathlib import Path

import pytest

PIPELINE = Path(__file__).resolve().parents[2] / "webapp" / "pipeline"
FORBIDDEN_MODULES = {"flask", "werkzeug", "sqlite3", "socket", "subprocess", "requests", "urllib",
                     "http", "os", "shutil", "pathlib", "tempfile", "io"}
FORBIDDEN_CALLS = {"open", "print", "input", "exec", "eval"}


@pytest.mark.parametrize("path", sorted(PIPELINE.glob("*.py")), ids=lambda p: p.name)
def test_pipeline_module_is_pure(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [a.name.split(".")[0] for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            names = [(node.module or "").split(".")[0]]
        else:
            names = []
        assert not FORBIDDEN_MODULES & set(names), f"{path.name}:{node.lineno} imports {names}"
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            assert node.func.id not in FORBIDDEN_CALLS, f"{path.name}:{node.lineno} calls {node.func.id}()"


def test_only_diff_module_imports_diff_match_patch():
    importers = [p.name for p in PIPELINE.glob("*.py") if "diff_match_patch" in p.read_text(encoding="utf-8")]
    assert importers == ["diff.py"]
