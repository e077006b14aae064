"""Rules on the options of choice questions: length giveaways and catch-all options.

Options shown side by side (`single`, `multiple`) can give the key away by their length.
DOMC options are shown one at a time, so length rules do not apply to them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from tutor.content.lint.findings import Finding
from tutor.content.lint.text import length
from tutor.content.models.questions import Question, Quiz

LONGEST_SHARE_MAX = 0.35
"""Per quiz: at most this share of `single`/`multiple` questions may have the key as the longest
option(s). With four options chance alone gives 25 %."""
LONGEST_SHARE_MIN_QUESTIONS = 8
"""Quizzes with fewer side-by-side questions are too small for a share to mean anything."""
LENGTH_RATIO_MAX = 2.5
"""Per question: when the key is the longest option, longest / shortest may be at most this..."""
LENGTH_GAP_MIN = 20
"""...unless the two differ by fewer characters than this (`ps` against `ps -a` is fine)."""

_SIDE_BY_SIDE = ("single", "multiple")
_CATCH_ALL = re.compile(
    r"\b(all|none|both|neither) of (the )?(above|these|those|the options|the answers)\b", re.IGNORECASE
)


def key_is_longest(q: Question) -> bool:
    """`single`: the key is strictly the longest option. `multiple`: every correct option is longer
    than every wrong one."""
    if q.type not in _SIDE_BY_SIDE:
        return False
    correct = q.correct_ids()
    right = [length(o.text) for o in q.options if o.id in correct]
    wrong = [length(o.text) for o in q.options if o.id not in correct]
    return bool(right and wrong) and min(right) > max(wrong)


def longest_share(quiz: Quiz) -> Iterator[Finding]:
    pool = [q for q in quiz.questions if q.type in _SIDE_BY_SIDE]
    if len(pool) < LONGEST_SHARE_MIN_QUESTIONS:
        return
    hits = [q for q in pool if key_is_longest(q)]
    share = len(hits) / len(pool)
    if share > LONGEST_SHARE_MAX:
        need = len(hits) - int(LONGEST_SHARE_MAX * len(pool))
        worst = sorted(hits, key=_excess, reverse=True)[: max(need, 3)]
        yield Finding(
            "longest-correct",
            "quiz",
            quiz.id,
            ("questions",),
            f"in {len(hits)} of {len(pool)} single/multiple questions ({share:.0%}) the correct option "
            f"is the longest; at most {LONGEST_SHARE_MAX:.0%} is allowed",
            f"shorten the key or lengthen a distractor in at least {need} of them, "
            f"starting with {', '.join(q.id for q in worst)}",
        )


def _excess(q: Question) -> float:
    lens = sorted((length(o.text) for o in q.options), reverse=True)
    return lens[0] / max(lens[1], 1)


def length_ratio(q: Question) -> Iterator[Finding]:
    if q.type not in _SIDE_BY_SIDE:
        return
    lens = {o.id: length(o.text) for o in q.options}
    longest = max(lens.values())
    shortest = min(lens.values())
    keys = [i for i, n in lens.items() if n == longest]
    if len(keys) != 1 or keys[0] not in q.correct_ids():
        return
    if longest > LENGTH_RATIO_MAX * shortest and longest - shortest >= LENGTH_GAP_MIN:
        row = next(i for i, o in enumerate(q.options) if o.id == keys[0])
        yield Finding(
            "option-length",
            "question",
            q.id,
            ("options", row, "text"),
            f"the correct option is the longest ({longest} characters) and "
            f"{longest / shortest:.1f} times the shortest ({shortest})",
            "make the options similar in length: trim the key's extra detail into its `why`, "
            "or give the short distractors the same level of detail",
        )


def catch_all(q: Question) -> Iterator[Finding]:
    for i, opt in enumerate(getattr(q, "options", None) or []):
        match = _CATCH_ALL.search(opt.text)
        if match:
            yield Finding(
                "catch-all-option",
                "question",
                q.id,
                ("options", i, "text"),
                f"option {opt.id!r} is a catch-all ({match.group(0)!r})",
                "options are shuffled and graded one by one: write a real statement, "
                "or use a `multiple` question",
            )
