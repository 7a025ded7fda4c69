"""Create and load comparisons, for every front end: the one boundary where stored JSON
becomes typed objects.

Views, the embed, the export, the API and the command line each call one function here and
get a `Stored` (a `Comparison` with its id) back; nothing above this module sees the stored
JSON document as a dict.
"""

from __future__ import annotations

import gc
from contextlib import contextmanager
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path

from . import serialize_many
from .errors import NotFound
from .pipeline import ManyComparison, Options, Source, compare, compare_many
from .pipeline.types import Comparison, Document
from .serialize import comparison_id, from_dict, resolved, to_dict

SEEDS_DIR = Path(__file__).resolve().parent.parent / "seeds"
SIDES = ("left", "right")


@dataclass(frozen=True)
class Stored:
    """A comparison and the id it is stored under (a hash of its inputs)."""

    id: str
    comparison: Comparison
    created: bool = False  # True when this call computed and stored it

    def document(self, side: str) -> Document:
        return self.comparison.left if side == "left" else self.comparison.right


def app_store():
    """The store of the app serving the current request."""
    from flask import current_app

    return current_app.extensions["coverdiff.store"]


@contextmanager
def collector_paused():
    """Python's cyclic garbage collector off while a comparison is computed and written out.

    A comparison builds hundreds of thousands of small, acyclic, long-lived objects, and the
    collector's full passes over them grow with the input: on the 1 MB HTML pair pipeline plus
    render took 0.75-0.78 s paused against 1.18-1.55 s with the collector on (two runs each,
    machine loaded; peak RSS 93 MB against 79 MB: the parsed page's cycles are freed after).
    The collector is process-wide, so only the callers that own the work pause it: this module
    around a computation, the command line around its one command.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def compute(left: Source, right: Source, options: Options | None = None) -> Stored:
    """Compare two sources without storing them (the command line)."""
    options = options or Options()
    left, right = resolved(left), resolved(right)
    with collector_paused():
        return Stored(comparison_id(left, right, options), compare(left, right, options), created=True)


def create(store, left: Source, right: Source, options: Options | None = None) -> Stored:
    """The comparison of two sources, computed and stored once per id."""
    options = options or Options()
    left, right = resolved(left), resolved(right)
    cid = comparison_id(left, right, options)
    given = stored_inputs(left, right, options)
    existing = store.get(cid)
    if existing is not None:
        if store.inputs(cid) is None:
            store.put(cid, existing, given)  # a row from before inputs were kept: fill them in
        return Stored(cid, from_dict(existing))
    with collector_paused():
        comparison = compare(left, right, options)
        document = to_dict(cid, comparison)
    return Stored(cid, comparison, store.put(cid, document, given))


def load(store, cid: str) -> Stored:
    """A stored comparison; NotFound when no comparison of two documents has this id."""
    document = store.get(cid)
    if document is None or serialize_many.is_many(document):
        raise NotFound()
    with collector_paused():
        return Stored(cid, from_dict(document))


def document(stored: Stored) -> dict:
    """The JSON document of a comparison (SPEC §5), as the API and the command line emit it."""
    return to_dict(stored.id, stored.comparison)


def restore(store, cid: str, side: str, index: int) -> Stored:
    """A new comparison of the same inputs with removed block `index` of `side` put back."""
    if side not in SIDES:
        raise NotFound("Put back a block of side=left or side=right.")
    removed = load(store, cid).document(side).removed
    if not 0 <= index < len(removed):
        raise NotFound(f"The {side} side has no removed block {index}.")
    left, right, options = load_inputs(store, cid)
    sources = {"left": left, "right": right}
    sources[side] = replace(sources[side], keep=(*sources[side].keep, removed[index].text))
    return create(store, sources["left"], sources["right"], options)


def seed(store, options: Options, seeds_dir: Path = SEEDS_DIR) -> Stored:
    """The seed comparison (the home page's), stored on first use."""
    return create(store, *seed_sources(seeds_dir), options)


def stored_inputs(left: Source, right: Source, options: Options) -> dict:
    """What the store keeps next to a document to re-run it: resolved sources and options."""
    return {"left": asdict(left), "right": asdict(right), "options": asdict(options)}


def load_inputs(store, cid: str) -> tuple[Source, Source, Options]:
    """The resolved sources and options a stored comparison was computed from."""
    data = store.inputs(cid)
    if data is None:
        raise NotFound()
    known = {f.name for f in fields(Options)}  # options added or dropped since keep their defaults
    options = Options(**{k: v for k, v in data["options"].items() if k in known})
    return _source(data["left"]), _source(data["right"]), options


def _source(data: dict) -> Source:
    return Source(**{**data, "keep": tuple(data.get("keep") or ())})


def seed_sources(seeds_dir: Path = SEEDS_DIR) -> tuple[Source, Source]:
    """The two seed articles: the first file is the left side."""
    files = sorted(p for p in seeds_dir.iterdir() if p.suffix in (".txt", ".html", ".htm", ".md"))
    left, right = files[:2]
    return Source(left.read_text(encoding="utf-8")), Source(right.read_text(encoding="utf-8"))


# --- comparisons of many documents (issue #17) ---------------------------------------------

@dataclass(frozen=True)
class StoredMany:
    """A comparison of many documents and the id it is stored under (a hash of its inputs)."""

    id: str
    comparison: ManyComparison
    created: bool = False  # True when this call computed and stored it


def compute_many(sources: list[Source], options: Options | None = None) -> StoredMany:
    """Compare many sources without storing them (the command line)."""
    options = options or Options()
    sources = [resolved(s) for s in sources]
    with collector_paused():
        return StoredMany(serialize_many.many_id(sources, options), compare_many(sources, options), created=True)


def create_many(store, sources: list[Source], options: Options | None = None) -> StoredMany:
    """The comparison of 2-10 sources, computed and stored once per id."""
    options = options or Options()
    sources = [resolved(s) for s in sources]
    cid = serialize_many.many_id(sources, options)
    existing = store.get(cid)
    if existing is not None:
        return StoredMany(cid, serialize_many.from_dict(existing))
    with collector_paused():
        many = compare_many(sources, options)
        data = serialize_many.to_dict(cid, many)
    given = {"documents": [asdict(s) for s in sources], "options": asdict(options)}
    return StoredMany(cid, many, store.put(cid, data, given))


def load_many(store, cid: str) -> StoredMany:
    """A stored comparison of many; NotFound when none has this id."""
    data = store.get(cid)
    if data is None or not serialize_many.is_many(data):
        raise NotFound()
    with collector_paused():
        return StoredMany(cid, serialize_many.from_dict(data))


def document_many(stored: StoredMany) -> dict:
    """The JSON document of a comparison of many, as the API and the command line emit it."""
    return serialize_many.to_dict(stored.id, stored.comparison)


def pair(store, cid: str, i: int, j: int) -> Stored:
    """The side-by-side comparison of documents i and j of a stored comparison of many."""
    n = len(load_many(store, cid).comparison.documents)
    if not (0 <= i < n and 0 <= j < n and i != j):
        raise NotFound(f"This comparison has no pair of documents {i} and {j}.")
    data = store.inputs(cid)
    if data is None:
        raise NotFound()
    known = {f.name for f in fields(Options)}
    options = Options(**{k: v for k, v in data["options"].items() if k in known})
    return create(store, _source(data["documents"][i]), _source(data["documents"][j]), options)
