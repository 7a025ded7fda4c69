"""One JSON shape for a comparison of many documents (issue #17), used by the API, CLI and store.

    {"id", "url", "kind": "many", "algorithm_version", "options",
     "documents": [{"index", "title", "outlet", "byline", "dateline", "kind",
                    "paragraphs": [{"index", "text"}], "removed": [...]}],
     "facts": [{"index", "members": [{"document", "paragraphs"}], "similarity", "reasons"}],
     "pairs": [{"documents": [i, j], "url"}],
     "stats": {"documents": [{"covered", "exclusive"}], "shared_quotes": [{"text", "documents"}]}}
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict
from itertools import combinations

from .pipeline import ALGORITHM_VERSION
from .pipeline.facts import DocumentStats, Fact, FactMember, ManyComparison, ManyStats, SharedQuote
from .pipeline.types import Options, Source
from .serialize import ID_LENGTH, _doc, _doc_from, _hashable, _options

KIND = "many"  # the stored document's "kind": a pairwise document has none


def many_id(sources: list[Source], options: Options) -> str:
    """Content hash of the normalised inputs, in order, the options and the algorithm version."""
    payload = {"v": ALGORITHM_VERSION, "kind": KIND, "options": asdict(options),
               "documents": [_hashable(s) for s in sources]}
    blob = json.dumps(payload, sort_keys=True, ensure_ascii=False).encode()
    return hashlib.sha256(blob).hexdigest()[:ID_LENGTH]


def pair_url(cid: str, i: int, j: int) -> str:
    return f"/m/{cid}/pair/{i}/{j}"


def is_many(data: dict) -> bool:
    return data.get("kind") == KIND


def to_dict(cid: str, many: ManyComparison) -> dict:
    """The JSON document of a comparison of many; URLs are relative to the app's root."""
    return {
        "id": cid,
        "url": f"/m/{cid}",
        "kind": KIND,
        "algorithm_version": ALGORITHM_VERSION,
        "options": asdict(many.options),
        "documents": [{"index": d, **_doc(doc)} for d, doc in enumerate(many.documents)],
        "facts": [{"index": f.index, "members": [{"document": m.document, "paragraphs": list(m.paragraphs)}
                                                 for m in f.members],
                   "similarity": f.similarity, "reasons": list(f.reasons)} for f in many.facts],
        "pairs": [{"documents": [i, j], "url": pair_url(cid, i, j)}
                  for i, j in combinations(range(len(many.documents)), 2)],
        "stats": {
            "documents": [{"covered": s.covered, "exclusive": s.exclusive} for s in many.stats.documents],
            "shared_quotes": [{"text": q.text, "documents": list(q.documents)} for q in many.stats.shared_quotes],
        },
    }


def from_dict(data: dict) -> ManyComparison:
    """Rebuild the ManyComparison a stored document was made from."""
    facts = tuple(Fact(f["index"], tuple(FactMember(m["document"], tuple(m["paragraphs"])) for m in f["members"]),
                       f["similarity"], tuple(f["reasons"])) for f in data["facts"])
    s = data["stats"]
    stats = ManyStats(tuple(DocumentStats(d["covered"], d["exclusive"]) for d in s["documents"]),
                      tuple(SharedQuote(q["text"], tuple(q["documents"])) for q in s["shared_quotes"]))
    documents = tuple(_doc_from(d) for d in data["documents"])
    return ManyComparison(documents, facts, stats, _options(data["options"]))
