"""Facts: the paragraphs of N reports of one event grouped into what each reports.

Built from the pairwise aligner, never beside it:

1. Every pair of documents is compared as the side-by-side view compares it: shared passages
   (quotes.find), then align.align with them (N <= 10, so at most 45 pairs; `pairwise`). Each
   row that pairs paragraphs of both sides gives links between them, weighted by the row's
   similarity, and so does each of the alignment's links (related paragraphs the pair put in
   different rows: a fact one report spreads over several paragraphs; make eval (facts), F1 at
   N = 3/5/10: 0.982/0.981/0.978 with rows alone, 0.981/0.981/0.980 with links); paragraphs one row puts
   on the same side (a split or a merge) are recorded as *grouped*: they may share a fact.
2. Links are joined strongest first (Kruskal over a union-find), under two rules
   (`Clusters.join`). Consistency: a join that would put two paragraphs of one document in one
   fact when no pairwise row grouped them (directly or through a third paragraph) and they are
   not neighbours is refused, so a fact never holds two unrelated paragraphs of one document.
   Support: two groups are joined only when the pairwise alignments agree, i.e. at least
   SUPPORT_MIN of the pairs of documents across the two groups linked them (or a pairwise row
   grouped paragraphs of both: a split or a merge), so one weak link never chains two facts
   together through a third report.
3. Every paragraph is in exactly one fact (a paragraph no other report has is a fact of one).
   Facts are in story order (see `ordered`).

Stats per document: the share of the event's facts it reports and how many only it has.
Shared quotes: passages of MIN_PASSAGE_WORDS+ words found verbatim (quotes.find, the same search
the alignment used) in two or more documents, with the documents that hold them.

Cost: N(N-1)/2 pairwise alignments and passage searches, each near-linear in the pair's size,
plus sorting the links: close to linear in the total size for a fixed N. What is worked out of
one document alone (its words, language, paragraph features, token counts) is worked out once
for all its N-1 pairs (quotes.WordKeys, align.Corpus), and each pair's result is still that of
the two compared alone: 10 x 20 KB (bench.many) took 0.89 s CPU with it redone per pair, 0.45 s.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import combinations

from . import align, quotes
from .budget import NO_DEADLINE, Deadline
from .types import Alignment, Document, Options

# Documents in one comparison of many: fewer is a pair, more is refused (issue #17).
MIN_DOCUMENTS, MAX_DOCUMENTS = 2, 10  # documents
# Reasons kept per fact, most often given by the pairwise rows first.
MAX_REASONS = 8  # items
# Shared quotes listed, the most widely shared (then the longest) first.
MAX_SHARED_QUOTES = 50  # passages
# Passages compared with each other to find who else holds a sub-passage (quadratic in this).
MAX_QUOTE_CANDIDATES = 400  # passages, longest first
# Share of the pairs of documents across two groups of paragraphs whose alignment linked the
# two (a row or a link) for the groups to be joined (a pairwise row that grouped paragraphs of
# both, a split or a merge, is enough alone). make eval (facts), F1 at N = 3/5/10 (pairwise on
# every pair: 0.976/0.976/0.973): no support rule 0.981/0.976/0.973; 0.25 0.981/0.981/0.979;
# 1/3 0.981/0.981/0.980; 0.5 0.981/0.982/0.981; 0.67 0.983/0.983/0.981. We take 1/3, not the
# slightly better 0.5: the perturbed copies here share most words, while real outlets word a
# fact far apart, so their pairwise links are sparser (ecbplus-align recall about 0.5) and a
# higher bar would split their facts.
SUPPORT_MIN = 1 / 3  # 0..1 of the document pairs across two groups

Node = tuple[int, int]  # (document index, paragraph index)
Pairwise = dict[tuple[int, int], tuple[Alignment, quotes.Shared]]  # (i, j), i < j -> alignment, passages


@dataclass(frozen=True)
class FactMember:
    """The paragraph(s) one document reports a fact in (several: a split or merge)."""

    document: int
    paragraphs: tuple[int, ...]


@dataclass(frozen=True)
class Fact:
    index: int
    members: tuple[FactMember, ...]  # by document index; documents without the fact are absent
    similarity: float = 0.0  # mean similarity of the pairwise links that made it, 0..1
    reasons: tuple[str, ...] = ()  # what the pairwise rows matched on, most common first

    @property
    def documents(self) -> tuple[int, ...]:
        return tuple(m.document for m in self.members)

    def member(self, document: int) -> FactMember | None:
        return next((m for m in self.members if m.document == document), None)


@dataclass(frozen=True)
class DocumentStats:
    covered: float  # share of the event's facts this document reports, 0..1
    exclusive: int  # facts only this document reports


@dataclass(frozen=True)
class SharedQuote:
    text: str  # the wording of the first document that holds it
    documents: tuple[int, ...]


@dataclass(frozen=True)
class ManyStats:
    documents: tuple[DocumentStats, ...]
    shared_quotes: tuple[SharedQuote, ...] = ()


@dataclass(frozen=True)
class ManyComparison:
    documents: tuple[Document, ...]
    facts: tuple[Fact, ...]
    stats: ManyStats
    options: Options = field(default_factory=Options)


@dataclass(frozen=True)
class Link:
    similarity: float
    a: Node
    b: Node
    reasons: tuple[str, ...]


def pairwise(documents: tuple[Document, ...], progress: Callable[[int, int], None] | None = None,
             deadline: Deadline = NO_DEADLINE) -> Pairwise:
    """Every pair of documents compared as the side-by-side view compares them: their shared
    passages, then the alignment that uses them. `progress(done, total)` after each pair; past
    `deadline`, OverBudget."""
    pairs = list(combinations(range(len(documents)), 2))
    # each document's words, language and features, worked out once for all its pairs
    keys, corpus = quotes.WordKeys(), align.Corpus()
    out: Pairwise = {}
    for done, (i, j) in enumerate(pairs, 1):
        shared = quotes.find(documents[i].texts, documents[j].texts, deadline=deadline, keys=keys)
        deadline.check("finding the shared quotes")  # a search cut short would drop quotes
        out[(i, j)] = (align.align(documents[i], documents[j], shared, deadline, corpus), shared)
        if progress is not None:
            progress(done, len(pairs))
    return out


def group(documents: tuple[Document, ...], compared: Pairwise | None = None) -> tuple[Fact, ...]:
    """The facts of `documents`, from the pairwise comparison of every pair (`compared`, else
    computed here)."""
    compared = pairwise(documents) if compared is None else compared
    links, grouped = [], set()
    for (i, j), (alignment, _shared) in sorted(compared.items()):
        pair_links, pair_grouped = links_of(i, j, alignment)
        links += pair_links
        grouped |= pair_grouped
    nodes = [(d, p.index) for d, doc in enumerate(documents) for p in doc.paragraphs]
    clusters = Clusters(nodes, closed(grouped), links)
    for link in sorted(links, key=lambda k: (-k.similarity, k.a, k.b)):
        clusters.join(link)
    return ordered(clusters.groups(), documents)


def links_of(i: int, j: int, alignment: Alignment) -> tuple[list[Link], set[tuple[Node, Node]]]:
    """Links between documents i and j from one pairwise alignment (its rows, then its links
    across rows), and the pairs of paragraphs of one document that a row grouped (either order)."""
    links, grouped = [], set()
    for row in alignment.rows:
        if not (row.left and row.right):
            continue
        links += [Link(row.similarity, (i, p), (j, q), row.reasons) for p in row.left for q in row.right]
        for doc, side in ((i, row.left), (j, row.right)):
            grouped |= {((doc, a), (doc, b)) for a in side for b in side if a != b}
    links += [Link(k.similarity, (i, k.left), (j, k.right), k.reasons) for k in alignment.links]
    return links, grouped


def closed(grouped: set[tuple[Node, Node]]) -> dict[Node, Node]:
    """Grouped paragraphs closed under transitivity (a three-way split seen in two pairs is one):
    each grouped paragraph's part, named by one of its paragraphs. Linear in the pairs given."""
    parent: dict[Node, Node] = {}

    def root(node: Node) -> Node:
        while parent.setdefault(node, node) != node:
            parent[node] = node = parent[parent[node]]
        return node

    for a, b in grouped:
        parent[root(a)] = root(b)
    return {node: root(node) for node in parent}


class Clusters:
    """Union-find over paragraphs with the consistency and support rules on every join.
    `links`: every link the pairwise alignments gave (the support rule counts them all)."""

    def __init__(self, nodes: list[Node], grouped: dict[Node, Node], links: list[Link] = ()):
        self.parent = {n: n for n in nodes}
        self.members = {n: [n] for n in nodes}
        self.weights: dict[Node, list[float]] = {n: [] for n in nodes}
        self.reasons: dict[Node, Counter] = {n: Counter() for n in nodes}
        self.grouped = grouped
        self.linked: dict[Node, set[Node]] = defaultdict(set)
        for link in links:
            self.linked[link.a].add(link.b)
            self.linked[link.b].add(link.a)

    def find(self, node: Node) -> Node:
        root = node
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[node] != root:
            self.parent[node], node = root, self.parent[node]
        return root

    def join(self, link: Link) -> bool:
        ra, rb = self.find(link.a), self.find(link.b)
        if ra != rb:
            first, second = self.members[ra], self.members[rb]
            if not (self.consistent(first, second) and self.supported(link, first, second, rb)):
                return False
            if len(first) < len(second):
                ra, rb = rb, ra
            self.parent[rb] = ra
            self.members[ra] += self.members.pop(rb)
            self.weights[ra] += self.weights.pop(rb)
            self.reasons[ra] += self.reasons.pop(rb)
        self.weights[ra].append(link.similarity)
        self.reasons[ra].update(link.reasons)
        return True

    def consistent(self, first: list[Node], second: list[Node]) -> bool:
        """No two paragraphs of one document together unless a pairwise row grouped them (or
        grouped each with a third), or they are neighbours: a split one pair's alignment did
        not see as one. make eval (facts), F1 at N = 3/5/10: 0.981/0.981/0.980 with the
        neighbour rule, 0.978/0.980/0.978 without it."""
        by_doc = defaultdict(list)
        for node in first:
            by_doc[node[0]].append(node)
        part = self.grouped.get
        return all(abs(a[1] - b[1]) == 1 or part(a, a) == part(b, b) for b in second for a in by_doc.get(b[0], ()))

    def supported(self, link: Link, first: list[Node], second: list[Node], second_root: Node) -> bool:
        """Whether the alignments agree on joining two groups: a pairwise row grouped a paragraph
        of each (a split or a merge), or at least SUPPORT_MIN of the pairs of documents across
        them linked the two (this link counts). make eval (facts), F1 at N = 3/5/10: without the
        split-or-merge exception 0.980/0.975/0.966 (a report that merges two paragraphs joins
        two facts the others keep apart, and their paragraphs seldom link each other), with it
        0.981/0.981/0.980."""
        parts = {self.grouped[a] for a in first if a in self.grouped}
        if parts and any(self.grouped.get(b) in parts for b in second):
            return True
        docs_first, docs_second = {a[0] for a in first}, {b[0] for b in second}
        across = sum(1 for d in docs_first for e in docs_second if d != e)
        agreeing = {(link.a[0], link.b[0])}  # link.a is in `first`
        agreeing |= {(a[0], b[0]) for a in first for b in self.linked.get(a, ()) if self.find(b) == second_root}
        return len(agreeing) >= SUPPORT_MIN * across

    def groups(self) -> list[tuple[list[Node], list[float], Counter]]:
        return [(sorted(m), self.weights[r], self.reasons[r]) for r, m in self.members.items()]


def ordered(groups, documents: tuple[Document, ...]) -> tuple[Fact, ...]:
    """Facts in story order, as the pairwise view orders rows: the first document's facts in
    its order, then each later document's new facts right after the fact before them there."""
    fact_of = {node: k for k, (nodes, _w, _r) in enumerate(groups) for node in nodes}
    after: dict[int, int] = {}  # a linked list of facts from HEAD
    for d, doc in enumerate(documents):
        cursor = HEAD
        for p in doc.paragraphs:
            k = fact_of[(d, p.index)]
            if k not in after and k != cursor:
                after[cursor], after[k] = k, after.get(cursor, TAIL)
            cursor = k
    facts, k = [], after.get(HEAD, TAIL)
    while k != TAIL:
        nodes, weights, reasons = groups[k]
        facts.append(_fact(len(facts), nodes, weights, reasons))
        k = after[k]
    return tuple(facts)


HEAD, TAIL = -1, -2  # ends of ordered's linked list


def _fact(index: int, nodes: list[Node], weights: list[float], reasons: Counter) -> Fact:
    by_doc = defaultdict(list)
    for d, p in nodes:
        by_doc[d].append(p)
    members = tuple(FactMember(d, tuple(ps)) for d, ps in sorted(by_doc.items()))
    similarity = round(sum(weights) / len(weights), 3) if weights else 0.0
    return Fact(index, members, similarity, tuple(r for r, _n in reasons.most_common(MAX_REASONS)))


def stats(documents: tuple[Document, ...], facts: tuple[Fact, ...], compared: Pairwise | None = None) -> ManyStats:
    """Per document: the share of the facts it reports and its exclusives; the shared quotes
    (from the passages of `compared`, else searched here)."""
    total = len(facts) or 1
    per_doc = tuple(
        DocumentStats(round(sum(1 for f in facts if f.member(d)) / total, 3),
                      sum(1 for f in facts if f.documents == (d,)))
        for d in range(len(documents)))
    return ManyStats(per_doc, shared_quotes(documents, compared))


def shared_quotes(documents: tuple[Document, ...], compared: Pairwise | None = None) -> tuple[SharedQuote, ...]:
    """Passages found verbatim in two or more documents, with every document that holds them."""
    holders: dict[str, set[int]] = defaultdict(set)
    wording: dict[str, str] = {}
    for i, j in combinations(range(len(documents)), 2):
        found = compared[(i, j)][1] if compared else quotes.find(documents[i].texts, documents[j].texts)
        for text in found.passages:
            key = " ".join(quotes.word_keys(text))
            holders[key] |= {i, j}
            wording.setdefault(key, text)
    keys = sorted(holders, key=lambda k: (-len(k), k))[:MAX_QUOTE_CANDIDATES]
    for n, short in enumerate(keys):  # a passage inside a longer one is held by that one's holders too
        for long in keys[:n]:
            if f" {short} " in f" {long} ":
                holders[short] |= holders[long]
    kept: list[str] = []
    for key in sorted(keys, key=lambda k: (-len(holders[k]), -len(k), k)):
        if not any(f" {key} " in f" {k} " and holders[key] <= holders[k] for k in kept):
            kept.append(key)
    return tuple(SharedQuote(wording[k], tuple(sorted(holders[k]))) for k in kept[:MAX_SHARED_QUOTES])


def reference(fact: Fact, documents: tuple[Document, ...]) -> int:
    """The document whose wording of `fact` is the most common: the member most like all the
    others (the largest sum of word-bag Dice similarities), the first on a tie."""
    bags = {m.document: Counter(quotes.word_keys(joined(documents[m.document], m.paragraphs))) for m in fact.members}
    return max(bags, key=lambda d: (sum(align.bag_dice(bags[d], b) for e, b in bags.items() if e != d), -d))


def joined(document: Document, paragraphs: tuple[int, ...]) -> str:
    """A member's paragraphs as one text, as the pairwise rows join them."""
    return "\n\n".join(document.paragraphs[p].text for p in paragraphs)
