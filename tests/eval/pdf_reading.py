"""PDF reading evaluation: real article texts written as PDFs, read back, against their text.

The 40 ground-truth article bodies of ../shared/data/zyte-article-extraction-benchmark are
written as PDFs by fpdf2 in three layouts (paragraphs spaced apart; indented without
spacing; two columns), every page with a running header and a page number, and read
back through webapp/sources. The reference is the same text pasted as plain text, through
the same pipeline, so only the PDF reading is measured. Printed per layout: paragraphs
read back exactly (share of the reference's), 4-gram-shingle F1 of the whole text, pages
whose running header or page number leaked into the text, and the median reading time.

Run: python -m tests.eval.pdf_reading (nothing is written to the repository).
"""

from __future__ import annotations

import json
import statistics
import time
from collections import Counter
from pathlib import Path

from fpdf import FPDF

from tests.eval.extraction import ZYTE, shingles
from webapp import sources
from webapp.pipeline import Source, document
from webapp.pipeline.errors import CoverdiffError

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")  # Unicode text; else Latin-1 only
HEADER = "THE EXAMPLE GAZETTE - ARCHIVE COPY"
LIMIT = 5_000_000


def _pdf() -> FPDF:
    pdf = FPDF(format=(210, 297))
    if FONT.exists():
        pdf.add_font("body", fname=str(FONT))
        pdf.set_font("body", size=10)
    else:
        pdf.set_font("helvetica", size=10)

    def header():
        pdf.cell(0, 8, HEADER, align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(4)

    def footer():
        pdf.set_y(-15)
        pdf.cell(0, 10, f"Page {pdf.page_no()}", align="C")

    pdf.header, pdf.footer = header, footer
    pdf.set_auto_page_break(True, margin=20)
    pdf.add_page()
    return pdf


def _text(text: str) -> str:
    return text if FONT.exists() else text.encode("latin-1", "replace").decode("latin-1")


def write(paragraphs: list[str], layout: str) -> tuple[bytes, int]:
    pdf = _pdf()
    if layout == "two columns":
        with pdf.text_columns(ncols=2, gutter=8) as flow:
            for p in paragraphs:
                flow.write(_text(p))
                flow.ln()
                flow.ln()
    else:
        for p in paragraphs:
            indent = "      " if layout == "indented" else ""
            pdf.multi_cell(0, 5, indent + _text(p), new_x="LMARGIN", new_y="NEXT")
            if layout == "spaced":
                pdf.ln(4)
    return bytes(pdf.output()), pdf.page_no()


def score(paragraphs: list[str], layout: str) -> dict:
    reference = document(Source(_text("\n\n".join(paragraphs)), "text")).texts
    data, pages = write(paragraphs, layout)
    started = time.perf_counter()
    try:
        read = document(sources.from_upload("a.pdf", data, LIMIT)).texts
    except CoverdiffError as exc:
        print(f"  {layout}: {exc.code}: {exc.message}")
        read = []
    seconds = time.perf_counter() - started
    exact = sum((Counter(reference) & Counter(read)).values())
    truth, got = shingles(" ".join(reference)), shingles(" ".join(read))
    tp = sum((truth & got).values())
    text = " ".join(read)
    leaks = (HEADER in text) + sum(f"Page {n}" in text for n in range(1, pages + 1))
    return {"exact": exact, "paragraphs": len(reference), "tp": tp, "fp": sum(got.values()) - tp,
            "fn": sum(truth.values()) - tp, "pages": pages, "leaks": leaks, "seconds": seconds}


def renderable(paragraphs: list[str]) -> bool:
    """Whether the writer's font has every character (fpdf2 leaves out the others)."""
    if not FONT.exists():
        return True
    from fontTools.ttLib import TTFont

    cmap = renderable.cmap = getattr(renderable, "cmap", None) or TTFont(str(FONT)).getBestCmap()
    return all(ord(ch) in cmap for p in paragraphs for ch in p if not ch.isspace())


def main() -> None:
    truth = json.loads((ZYTE / "ground-truth.json").read_text(encoding="utf-8"))
    # One line per paragraph: a line break inside a paragraph is a line break in the PDF too.
    articles = [[" ".join(p.split()) for p in item["articleBody"].split("\n\n") if p.strip()]
                for item in truth.values()]
    usable = [a for a in articles if a and renderable(a)]
    print(f"PDF reading: {len(usable)} of {len(articles)} article bodies from {ZYTE.name} "
          f"(the others have characters the font {FONT.name if FONT.exists() else 'Latin-1'} lacks)")
    articles = usable
    for layout in ("spaced", "indented", "two columns"):
        scores = [score(a, layout) for a in articles]
        exact, total = sum(s["exact"] for s in scores), sum(s["paragraphs"] for s in scores)
        tp, fp, fn = (sum(s[k] for s in scores) for k in ("tp", "fp", "fn"))
        f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
        pages, leaks = sum(s["pages"] for s in scores), sum(s["leaks"] for s in scores)
        median = statistics.median(s["seconds"] for s in scores)
        print(f"  {layout:12s} paragraphs exact {exact}/{total} ({exact / total:.1%}), shingle F1 {f1:.3f}, "
              f"{pages} pages, furniture leaked {leaks}, median {median * 1000:.0f} ms per file")


if __name__ == "__main__":
    main()
