"""One JSON shape for a comparison (SPEC §5), used by the API, CLI and store."""

from __future__ import annotations

import hashlib
import json
import unicodedata
from dataclasses import asdict, fields

from .pipeline import ALGORITHM_VERSION
from .pipeline.sanitize import detect_kind
from .pipeline.types import (
    ComparedRow,
    Comparison,
    DiffOp,
    Document,
    Link,
    Options,
    Paragraph,
    Removed,
    Row,
    Source,
    Span,
    Stats,
)

ID_LENGTH = 20  # hex characters of the SHA-256 content hash (80 bits)


def resolved(source: Source) -> Source:
    """The source with its kind decided, so 'auto' and the explicit kind hash alike."""
    kind = source.kind if source.kind != "auto" else detect_kind(source.content)
    content = source.content.replace("\r\n", "\n")  # original characters kept for display
    return Source(content, kind, source.title or None, source.label or None, tuple(source.keep))


def _hashable(source: Source) -> dict:
    """A source as hashed: canonically composed (NFC), so equivalent inputs share an id."""
    data = asdict(resolved(source))
    data["content"] = unicodedata.normalize("NFC", data["content"])
    return data


def comparison_id(left: Source, right: Source, options: Options, fetched: dict | None = None) -> str:
    """Content hash of the normalised inputs, options and algorithm version; for sides given
    as links, of how they were fetched too (each fetch of a link is its own comparison)."""
    payload = {"v": ALGORITHM_VERSION, "options": asdict(options),
               "left": _hashable(left), "right": _hashable(right)}
    if fetched:
        payload["fetched"] = fetched
    blob = json.dumps(payload, sort_keys=True, ensure_ascii=False).encode()
    return hashlib.sha256(blob).hexdigest()[:ID_LENGTH]


def to_dict(cid: str, comparison: Comparison) -> dict:
    """The JSON document of a comparison; URLs are relative to the app's root."""
    return {
        "id": cid,
        "url": f"/c/{cid}",
        "embed_url": f"/embed/{cid}",
        "algorithm_version": ALGORITHM_VERSION,
        "options": asdict(comparison.options),
        "left": _doc(comparison.left),
        "right": _doc(comparison.right),
        "rows": [_row(r) for r in comparison.rows],
        "links": [{"left": k.left, "right": k.right, "similarity": k.similarity, "reasons": list(k.reasons)}
                  for k in comparison.links],
        "stats": {
            "counts": comparison.stats.counts,
            "left_covered": comparison.stats.left_covered,
            "right_covered": comparison.stats.right_covered,
            "shared_quotes": list(comparison.stats.shared_quotes),
            "coarse": comparison.stats.coarse,
        },
    }


def _doc(doc: Document) -> dict:
    return {
        "title": doc.title, "byline": doc.byline, "dateline": doc.dateline,
        "outlet": doc.outlet, "kind": doc.kind,
        "paragraphs": [{"index": p.index, "text": p.text} for p in doc.paragraphs],
        "removed": [{"text": r.text, "reason": r.reason, "confidence": r.confidence, "position": r.position}
                    for r in doc.removed],
    }


def _row(cr: ComparedRow) -> dict:
    r = cr.row
    return {
        "kind": r.kind, "shape": r.shape, "left": list(r.left), "right": list(r.right),
        "similarity": r.similarity, "moved": r.moved, "reasons": list(r.reasons),
        "diff": [_op(op) for op in cr.diff], "coarse": cr.coarse,
        "shared": [{"side": s.side, "paragraph": s.paragraph, "start": s.start, "end": s.end} for s in cr.shared],
    }


def _op(op: DiffOp) -> dict:
    out = {"op": op.op, "text": op.text}
    if op.right_text is not None:
        out["right_text"] = op.right_text
    return out


def from_dict(data: dict) -> Comparison:
    """Rebuild the Comparison a stored document was made from."""
    rows = tuple(
        ComparedRow(
            Row(r["kind"], tuple(r["left"]), tuple(r["right"]), r["similarity"], r["moved"], tuple(r["reasons"])),
            tuple(DiffOp(o["op"], o["text"], o.get("right_text")) for o in r["diff"]),
            r.get("coarse", False),
            tuple(Span(s["side"], s["paragraph"], s["start"], s["end"]) for s in r.get("shared", ())),
        )
        for r in data["rows"]
    )
    s = data["stats"]
    stats = Stats(s["counts"], s["left_covered"], s["right_covered"], tuple(s["shared_quotes"]), s["coarse"])
    links = tuple(Link(k["left"], k["right"], k["similarity"], tuple(k["reasons"])) for k in data.get("links", ()))
    return Comparison(_doc_from(data["left"]), _doc_from(data["right"]), rows, stats, _options(data["options"]),
                      links)


def _options(data: dict) -> Options:
    """Stored options; options added or dropped since keep their defaults."""
    known = {f.name for f in fields(Options)}
    return Options(**{k: v for k, v in data.items() if k in known})


def _doc_from(d: dict) -> Document:
    return Document(
        paragraphs=tuple(Paragraph(p["index"], p["text"]) for p in d["paragraphs"]),
        removed=tuple(Removed(r["text"], r["reason"], r.get("position"), r.get("confidence", 1.0))
                      for r in d["removed"]),
        title=d["title"], byline=d["byline"], dateline=d["dateline"], outlet=d["outlet"], kind=d["kind"],
    )


def dumps(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)
