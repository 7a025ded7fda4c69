"""The time budget of one comparison, and the paragraph limit checked before parsing (pure).

Options.compare_timeout_s (COVERDIFF_COMPARE_TIMEOUT_S) covers the whole comparison: reading
both documents, aligning, diffing and the shared-passage search. compare() makes one Deadline
and hands it to the stages, which check it between steps and inside their long loops:

- reading or aligning past the deadline raises OverBudget (503): a half-aligned result would
  show paragraphs both reports carry as "only left"/"only right", which is wrong, not coarse;
  503 because the same input can finish on a less busy server or with a larger budget;
- the shared-passage search (before aligning, whose evidence it is) stops at the deadline, so
  that aligning raises OverBudget at its first check instead of after the whole search;
- diffing past it gives coarse, complete diffs (delete all, insert all) for the rows left, and
  the comparison says it is coarse (the page too).

Long loops over paragraphs or rows check every CHECK_EVERY items (Deadline.checked, or
Deadline.until for the stages that stop). What no check can interrupt is one step of one item,
and above all parsing one HTML document: BeautifulSoup builds the whole tree in one call (a
5 MB page, within the paragraph limit checked before it: 3-4 s on the 2-core machine of
make bench). So a comparison can end that much past its budget; gunicorn's worker timeout
(webapp/gunicorn_conf.py) is the budget plus 30 s, and leaves room for that.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TypeVar

from .errors import CoverdiffError, TooManyParagraphs, TooManyTags

# An HTML page with more than this many <p> tags per allowed paragraph is refused before it is
# parsed: BeautifulSoup took 12 s over 200,000 <p> before segmenting counted them (limit 20,000).
# Pages whose furniture or empty <p> halve their count still pass to the exact count after parsing.
P_TAGS_PER_PARAGRAPH = 2  # <p> tags per paragraph of Options.max_paragraphs
_P_TAG = re.compile(r"<p[\s>/]", re.IGNORECASE)
# Tags of any kind per paragraph of Options.max_paragraphs an HTML page may hold, counted before
# parsing, which no check interrupts: reading a 5 MB page of 555,000 <b> tags took 18.7 s of CPU
# (12 s of it BeautifulSoup's tree). 5 per paragraph is 100,000 tags at the default limit, 3-4 s
# of CPU to read; the largest of trafilatura-eval's 485 real pages has 6,754 tags, the 5 MB page
# of bench/generate.py 12,945.
TAGS_PER_PARAGRAPH = 5  # tags per paragraph of Options.max_paragraphs
_TAG = re.compile(r"<[^\W\d_]")  # an opening tag: "<" and a letter
# Items (paragraphs, rows) between two checks of the deadline inside a loop. The slowest
# per-item steps (a paragraph's features, a row's reasons: 0.1-0.2 ms each for the 5 MB pair of
# bench/generate.py edited in every paragraph) make 64 items at most ~15 ms past the budget, and
# a check (~0.1 µs) every 64 items costs nothing measurable. Before these loops checked, the
# longest stretch without a check in that comparison was 4.5 s (CPU), now 0.4 s.
CHECK_EVERY = 64  # items

T = TypeVar("T")


class OverBudget(CoverdiffError):
    """The comparison did not finish reading or aligning within its time budget."""

    code = "over_budget"
    status = 503


@dataclass(frozen=True)
class Deadline:
    """A point on the monotonic clock; `seconds` is the budget it was made from."""

    at: float
    seconds: float

    @classmethod
    def after(cls, seconds: float) -> Deadline:
        return cls(time.monotonic() + seconds, seconds)

    def expired(self) -> bool:
        return time.monotonic() > self.at

    def check(self, doing: str) -> None:
        """Raise OverBudget (naming what was being done) once the deadline has passed."""
        if self.expired():
            raise OverBudget(f"The comparison took longer than its time budget of {self.seconds:g} s while {doing}. "
                             "Compare shorter documents, or try again when the server is less busy.")

    def checked(self, items: Iterable[T], doing: str) -> Iterator[T]:
        """The items, with check(doing) before the first and every CHECK_EVERY after."""
        for k, item in enumerate(items):
            if not k % CHECK_EVERY:
                self.check(doing)
            yield item

    def until(self, items: Iterable[T]) -> Iterator[T]:
        """The items up to where the deadline is found passed (looked at every CHECK_EVERY)."""
        for k, item in enumerate(items):
            if not k % CHECK_EVERY and self.expired():
                return
            yield item


NO_DEADLINE = Deadline(float("inf"), float("inf"))


def check_tag_count(content: str, kind: str, max_paragraphs: int) -> None:
    """TooManyParagraphs before parsing when an HTML page holds far more <p> than the limit;
    TooManyTags when it holds more tags than TAGS_PER_PARAGRAPH per allowed paragraph."""
    if kind == "text" or len(content) < max_paragraphs * P_TAGS_PER_PARAGRAPH * 2:  # too short to hold that many
        return
    p_tags = sum(1 for _m in _P_TAG.finditer(content))
    if p_tags > max_paragraphs * P_TAGS_PER_PARAGRAPH:
        raise TooManyParagraphs(f"The document has {p_tags:,} paragraph tags (<p>); the limit is {max_paragraphs:,} "
                                "paragraphs per document.")
    tags = sum(1 for _m in _TAG.finditer(content))
    if tags > max_paragraphs * TAGS_PER_PARAGRAPH:
        raise TooManyTags(f"The document has {tags:,} HTML tags; the limit is {max_paragraphs * TAGS_PER_PARAGRAPH:,} "
                          "per document (5 per paragraph of the paragraph limit).")
