"""Real .docx and .pdf files written by python-docx and fpdf2, with known paragraphs."""

from __future__ import annotations

import io

import docx
from fpdf import FPDF

# A press release, and the news story written from it (same facts, other words).
RELEASE = [
    "Acme Corporation will open a battery plant in Springfield in March 2027, creating 1,200 jobs.",
    "The plant will cost $2.4 billion and produce cells for electric buses, the company said on Tuesday.",
    '"Springfield has the workers and the rail links we need," said chief executive Dana Ruiz.',
    "Construction starts this autumn on a former steelworks site north of the river.",
    "The state will contribute $150 million in tax credits over ten years.",
]
STORY = [
    "Acme Corporation said on Tuesday it will build a $2.4 billion battery plant in Springfield.",
    "The factory, due to open in March 2027, is expected to create 1,200 jobs.",
    '"Springfield has the workers and the rail links we need," said chief executive Dana Ruiz.',
    "Local union leaders welcomed the plan but asked for guarantees on wages.",
    "The state will contribute $150 million in tax credits over ten years.",
]


def write_docx(paragraphs: list[str], title: str | None = None, header: str | None = None,
               footer: str | None = None) -> bytes:
    document = docx.Document()
    if header:
        document.sections[0].header.paragraphs[0].text = header
    if footer:
        document.sections[0].footer.paragraphs[0].text = footer
    if title:
        document.add_heading(title, level=1)
    for text in paragraphs:
        document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


class _Pdf(FPDF):
    running_header: str | None = None
    page_numbers: bool = True

    def header(self):
        if self.running_header:
            self.set_font("helvetica", size=9)
            self.cell(0, 8, self.running_header, align="C", new_x="LMARGIN", new_y="NEXT")
            self.ln(4)

    def footer(self):
        if self.page_numbers:
            self.set_y(-15)
            self.set_font("helvetica", size=9)
            self.cell(0, 10, f"Page {self.page_no()} of {{nb}}", align="C")


def write_pdf(paragraphs: list[list[str]], header: str | None = None, page_numbers: bool = True,
              gap_mm: float = 4, indent: str = "", title: str | None = None) -> tuple[bytes, list[tuple[int, int]]]:
    """A PDF with each paragraph's lines written as given (so line ends and hyphens
    are known), pages broken where they fill; returns the bytes and, per paragraph,
    the pages its first and last lines landed on."""
    pdf = _Pdf(format=(148, 210))  # A5, in mm
    pdf.running_header, pdf.page_numbers = header, page_numbers
    if title:
        pdf.set_title(title)
    pdf.set_auto_page_break(True, margin=20)
    pdf.add_page()
    pdf.set_font("helvetica", size=10)
    spans = []
    for lines in paragraphs:
        first = None
        for i, line in enumerate(lines):
            pdf.cell(0, 5, (indent if i == 0 else "") + line, new_x="LMARGIN", new_y="NEXT")
            first = first or pdf.page_no()
        spans.append((first, pdf.page_no()))
        pdf.ln(gap_mm)
    return bytes(pdf.output()), spans


def write_columns_pdf(paragraphs: list[str], columns: int = 2) -> bytes:
    """One page of `paragraphs` flowed into balanced text columns (fpdf2 wraps the lines)."""
    pdf = FPDF(format=(210, 297))  # A4, in mm
    pdf.add_page()
    pdf.set_font("helvetica", size=10)
    with pdf.text_columns(ncols=columns, gutter=8, balance=True) as flow:
        for text in paragraphs:
            flow.write(text)
            flow.ln()
            flow.ln()
    return bytes(pdf.output())


def wrapped(text: str, width: int = 60) -> list[str]:
    """Lines of at most `width` characters, broken at spaces."""
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return [*lines, line] if line else lines
