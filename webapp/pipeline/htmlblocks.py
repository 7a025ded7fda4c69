"""Text blocks of an HTML tree, walked iteratively (pages can nest 100,000 deep).

A block is the text between two block-level boundaries (a block element's
start or end, or a blank line made of two <br>). Each block remembers the
block element that owns it, how many of its characters sit inside links,
and the tag of that owner.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass

from bs4 import BeautifulSoup, MarkupResemblesLocatorWarning, NavigableString, Tag, XMLParsedAsHTMLWarning
from bs4.element import CData, Comment, Declaration, Doctype, ProcessingInstruction


def parse(markup: str) -> BeautifulSoup:
    """`markup` parsed with lxml, without bs4's guesses about it: an XHTML page read as HTML is
    what we want, and a short text that looks like a file name or URL is still markup to us."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", XMLParsedAsHTMLWarning)
        warnings.simplefilter("ignore", MarkupResemblesLocatorWarning)
        return BeautifulSoup(markup, "lxml")

# Block-level elements: each starts a new text block.
BLOCK_TAGS = frozenset(
    "p div section article main header footer nav aside h1 h2 h3 h4 h5 h6 li ul ol dl dt dd "
    "blockquote pre table thead tbody tfoot tr td th caption figure figcaption address center hr "
    "body html form fieldset details summary".split()
)
LINK_TAGS = frozenset(("a",))

_NON_TEXT = (Comment, CData, Declaration, Doctype, ProcessingInstruction)
# A soft hyphen (&shy;) marks where a browser may break a word; it is seen only at a line's
# end, so a reader copying the text gets the word whole.
SOFT_HYPHEN = "\u00ad"
_PARA_BREAK = re.compile(r"\n\s*\n")


@dataclass
class Block:
    """One text block and where it came from."""

    text: str
    link_chars: int  # characters of the block inside <a> elements
    owner: Tag  # the nearest block-level element holding the text

    @property
    def link_density(self) -> float:
        return min(self.link_chars / len(self.text), 1.0) if self.text else 0.0


class _Close:
    """Stack marker: the end of an element that changes the walk's state."""

    __slots__ = ("tag",)

    def __init__(self, tag: Tag):
        self.tag = tag


class _Buffer:
    """Text of the block being read, with its link characters."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.link_chars = 0

    def add(self, text: str, in_link: bool) -> None:
        if SOFT_HYPHEN in text:
            text = text.replace(SOFT_HYPHEN, "")
        self.parts.append(text)
        if in_link:
            self.link_chars += len(text.strip())

    def flush(self, owner: Tag) -> list[Block]:
        """The blocks of the text read since the last flush (none when it is all whitespace:
        the line breaks between a page's elements, two thirds of the flushes)."""
        if not self.parts:
            return []
        text, links = "".join(self.parts), self.link_chars
        self.parts, self.link_chars = [], 0
        if text.isspace():  # the whitespace str.split() drops
            return []
        pieces = [" ".join(p.split()) for p in _PARA_BREAK.split(text)]
        pieces = [p for p in pieces if p]
        total = sum(len(p) for p in pieces) or 1
        return [Block(piece, min(round(links * len(piece) / total), len(piece)), owner) for piece in pieces]


def all_tags(root: Tag) -> list[Tag]:
    """Every element under `root` in document order (cheaper than find_all(True))."""
    return [node for node in root.descendants if isinstance(node, Tag)]


def iter_blocks(root: Tag):
    """Yield the blocks of `root` in reading order, without recursion."""
    buf = _Buffer()
    owners: list[Tag] = [root]
    links = 0
    stack: list = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, NavigableString):  # most nodes are text: the first test
            if not isinstance(node, _NON_TEXT):
                buf.add(node, links > 0)
            continue
        if isinstance(node, _Close):
            if node.tag.name in LINK_TAGS:
                links -= 1
            if node.tag.name in BLOCK_TAGS or node.tag is root:
                yield from buf.flush(owners.pop())
            continue
        if not isinstance(node, Tag):
            continue
        if node.name == "br":
            buf.add("\n", False)
            continue
        block, link = node.name in BLOCK_TAGS or node is root, node.name in LINK_TAGS
        if block:
            yield from buf.flush(owners[-1])
            owners.append(node)
        if link:
            links += 1
        if block or link:
            stack.append(_Close(node))
        stack.extend(reversed(node.contents))
    yield from buf.flush(owners[-1] if owners else root)
