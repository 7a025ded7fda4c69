"""A comparison as one self-contained HTML file: styles inlined, no scripts."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from jinja2 import Environment, FileSystemBytecodeCache, FileSystemLoader, select_autoescape

from .render import own_stylesheet
from .service import Stored, StoredMany
from .viewmodel import KIND_LABELS, KIND_MARKS, Links, comparison_view, no_url

ROOT = Path(__file__).resolve().parent.parent


@cache
def _environment() -> Environment:
    """One template environment per process, its compiled templates kept between processes
    (Jinja's bytecode cache, in a directory of the user's own under the system's temp folder):
    compiling them was 55 ms of each `coverdiff compare --format html`, more than the seed pair's
    whole comparison."""
    env = Environment(loader=FileSystemLoader(ROOT / "templates"), autoescape=select_autoescape(default=True),
                      bytecode_cache=FileSystemBytecodeCache())
    env.globals.update(kind_labels=KIND_LABELS, kind_marks=KIND_MARKS)
    return env


@cache
def _stylesheet(*names: str):
    return own_stylesheet("\n".join((ROOT / "static" / n).read_text(encoding="utf-8") for n in names))


def standalone_html(stored: Stored) -> str:
    """The whole comparison, every row, readable offline and without JavaScript."""
    env, css = _environment(), _stylesheet("app.css")
    view = comparison_view(stored, Links(stored.id), every_row=True)  # a file has no "load more": every row
    return env.get_template("export.html").render(view=view, css=css)


def standalone_matrix_html(stored: StoredMany) -> str:
    """A comparison of many as one file: every fact, stats and shared quotes; no filters or links."""
    from .matrix import matrix_view  # the matrix module is a Flask blueprint: load it only for this

    view = matrix_view(stored, build=no_url, every=True)
    return _environment().get_template("export_matrix.html").render(view=view, css=_stylesheet("app.css", "matrix.css"))
