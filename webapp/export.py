"""A comparison as one self-contained HTML file: styles inlined, no scripts."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from jinja2 import Environment, FileSystemBytecodeCache, FileSystemLoader, select_autoescape

from .render import own_stylesheet
from .service import Stored
from .viewmodel import KIND_LABELS, KIND_MARKS, Links, comparison_view

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
def _stylesheet():
    return own_stylesheet((ROOT / "static" / "app.css").read_text(encoding="utf-8"))


def standalone_html(stored: Stored) -> str:
    """The whole comparison, every row, readable offline and without JavaScript."""
    env, css = _environment(), _stylesheet()
    view = comparison_view(stored, Links(stored.id), every_row=True)  # a file has no "load more": every row
    return env.get_template("export.html").render(view=view, css=css)
