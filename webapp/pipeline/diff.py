"""Diff: word-level diff-match-patch for one aligned pair.

The only module that imports diff_match_patch. Words, runs of whitespace
and single punctuation marks are tokens; each distinct token becomes one
character (the library's line-mode trick applied to words), so the diff
never splits a word and runs in a fraction of the character-level time.
With typography ignored, tokens are keyed by their folded form, and an
`equal` op carries the right side's characters when they differ.
"""

from __future__ import annotations

import sys
import time
from itertools import chain

from diff_match_patch import diff_match_patch

try:  # the C++ build of the same algorithm: same diffs, several times faster
    import fast_diff_match_patch as _fast
except ImportError:  # pragma: no cover - the pure-Python package is the fallback
    _fast = None

from .text import diff_tokens, fold_typography
from .types import DiffOp

_FAST_OPS = {"=": 0, "-": -1, "+": 1}

# Tokens are mapped to code points from here on, skipping surrogates.
_FIRST_CODEPOINT = 0x100  # keeps ASCII/Latin-1 out of the way of dmp's own logic
_SURROGATES = range(0xD800, 0xE000)
# Semantic cleanup merges shards of equalities; this edit cost (in tokens)
# is the efficiency cleanup fallback the library uses when semantic is not enough.
DIFF_EDIT_COST = 4  # tokens, dmp default
# An equality this short between two edits is folded into them, so rewording
# reads as one phrase replaced ("was still far" -> "remained well") rather than
# word-by-word confetti around a shared space, comma or "the".
SMALL_EQUALITY = 3  # tokens (e.g. space, word, space), 0 turns it off
# ...provided none of its words is longer than this or has a digit: a shared
# name, number or content word stays visible as unchanged.
SMALL_WORD = 3  # characters


# Which diff_main runs: "fast" (fast-diff-match-patch, when installed) or "python".
BACKEND = "fast" if _fast is not None else "python"


def diff_texts(left: str, right: str, *, ignore_typography: bool = True,
               timeout_s: float = 0.5) -> tuple[tuple[DiffOp, ...], bool]:
    """Word diff ops from left to right, and whether the time budget cut it short.

    Joining `equal`+`delete` texts rebuilds `left`; joining `equal` (its
    `right_text` when set) + `insert` texts rebuilds `right`.
    """
    if left == right:
        return ((DiffOp("equal", left),) if left else ()), False
    if not left or not right:
        return ((DiffOp("insert", right),) if right else (DiffOp("delete", left),)), False
    ltoks, rtoks = diff_tokens(left), diff_tokens(right)
    encoded = _encoding(ltoks, rtoks, ignore_typography)
    if encoded is None:  # more distinct tokens than characters: complete, but coarse
        return (DiffOp("delete", left), DiffOp("insert", right)), True
    codes, code_of = encoded
    a, b = "".join(map(code_of.__getitem__, ltoks)), "".join(map(code_of.__getitem__, rtoks))
    dmp = diff_match_patch()
    dmp.Diff_Timeout = timeout_s
    dmp.Diff_EditCost = DIFF_EDIT_COST
    started = time.monotonic()
    diffs = _diff_main(dmp, a, b, timeout_s)
    coarse = timeout_s > 0 and time.monotonic() - started >= timeout_s
    diffs = _absorb_small_equalities(dmp, diffs, codes)
    return _decode(diffs, ltoks, rtoks), coarse


def _characters(n: int):
    """n token characters: code points from _FIRST_CODEPOINT up, surrogates skipped,
    or None when there are not that many (about 1.1 million)."""
    below = max(0, min(n, _SURROGATES.start - _FIRST_CODEPOINT))  # before the surrogates
    above = max(_SURROGATES.stop, _FIRST_CODEPOINT)
    if above + n - below > sys.maxunicode + 1:
        return None
    return chain(map(chr, range(_FIRST_CODEPOINT, _FIRST_CODEPOINT + below)), map(chr, range(above, above + n - below)))


def _encoding(ltoks: list[str], rtoks: list[str], ignore_typography: bool) -> tuple[dict, dict] | None:
    """(token key -> its character, token -> its key's character): each distinct key
    gets the next character in order of first appearance, left tokens first. None
    when the keys outnumber the characters."""
    tokens = list(dict.fromkeys(ltoks + rtoks))
    folded = ignore_typography and not all(map(str.isascii, tokens))
    keys = [fold_typography(t) for t in tokens] if folded else tokens  # typography is never ASCII
    distinct = dict.fromkeys(keys) if folded else tokens
    characters = _characters(len(distinct))
    if characters is None:
        return None
    codes = dict(zip(distinct, characters, strict=True))
    if not folded:  # every token is its own key
        return codes, codes
    return codes, dict(zip(tokens, map(codes.__getitem__, keys), strict=True))


def _diff_main(dmp, a: str, b: str, timeout_s: float) -> list:
    """diff_main of the encoded texts: the C++ build when installed, else the
    pure-Python library (BACKEND says which; tests run both)."""
    if BACKEND == "fast" and _fast is not None:
        return [[_FAST_OPS[op], text] for op, text in
                _fast.diff(a, b, timelimit=timeout_s, checklines=False, cleanup="No", counts_only=False)]
    return dmp.diff_main(a, b, False)


def _absorb_small_equalities(dmp, diffs: list, codes: dict[str, str]) -> list:
    """Fold small equalities that sit between two edits into them: each is
    deleted and inserted, and diff_cleanupMerge regroups every run into one
    delete and one insert; repeated until nothing changes. (This replaces the
    library's semantic cleanup, which, counting a space as much as a word,
    swallows shared names and numbers between reworded phrases.) `codes`: token key -> its
    character, turned round only when a short equality needs reading."""
    token_of: dict[str, str] = {}
    while True:
        out = []
        for k, (code, chunk) in enumerate(diffs):
            inner = 0 < k < len(diffs) - 1 and diffs[k - 1][0] != 0 and diffs[k + 1][0] != 0
            if code == 0 and inner and len(chunk) <= SMALL_EQUALITY and not token_of:
                token_of = {c: key for key, c in codes.items()}
            if code == 0 and inner and _small(chunk, token_of):
                out += [(-1, chunk), (1, chunk)]
            else:
                out.append((code, chunk))
        if len(out) == len(diffs):
            return diffs
        dmp.diff_cleanupMerge(out)
        diffs = out


def _small(chunk: str, token_of: dict[str, str]) -> bool:
    if len(chunk) > SMALL_EQUALITY:
        return False
    toks = [token_of[c] for c in chunk]
    return all(len(t) <= SMALL_WORD and not any(ch.isdigit() for ch in t) for t in toks)


def _decode(diffs, ltoks: list[str], rtoks: list[str]) -> tuple[DiffOp, ...]:
    """Turn encoded diffs back into text ops, walking both token lists."""
    ops: list[DiffOp] = []
    li = ri = 0
    for code, chunk in diffs:
        n = len(chunk)
        if code == 0:
            ltext = "".join(ltoks[li:li + n])
            rtext = "".join(rtoks[ri:ri + n])
            ops.append(DiffOp("equal", ltext, rtext if rtext != ltext else None))
            li, ri = li + n, ri + n
        elif code < 0:
            ops.append(DiffOp("delete", "".join(ltoks[li:li + n])))
            li += n
        else:
            ops.append(DiffOp("insert", "".join(rtoks[ri:ri + n])))
            ri += n
    return tuple(ops)
