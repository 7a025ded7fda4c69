"""Articles ABOUT cookies, newsletters, ads, copyright and sharing keep every paragraph.

tests/resources/topical/ holds news stories written for these tests (not taken
from any page), each as a plain-text copy of its page and as an HTML page, with
a cookie banner, a newsletter box, a share bar, a related list and a copyright
footer around it. `<slug>.body.txt` is the story alone: exactly what must stay.
"""

import json
from pathlib import Path

import pytest

from webapp.pipeline import UNSURE_BELOW, Source, document

TOPICAL = Path(__file__).resolve().parents[1] / "resources" / "topical"
SLUGS = sorted(p.name.removesuffix(".body.txt") for p in TOPICAL.glob("*.body.txt"))


def _body(slug: str) -> list[str]:
    return [p.strip() for p in (TOPICAL / f"{slug}.body.txt").read_text(encoding="utf-8").split("\n\n") if p.strip()]


def test_there_are_at_least_twelve_articles():
    assert len(SLUGS) >= 12


@pytest.mark.parametrize("kind", ["txt", "html"])
@pytest.mark.parametrize("slug", SLUGS)
def test_every_body_paragraph_stays_and_the_furniture_goes(slug, kind):
    page = (TOPICAL / f"{slug}.{kind}").read_text(encoding="utf-8")
    doc = document(Source(page, kind="text" if kind == "txt" else "html"))
    assert [p.text for p in doc.paragraphs] == _body(slug)


@pytest.mark.parametrize("slug", SLUGS)
def test_html_metadata_is_the_page_s_own(slug):
    meta = json.loads((TOPICAL / f"{slug}.meta.json").read_text(encoding="utf-8"))
    doc = document(Source((TOPICAL / f"{slug}.html").read_text(encoding="utf-8"), kind="html"))
    assert (doc.title, doc.outlet, doc.byline) == (meta["title"], meta["outlet"], meta["byline"])


@pytest.mark.parametrize("slug", SLUGS)
def test_furniture_around_the_body_is_removed_with_confidence(slug):
    doc = document(Source((TOPICAL / f"{slug}.txt").read_text(encoding="utf-8"), kind="text"))
    meta = json.loads((TOPICAL / f"{slug}.meta.json").read_text(encoding="utf-8"))
    removed = {r.text: r for r in doc.removed}
    footer = f"\u00a9 2026 {meta['outlet']}. All rights reserved."
    assert removed[footer].confidence >= UNSURE_BELOW
    assert all(0.0 <= r.confidence <= 1.0 for r in doc.removed)
