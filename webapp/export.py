"""A comparison as one self-contained HTML file: styles inlined, no scripts."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from .pipeline import collector_paused
from .render import own_stylesheet
from .service import Stored
from .viewmodel import KIND_LABELS, KIND_MARKS, Links, comparison_view

ROOT = Path(__file__).resolve().parent.parent


@cache
def _environment() -> Environment:
    """One template environment per process: compiling templates is most of a small export."""
    env = Environment(loader=FileSystemLoader(ROOT / "templates"), autoescape=select_autoescape(default=True))
    env.globals.update(kind_labels=KIND_LABELS, kind_marks=KIND_MARKS)
    return env


@cache
def _stylesheet():
    return own_stylesheet((ROOT / "static" / "app.css").read_text(encoding="utf-8"))


def standalone_html(stored: Stored) -> str:
    """The whole comparison, every row, readable offline and without JavaScript."""
    env, css = _environment(), _stylesheet()
    view = comparison_view(stored, Links(stored.id), every_row=True)  # a file has no "load more": every row
    with collector_paused():  # thousands of small, acyclic rows and strings: no full collections meanwhile
        return env.get_template("export.html").render(view=view, css=css)
