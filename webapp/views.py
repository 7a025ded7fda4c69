"""HTML pages and their htmx fragments."""

from __future__ import annotations

from flask import Blueprint, current_app, redirect, render_template, request, url_for

from . import inputs, service
from .htmx import is_fragment_request, page_or_fragment
from .viewmodel import FILTERS, comparison_view

bp = Blueprint("views", __name__)


def _store():
    return current_app.extensions["coverdiff.store"]


def seed_id() -> str:
    """Id of the seed comparison, computed and stored on first use."""
    cid = current_app.extensions.get("coverdiff.seed_id")
    if cid is None:
        left, right = service.seed_sources(current_app.config["SEEDS_DIR"])
        cid, _doc, _created = service.create(_store(), left, right)
        current_app.extensions["coverdiff.seed_id"] = cid
    return cid


def _show() -> str:
    show = request.args.get("show", "all")
    return show if show in FILTERS else "all"


@bp.get("/")
def home():
    """The compare form above the seed comparison."""
    view = comparison_view(service.load(_store(), seed_id()), _show())
    return render_template("pages/home.html", view=view, form={})


@bp.get("/c/<cid>")
def comparison(cid: str):
    """A stored comparison; htmx filter requests get only the rows panel."""
    view = comparison_view(service.load(_store(), cid), _show())
    return page_or_fragment("pages/comparison.html", "partials/rows_panel.html", view=view)


@bp.post("/compare")
def create():
    """Compare the two submitted documents; redirect to (or swap in) the result."""
    left, right = inputs.form_sources()
    cid, document, _created = service.create(_store(), left, right)
    if is_fragment_request():
        response = page_or_fragment("pages/comparison.html", "partials/comparison.html",
                                    view=comparison_view(document, "all"))
        response.headers["HX-Push-Url"] = url_for("views.comparison", cid=cid)
        return response
    return redirect(url_for("views.comparison", cid=cid), code=303)


@bp.get("/new")
def new():
    """The compare form on its own page."""
    return render_template("pages/new.html", form={})


@bp.get("/healthz")
def healthz():
    """Liveness: the store answers."""
    _store().count()
    return {"status": "ok"}
