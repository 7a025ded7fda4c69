"""HTML pages and their htmx fragments.

Every interaction is a GET with its own URL: htmx asks for the fragment (the partial),
a reload or a shared link gets the whole page with the same state.
"""

from __future__ import annotations

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for

from . import inputs, service
from .htmx import is_fragment_request, page_or_fragment
from .service import app_store
from .viewmodel import FILTERS, SIDES, comparison_view, requested_filter

bp = Blueprint("views", __name__)



def seed_id() -> str:
    """Id of the seed comparison, computed and stored on first use."""
    cid = current_app.extensions.get("coverdiff.seed_id")
    if cid is None:
        left, right = service.seed_sources(current_app.config["SEEDS_DIR"])
        cid, _doc, _created = service.create(app_store(), left, right, current_app.config["PIPELINE_OPTIONS"])
        current_app.extensions["coverdiff.seed_id"] = cid
    return cid



def _start() -> int:
    """?start=, a row position: a non-negative integer (404 otherwise)."""
    value = request.args.get("start", "0")
    if not value.isdecimal():
        abort(404, description=f"There is no row {value} here.")
    return int(value)


@bp.get("/")
def home():
    """The compare form above the seed comparison."""
    view = comparison_view(service.load(app_store(), seed_id()), requested_filter(request.args))
    return render_template("pages/home.html", view=view, form={})


@bp.get("/c/<cid>")
def comparison(cid: str):
    """A stored comparison; htmx filter requests get only the rows panel."""
    view = comparison_view(service.load(app_store(), cid), requested_filter(request.args))
    return page_or_fragment("pages/comparison.html", "partials/rows_panel.html", view=view)


@bp.get("/c/<cid>/rows")
def rows_chunk(cid: str):
    """CHUNK_ROWS filtered rows from position ?start=; htmx loads them as the reader scrolls."""
    view = comparison_view(service.load(app_store(), cid), requested_filter(request.args), start=_start())
    if view.start and view.start >= view.total:
        abort(404, description=f"There is no row {view.start + 1} here.")
    return page_or_fragment("pages/comparison.html", "partials/rows_chunk.html", view=view)


@bp.get("/c/<cid>/rows/<n>")
def row(cid: str, n: str):
    """Row n with its word diff, similarity and reasons (?expand=0: without)."""
    document = service.load(app_store(), cid)
    if not n.isdecimal() or int(n) >= len(document["rows"]):
        abort(404, description=f"This comparison has no row {n}.")
    index, expanded = int(n), request.args.get("expand") != "0"
    show = requested_filter(request.args)
    show = show if document["rows"][index]["kind"] in FILTERS[show][1] else "all"
    view = comparison_view(document, show, expanded=index if expanded else None, focus=index)
    return page_or_fragment("pages/comparison.html", "partials/row_alone.html", view=view)


@bp.get("/c/<cid>/removed")
def removed(cid: str):
    """What sanitizing removed from ?side=left|right, each block with its reason (?hide=1: closed)."""
    side = request.args.get("side")
    if side not in SIDES:
        abort(404, description="Ask for the removed blocks of side=left or side=right.")
    is_open = request.args.get("hide") != "1"
    view = comparison_view(service.load(app_store(), cid), requested_filter(request.args),
                           removed_open=(side,) if is_open else ())
    return page_or_fragment("pages/comparison.html", "partials/removed.html", view=view, side=side)


@bp.post("/compare")
def create():
    """Compare the two submitted documents; redirect to (or swap in) the result."""
    left, right = inputs.form_sources()
    cid, document, _created = service.create(app_store(), left, right, current_app.config["PIPELINE_OPTIONS"])
    return _created_response(cid, document)


@bp.post("/c/<cid>/restore")
def restore(cid: str):
    """Compare again with one removed block (form: side, index) put back."""
    side, index = request.form.get("side"), request.form.get("index", "")
    if side not in SIDES or not index.isdigit():
        abort(400, description="Say which removed block to put back: side=left|right and its index.")
    new_cid, document, _created = service.restore(app_store(), cid, side, int(index))
    return _created_response(new_cid, document)


def _created_response(cid: str, document: dict):
    """The new comparison: swapped in for htmx (URL pushed), else a 303 to it."""
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
    app_store().count()
    return {"status": "ok"}
