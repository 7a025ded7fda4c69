"""Create and load comparisons, for every front end: the one boundary where stored JSON
becomes typed objects.

Views, the embed, the export, the API and the command line each call one function here and
get a `Stored` (a `Comparison` with its id) back; nothing above this module sees the stored
JSON document as a dict.
"""

from __future__ import annotations

import gc
import threading
import time
import weakref
from collections import OrderedDict
from contextlib import contextmanager
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import CoverdiffError, NotFound
from .pipeline import MANY_STAGES, STAGES, Options, Source, compare, compare_many
from .pipeline.types import Comparison, Document
from .serialize import comparison_id, from_dict, resolved, to_dict
from .sources.record import FetchRecord

if TYPE_CHECKING:  # comparisons of many (serialize_many, pipeline.facts) load when one is made or read
    from .pipeline.facts import ManyComparison

SEEDS_DIR = Path(__file__).resolve().parent.parent / "seeds"
SIDES = ("left", "right")
# Comparisons kept loaded per store and process, counted in paragraphs (both sides): every
# chunk, filter and row URL of a stored comparison reads the same immutable document, and
# turning it back into a Comparison took 92 ms of each 190 ms chunk request at 3,000 rows.
# 20,000 paragraphs are about 40 MB of typed objects.
LOADED_MAX_PARAGRAPHS = 20_000  # paragraphs
# A comparison whose inputs are larger than this (both sides, bytes) is computed in the
# background while its page shows the progress: make bench computes its 1 MB text pair (2 MB of
# input) in 0.4-0.6 s on this machine kind, so about 3 MB takes the second the page can wait.
BACKGROUND_MIN_BYTES = 3_000_000  # bytes; settings.BACKGROUND_MIN_BYTES
# A computation that has not reported for this long is taken as lost (its server went away)
# and started again by the next reader of its page. make bench's 5 MB pair reports every few s.
STALE_AFTER_S = 60.0  # seconds
# Background computations at once per process; more wait their turn (they are CPU-bound).
BACKGROUND_SLOTS = 2  # computations
ALL_STAGES = (*(name for name, _fraction in STAGES), "rendering")
MANY_ALL_STAGES = (*(name for name, _fraction in MANY_STAGES), "rendering")  # of a comparison of many
RENDERING_AT = 0.9  # share of the work done when the JSON document is built (pairs)
MANY_RENDERING_AT = 0.95  # the same for a comparison of many (its grouping starts at 0.9)


@dataclass(frozen=True)
class Stored:
    """A comparison and the id it is stored under (a hash of its inputs)."""

    id: str
    comparison: Comparison
    created: bool = False  # True when this call computed and stored it
    fetches: tuple[tuple[str, FetchRecord], ...] = ()  # (side, fetch) of each side given as a link

    def document(self, side: str) -> Document:
        return self.comparison.left if side == "left" else self.comparison.right

    def fetch(self, side: str) -> FetchRecord | None:
        """How `side` was fetched, None when it was not given as a link."""
        return dict(self.fetches).get(side)


@dataclass(frozen=True)
class Version:
    """An earlier fetch of the link one side was fetched from: "compare with the version of"."""

    side: str  # the side of this comparison that was fetched
    fetch: FetchRecord  # the earlier fetch
    cid: str  # the comparison that holds it
    other_side: str  # and on which side


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


def compute(left: Source, right: Source, options: Options | None = None,
            fetched: dict[str, FetchRecord] | None = None) -> Stored:
    """Compare two sources without storing them (the command line); `fetched` as for create."""
    options, fetches = options or Options(), _ordered(fetched)
    left, right = (resolved(s) for s in over_time_labels(left, right, fetches))
    with collector_paused():
        comparison = compare(left, right, options)
    return Stored(comparison_id(left, right, options, _hashed(fetches)), comparison, True, fetches)


def create(store, left: Source, right: Source, options: Options | None = None,
           fetched: dict[str, FetchRecord] | None = None) -> Stored:
    """The comparison of two sources, computed and stored once per id. `fetched` (side ->
    FetchRecord) says how sides given as links were fetched: stored with it, part of its id."""
    options, fetches = options or Options(), _ordered(fetched)
    left, right = (resolved(s) for s in over_time_labels(left, right, fetches))
    cid = comparison_id(left, right, options, _hashed(fetches))
    given = stored_inputs(left, right, options, fetches)
    existing = store.get(cid)
    if existing is not None:
        if store.inputs(cid) is None:
            store.put(cid, existing, given)  # a row from before inputs were kept: fill them in
        return Stored(cid, from_dict(existing), fetches=_fetches_of(existing))
    with collector_paused():
        comparison = compare(left, right, options)
        document = _document(cid, comparison, fetches)
    created = store.put(cid, document, given)
    _record_fetches(store, cid, fetches)
    return Stored(cid, comparison, created, fetches)


def over_time_labels(left: Source, right: Source, fetches: tuple) -> tuple[Source, Source]:
    """Two fetches of one link: each column is named by its fetch time."""
    records = dict(fetches)
    if len(records) == 2 and records["left"].url == records["right"].url:
        left = replace(left, label=f"Version of {records['left'].when}")
        right = replace(right, label=f"Version of {records['right'].when}")
    return left, right


def versions(store, stored: Stored) -> tuple[Version, ...]:
    """Earlier fetches of the links this comparison was made from, one per fetch time.
    Only earlier ones: a stored comparison's page never changes (it is cached as immutable)."""
    out = []
    for side, fetch in stored.fetches:
        seen = {f.fetched_at for _side, f in stored.fetches if f.url == fetch.url}
        for cid, other_side, data in store.fetches(fetch.url):
            other = FetchRecord.from_dict(data)
            if other.fetched_at < fetch.fetched_at and other.fetched_at not in seen:
                seen.add(other.fetched_at)
                out.append(Version(side, other, cid, other_side))
    return tuple(out)


def compare_versions(store, cid: str, side: str, other_cid: str, other_side: str) -> Stored:
    """One link at two times: the older fetch on the left, the newer on the right."""
    if side not in SIDES or other_side not in SIDES:
        raise NotFound("Say which versions to compare: side and other_side are left or right.")
    mine, theirs = load(store, cid).fetch(side), load(store, other_cid).fetch(other_side)
    if mine is None or theirs is None or mine.url != theirs.url:
        raise NotFound("These two sides are not fetches of the same link.")
    *mine_sources, options = load_inputs(store, cid)
    theirs_source = load_inputs(store, other_cid)[SIDES.index(other_side)]
    pairs = sorted([(mine, mine_sources[SIDES.index(side)]), (theirs, theirs_source)], key=lambda p: p[0].fetched_at)
    (old, old_source), (new, new_source) = pairs
    return create(store, old_source, new_source, options, {"left": old, "right": new})


def _ordered(fetched: dict[str, FetchRecord] | None) -> tuple[tuple[str, FetchRecord], ...]:
    return tuple((side, fetched[side]) for side in SIDES if fetched and fetched.get(side) is not None)


def _hashed(fetches: tuple) -> dict | None:
    """The fetches as part of a comparison's id (None: the id of the same texts pasted)."""
    return {side: f.as_dict() for side, f in fetches} or None


def _document(cid: str, comparison: Comparison, fetches: tuple) -> dict:
    """The JSON document; a side given as a link carries "fetched": {url, final_url, status, fetched_at, ...}."""
    data = to_dict(cid, comparison)
    for side, fetch in fetches:
        data[side]["fetched"] = fetch.as_dict()
    return data


def _fetches_of(data: dict) -> tuple[tuple[str, FetchRecord], ...]:
    """The fetches a stored document (or stored inputs) holds."""
    found = data.get("fetched") or {side: data[side].get("fetched") for side in SIDES}
    return tuple((side, FetchRecord.from_dict(found[side])) for side in SIDES if found.get(side))


def _record_fetches(store, cid: str, fetches: tuple) -> None:
    if fetches:
        store.add_fetches(cid, [(side, f.as_dict()) for side, f in fetches])


class Loaded:
    """A bounded LRU of comparisons read from one store (they never change: content ids)."""

    def __init__(self, max_paragraphs: int = LOADED_MAX_PARAGRAPHS):
        self.max_paragraphs = max_paragraphs
        self.size = 0
        self.items: OrderedDict[str, Stored] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, cid: str) -> Stored | None:
        with self.lock:
            found = self.items.get(cid)
            if found is not None:
                self.items.move_to_end(cid)
            return found

    def put(self, cid: str, stored: Stored) -> None:
        weight = _weight(stored.comparison)
        with self.lock:
            if cid in self.items or weight > self.max_paragraphs:
                return
            self.items[cid] = stored
            self.size += weight
            while self.size > self.max_paragraphs:
                _cid, old = self.items.popitem(last=False)
                self.size -= _weight(old.comparison)


def _weight(comparison: Comparison) -> int:
    return len(comparison.left.paragraphs) + len(comparison.right.paragraphs)


_loaded: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # store -> Loaded


@dataclass(frozen=True)
class Progress:
    """A comparison still being computed (or failed): what the page shows meanwhile."""

    id: str
    stage: str  # one of `stages`, "queued", "done" or "failed"
    fraction: float  # 0..1 of the work
    error: str | None = None  # why it failed, in words
    pairs: tuple[int, int] | None = None  # (compared, of) pairs of documents, while a comparison of many aligns
    stages: tuple[str, ...] = ALL_STAGES  # MANY_ALL_STAGES for a comparison of many

    def state(self, stage: str) -> str:
        """"done", "current" or "todo" for one of `stages`."""
        at = self.stages.index(self.stage) if self.stage in self.stages else -1
        if self.stage == "done" or self.stages.index(stage) < at:
            return "done"
        return "current" if stage == self.stage else "todo"


def _stage_text(stage: str, pairs: tuple[int, int] | None) -> str:
    """A stage as the store keeps it: "aligning 12/45" while pairs are being compared."""
    return f"{stage} {pairs[0]}/{pairs[1]}" if pairs else stage


def _progress_of(cid: str, found: dict, stages: tuple[str, ...]) -> Progress:
    """The Progress a store's record says (see _stage_text)."""
    stage, _space, count = found["stage"].partition(" ")
    done, _slash, total = count.partition("/")
    pairs = (int(done), int(total)) if done.isdigit() and total.isdigit() else None
    return Progress(cid, stage, found["fraction"], found["error"], pairs, stages)


_slots = threading.BoundedSemaphore(BACKGROUND_SLOTS)


def start(store, left: Source, right: Source, options: Options,
          background_min_bytes: int = BACKGROUND_MIN_BYTES, fetched: dict[str, FetchRecord] | None = None,
          ) -> Stored | Progress:
    """The comparison, computed now when small; when larger than `background_min_bytes`,
    its Progress, the computation going on in a thread that records each stage in the store."""
    if len(left.content.encode()) + len(right.content.encode()) <= background_min_bytes:
        return create(store, left, right, options, fetched)
    fetches = _ordered(fetched)
    left, right = (resolved(s) for s in over_time_labels(left, right, fetches))
    cid = comparison_id(left, right, options, _hashed(fetches))
    if store.get(cid) is not None:
        return load(store, cid)
    given = stored_inputs(left, right, options, fetches)
    store.set_progress(cid, "queued", 0.0, inputs=given)
    _in_background(store, cid, left, right, options, given)
    return Progress(cid, "queued", 0.0)


def _in_background(store, cid: str, left: Source, right: Source, options: Options, given: dict) -> None:
    _thread(store, cid, _compute, left, right, options, given)


def _thread(store, cid: str, work, *args) -> None:
    """`work(store, cid, *args)` in a thread, its end recorded (see _recorded)."""
    threading.Thread(target=_recorded, args=(store, cid, work, *args), daemon=True, name=f"coverdiff-{cid}").start()


def _compute(store, cid: str, left: Source, right: Source, options: Options, given: dict) -> None:
    """A background comparison of two: each stage recorded, the result stored."""
    with collector_paused():
        comparison = compare(left, right, options, lambda stage, f: store.set_progress(cid, stage, f))
        store.set_progress(cid, "rendering", RENDERING_AT)
        document = _document(cid, comparison, _fetches_of(given))
    store.put(cid, document, given)
    _record_fetches(store, cid, _fetches_of(given))


def _recorded(store, cid: str, work, *args) -> None:
    """A background computation, one of BACKGROUND_SLOTS at a time: "done" once stored, or the
    error said."""
    with _slots:
        try:
            work(store, cid, *args)
            store.set_progress(cid, "done", 1.0)
        except CoverdiffError as exc:
            store.set_progress(cid, "failed", 1.0, error=exc.message)
        except Exception:  # the thread has no request to answer: say it in the store and the log
            import logging

            logging.getLogger(__name__).exception("background comparison %s failed", cid)
            store.set_progress(cid, "failed", 1.0, error="Something went wrong on our side.")


def load_or_progress(store, cid: str) -> Stored | Progress:
    """A stored comparison, or the Progress of one being computed; NotFound for neither.
    A computation not heard from for STALE_AFTER_S is started again from its stored inputs."""
    try:
        return load(store, cid)
    except NotFound:
        found = store.progress(cid)
        if found is None:
            raise
    if _is_many_inputs(found["inputs"]):  # a comparison of many: /m/<id>
        raise NotFound()
    if found["stage"] == "done":  # stored meanwhile
        return load(store, cid)
    if _lost(found) and found["inputs"]:
        left, right, options = _inputs(found["inputs"])
        store.set_progress(cid, "queued", 0.0)
        _in_background(store, cid, left, right, options, found["inputs"])
        return Progress(cid, "queued", 0.0)
    return _progress_of(cid, found, ALL_STAGES)


def _lost(found: dict) -> bool:
    """A computation not heard from for STALE_AFTER_S (its server went away)."""
    return found["stage"] not in ("failed", "done") and time.time() - found["updated"] > STALE_AFTER_S


def load(store, cid: str) -> Stored:
    """A stored comparison; NotFound when no comparison of two documents has this id."""
    from . import serialize_many

    loaded = _loaded.setdefault(store, Loaded())
    found = loaded.get(cid)
    if found is None:
        document = store.get(cid)
        if document is None or serialize_many.is_many(document):
            raise NotFound()
        with collector_paused():
            found = Stored(cid, from_dict(document), fetches=_fetches_of(document))
        loaded.put(cid, found)
    return found


def document(stored: Stored) -> dict:
    """The JSON document of a comparison (SPEC §5), as the API and the command line emit it;
    a side given as a link also carries "fetched": {url, final_url, status, fetched_at, ...}."""
    return _document(stored.id, stored.comparison, stored.fetches)


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
    return create(store, sources["left"], sources["right"], options, dict(load(store, cid).fetches))


def seed(store, options: Options, seeds_dir: Path = SEEDS_DIR) -> Stored:
    """The seed comparison (the home page's), stored on first use."""
    return create(store, *seed_sources(seeds_dir), options)


def stored_inputs(left: Source, right: Source, options: Options, fetches: tuple = ()) -> dict:
    """What the store keeps next to a document to re-run it: resolved sources, options and
    how sides given as links were fetched."""
    given = {"left": asdict(left), "right": asdict(right), "options": asdict(options)}
    if fetches:
        given["fetched"] = {side: f.as_dict() for side, f in fetches}
    return given


def load_inputs(store, cid: str) -> tuple[Source, Source, Options]:
    """The resolved sources and options a stored comparison was computed from."""
    data = store.inputs(cid)
    if data is None:
        raise NotFound()
    return _inputs(data)


def _inputs(data: dict) -> tuple[Source, Source, Options]:
    return _source(data["left"]), _source(data["right"]), _options(data["options"])


def _options(data: dict) -> Options:
    known = {f.name for f in fields(Options)}  # options added or dropped since keep their defaults
    return Options(**{k: v for k, v in data.items() if k in known})


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
    from . import serialize_many

    options = options or Options()
    sources = [resolved(s) for s in sources]
    with collector_paused():
        return StoredMany(serialize_many.many_id(sources, options), compare_many(sources, options), created=True)


def create_many(store, sources: list[Source], options: Options | None = None) -> StoredMany:
    """The comparison of 2-10 sources, computed and stored once per id."""
    from . import serialize_many

    options = options or Options()
    sources = [resolved(s) for s in sources]
    cid = serialize_many.many_id(sources, options)
    existing = store.get(cid)
    if existing is not None:
        return StoredMany(cid, serialize_many.from_dict(existing))
    with collector_paused():
        many = compare_many(sources, options)
        data = serialize_many.to_dict(cid, many)
    return StoredMany(cid, many, store.put(cid, data, _many_inputs(sources, options)))


def pairwise_bytes(sources: list[Source]) -> int:
    """The bytes the pairwise comparisons of `sources` read: each document once per other one
    (for two documents, both once, as BACKGROUND_MIN_BYTES counts a pair)."""
    return (len(sources) - 1) * sum(len(s.content.encode()) for s in sources)


def start_many(store, sources: list[Source], options: Options,
               background_min_bytes: int = BACKGROUND_MIN_BYTES) -> StoredMany | Progress:
    """The comparison of many, computed now when its pairwise comparisons read no more than
    `background_min_bytes` (pairwise_bytes); else its Progress, the computation going on in a
    thread that records each stage and each pair done in the store."""
    from . import serialize_many

    if pairwise_bytes(sources) <= background_min_bytes:
        return create_many(store, sources, options)
    sources = [resolved(s) for s in sources]
    cid = serialize_many.many_id(sources, options)
    if store.get(cid) is not None:
        return load_many(store, cid)
    found = store.progress(cid)
    if found is not None and found["stage"] not in ("failed", "done") and not _lost(found):
        return _progress_of(cid, found, MANY_ALL_STAGES)  # under way already (the same form sent twice)
    given = _many_inputs(sources, options)
    store.set_progress(cid, "queued", 0.0, inputs=given)
    _thread(store, cid, _compute_many, sources, options, given)
    return Progress(cid, "queued", 0.0, stages=MANY_ALL_STAGES)


def _compute_many(store, cid: str, sources: list[Source], options: Options, given: dict) -> None:
    """A background comparison of many: each stage and pair recorded, the result stored."""
    from . import serialize_many

    def report(stage: str, fraction: float, pairs: tuple[int, int] | None) -> None:
        store.set_progress(cid, _stage_text(stage, pairs), fraction)

    with collector_paused():
        many = compare_many(sources, options, report)
        store.set_progress(cid, "rendering", MANY_RENDERING_AT)
        data = serialize_many.to_dict(cid, many)
    store.put(cid, data, given)


def load_many_or_progress(store, cid: str) -> StoredMany | Progress:
    """A stored comparison of many, or the Progress of one being computed; NotFound for neither.
    A computation not heard from for STALE_AFTER_S is started again from its stored inputs."""
    try:
        return load_many(store, cid)
    except NotFound:
        found = store.progress(cid)
        if found is None or not _is_many_inputs(found["inputs"]):
            raise
    if found["stage"] == "done":  # stored meanwhile
        return load_many(store, cid)
    if _lost(found):
        sources, options = _many_sources(found["inputs"])
        store.set_progress(cid, "queued", 0.0)
        _thread(store, cid, _compute_many, sources, options, found["inputs"])
        return Progress(cid, "queued", 0.0, stages=MANY_ALL_STAGES)
    return _progress_of(cid, found, MANY_ALL_STAGES)


def load_many(store, cid: str) -> StoredMany:
    """A stored comparison of many; NotFound when none has this id."""
    from . import serialize_many

    data = store.get(cid)
    if data is None or not serialize_many.is_many(data):
        raise NotFound()
    with collector_paused():
        return StoredMany(cid, serialize_many.from_dict(data))


def _many_inputs(sources: list[Source], options: Options) -> dict:
    """What the store keeps next to a comparison of many to re-run it (and open its pairs)."""
    return {"documents": [asdict(s) for s in sources], "options": asdict(options)}


def _is_many_inputs(data: dict | None) -> bool:
    return isinstance(data, dict) and "documents" in data


def _many_sources(data: dict) -> tuple[list[Source], Options]:
    """The sources and options _many_inputs kept."""
    return [_source(d) for d in data["documents"]], _options(data["options"])


def document_many(stored: StoredMany) -> dict:
    """The JSON document of a comparison of many, as the API and the command line emit it."""
    from . import serialize_many

    return serialize_many.to_dict(stored.id, stored.comparison)


def pair(store, cid: str, i: int, j: int) -> Stored:
    """The side-by-side comparison of documents i and j of a stored comparison of many."""
    n = len(load_many(store, cid).comparison.documents)
    if not (0 <= i < n and 0 <= j < n and i != j):
        raise NotFound(f"This comparison has no pair of documents {i} and {j}.")
    data = store.inputs(cid)
    if data is None:
        raise NotFound()
    sources, options = _many_sources(data)
    return create(store, sources[i], sources[j], options)
