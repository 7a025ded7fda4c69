"""Create and load comparisons: the pipeline plus the store, for every front end."""

from __future__ import annotations

from dataclasses import asdict, fields, replace
from pathlib import Path

from .pipeline import Options, Source, compare
from .pipeline.types import Comparison
from .serialize import comparison_id, from_dict, resolved, to_dict

SEEDS_DIR = Path(__file__).resolve().parent.parent / "seeds"


def app_store():
    """The store of the app serving the current request."""
    from flask import current_app

    return current_app.extensions["coverdiff.store"]


class NotFound(LookupError):
    """No stored comparison has this id."""


def create(store, left: Source, right: Source, options: Options | None = None) -> tuple[str, dict, bool]:
    """(id, JSON document, created?) for two sources; computed once per id."""
    options = options or Options()
    left, right = resolved(left), resolved(right)
    cid = comparison_id(left, right, options)
    given = stored_inputs(left, right, options)
    existing = store.get(cid)
    if existing is not None:
        if store.inputs(cid) is None:
            store.put(cid, existing, given)  # a row from before inputs were kept: fill them in
        return cid, existing, False
    document = to_dict(cid, compare(left, right, options))
    created = store.put(cid, document, given)
    return cid, document, created


def stored_inputs(left: Source, right: Source, options: Options) -> dict:
    """What the store keeps next to a document to re-run it: resolved sources and options."""
    return {"left": asdict(left), "right": asdict(right), "options": asdict(options)}


def load_inputs(store, cid: str) -> tuple[Source, Source, Options]:
    """The resolved sources and options a stored comparison was computed from."""
    data = store.inputs(cid)
    if data is None:
        raise NotFound(cid)
    known = {f.name for f in fields(Options)}  # options added or dropped since keep their defaults
    options = Options(**{k: v for k, v in data["options"].items() if k in known})
    return _source(data["left"]), _source(data["right"]), options


def _source(data: dict) -> Source:
    return Source(**{**data, "keep": tuple(data.get("keep") or ())})


def restore(store, cid: str, side: str, index: int) -> tuple[str, dict, bool]:
    """A new comparison of the same inputs with one removed block put back."""
    document = load(store, cid)
    removed = document[side]["removed"]
    if not 0 <= index < len(removed):
        raise NotFound(cid)
    left, right, options = load_inputs(store, cid)
    sources = {"left": left, "right": right}
    source = sources[side]
    sources[side] = replace(source, keep=(*source.keep, removed[index]["text"]))
    return create(store, sources["left"], sources["right"], options)


def load(store, cid: str) -> dict:
    document = store.get(cid)
    if document is None:
        raise NotFound(cid)
    return document


def as_comparison(document: dict) -> Comparison:
    return from_dict(document)


def seed_sources(seeds_dir: Path = SEEDS_DIR) -> tuple[Source, Source]:
    """The two seed articles: the first file is the left side."""
    files = sorted(p for p in seeds_dir.iterdir() if p.suffix in (".txt", ".html", ".htm", ".md"))
    left, right = files[:2]
    return Source(left.read_text(encoding="utf-8")), Source(right.read_text(encoding="utf-8"))
