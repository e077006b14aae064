"""Rules on stems: giveaway words, unemphasised negatives, near-duplicate stems across the bank."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator

from tutor.content.lint.findings import Finding
from tutor.content.lint.text import content_words, jaccard, sentences, tokens
from tutor.content.models.questions import Question

DISTINCTIVE_SHARE = 0.02
"""A word is distinctive when at most this share of the bank's questions use it (stem or options);
common words (`image`, `task`, `service`) repeat between a stem and its key without giving it away."""
DISTINCTIVE_MIN = 2
"""...and always when at most this many questions use it (small packs)."""
_HAS_DIGIT = re.compile(r"\d")
"""Values of the scenario (`30001`, `us-east-1`, `1.0`) are what the answer is about, not giveaways."""
ECHO_SHARE = 0.1
"""A distractor that repeats a stem word this rare echoes the scenario as much as the key does
(`-p lobby` against `kiosk` and `shop` of the same stem): then the key's echo gives nothing away."""
DUPLICATE_JACCARD = 0.85
"""Two stems whose word sets overlap this much (Jaccard) are near-duplicates."""

_CHOICE = ("single", "multiple", "domc")
# `least` as in "LEAST operational overhead"; not "at least" or "least privilege".
_LEAST = re.compile(r"(?<!\bat )\b(least)\b(?![\s-]+privilege)", re.IGNORECASE)
_NEGATIVE = re.compile(r"\b(not|except)\b", re.IGNORECASE)
_PARENS = re.compile(r"\([^()]*\)")


def document_frequency(bank: Iterable[Question]) -> tuple[Counter[str], int]:
    df: Counter[str] = Counter()
    n = 0
    for q in bank:
        words = content_words(q.prompt)
        for opt in getattr(q, "options", None) or []:
            words |= content_words(opt.text)
        df.update(words)
        n += 1
    return df, n


def giveaway(q: Question, df: Counter[str], bank_size: int) -> Iterator[Finding]:
    """Distinctive words of the stem that the key repeats and no distractor does."""
    if q.type not in _CHOICE:
        return
    correct = q.correct_ids()
    right: set[str] = set()
    wrong: set[str] = set()
    for opt in q.options:
        (right if opt.id in correct else wrong).update(content_words(opt.text))
    limit = max(DISTINCTIVE_MIN, DISTINCTIVE_SHARE * bank_size)
    shared = sorted(
        w for w in (right & content_words(q.prompt)) - wrong if df[w] <= limit and not _HAS_DIGIT.search(w)
    )
    if shared and not _every_distractor_echoes(q, correct, df, bank_size):
        row = next(i for i, o in enumerate(q.options) if o.id in correct)
        words = ", ".join(repr(w) for w in shared)
        yield Finding(
            "giveaway",
            "question",
            q.id,
            ("options", row, "text"),
            f"the correct option repeats the stem's distinctive word(s) {words}, and no distractor does",
            "reword the key without the stem's words, or use them in a distractor too",
        )


def _every_distractor_echoes(q: Question, correct: set[str], df: Counter[str], bank_size: int) -> bool:
    stem = {w for w in content_words(q.prompt) if df[w] <= max(DISTINCTIVE_MIN, ECHO_SHARE * bank_size)}
    wrong = [content_words(o.text) for o in q.options if o.id not in correct]
    return bool(wrong) and all(words & stem for words in wrong)


def negative_stem(q: Question) -> Iterator[Finding]:
    """NOT/EXCEPT in the question sentence and LEAST anywhere must stand out (capitals or bold)."""
    if q.type not in _CHOICE:
        return
    words = [m.group(1) for m in _LEAST.finditer(q.prompt)]
    for sentence in sentences(q.prompt):
        if sentence.rstrip("*_ ").endswith("?"):
            bare = _PARENS.sub("", sentence)  # "(not rootless)" qualifies a term; it asks nothing
            words += [m.group(1) for m in _NEGATIVE.finditer(bare)]
    quiet = [w for w in words if not w.isupper() and not _bold(q.prompt, w)]
    if quiet:
        yield Finding(
            "negative-stem",
            "question",
            q.id,
            ("prompt",),
            f"the stem's {', '.join(repr(w) for w in quiet)} is easy to miss",
            "write it in capitals (NOT, EXCEPT, LEAST) or bold, or ask the question the positive way",
        )


def _bold(prompt: str, word: str) -> bool:
    return re.search(rf"(\*\*|__){re.escape(word)}(\*\*|__)", prompt) is not None


def near_duplicates(bank: list[Question]) -> Iterator[Finding]:
    """Stems with a Jaccard similarity of their word sets >= DUPLICATE_JACCARD, bank-wide."""
    sets = [(q, set(tokens(q.prompt))) for q in bank]
    order = sorted(range(len(sets)), key=lambda i: len(sets[i][1]))
    for pos, i in enumerate(order):
        qi, a = sets[i]
        for j in order[pos + 1 :]:
            qj, b = sets[j]
            if len(a) < DUPLICATE_JACCARD * len(b):
                break  # every later set is larger still: the overlap cannot reach the threshold
            score = jaccard(a, b)
            if score >= DUPLICATE_JACCARD:
                first, second = (qi, qj) if i < j else (qj, qi)
                yield Finding(
                    "near-duplicate",
                    "question",
                    second.id,
                    ("prompt",),
                    f"the stem is a near-duplicate of {first.id}'s (similarity {score:.2f})",
                    f"test a different decision than {first.id}, or remove one of the two",
                )
