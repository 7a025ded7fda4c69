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

The checks are as fine as the stages' loops: one stretch between two checks (parsing one
document, computing every paragraph's features) can run past the deadline; gunicorn's worker
timeout (webapp/gunicorn_conf.py) leaves room for that.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass

from .errors import CoverdiffError, TooManyParagraphs

# An HTML page with more than this many <p> tags per allowed paragraph is refused before it is
# parsed: BeautifulSoup took 12 s over 200,000 <p> before segmenting counted them (limit 20,000).
# Pages whose furniture or empty <p> halve their count still pass to the exact count after parsing.
P_TAGS_PER_PARAGRAPH = 2  # <p> tags per paragraph of Options.max_paragraphs
_P_TAG = re.compile(r"<p[\s>/]", re.IGNORECASE)


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


NO_DEADLINE = Deadline(float("inf"), float("inf"))


def check_tag_count(content: str, kind: str, max_paragraphs: int) -> None:
    """TooManyParagraphs before parsing when an HTML page holds far more <p> than the limit."""
    if kind == "text" or len(content) < max_paragraphs * P_TAGS_PER_PARAGRAPH * 3:  # too short to hold that many
        return
    tags = sum(1 for _m in _P_TAG.finditer(content))
    if tags > max_paragraphs * P_TAGS_PER_PARAGRAPH:
        raise TooManyParagraphs(f"The document has {tags:,} paragraph tags (<p>); the limit is {max_paragraphs:,} "
                                "paragraphs per document.")
