"""Full-text search over the course: lesson sections, questions and labs.

An inverted index is built once from the loaded course (word -> documents, with a weight for
titles); a query keeps the documents that hold every word (the last one may be the start of a
word, for search as you type) and ranks them by tf-idf. Words are runs of letters and digits.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tutor.content.course import Course

WORD = re.compile(r"[a-z0-9]+")
TITLE_WEIGHT = 3
MIN_PREFIX = 3  # a last word shorter than this must match whole (two letters start too many)


@dataclass(frozen=True)
class Doc:
    kind: str  # "lesson", "question" or "lab"
    id: str  # lesson, question or lab id
    anchor: str  # lesson section slug ("" otherwise)
    title: str
    text: str

    @property
    def target(self) -> tuple[str, str]:
        """What the app opens: (kind, id) as `open_item` takes them."""
        if self.kind == "lesson":
            return "lesson", f"{self.id}#{self.anchor}" if self.anchor else self.id
        if self.kind == "question":
            return "questions", self.id
        return "lab", self.id


@dataclass(frozen=True)
class Hit:
    doc: Doc
    score: float
    snippet: str

    def to_dict(self) -> dict[str, object]:
        return {
            "kind": self.doc.kind,
            "id": self.doc.id,
            "section": self.doc.anchor or None,
            "title": self.doc.title,
            "snippet": self.snippet,
            "score": round(self.score, 3),
        }


def words(text: str) -> list[str]:
    return WORD.findall(text.lower())


def _flat(text: str) -> str:
    return " ".join(text.split())


def documents(course: Course) -> list[Doc]:
    from tutor.content.sections import lesson_sections

    docs: list[Doc] = []
    for lesson in sorted(course.lessons.values(), key=lambda x: (x.topic, x.meta.order, x.id)):
        for s in lesson_sections(lesson, course):
            title = lesson.title if s.level == 1 or s.slug == "start" else f"{lesson.title} › {s.title}"
            anchor = "" if s.level == 1 or s.slug == "start" else s.slug
            docs.append(Doc("lesson", lesson.id, anchor, title, s.text))
    for q in course.questions.values():
        parts = [q.explanation]  # the prompt is the title
        parts += [f"{o.text} {o.why}" for o in getattr(q, "options", ())]
        parts += [s.text for s in getattr(q, "steps", ())]
        docs.append(Doc("question", q.id, "", _flat(q.prompt)[:100], "\n".join(parts)))
    for lab in course.labs.values():
        parts = [getattr(lab, "summary", "")]
        for step in lab.steps:
            parts += [step.title, step.instructions, *step.hints]
        docs.append(Doc("lab", lab.id, "", lab.title, "\n".join(parts)))
    return docs


@dataclass
class SearchIndex:
    docs: list[Doc]
    postings: dict[str, dict[int, float]] = field(default_factory=dict)  # word -> doc -> tf-idf weight
    vocabulary: list[str] = field(default_factory=list)  # sorted, for prefixes
    _lowered: list[str] = field(default_factory=list)

    @classmethod
    def build(cls, docs: list[Doc]) -> SearchIndex:
        index = cls(docs)
        postings = index.postings
        for i, doc in enumerate(docs):
            counts = Counter(words(doc.text))
            for w, n in Counter(words(doc.title)).items():
                counts[w] += n * TITLE_WEIGHT
            for w, n in counts.items():
                postings.setdefault(w, {})[i] = 1 + math.log(n)
        total = len(docs)
        for word, posting in postings.items():  # weights computed once, not per query
            idf = math.log(1 + total / len(posting))
            postings[word] = {doc: tf * idf for doc, tf in posting.items()}
        index.vocabulary = sorted(postings)
        index._lowered = [f"{d.title}\n{d.text}".lower() for d in docs]
        return index

    @classmethod
    def for_course(cls, course: Course) -> SearchIndex:
        return cls.build(documents(course))

    def _expand(self, prefix: str) -> list[str]:
        start = bisect_left(self.vocabulary, prefix)
        out = []
        for w in self.vocabulary[start:]:
            if not w.startswith(prefix):
                break
            out.append(w)
        return out

    def search(self, query: str, limit: int = 20) -> list[Hit]:
        terms = words(query)
        if not terms:
            return []
        matched: list[dict[int, float]] = []  # per query word: doc -> score
        for i, term in enumerate(terms):
            last = i == len(terms) - 1 and len(term) >= MIN_PREFIX and query == query.rstrip()
            forms = self._expand(term) if last else ([term] if term in self.postings else [])
            scores: dict[int, float] = {}
            get = scores.get
            for form in forms:
                if form == term:
                    for doc, weight in self.postings[form].items():
                        scores[doc] = get(doc, 0.0) + weight
                else:  # a longer word the prefix starts: half the weight
                    for doc, weight in self.postings[form].items():
                        scores[doc] = get(doc, 0.0) + 0.5 * weight
            if not scores:
                return []
            matched.append(scores)
        matched.sort(key=len)
        common = set(matched[0])
        for scores in matched[1:]:
            common.intersection_update(scores)
            if not common:
                return []
        ranked = sorted(common, key=lambda d: (-sum(s[d] for s in matched), d))[:limit]
        return [Hit(self.docs[d], sum(s[d] for s in matched), self.snippet(d, terms)) for d in ranked]

    def snippet(self, doc: int, terms: list[str], width: int = 90) -> str:
        text = _flat(self.docs[doc].text)
        low = text.lower()
        at = min((p for t in terms if (p := low.find(t)) >= 0), default=0)
        start = max(0, at - width // 3)
        piece = text[start : start + width]
        return ("…" if start else "") + piece + ("…" if start + width < len(text) else "")

    def scan(self, query: str, limit: int = 20) -> list[int]:
        """The baseline a benchmark compares with: every document, every word, `in`."""
        terms = words(query)
        found = [i for i, text in enumerate(self._lowered) if terms and all(t in text for t in terms)]
        return found[:limit]
