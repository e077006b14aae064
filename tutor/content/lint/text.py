"""Words and lengths of question text, as a learner sees them (Markdown marks removed)."""

from __future__ import annotations

import re

_MARKS = re.compile(r"\*\*|__|`")
_TOKEN = re.compile(r"[a-z0-9](?:[a-z0-9.+_-]*[a-z0-9])?")
_SENTENCE_END = re.compile(r"(?<=[.?!])\s+|\n+")

# Function words, and words every container question uses: they never give an answer away.
STOPWORDS = frozenset(
    """
    a an the and or of to in on for with by from at as is are be been being it its this that these
    those which what who whom whose when where why how than then so such not no nor do does did can
    could should would will may might must your you their they them there here into onto over under
    about after before only also each every any all some more most other one two three use uses used
    using run runs running has have had get gets set sets new same own both either neither but if
    else while per via out off up down we our us his her he she i my me way ways
    """.split()
)


def plain(text: str) -> str:
    """The text without Markdown emphasis and code marks, whitespace collapsed."""
    return " ".join(_MARKS.sub("", text).split())


def length(text: str) -> int:
    """Characters a learner reads: Markdown marks and repeated spaces do not count."""
    return len(plain(text))


def tokens(text: str) -> list[str]:
    """Lower-case words; `registry.example.com:5000/team/web:1.0` splits at `:`, `/` and `=`."""
    return _TOKEN.findall(plain(text).lower())


def stem(word: str) -> str:
    """A crude English stem, enough to match `images` with `image` and `scaling` with `scale`."""
    if len(word) <= 4:
        return word
    if word.endswith("ies"):
        word = word[:-3] + "y"
    elif word.endswith(("sses", "xes", "zes", "ches", "shes")):
        word = word[:-2]
    elif word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    elif word.endswith("ing") and len(word) > 6:
        word = word[:-3]
    elif word.endswith("ed") and len(word) > 5:
        word = word[:-2]
    return word[:-1] if word.endswith("e") and len(word) > 4 else word


def content_words(text: str) -> set[str]:
    """Stems of the words that carry meaning (three letters or more, no stopwords)."""
    return {stem(w) for w in tokens(text) if len(w) >= 3 and w not in STOPWORDS}


def sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_END.split(text) if s.strip()]


def jaccard(a: set[str], b: set[str]) -> float:
    if not a and not b:
        return 1.0
    return len(a & b) / len(a | b)
