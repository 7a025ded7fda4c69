"""Alignment evaluation: coverdiff's aligner against known truth.

1. The seed pair (Reuters left, CNN right) against the hand-made gold in
   tests/seed_truth.py: precision of aligned pairs (SURE or POSSIBLE count as
   right), recall of SURE pairs, and whether every paragraph only one outlet
   has is in a left_only/right_only row.
2. A deterministic synthetic suite: real article bodies from
   ../shared/data/zyte-article-extraction-benchmark/ground-truth.json (never
   copied here) get known edits -- reorder, move, split, merge, word edits,
   delete, insert, typography, all at once -- and the recovered alignment is
   scored per edit type: precision, recall and F1 of aligned pairs, and F1 of
   unique-paragraph detection (or, for edits that leave no paragraph unique,
   the count of paragraphs wrongly reported unique, "N fp"). The non-English pages are also scored alone.
3. The same suites for an in-order aligner (difflib.SequenceMatcher over
   paragraphs, replaced blocks paired in order), for reference.
4. ../shared/data/ecbplus-align: 30 pairs of reports of one event by two outlets, with
   human cross-document coreference; its own score.py runs `coverdiff compare left.txt
   right.txt --format json` per pair (rows and links count) and is printed beside the
   reference figures its README gives.

`python -m tests.eval.alignment` runs it alone.
"""

from __future__ import annotations

import difflib
import importlib.util
import json
import random
import re
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from tests import seed_truth
from webapp.pipeline import Source, compare, document, quotes
from webapp.pipeline.align import align
from webapp.pipeline.text import fold_typography, normalize
from webapp.pipeline.types import Document, Paragraph

REPO_ROOT = Path(__file__).resolve().parents[2]
SEEDS = sorted((REPO_ROOT / "seeds").glob("*.txt"))
GROUND_TRUTH = REPO_ROOT.parent / "shared" / "data" / "zyte-article-extraction-benchmark" / "ground-truth.json"
ECBPLUS = REPO_ROOT.parent / "shared" / "data" / "ecbplus-align"
# Reference figures from ECBPLUS/README.md (dev half): (shared-recall, related-precision, lower bound).
ECBPLUS_REFERENCES = {
    "tf-idf all pairs > 0.15": (0.47, 0.99, 0.60), "tf-idf all pairs > 0.2": (0.37, 0.98, 0.74),
    "tf-idf all pairs > 0.25": (0.28, 0.98, 0.85), "tf-idf all pairs > 0.3": (0.17, 0.96, 0.85),
    "tf-idf best match > 0.3": (0.15, 0.96, 0.83), "in-order difflib": (0.23, 0.93, 0.52),
    "every pair": (1.00, 0.93, 0.16),
}
# Target of issue #13 on ecbplus-align.
ECBPLUS_MIN = {"recall": 0.50, "lower": 0.65}

# Targets of issues #4 and #13.
SEED_MIN = 0.95  # seed precision and recall of aligned pairs (rows and links)
F1_MIN = {"move": 0.98, "reorder": 0.98, "words": 0.98, "split": 0.95, "merge": 0.95, "all": 0.98,
          "all (non-en)": 0.97}
# Articles with fewer usable paragraphs are too small to edit meaningfully.
MIN_PARAGRAPHS = 5  # paragraphs
# Paragraphs with fewer words are dropped from the synthetic texts (bylines, "Advertisement").
MIN_WORDS = 4  # words
# Share of paragraphs an edit touches, and words edited per paragraph.
EDIT_SHARE = 0.3  # 0..1 of paragraphs
WORDS_PER_EDIT = 8  # one word edit per this many words (at least one)
# Pages of the benchmark that are not in English (from their URLs and text).
NON_ENGLISH = {
    "0ec95c72": "Korean", "11ea381a": "Portuguese", "20b2b649": "Italian", "21486419": "Indonesian",
    "23aaecd1": "Portuguese", "3252222e": "Portuguese", "3c6d3381": "Russian",
}

Pairs = set[tuple[int, int]]


@dataclass
class Case:
    """Two paragraph lists and the truth about them."""

    left: list[str]
    right: list[str]
    pairs: Pairs = field(default_factory=set)
    left_only: set[int] = field(default_factory=set)
    right_only: set[int] = field(default_factory=set)


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, truth: set, predicted: set, allowed: set | None = None) -> None:
        self.tp += len(predicted & truth)
        self.fp += len(predicted - (allowed if allowed is not None else truth))
        self.fn += len(truth - predicted)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


# --- the aligners under test ------------------------------------------------

Result = tuple[Pairs, set[int], set[int]]  # pairs, left-only, right-only


def doc(texts: list[str]) -> Document:
    return Document(paragraphs=tuple(Paragraph(i, t) for i, t in enumerate(texts)))


def coverdiff(left: list[str], right: list[str], with_links: bool = False) -> Result:
    """Pairs of the rows (and the links, with_links), aligned as the pipeline does:
    with the shared passages."""
    alignment = align(doc(left), doc(right), quotes.find(left, right))
    rows = alignment.rows
    pairs = {(i, j) for r in rows for i in r.left for j in r.right}
    lonly = {i for r in rows if r.kind == "left_only" for i in r.left}
    ronly = {j for r in rows if r.kind == "right_only" for j in r.right}
    if with_links:  # a linked paragraph is not unique
        pairs |= {(k.left, k.right) for k in alignment.links}
        lonly -= {k.left for k in alignment.links}
        ronly -= {k.right for k in alignment.links}
    return pairs, lonly, ronly


def coverdiff_linked(left: list[str], right: list[str]) -> Result:
    return coverdiff(left, right, with_links=True)


def in_order(left: list[str], right: list[str]) -> Result:
    """difflib over normalized paragraphs; replaced blocks pair in order."""
    matcher = difflib.SequenceMatcher(None, [normalize(t) for t in left], [normalize(t) for t in right],
                                      autojunk=False)
    pairs: Pairs = set()
    for _tag, i1, i2, j1, j2 in matcher.get_opcodes():
        pairs |= {(i1 + k, j1 + k) for k in range(min(i2 - i1, j2 - j1))}
    lonly = set(range(len(left))) - {i for i, _ in pairs}
    ronly = set(range(len(right))) - {j for _, j in pairs}
    return pairs, lonly, ronly


ALIGNERS: dict[str, Callable[[list[str], list[str]], Result]] = {"coverdiff": coverdiff, "difflib": in_order}


# --- 1. the seed pair --------------------------------------------------------

def gold_index(doc_: Document, prefixes: list[str]) -> dict[int, int]:
    """Gold paragraph number -> document paragraph index, by first words."""
    texts = [fold_typography(p.text) for p in doc_.paragraphs]
    found = {}
    for g, prefix in enumerate(prefixes):
        hits = [i for i, t in enumerate(texts) if t.startswith(fold_typography(prefix))]
        if hits:
            found[g] = hits[0]
    return found


def seed_report() -> bool:
    reuters, cnn = (document(Source(p.read_text(encoding="utf-8"))) for p in SEEDS[:2])
    lmap = gold_index(reuters, seed_truth.REUTERS_PARAGRAPHS)
    rmap = gold_index(cnn, seed_truth.CNN_PARAGRAPHS)
    missing = len(seed_truth.REUTERS_PARAGRAPHS) - len(lmap) + len(seed_truth.CNN_PARAGRAPHS) - len(rmap)
    if missing:
        print(f"  warning: {missing} gold paragraphs not found in the extracted seeds")

    def mapped(pairs):
        return {(lmap[a], rmap[b]) for a, b in pairs if a in lmap and b in rmap}

    ok = True
    for name, aligner in {"coverdiff": coverdiff_linked, "  rows only": coverdiff, "difflib": in_order}.items():
        pairs, lonly, ronly = aligner(reuters.texts, cnn.texts)
        # the gold knows the news paragraphs only: pairs with another (a headline) are not scored
        pairs = {(i, j) for i, j in pairs if i in lmap.values() and j in rmap.values()}
        s = Score()
        s.add(mapped(seed_truth.SURE), pairs, mapped(seed_truth.POSSIBLE))
        want_l = {lmap[g] for g in seed_truth.LEFT_ONLY if g in lmap}
        want_r = {rmap[g] for g in seed_truth.RIGHT_ONLY if g in rmap}
        unique_ok = want_l <= lonly and want_r <= ronly
        print(f"  {name:<10} precision {s.precision:.3f}  recall {s.recall:.3f}  "
              f"({len(pairs)} pairs)  unique paragraphs all unique: {'yes' if unique_ok else 'NO'}")
        if name == "coverdiff":
            ok = s.precision >= SEED_MIN and s.recall >= SEED_MIN and unique_ok
    return ok


# --- 2. synthetic edits ------------------------------------------------------

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=\S)")
_NUMBER = re.compile(r"\d+")


def article_paragraphs(body: str) -> list[str]:
    """Paragraphs of a benchmark body: blank-line separated, long enough, distinct."""
    out, seen = [], set()
    for block in body.split("\n\n"):
        text = " ".join(block.split())
        key = normalize(text)
        if len(key.split()) >= MIN_WORDS and key not in seen:
            seen.add(key)
            out.append(text)
    return out


def identity(paras: list[str]) -> Pairs:
    return {(i, i) for i in range(len(paras))}


def picks(rng: random.Random, n: int, share: float = EDIT_SHARE) -> list[int]:
    return sorted(rng.sample(range(n), max(1, round(n * share))))


def permuted(paras: list[str], order: list[int]) -> Case:
    """The right side is the left in a new order."""
    return Case(paras, [paras[i] for i in order], {(i, j) for j, i in enumerate(order)})


def edit_reorder(paras, rng, donor) -> Case:
    """Swap neighbouring blocks of paragraphs (an editor reshuffles)."""
    order = list(range(len(paras)))
    for k in picks(rng, len(order) - 1, EDIT_SHARE / 2):
        order[k], order[k + 1] = order[k + 1], order[k]
    return permuted(paras, order)


def edit_move(paras, rng, donor) -> Case:
    """Move two paragraphs far from where they were."""
    order = list(range(len(paras)))
    for _ in range(2):
        order.insert(rng.randrange(len(order)), order.pop(rng.randrange(len(order))))
    return permuted(paras, order)


def edit_split(paras, rng, donor) -> Case:
    """Split paragraphs of two or more sentences at a sentence boundary."""
    right, pairs = [], set()
    chosen = set(picks(rng, len(paras)))
    for i, text in enumerate(paras):
        parts = _SENTENCE_END.split(text)
        if i in chosen and len(parts) >= 2:
            cut = rng.randrange(1, len(parts))
            for piece in (" ".join(parts[:cut]), " ".join(parts[cut:])):
                pairs.add((i, len(right)))
                right.append(piece)
        else:
            pairs.add((i, len(right)))
            right.append(text)
    return Case(paras, right, pairs)


def edit_merge(paras, rng, donor) -> Case:
    """The right side joins neighbouring paragraphs into one."""
    split = edit_split  # a merge is a split seen from the other side
    case = split(paras, rng, donor)
    return Case(case.right, case.left, {(j, i) for i, j in case.pairs})


def reword(text: str, rng: random.Random, vocabulary: list[str]) -> str:
    """Drop, insert or replace a few words and change the numbers."""
    toks = text.split()
    for _ in range(max(1, len(toks) // WORDS_PER_EDIT)):
        k, op = rng.randrange(len(toks)), rng.choice(("drop", "insert", "replace"))
        if op == "drop" and len(toks) > MIN_WORDS:
            del toks[k]
        elif op == "insert":
            toks.insert(k, rng.choice(vocabulary))
        else:
            toks[k] = rng.choice(vocabulary)
    return _NUMBER.sub(lambda m: str(int(m.group()) + rng.randint(1, 9)), " ".join(toks))


def edit_words(paras, rng, donor) -> Case:
    vocabulary = sorted({w for p in donor for w in p.split() if w.isalpha()}) or ["word"]
    right = list(paras)
    for i in picks(rng, len(paras), 0.5):
        right[i] = reword(paras[i], rng, vocabulary)
    return Case(paras, right, identity(paras))


def edit_delete(paras, rng, donor) -> Case:
    gone = set(picks(rng, len(paras), EDIT_SHARE / 2))
    kept = [i for i in range(len(paras)) if i not in gone]
    return Case(paras, [paras[i] for i in kept], {(i, j) for j, i in enumerate(kept)}, left_only=gone)


def edit_insert(paras, rng, donor) -> Case:
    """Paragraphs of another article appear on the right."""
    right, pairs, extra = [], set(), set()
    new = rng.sample(donor, min(len(donor), max(1, round(len(paras) * EDIT_SHARE / 2))))
    spots = {rng.randrange(len(paras) + 1) for _ in new}
    for i in range(len(paras) + 1):
        if i in spots and new:
            extra.add(len(right))
            right.append(new.pop())
        if i < len(paras):
            pairs.add((i, len(right)))
            right.append(paras[i])
    return Case(paras, right, pairs, right_only=extra)


_TYPOGRAPHY = (('"', "\u201c"), ("'", "\u2019"), (" - ", " \u2013 "), (" ", "\u00a0"))


def edit_typography(paras, rng, donor) -> Case:
    right = list(paras)
    for i in picks(rng, len(paras), 0.5):
        for plain, fancy in _TYPOGRAPHY:
            right[i] = right[i].replace(plain, fancy, 1 if plain == " " else -1)
    return Case(paras, right, identity(paras))


def edit_all(paras, rng, donor) -> Case:
    """Word edits, then a move, a split, a deletion and an insertion."""
    case = edit_words(paras, rng, donor)
    for step in (edit_move, edit_split, edit_delete, edit_insert):
        case = compose(case, step(case.right, rng, donor))
    return case


def compose(first: Case, second: Case) -> Case:
    """Truth of left -> first.right -> second.right."""
    via: dict[int, set[int]] = {}
    for m, j in second.pairs:
        via.setdefault(m, set()).add(j)
    pairs = {(i, j) for i, m in first.pairs for j in via.get(m, ())}
    lost = {m for m in range(len(second.left)) if m not in via}
    left_only = first.left_only | {i for i, m in first.pairs if m in lost} - {i for i, _ in pairs}
    return Case(first.left, second.right, pairs, left_only, second.right_only)


EDITS: dict[str, Callable[..., Case]] = {
    "reorder": edit_reorder, "move": edit_move, "split": edit_split, "merge": edit_merge,
    "words": edit_words, "delete": edit_delete, "insert": edit_insert,
    "typography": edit_typography, "all": edit_all,
}


def load_articles() -> dict[str, list[str]]:
    bodies = json.loads(GROUND_TRUTH.read_text(encoding="utf-8"))
    arts = {k: article_paragraphs(v["articleBody"]) for k, v in sorted(bodies.items())}
    return {k: v for k, v in arts.items() if len(v) >= MIN_PARAGRAPHS}


def cases(articles: dict[str, list[str]], edit: str) -> list[Case]:
    ids = sorted(articles)
    out = []
    for n, key in enumerate(ids):
        rng = random.Random(f"{edit}:{key}")
        donor = articles[ids[(n + 1) % len(ids)]]
        out.append(EDITS[edit](articles[key], rng, donor))
    return out


def score(aligner, suite: list[Case]) -> tuple[Score, Score, float]:
    pairs, unique = Score(), Score()
    started = time.perf_counter()
    for case in suite:
        got, lonly, ronly = aligner(case.left, case.right)
        pairs.add(case.pairs, got)
        unique.add({("l", i) for i in case.left_only} | {("r", j) for j in case.right_only},
                   {("l", i) for i in lonly} | {("r", j) for j in ronly})
    return pairs, unique, time.perf_counter() - started


def unique_cell(u: Score) -> str:
    """F1 of unique-paragraph detection, or, where no paragraph is unique,
    how many were wrongly reported unique."""
    return f"{u.f1:.3f}" if u.tp + u.fn else f"{u.fp} fp"


def synthetic_report() -> bool:
    if not GROUND_TRUTH.exists():
        print(f"  skipped: {GROUND_TRUTH} not found")
        return True
    articles = load_articles()
    foreign = {k: v for k, v in articles.items() if k[:8] in NON_ENGLISH}
    print(f"  {len(articles)} articles ({len(foreign)} not in English: "
          f"{', '.join(sorted(set(NON_ENGLISH.values())))}); paragraphs of {MIN_WORDS}+ words")
    head = f"  {'edit':<14}{'pairs':>6} | {'coverdiff P':>11} {'R':>6} {'F1':>6} {'uniqF1':>6} {'ms':>5}"
    print(head + f" | {'difflib P':>9} {'R':>6} {'F1':>6} {'uniqF1':>6}")
    ok = True
    suites = [(edit, cases(articles, edit)) for edit in EDITS]
    suites += [(f"{edit} (non-en)", cases(foreign, edit)) for edit in ("words", "split", "all")]
    for name, suite in suites:
        cells = []
        for aligner in ALIGNERS.values():
            p, u, secs = score(aligner, suite)
            cells.append(f"{p.precision:>6.3f} {p.recall:>6.3f} {p.f1:>6.3f} {unique_cell(u):>6}")
            if aligner is coverdiff:
                cells[-1] += f" {secs * 1000:>5.0f}"
                target = F1_MIN.get(name)
                ok &= target is None or p.f1 >= target
        n = sum(len(c.pairs) for c in suite)
        print(f"  {name:<14}{n:>6} |      {cells[0]} |    {cells[1]}")
    return ok


# --- 4. ecbplus-align ----------------------------------------------------------

_ECBPLUS_LINE = re.compile(r"shared-recall=([\d.]+) related-precision=([\d.]+).*precision-lower-bound=([\d.]+)")


def ecbplus_report() -> bool:
    scorer = ECBPLUS / "score.py"
    if not scorer.exists():
        print(f"  skipped: {scorer} not found")
        return True
    cli = Path(sys.executable).with_name("coverdiff")
    run = subprocess.run([sys.executable, str(scorer), str(cli)], capture_output=True, text=True, check=True)
    line = run.stdout.strip().splitlines()[-1]
    recall, precision, lower = map(float, _ECBPLUS_LINE.search(line).groups())
    print(f"  {'':<36}{'shared-recall':>14}{'related-P':>10}{'lower bound':>12}")
    print(f"  {'coverdiff (rows + links)':<36}{recall:>14.2f}{precision:>10.2f}{lower:>12.2f}")
    for name, (r, p, lb) in ECBPLUS_REFERENCES.items():
        print(f"  {'reference: ' + name:<36}{r:>14.2f}{p:>10.2f}{lb:>12.2f}")
    print(f"  score.py: {line}")
    print(f"  {unreachable_gold()}")
    return recall >= ECBPLUS_MIN["recall"] and lower >= ECBPLUS_MIN["lower"]


def unreachable_gold() -> str:
    """How many gold same-fact pairs have a sentence that is no paragraph of the comparison
    (sanitize removed it), as score.py maps paragraphs back to sentences."""
    spec = importlib.util.spec_from_file_location("ecbplus_score", ECBPLUS / "score.py")
    score_py = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(score_py)
    missing, total, reasons = 0, 0, {}
    for case in sorted(p for p in (ECBPLUS / "cases").iterdir() if (p / "gold.json").exists()):
        texts = [(case / f"{side}.txt").read_text(encoding="utf-8") for side in ("left", "right")]
        result = compare(Source(texts[0], "text"), Source(texts[1], "text"))
        kept = []
        for text, side in zip(texts, (result.left, result.right), strict=True):
            mapped = score_py.map_paras(text.strip().split("\n\n"), side.texts)
            kept.append({s for found in mapped.values() for s in found})
            for r in side.removed:
                reasons[r.reason] = reasons.get(r.reason, 0) + 1
        for a, b, _kind in json.loads((case / "gold.json").read_text(encoding="utf-8"))["pairs"]:
            total += 1
            missing += a not in kept[0] or b not in kept[1]
    removed = ", ".join(f"{k} {v}" for k, v in sorted(reasons.items(), key=lambda kv: -kv[1]))
    return f"{missing} of {total} gold shared pairs have a sentence sanitize removed (removed blocks: {removed})"


def main() -> None:
    print("== alignment: seed pair (Reuters left, CNN right) vs tests/seed_truth.py")
    seed_ok = seed_report()
    print("== alignment: synthetic edits of real articles (pairs P/R/F1, unique-paragraph F1)")
    synth_ok = synthetic_report()
    print("== alignment: ecbplus-align (30 cross-outlet pairs, ECB+ coreference), its score.py")
    ecb_ok = ecbplus_report()
    targets = ", ".join(f"{k} F1 >= {v}" for k, v in F1_MIN.items())
    print(f"== alignment targets (seed P and R >= {SEED_MIN}, unique paragraphs unique; {targets}; ecbplus "
          f"recall >= {ECBPLUS_MIN['recall']} at lower bound >= {ECBPLUS_MIN['lower']}): "
          f"{'met' if seed_ok and synth_ok and ecb_ok else 'NOT MET'}")


if __name__ == "__main__":
    main()
