"""Page furniture rules shared by HTML and plain text.

A block of text is furniture when it is one of the labels, widgets and
teasers that news pages wrap around an article. Each rule names the reason
recorded for the removal. Rules look at the block's own text only, so the
same rules serve a saved HTML page and a page copied from the browser;
sanitize.py then judges each verdict in the block's context.

`verdict` also says which kind of rule matched:
- LABEL: the whole block is a known label ("Advertisement", "Read more");
- SHAPE: the block has the form of a byline, credit, caption or date stamp;
- WORDS: the block merely contains a widget's words (cookies, newsletter,
  copyright): a paragraph between body paragraphs is not removed for them;
- APPEAL: the words are the site addressing its reader ("we use cookies",
  "sign up", "support our journalism"): a WORDS match that is furniture
  at the body's edges even when it reads as a sentence.
"""

from __future__ import annotations

import re

# A block longer than this many words is never a label, whatever it says.
LABEL_MAX_WORDS = 8  # words; labels and buttons are short (1-8)
# Widgets (newsletter, cookie text) are rarely longer than this.
WIDGET_MAX_WORDS = 60  # words; longer blocks with these words are content

_I = re.IGNORECASE
BULLETS = "\u2022\u00b7|>\u00bb "  # list markers and separators around labels

# (reason, pattern) for short labels: the whole block must match.
LABEL_RULES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("navigation", re.compile(
        r"^(skip (to|navigation)\b.*|jump to\b.*|back to top|menu|main menu|home|search|"
        r"sign in|log ?in|my account|open navigation.*|close( menu)?|next|previous|"
        r"share( this( article| story)?)?( on \w+)?|copy link|print( this)?( article)?|email|"
        r"link copied!?|"
        r"listen( to this article)?.*|view comments|comments?|\d+ comments?|"
        r"(post|add|leave|write|show|hide|view|read) (a |all |the )?(comments?|repl(y|ies))\b.*|"
        r"open in app|download the app|follow|\+ ?follow|read full article|click here|"
        r"(previous|next) (article|post|story)|go to (home ?page|top))$", _I)),
    ("reading-time", re.compile(
        r"^(\d+\s*(min|mins|minutes?)( read)?|(reading time|read time):?\s*\d+\s*(min|mins|minutes?))$", _I)),
    ("tags", re.compile(r"^((related |more )?(tags|topics)|tagged|filed under|categories|keywords)\s*:?$", _I)),
    ("related-links", re.compile(
        r"^(related|related (stories|articles|content|coverage|topics|news|posts|videos|reading)|"
        r"more (from|on|in|about|stories|news|articles)\b.*|read more|read next|read also|also read|"
        r"recommended( for you| stories| reading)?|explore further|further reading|"
        r"most (read|popular|viewed|shared)|trending( now| stories)?|you (may|might) (also )?like|see also|"
        r"up next|what to read next|watch (this )?next|(our )?top stories|(our )?latest( news| stories| articles)?|"
        r"editor'?s picks?|don'?t miss|more stories|keep reading|continue reading)\s*:?$", _I)),
    ("caption", re.compile(r"^(photo|image|picture|video|credit|photograph|source)s?\s*:?$", _I)),
    ("advertisement", re.compile(
        r"^(advertisement|advert|ad|ads|sponsored( content)?|promoted|paid (post|content)|"
        r"story continues below( advertisement)?|scroll to continue.*|"
        r"(\w+ )?banner( \d+)?|.*\bbanner \d+)$", _I)),
)

_NEWSLETTER = re.compile(
    r"\b(newsletters?|subscribe|subscription|sign up for|sign-up|unsubscribe|inbox)\b", _I)
_COOKIE = re.compile(r"\bcookies?\b", _I)
_COOKIE_CONTEXT = re.compile(
    r"\b(we use|uses|use of|policy|consent|accept|preferences|settings|browser|"
    r"experience|functionality|necessary|tracking|third[- ]party)\b", _I)
_BYLINE = re.compile(r"^(by|written by|words by|reporting by|von|par|por|di)\s+\S", _I)
_CREDIT = re.compile(
    r"(contributed (to )?(this )?report(ing)?|additional reporting by|"
    r"^(reporting|editing|writing|compiled) by\b)", _I)
# A credit is a short "Source/Name" tail: capitalised words, a slash, one to
# CREDIT_NAME_MAX_WORDS capitalised words and nothing after but a bracket
# ("... in Kyiv. AGENCY/Jane Doe", "(\u00a9 Agency/Jane Doe)"); a sentence ends in a
# full stop, not in a name. A block of one or two words may be a lower-case
# "initials/AGENCY" sign-off.
CREDIT_NAME_MAX_WORDS = 4  # words after the slash
_CAPTION_START = re.compile(
    r"^\(?(photo|image|file photo|picture|credit|photograph|pictured|illustration)s?\s*(:|by\b)", _I)
_UPDATE_NOTE = re.compile(
    r"^(this (story|article|post|report) (has been|was|is being) updated\b.*|"
    r"(editor'?s note|correction|clarification):.*)$", _I)
# Short blocks that are a site's own words, not the story's (reason "boilerplate").
BOILERPLATE_MAX_WORDS = 40  # words
_BOILERPLATE = re.compile(
    r"(^(\u00a9|\(c\)|copyright\b)|\u00a9\s*\d{4}|\ball rights reserved\b|"
    r"\b(requires?|enable|turn on) javascript\b|"
    r"\bwe (want to|would love to|'d love to) hear\b|\btell us what you think\b|"
    r"\bwe rely on (your|readers)|\bsupport (our|independent|local|quality) journalism\b|"
    r"\b(become|join) (a |our )?(member|supporter|subscriber)s?\b|"
    r"^\[\w+[^\]]*\].*\[/\w+\]$)", _I)
# "Jane Doe is a senior writer for The Daily." (an author's bio line)
_AUTHOR_BIO = re.compile(
    r"^([A-Z][\w.'\u2019-]*\s){1,4}is (a|an|the)\b[^.]{0,80}\b(writer|reporter|editor|correspondent|"
    r"columnist|contributor|journalist|producer|author|critic|fellow)\b")
# Published/updated stamps: a date or time with little else around it. A date is
# numeric, or a day, a word (the month, in any language) and a year.
DATE_STAMP_MAX_WORDS = 16  # words
_DATE_LABEL = re.compile(
    r"\b(published|updated|posted|first published|last (updated|modified)|modified)\b\s*(on|at)?\s*:?", _I)
_DATE = re.compile(
    r"(\b\d{1,2}:\d{2}\b|\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}[/.]\d{1,2}[/.]\d{2,4}\b|"
    r"\b[^\W\d_]{3,12}\.? \d{1,2}(st|nd|rd|th)?,? \d{4}\b|"
    r"\b\d{1,2}(st|nd|rd|th)?\.? [^\W\d_]{3,12}\.?,? \d{4}\b)", _I)
# A photo credit ends its block; only this many last characters are searched.
CREDIT_TAIL_CHARS = 200  # characters
_SENTENCE_END = re.compile(r"[.!?\"'\u201d\u2019)]$")


def word_count(text: str) -> int:
    return len(text.split())


def _has_any(lower: str, needles: tuple[str, ...]) -> bool:
    """A cheap necessary condition for a rule's regex: one of its literal words is there."""
    return any(n in lower for n in needles)


# Letters re.IGNORECASE matches to "i" or "s" that lower() does not make "i" or "s":
# "\u0130".lower() is "i" and a combining dot; "\u0131" and "\u017f" stay as they are.
_IGNORECASE_ODD = str.maketrans({"\u0130": "i", "\u0131": "i", "\u017f": "s"})
_IGNORECASE_ODD_CHARS = "\u0130\u0131\u017f"
# Literal text every match of a pattern contains (lower case): the pattern is tried only
# when one is present. Python's re tries an unanchored alternation at every position.
_NEWSLETTER_NEEDLES = ("newsletter", "subscri", "sign up", "sign-up", "inbox")
_CREDIT_NEEDLES = ("contributed", " by")
_BOILERPLATE_NEEDLES = ("\u00a9", "(c)", "copyright", "all rights reserved", "javascript", "hear",
                        "tell us", "rely on", "journalism", "member", "supporter", "subscriber", "[")


def needle_text(text: str) -> str:
    """text.lower(), with the letters IGNORECASE matches to an ASCII letter that lower()
    does not turn into it (dotless and dotted I, long s), so needles are found."""
    if text.isascii() or not any(c in text for c in _IGNORECASE_ODD_CHARS):
        return text.lower()
    return text.translate(_IGNORECASE_ODD).lower()  # str.translate is slow: only when needed


def label_reason(text: str, n: int | None = None) -> str | None:
    """Reason when the block is a short label (navigation, tags, ad...)."""
    n = word_count(text) if n is None else n
    stripped = text.strip()
    if n > LABEL_MAX_WORDS and stripped[:1] not in BULLETS and stripped[-1:] not in BULLETS:
        return None  # bullets at the ends are the only words the label test ignores
    clean = stripped.lstrip(BULLETS).rstrip(BULLETS).strip()
    if word_count(clean) > LABEL_MAX_WORDS:
        return None
    for reason, pattern in LABEL_RULES:
        if pattern.match(clean):
            return reason
    return None


def widget_reason(text: str, n: int | None = None, lower: str | None = None) -> str | None:
    """Reason when the block is a newsletter or cookie widget's text."""
    n = word_count(text) if n is None else n
    if n > WIDGET_MAX_WORDS:
        return None
    lower = needle_text(text) if lower is None else lower
    if "cookie" in lower and _COOKIE.search(text) and _COOKIE_CONTEXT.search(text):
        return "cookie-notice"
    if _has_any(lower, _NEWSLETTER_NEEDLES) and _NEWSLETTER.search(text) and (
            n <= 25 or text.count("@") or "sign up" in lower):
        return "newsletter"
    return None


def byline_reason(text: str, n: int | None = None, lower: str | None = None) -> str | None:
    """Reason when the block is a byline, a credit line or a photo caption."""
    clean = text.strip()
    n = word_count(clean) if n is None else n
    lower = needle_text(text) if lower is None else lower
    if n <= 14 and _BYLINE.match(clean) and not clean.endswith((".", "?", "!")):
        return "byline"
    if n <= 30 and _has_any(lower, _CREDIT_NEEDLES) and _CREDIT.search(clean):
        return "byline"
    if _is_credit(clean[-CREDIT_TAIL_CHARS:]) or (n <= 40 and _CAPTION_START.match(clean)):
        return "caption"
    if n <= 30 and _UPDATE_NOTE.match(clean):
        return "boilerplate"
    return None


def _is_credit(tail: str) -> bool:
    """The block ends in a "Source/Name" credit (see CREDIT_NAME_MAX_WORDS)."""
    if "/" not in tail or "//" in tail or tail.rstrip().endswith("."):
        return False
    head, _, name = tail.rstrip().rstrip(")").rpartition("/")
    names, heads = name.split(), head.split()
    if not heads or not 1 <= len(names) <= CREDIT_NAME_MAX_WORDS or not all(map(_capitalised, names)):
        return False
    if not (head[-1].isspace() or head[-1].isalnum()):
        return False  # "x./Y", "a)/B": not a credit
    return _capitalised(heads[-1].lstrip("(\u00a9|")) or len(tail.split()) <= 2


def _capitalised(word: str) -> bool:
    return word[:1].isupper() or word[:1] == "&"


def boilerplate_reason(text: str, n: int | None = None, lower: str | None = None) -> str | None:
    """Reason when the block is the site talking (copyright, appeals, bios, dates)."""
    n = word_count(text) if n is None else n
    if n > BOILERPLATE_MAX_WORDS:
        return None
    lower = needle_text(text) if lower is None else lower
    if _has_any(lower, _BOILERPLATE_NEEDLES) and _BOILERPLATE.search(text):
        return "boilerplate"
    if n <= 30 and _AUTHOR_BIO.match(text):
        return "byline"
    if n <= DATE_STAMP_MAX_WORDS and _DATE.search(text) and (_DATE_LABEL.search(text) or n <= 6):
        return "date"
    return None


LABEL, SHAPE, WORDS, APPEAL = "label", "shape", "words", "appeal"  # kinds of rule (module docstring)
# A WORDS match without these is a topic (copyright, cookies, newsletters), not an appeal;
# an e-mail address or @handle is the site giving its reader a way to write or follow.
_APPEAL = re.compile(
    r"\b(we use|this (web)?site uses|accept|subscribe|sign[ -]up|unsubscribe|inbox|we rely|support (our|independent|"
    r"local|quality) journalism|become|join|hear|tell us|javascript)\b|\w@\w|(^|\s)@\w", _I)


def verdict(text: str, n: int | None = None) -> tuple[str, str] | None:
    """(reason, kind of rule) when a block is page furniture, else None (`n`: its word_count, if known)."""
    n, lower = word_count(text) if n is None else n, needle_text(text)
    reason = label_reason(text, n)
    if reason:
        return reason, LABEL
    reason = widget_reason(text, n, lower)
    if reason:
        return reason, _words_kind(text)
    reason = byline_reason(text, n, lower)
    if reason:
        return reason, SHAPE
    reason = boilerplate_reason(text, n, lower)
    if reason:
        return reason, _words_kind(text) if reason == "boilerplate" else SHAPE
    return None


def _words_kind(text: str) -> str:
    return APPEAL if _APPEAL.search(text) else WORDS


def furniture_reason(text: str) -> str | None:
    """The reason a block is page furniture, or None when it is content."""
    found = verdict(text)
    return found[0] if found else None


def looks_like_sentence(text: str) -> bool:
    """A block that ends like prose (used to tell headlines from paragraphs)."""
    end = text.rstrip()[-1:]
    return bool(end) and bool(_SENTENCE_END.match(end))


def starts_tail(reason: str | None) -> bool:
    """Labels after which the rest of a page is teasers, not the article."""
    return reason in ("tags", "related-links")
