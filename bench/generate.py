"""Deterministic synthetic article pairs for the benchmark (no network).

A pair is a document of news-like paragraphs (names, numbers, quotes) and a
perturbed copy: about 10% of paragraphs edited at word level, 5% deleted, 5%
inserted and 10% moved. Both are rendered as plain text (paragraphs separated
by blank lines) or as an HTML page with typical furniture around an <article>.
Same seed and size, same bytes: the random generator is seeded with a string,
which Python hashes the same way in every process.
"""

from __future__ import annotations

import html
import random
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS_DIR = ROOT / "seeds"

DEFAULT_SEED = 8  # issue #8
SIZES = {"10KB": 10_000, "100KB": 100_000, "1MB": 1_000_000, "5MB": 5_000_000}  # bytes per document
SHARES = {"edited": 0.10, "deleted": 0.05, "inserted": 0.05, "moved": 0.10}  # of the original's paragraphs

FIRST = ("Antony", "Maria", "Lloyd", "Olena", "Kim", "James", "Sofia", "Ahmed", "Li", "Fatima", "Pedro", "Anna",
         "Juan", "Yuki", "Grace", "Ivan", "Priya", "Omar", "Chloe", "Hiroshi", "Elena", "Samuel", "Nadia", "Tomas")
LAST = ("Blinken", "Austin", "Martina", "Pamuk", "Kovalenko", "Nguyen", "Okafor", "Schmidt", "Rossi", "Tanaka",
        "Haddad", "Silva", "Novak", "Dubois", "Patel", "Cho", "Yong-hyun", "Fischer", "Moreau", "Eriksen",
        "Costa", "Mendez", "Volkov", "Andersen", "Kowalski", "Ibrahim", "Lindqvist", "Garcia")
ROLES = ("spokesperson", "foreign minister", "defense secretary", "chief executive", "senior analyst",
         "governor", "central bank chief", "police commissioner", "health minister", "union leader",
         "mayor", "prosecutor", "economist", "ambassador", "lawmaker")
ORGS = ("the State Department", "the Pentagon", "Reuters", "the United Nations", "NATO", "the European Commission",
        "the World Bank", "the Kremlin", "the Ministry of Finance", "the Supreme Court", "Parliament",
        "the International Monetary Fund", "the Red Cross", "the Federal Reserve", "the city council")
PLACES = ("Washington", "Kyiv", "Seoul", "Moscow", "Brussels", "Beijing", "Kursk", "Geneva", "London", "Paris",
          "Tokyo", "Berlin", "Nairobi", "Brasilia", "Ottawa", "Canberra", "New Delhi", "Cairo", "Madrid")
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")
SAID = ("said", "told reporters", "said in a statement", "told Reuters", "wrote on social media",
        "said at a press conference", "added", "warned")
THINGS = ("troops", "prices", "exports", "casualties", "votes", "shares", "flights", "refugees", "tariffs",
          "vaccines", "contracts", "drones", "jobs", "loans", "emissions")
FALLBACK_WORDS = ("the government said officials would meet again next week to discuss the proposal while "
                  "critics warned that the plan could delay talks over security funding and trade").split()

_WORD = re.compile(r"[a-z]+(?:['’][a-z]+)?")


@cache
def vocabulary() -> tuple[str, ...]:
    """Lower-case words of the seed articles (sorted, so the same in every run)."""
    words: set[str] = set()
    for path in sorted(SEEDS_DIR.glob("*.txt")):
        words.update(w for w in _WORD.findall(path.read_text(encoding="utf-8").lower()) if len(w) > 1)
    words.update(FALLBACK_WORDS)
    return tuple(sorted(words))


def _number(rng: random.Random) -> str:
    kind = rng.randrange(5)
    if kind == 0:
        return f"{rng.randrange(2, 99)}"
    if kind == 1:
        return f"{rng.randrange(1, 60)},{rng.randrange(1000):03d}"
    if kind == 2:
        return f"{rng.randrange(1, 40)}.{rng.randrange(10)} percent"
    if kind == 3:
        return f"${rng.randrange(1, 900)} million"
    return f"{rng.randrange(1, 29)} {rng.choice(MONTHS)}"


def _clause(rng: random.Random, lo: int = 6, hi: int = 16) -> str:
    vocab = vocabulary()
    return " ".join(rng.choice(vocab) for _ in range(rng.randint(lo, hi)))


def _person(rng: random.Random) -> str:
    return f"{rng.choice(FIRST)} {rng.choice(LAST)}"


def sentence(rng: random.Random) -> str:
    """One news-like sentence: attribution, quote, figures or plain report."""
    kind = rng.randrange(6)
    if kind == 0:
        return (f"{_person(rng)}, the {rng.choice(ROLES)} of {rng.choice(ORGS)}, {rng.choice(SAID)} on "
                f"{rng.choice(DAYS)} that {_clause(rng)}.")
    if kind == 1:
        quote = _clause(rng, 8, 18)
        return f"\u201c{quote[0].upper()}{quote[1:]},\u201d {rng.choice(LAST)} {rng.choice(SAID)}."
    if kind == 2:
        return (f"The number of {rng.choice(THINGS)} rose {_number(rng)} to {_number(rng)} in "
                f"{rng.choice(MONTHS)}, according to {rng.choice(ORGS)}.")
    if kind == 3:
        return f"{rng.choice(PLACES).upper()} ({rng.choice(ORGS).removeprefix('the ')}) - {_clause(rng).capitalize()}."
    clause = _clause(rng, 10, 22)
    return f"{clause[0].upper()}{clause[1:]} in {rng.choice(PLACES)}, {_number(rng)} {rng.choice(THINGS)}."


def paragraph(rng: random.Random) -> str:
    return " ".join(sentence(rng) for _ in range(rng.randint(2, 4)))


def document(rng: random.Random, target_bytes: int) -> list[str]:
    """Paragraphs until the plain text reaches about target_bytes (UTF-8)."""
    paras: list[str] = []
    size = 0
    while size < target_bytes:
        p = paragraph(rng)
        paras.append(p)
        size += len(p.encode("utf-8")) + 2
    return paras


def edit_words(rng: random.Random, text: str) -> str:
    """A word-level edit: 1-3 words replaced, inserted or deleted, or a number changed."""
    edited = _edit_once(rng, text)
    while edited == text:  # a replacement can draw the same word: edit again
        edited = _edit_once(rng, text)
    return edited


def _edit_once(rng: random.Random, text: str) -> str:
    words = text.split(" ")
    vocab = vocabulary()
    for _ in range(rng.randint(1, 3)):
        i = rng.randrange(len(words))
        op = rng.randrange(4)
        if op == 0:
            words[i] = rng.choice(vocab)
        elif op == 1:
            words.insert(i, rng.choice(vocab))
        elif op == 2 and len(words) > 4:
            del words[i]
        else:
            words[i] = re.sub(r"\d+", lambda m: str(int(m.group()) + rng.randint(1, 9)), words[i]) \
                if any(c.isdigit() for c in words[i]) else rng.choice(vocab).upper() + "S"
    return " ".join(words)


@dataclass
class Pair:
    name: str
    left: list[str]  # paragraphs
    right: list[str]
    counts: dict[str, int] = field(default_factory=dict)  # edited, deleted, inserted, moved


def perturb(rng: random.Random, paras: list[str], shares: dict[str, float] = SHARES) -> tuple[list[str], dict]:
    """The perturbed copy and how many paragraphs each change touched.

    Edited, deleted and moved paragraphs are disjoint sets of the original's;
    inserted paragraphs are new. Counts are round(share * len(paras)).
    """
    n = len(paras)
    counts = {k: round(shares.get(k, 0.0) * n) for k in ("edited", "deleted", "inserted", "moved")}
    order = list(range(n))
    rng.shuffle(order)
    edited = set(order[:counts["edited"]])
    deleted = set(order[counts["edited"]:counts["edited"] + counts["deleted"]])
    moved_start = counts["edited"] + counts["deleted"]
    moved = order[moved_start:moved_start + counts["moved"]]
    moved_set = set(moved)
    out: list[str] = []
    for i, p in enumerate(paras):
        if i in deleted or i in moved_set:
            continue
        out.append(edit_words(rng, p) if i in edited else p)
    for i in moved:  # each moved paragraph lands somewhere else, unchanged
        out.insert(rng.randrange(len(out) + 1), paras[i])
    for _ in range(counts["inserted"]):
        out.insert(rng.randrange(len(out) + 1), paragraph(rng))
    return out, counts


def make_pair(size: str, seed: int = DEFAULT_SEED, shares: dict[str, float] = SHARES) -> Pair:
    """The deterministic pair for a size label (see SIZES) or a byte count; `shares` of the
    paragraphs edited, deleted, inserted and moved (every paragraph edited: {"edited": 1.0})."""
    target = SIZES[size] if size in SIZES else int(size)
    rng = random.Random(f"coverdiff-bench:{seed}:{target}")
    left = document(rng, target)
    right, counts = perturb(rng, left, shares)
    return Pair(size, left, right, counts)


def as_text(paras: list[str]) -> str:
    return "\n\n".join(paras) + "\n"


def as_html(paras: list[str], title: str, variant: int = 0) -> str:
    """An article page: nav, header, cookie banner, share bar, aside, footer, scripts."""
    esc = html.escape
    related = "".join(f'<li><a href="/news/{variant}-{k}">{esc(t)}</a></li>'
                      for k, t in enumerate(("Markets slide as talks stall", "Live: the latest from Kyiv",
                                             "Opinion: what the vote means", "Weather warning for the coast",
                                             "Five things to know today")))
    nav = "".join(f'<li><a href="/{s.lower()}">{s}</a></li>'
                  for s in ("World", "Business", "Politics", "Tech", "Science", "Sport", "Opinion"))
    body = "\n".join(f"<p>{esc(p)}</p>" for p in paras)
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{esc(title)} | The Daily Bench</title>
<meta property="og:title" content="{esc(title)}">
<meta name="author" content="Bench Reporter">
<link rel="stylesheet" href="/static/site.{variant}.css">
<script>window.dataLayer=window.dataLayer||[];
function gtag(){{dataLayer.push(arguments)}}gtag('js',new Date());</script>
<script src="https://cdn.example.com/ads.{variant}.js" async></script>
</head><body>
<a class="skip-link" href="#main">Skip to main content</a>
<div class="cookie-banner" role="dialog"><p>We use cookies to improve your experience and show personalised ads.
By continuing you agree to our cookie policy.</p><button>Accept all</button><button>Manage</button></div>
<header class="site-header"><a class="logo" href="/">The Daily Bench</a><nav class="main-nav"><ul>{nav}</ul></nav>
<form class="search" action="/search"><input name="q" placeholder="Search"></form></header>
<main id="main"><div class="layout">
<article class="story">
<h1>{esc(title)}</h1>
<div class="byline">By Bench Reporter and Data Desk</div>
<time datetime="2024-10-31T12:00:00Z">October 31, 2024</time>
<div class="share-bar"><a href="https://twitter.com/share">Share on X</a> <a href="https://facebook.com/share">Share on
Facebook</a> <a href="mailto:?subject=story">Email</a> <button>Copy link</button></div>
{body}
<div class="newsletter-signup"><p>Sign up for our morning briefing.</p><input type="email"><button>Subscribe</button>
</div>
</article>
<aside class="related"><h2>Related stories</h2><ul>{related}</ul></aside>
</div></main>
<footer class="site-footer"><ul><li><a href="/about">About us</a></li><li><a href="/privacy">Privacy</a></li>
<li><a href="/terms">Terms of use</a></li><li><a href="/contact">Contact</a></li></ul>
<p>&copy; 2024 The Daily Bench. All rights reserved.</p></footer>
<script>(function(){{var s=document.createElement('script');
s.src='/track.js?v={variant}';document.body.appendChild(s)}})();
</script>
</body></html>
"""


def render(pair: Pair, fmt: str) -> tuple[str, str]:
    """(left, right) contents of a pair as 'text' or 'html'."""
    if fmt == "text":
        return as_text(pair.left), as_text(pair.right)
    title = f"Synthetic report {pair.name}"
    return as_html(pair.left, title, 0), as_html(pair.right, title, 1)


def seed_texts() -> tuple[str, str]:
    """The two seed articles (first file is the left side)."""
    files = sorted(SEEDS_DIR.glob("*.txt"))[:2]
    return files[0].read_text(encoding="utf-8"), files[1].read_text(encoding="utf-8")
