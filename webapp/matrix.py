"""The coverage matrix of a comparison of many (issue #17): /m/<id>, its filters and pairs.

One row per fact in story order, one column per document (outlet); each cell holds that
document's wording of the fact or a gap. Filters are GETs with their own URLs (htmx swaps the
panel, a reload gets the page): ?show=all|every|several|one and ?outlet=<index> (the facts that
outlet reports; with show=one, the facts only it has). /m/<id>/pair/<i>/<j> creates the
side-by-side comparison of two documents once and redirects to it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from flask import Blueprint, current_app, redirect, render_template, request, url_for
from flask_limiter.errors import RateLimitExceeded
from markupsafe import Markup, escape

from . import csrf, inputs, service, views
from .errors import CoverdiffError, NotFound
from .htmx import is_fragment_request, page_or_fragment, redirect_to
from .limits import RateLimited
from .pipeline import diff
from .pipeline.facts import Fact, joined, reference
from .service import StoredMany, app_store

bp = Blueprint("matrix", __name__)

OUTLET_PARAM = "outlet"  # the query parameter of the per-outlet filter (a URL's, not a stored key)
# Facts per page of the matrix. Set from the 5 x 1 MB bench case: 3,131 facts, about 3 KB of
# HTML each with five columns, so the whole matrix is a 9 MB page; 200 facts are about 0.6 MB.
FACTS_PER_PAGE = 200  # facts
# Filters: the query value, its label, and which facts it keeps (by how many documents report them).
SHOWS = {"all": "All facts", "every": "Reported by all", "several": "By several", "one": "By one only"}


@dataclass(frozen=True)
class MatrixCell:
    document: int
    texts: tuple[str, ...]  # the document's paragraphs of this fact; () is a gap


@dataclass(frozen=True)
class MatrixRow:
    fact: Fact
    coverage: str  # "all" | "some" | "one": the hook [data-fact-coverage]
    cells: tuple[MatrixCell, ...]
    # Expanded: the document of the most common wording, and each cell's words against it.
    reference: int | None = None
    diffs: tuple[Markup | None, ...] = ()


@dataclass(frozen=True)
class Column:
    index: int
    name: str
    covered: float
    exclusive: int


@dataclass(frozen=True)
class MatrixView:
    id: str
    columns: tuple[Column, ...]
    rows: tuple[MatrixRow, ...]  # the filtered rows of this page
    total: int  # facts before filtering
    show: str
    outlet: int | None
    quotes: tuple[tuple[str, tuple[str, ...]], ...]  # text, names of the documents that hold it
    pairs: tuple[tuple[Column, Column, str | None], ...]  # two columns and the URL of their side by side
    build: Callable[..., str | None] = url_for  # None-returning in a file: no filters, no links
    expanded: int | None = None  # the fact whose wordings are compared
    page: str = "matrix.matrix"  # the endpoints filters and toggles link to (the embed has its own)
    fact_page: str | None = "matrix.fact"
    start: int = 0  # position of the page's first row among the filtered facts
    matching: int = 0  # facts the filter keeps, on every page

    @property
    def interactive(self) -> bool:
        return self.url() is not None

    def url(self, show: str = "all", outlet: int | None = None, start: int = 0) -> str | None:
        return self.build(self.page, cid=self.id, show=None if show == "all" else show, outlet=outlet,
                          start=start or None)

    def page_url(self, start: int) -> str | None:
        """Another page of the same filter."""
        return self.url(self.show, self.outlet, start)

    @property
    def previous_start(self) -> int | None:
        return max(0, self.start - FACTS_PER_PAGE) if self.start else None

    @property
    def next_start(self) -> int | None:
        end = self.start + len(self.rows)
        return end if end < self.matching else None

    def fact_url(self, index: int, expand: bool = True) -> str | None:
        """The URL of one fact's row, with its wordings compared (or, expand=False, without)."""
        if self.fact_page is None:
            return None
        return self.build(self.fact_page, cid=self.id, n=index, show=None if self.show == "all" else self.show,
                          outlet=self.outlet, expand=None if expand else 0)

    def label(self, show: str) -> str:
        if show == "one" and self.outlet is not None:
            return f"Only in {self.columns[self.outlet].name}"
        return SHOWS[show]


def coverage(fact: Fact, documents: int) -> str:
    n = len(fact.members)
    return "all" if n == documents else "one" if n == 1 else "some"


def kept(fact: Fact, documents: int, show: str, outlet: int | None) -> bool:
    n = len(fact.members)
    by_count = {"all": True, "every": n == documents, "several": 1 < n < documents, "one": n == 1}[show]
    return by_count and (outlet is None or fact.member(outlet) is not None)


def column_names(stored: StoredMany) -> tuple[str, ...]:
    """Each document's outlet, else its title, else its position; repeated names are numbered."""
    names = [d.outlet or d.title or f"Document {k + 1}" for k, d in enumerate(stored.comparison.documents)]
    return tuple(f"{n} ({k + 1})" if names.count(n) > 1 else n for k, n in enumerate(names))


def matrix_view(stored: StoredMany, show: str = "all", outlet: int | None = None,
                build: Callable[..., str | None] = url_for, expanded: int | None = None,
                embedded: bool = False, start: int = 0, every: bool = False) -> MatrixView:
    """The matrix's view model: FACTS_PER_PAGE filtered facts from `start` (the page of the
    `expanded` fact when one is), or `every` fact; `embedded`: filters stay in the embed, no
    fact detail or pairs."""
    many = stored.comparison
    n = len(many.documents)
    names = column_names(stored)
    columns = tuple(Column(k, names[k], s.covered, s.exclusive) for k, s in enumerate(many.stats.documents))
    matching = [f for f in many.facts if kept(f, n, show, outlet)]
    at = next((k for k, f in enumerate(matching) if f.index == expanded), None)
    start = 0 if every else (at - at % FACTS_PER_PAGE if at is not None else start)
    shown = matching if every else matching[start:start + FACTS_PER_PAGE]
    rows = tuple(matrix_row(stored, f, f.index == expanded) for f in shown)
    quotes = tuple((q.text, tuple(names[d] for d in q.documents)) for q in many.stats.shared_quotes)
    pairs = () if embedded else tuple((columns[i], columns[j], build("matrix.pair", cid=stored.id, i=i, j=j))
                                      for i in range(n) for j in range(i + 1, n))
    pages = {"page": "embed.matrix", "fact_page": None} if embedded else {}
    return MatrixView(stored.id, columns, rows, len(many.facts), show, outlet, quotes, pairs, build, expanded,
                      start=start, matching=len(matching), **pages)


def matrix_row(stored: StoredMany, fact: Fact, expand: bool) -> MatrixRow:
    docs = stored.comparison.documents
    cells = tuple(MatrixCell(d, tuple(docs[d].paragraphs[p].text for p in (fact.member(d).paragraphs
                                                                           if fact.member(d) else ())))
                  for d in range(len(docs)))
    row = MatrixRow(fact, coverage(fact, len(docs)), cells)
    if not expand or len(fact.members) < 2:
        return row
    ref = reference(fact, docs)
    base = joined(docs[ref], fact.member(ref).paragraphs)
    diffs = tuple(None if not fact.member(d) or d == ref else
                  wording_html(diff.diff_texts(base, joined(docs[d], fact.member(d).paragraphs),
                                               ignore_typography=stored.comparison.options.ignore_typography)[0])
                  for d in range(len(docs)))
    return MatrixRow(fact, row.coverage, cells, ref, diffs)


_SPOKEN = {"insert": "not in the most common wording", "delete": "only in the most common wording"}


def wording_html(ops) -> Markup:
    """One outlet's wording against the reference: its own words marked <ins>, the reference's
    missing words <del>, each with its meaning in words for screen readers."""
    out, previous = [], None
    for op in ops:
        if previous == "delete" and op.op == "insert":
            out.append(" ")  # a replaced word and its replacement, apart
        previous = op.op
        text = op.right_text if op.op == "equal" and op.right_text is not None else op.text
        piece = escape(text).replace("\n\n", Markup("<br><br>"))
        if op.op == "equal" or not text.strip():
            out.append(piece)
        else:
            tag = "ins" if op.op == "insert" else "del"
            out.append(Markup(f'<{tag} class="hl"><span class="sr-only">[{_SPOKEN[op.op]}: </span>{piece}'
                              f'<span class="sr-only">]</span></{tag}>'))
    return Markup("").join(out)


def requested(stored: StoredMany) -> tuple[str, int | None]:
    """The filter a URL asks for: an unknown show or outlet is a 404 that says so."""
    show = request.args.get("show", "all")
    if show not in SHOWS:
        raise NotFound(f"There is no filter show={show[:20]}; use one of {', '.join(SHOWS)}.")
    value = request.args.get(OUTLET_PARAM)
    if value is None:
        return show, None
    outlet = inputs.row_position(value)
    if outlet >= len(stored.comparison.documents):
        raise NotFound(f"This comparison has no document {outlet}.")
    return show, outlet


@bp.get("/m/<cid>")
def matrix(cid: str):
    """The matrix; htmx filter requests get only its panel. While it is still being computed:
    its progress (202), which asks again until the matrix is there."""
    found = service.load_many_or_progress(app_store(), cid)
    if isinstance(found, service.Progress):
        return progress_response(found)
    view = paged(matrix_view(found, *requested(found), start=requested_start()))
    return page_or_fragment("pages/matrix.html", "partials/matrix_panel.html", view=view)


@bp.get("/m/<cid>/progress")
def progress(cid: str):
    """How far a comparison of many being computed is (htmx polls it); once stored, htmx goes to it."""
    found = service.load_many_or_progress(app_store(), cid)
    if isinstance(found, service.Progress):
        return progress_response(found)
    return redirect_to(url_for("matrix.matrix", cid=cid))


def progress_response(found: service.Progress):
    return views.progress_response(found, poll=url_for("matrix.progress", cid=found.id), again=url_for("matrix.new"))


def requested_start() -> int:
    return inputs.row_position(request.args.get("start", "0"))


def paged(view: MatrixView) -> MatrixView:
    """The view, or a 404 when its ?start= is past the filtered facts."""
    if view.start and view.start >= view.matching:
        raise NotFound(f"There is no fact {view.start + 1} here.")
    return view


def embed_page(cid: str, theme_url: str | None):
    """The matrix without the site's chrome, for iframes (the route is embed.py's, so that the
    embed's framing rules apply); htmx filter requests get the panel."""
    stored = service.load_many(app_store(), cid)
    view = paged(matrix_view(stored, *requested(stored), embedded=True, start=requested_start()))
    return page_or_fragment("pages/matrix_embed.html", "partials/matrix_panel.html", view=view, theme_url=theme_url)


@bp.get("/m/<cid>/facts/<n>")
def fact(cid: str, n: str):
    """Fact n with each outlet's wording against the most common one (?expand=0: without);
    htmx gets only the fact's row."""
    stored = service.load_many(app_store(), cid)
    index = inputs.row_position(n)
    if index >= len(stored.comparison.facts):
        raise NotFound(f"This comparison has no fact {n}.")
    show, outlet = requested(stored)
    expanded = index if request.args.get("expand") != "0" else None
    view = matrix_view(stored, show, outlet, expanded=expanded)
    if not any(r.fact.index == index for r in view.rows):  # the filter hides it: show it among all
        view = matrix_view(stored, expanded=expanded)
    row = next(r for r in view.rows if r.fact.index == index)
    return page_or_fragment("pages/matrix.html", "partials/matrix_row.html", view=view, r=row)


@bp.get("/m/<cid>/pair/<i>/<j>")
def pair(cid: str, i: str, j: str):
    """The side-by-side view of documents i and j, created on first use: a 303 to it."""
    stored = service.pair(app_store(), cid, inputs.row_position(i), inputs.row_position(j))
    return redirect(url_for("views.comparison", cid=stored.id), code=303)


# --- the many-documents form ----------------------------------------------------------------

FORM_SLOTS = 3  # document slots the form starts with (more are added one by one)
_SLOT_FIELD = re.compile(r"doc(\d+)_")


def slots_sent(fields: dict) -> int:
    """Slots to show a sent form again in: as many as it had, at least FORM_SLOTS."""
    sent = [int(m[1]) + 1 for key in fields if (m := _SLOT_FIELD.match(key))]
    return min(inputs.MAX_SLOTS, max([FORM_SLOTS, *sent]))


@bp.get("/many/new")
def new():
    """The form for 2-10 documents; ?slots=n shows n slots (the no-JavaScript "add one")."""
    slots = inputs.slot_count(request.args.get("slots"), FORM_SLOTS)
    return render_template("pages/matrix_new.html", form={}, slots=slots)


@bp.get("/many/new/slot/<k>")
def slot(k: str):
    """Slot k of the form (htmx swaps it in for the "add a document" button)."""
    index = inputs.row_position(k)
    if index >= inputs.MAX_SLOTS:
        raise NotFound(f"The form has at most {inputs.MAX_SLOTS} documents.")
    return page_or_fragment("pages/matrix_new.html", "partials/matrix_slot.html",
                            form={}, slots=index + 1, k=index)


@bp.post("/many")
def create():
    """Compare the submitted documents and redirect to the matrix (or, for large inputs, to its
    progress while it is computed in the background); a bad submission gets the form back,
    filled as it was sent, with the error in words."""
    try:
        form = inputs.submitted_form()
        csrf.check(form)
        sources = inputs.many_form_sources(form)
        stored = service.start_many(app_store(), sources, current_app.config["PIPELINE_OPTIONS"],
                                    current_app.config["BACKGROUND_MIN_BYTES"])
    except CoverdiffError as exc:
        return form_with_error(exc)
    url = url_for("matrix.matrix", cid=stored.id)
    if is_fragment_request() and isinstance(stored, service.Progress):  # the progress in place of the form
        response = progress_response(stored)
        response.headers.update({"HX-Retarget": "#many-form", "HX-Reswap": "outerHTML", "HX-Push-Url": url})
        return response
    return redirect_to(url, fragment_status=204)


def form_with_error(exc: CoverdiffError):
    """The form again, filled as it was sent, with the error in words (htmx: in place of itself)."""
    fields = inputs.form_fields()
    response = page_or_fragment("pages/matrix_new.html", "partials/matrix_form.html", status=exc.status,
                                form=fields, slots=slots_sent(fields), error=exc.message)
    if is_fragment_request():
        response.headers["HX-Retarget"] = "#many-form"
        response.headers["HX-Reswap"] = "outerHTML"
    return response


@bp.errorhandler(RateLimitExceeded)
def too_many(exc: RateLimitExceeded):
    """Over the rate limit on creating comparisons (limits.py): the form with the limit in words,
    as the pair form answers it; Flask-Limiter adds Retry-After."""
    return form_with_error(RateLimited(exc.description))
