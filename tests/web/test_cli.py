"""coverdiff extract and compare from the command line."""

import json
import subprocess
import sys

from tests.conftest import CNN, REUTERS
from tests.seed_truth import REUTERS_PARAGRAPHS


def run(*args, **kw):
    return subprocess.run([sys.executable, "-m", "webapp", *args], capture_output=True, text=True, **kw)


def test_extract_jsonl_one_object_per_file():
    out = run("extract", str(REUTERS), str(CNN), "--format", "jsonl", check=True).stdout.splitlines()
    first, second = (json.loads(line) for line in out)
    assert first["file"] == str(REUTERS) and second["file"] == str(CNN)
    assert first["title"].startswith("Blinken expects")
    assert len(first["paragraphs"]) == len(REUTERS_PARAGRAPHS)
    assert {"text": "Skip to main content", "reason": "navigation"} in first["removed"]


def test_compare_html_export_is_self_contained(tmp_path):
    out = tmp_path / "out.html"
    run("compare", str(REUTERS), str(CNN), "--format", "html", "-o", str(out), check=True)
    html = out.read_text(encoding="utf-8")
    assert "<script" not in html and "<link" not in html and "<style>" in html
    assert html.count("data-row-kind=") > 10


def test_unreadable_file_is_a_clear_error(tmp_path):
    binary = tmp_path / "x.txt"
    binary.write_bytes(b"\x00\x01\x02binary")
    result = run("compare", str(binary), str(CNN))
    assert result.returncode == 2 and "binary" in result.stderr


def test_html_export_has_every_row_not_one_chunk(tmp_path):
    left, right, out = tmp_path / "left.txt", tmp_path / "right.txt", tmp_path / "out.html"
    left.write_text("\n\n".join(f"Paragraph {n} says the harbour reopened after {n} days." for n in range(260)))
    right.write_text("\n\n".join(f"Item {n}: the ferry ran again with {n * 7} passengers." for n in range(240)))
    run("compare", str(left), str(right), "--format", "html", "-o", str(out), check=True)
    doc = json.loads(run("compare", str(left), str(right), check=True).stdout)
    assert len(doc["rows"]) > 200
    assert out.read_text(encoding="utf-8").count("data-row-kind=") == len(doc["rows"])
