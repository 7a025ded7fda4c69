"""HTML pages and their htmx fragments.

Every interaction is a GET with its own URL: htmx asks for the fragment (the partial),
a reload or a shared link gets the whole page with the same state.
"""

from __future__ import annotations

from flask import Blueprint, current_app, redirect, render_template, request, url_for

from . import csrf, inputs, service
from .errors import BadRequest, CoverdiffError, NotFound
from .htmx import is_fragment_request, page_or_fragment, redirect_to
from .service import SIDES, Stored, app_store
from .viewmodel import FILTERS, ComparisonView, Links, comparison_view, requested_filter

bp = Blueprint("views", __name__)


def links(cid: str) -> Links:
    """The URLs of a comparison's page and its fragments."""
    return Links(cid, url_for)


def view_of(stored: Stored, **state) -> ComparisonView:
    return comparison_view(stored, links(stored.id), **state)


def seed() -> Stored:
    """The seed comparison, computed and stored on first use."""
    cid = current_app.extensions.get("coverdiff.seed_id")
    if cid is not None:
        return service.load(app_store(), cid)
    stored = service.seed(app_store(), current_app.config["PIPELINE_OPTIONS"], current_app.config["SEEDS_DIR"])
    current_app.extensions["coverdiff.seed_id"] = stored.id
    return stored


@bp.get("/")
def home():
    """The compare form above the seed comparison."""
    view = view_of(seed(), show=requested_filter(request.args))
    return render_template("pages/home.html", view=view, form={})


@bp.get("/c/<cid>")
def comparison(cid: str):
    """A stored comparison; htmx filter requests get only the rows panel. While it is still
    being computed: its progress (202), which reloads itself until the comparison is there."""
    found = service.load_or_progress(app_store(), cid)
    if isinstance(found, service.Progress):
        return progress_response(found)
    view = view_of(found, show=requested_filter(request.args), versions=service.versions(app_store(), found))
    return page_or_fragment("pages/comparison.html", "partials/rows_panel.html", view=view)


@bp.get("/c/<cid>/progress")
def progress(cid: str):
    """How far a comparison being computed is (htmx polls it); once stored, htmx goes to it."""
    found = service.load_or_progress(app_store(), cid)
    if isinstance(found, service.Progress):
        return progress_response(found)
    return redirect_to(url_for("views.comparison", cid=cid))


def progress_response(found: service.Progress, poll: str | None = None, again: str | None = None):
    """The progress page or fragment: 202 while under way (never cached), 422 when it failed.
    `poll`: the URL htmx asks again (a pair's by default), `again`: the form to start over in."""
    status = 422 if found.stage == "failed" else 202
    response = page_or_fragment("pages/progress.html", "partials/progress.html", status=status, progress=found,
                                poll=poll or url_for("views.progress", cid=found.id),
                                again=again or url_for("views.new"))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/c/<cid>/rows")
def rows_chunk(cid: str):
    """CHUNK_ROWS filtered rows from position ?start=; htmx loads them as the reader scrolls."""
    start = inputs.row_position(request.args.get("start", "0"))
    view = view_of(service.load(app_store(), cid), show=requested_filter(request.args), start=start)
    if view.start and view.start >= view.total:
        raise NotFound(f"There is no row {view.start + 1} here.")
    return page_or_fragment("pages/comparison.html", "partials/rows_chunk.html", view=view)


@bp.get("/c/<cid>/rows/<n>")
def row(cid: str, n: str):
    """Row n with its word diff, similarity and reasons (?expand=0: without)."""
    return row_response(cid, n, links, "pages/comparison.html")


@bp.get("/c/<cid>/same/<n>")
def same_run(cid: str, n: str):
    """Rows n to ?to= of a run of identical paragraphs, opened in place (a page: from row n on)."""
    return same_run_response(cid, n, links, "pages/comparison.html")


@bp.get("/c/<cid>/removed")
def removed(cid: str):
    """What sanitizing removed from ?side=left|right, each block with its reason (?hide=1: closed)."""
    return removed_response(cid, links, "pages/comparison.html")


# The three responses below serve the site's views and the embed's alike: `links_of(cid)` gives
# the URLs of the one or the other, `page` its page template; `extra` goes to the templates.

def row_response(cid: str, n: str, links_of, page: str, **extra):
    stored = service.load(app_store(), cid)
    index = inputs.row_position(n)
    if index >= len(stored.comparison.rows):
        raise NotFound(f"This comparison has no row {n}.")
    expanded, show = request.args.get("expand") != "0", requested_filter(request.args)
    show = show if stored.comparison.rows[index].row.kind in FILTERS[show][1] else "all"
    view = comparison_view(stored, links_of(cid), show, expanded=index if expanded else None, focus=index)
    return page_or_fragment(page, "partials/row_alone.html", view=view, **extra)


def same_run_response(cid: str, n: str, links_of, page: str, **extra):
    stored = service.load(app_store(), cid)
    first, last = inputs.row_position(n), inputs.row_position(request.args.get("to", n))
    show = requested_filter(request.args)
    kinds = FILTERS[show][1]
    run = [i for i, r in enumerate(stored.comparison.rows) if first <= i <= last and r.row.kind in kinds]
    if not run or run[0] != first or any(stored.comparison.rows[i].row.kind != "same" for i in run):
        raise NotFound(f"Rows {first + 1}–{last + 1} are not a run of identical paragraphs here.")
    view = comparison_view(stored, links_of(cid), show, run=(first, last))
    return page_or_fragment(page, "partials/same_run_rows.html", view=view, last=last, **extra)


def removed_response(cid: str, links_of, page: str, **extra):
    side = request.args.get("side")
    if side not in SIDES:
        raise NotFound("Ask for the removed blocks of side=left or side=right.")
    is_open = request.args.get("hide") != "1"
    stored = service.load(app_store(), cid)
    keep = inputs.removed_index(request.args["keep"]) if "keep" in request.args else None
    if keep is not None and keep >= len(stored.document(side).removed):
        raise NotFound(f"The {side} side has no removed block {keep}.")
    view = comparison_view(stored, links_of(cid), requested_filter(request.args),
                           removed_open=(side,) if is_open else (), keep=keep)
    if keep is not None and is_fragment_request() and view.restore_url():  # "Keep it": sent as it arrives
        return page_or_fragment(page, "partials/keep.html", view=view, side=side, **extra)
    return page_or_fragment(page, "partials/removed.html", view=view, side=side, **extra)


@bp.post("/compare")
def create():
    """Compare the two submitted documents; redirect to (or swap in) the result.
    A bad submission gets the form back, filled as it was sent, with the error in words."""
    try:
        form = inputs.submitted_form()
        csrf.check(form)
        left, right, fetched = inputs.form_sources(form)
        found = service.start(app_store(), left, right, current_app.config["PIPELINE_OPTIONS"],
                              current_app.config["BACKGROUND_MIN_BYTES"], fetched)
    except CoverdiffError as exc:
        return form_with_error(exc)
    return _created_response(found)


def form_with_error(exc: CoverdiffError):
    response = page_or_fragment("pages/new.html", "partials/form.html", status=exc.status,
                                form=inputs.form_fields(), error=exc.message)
    if is_fragment_request():
        response.headers["HX-Retarget"] = "#compare-form"
        response.headers["HX-Reswap"] = "outerHTML"
    return response


@bp.post("/c/<cid>/restore")
def restore(cid: str):
    """Compare again with one removed block (form: side, index) put back."""
    form = inputs.submitted_form()
    csrf.check(form)
    side, index = form.get("side"), inputs.removed_index(form.get("index", ""))
    if side not in SIDES:
        raise BadRequest("Say which removed block to put back: side=left|right and its index.")
    stored = service.restore(app_store(), cid, side, index)
    return _created_response(stored)


@bp.post("/c/<cid>/versions")
def compare_versions(cid: str):
    """Compare a side's link with another fetch of it (form: side, other, other_side)."""
    form = inputs.submitted_form()
    csrf.check(form)
    stored = service.compare_versions(app_store(), cid, form.get("side", ""), form.get("other", ""),
                                      form.get("other_side", ""))
    return _created_response(stored)


def _created_response(found: Stored | service.Progress):
    """The new comparison (or its progress): swapped in for htmx (URL pushed), else a 303 to it."""
    if is_fragment_request():
        if isinstance(found, service.Progress):
            response = progress_response(found)
        else:
            view = view_of(found, versions=service.versions(app_store(), found))
            response = page_or_fragment("pages/comparison.html", "partials/comparison.html", view=view)
        response.headers["HX-Push-Url"] = url_for("views.comparison", cid=found.id)
        return response
    return redirect(url_for("views.comparison", cid=found.id), code=303)


@bp.get("/new")
def new():
    """The compare form on its own page."""
    return render_template("pages/new.html", form={})


@bp.get("/healthz")
def healthz():
    """Liveness: the store answers."""
    app_store().count()
    return {"status": "ok"}
