"""Exam results: raw share, scaled score, pass/fail and a per-domain table."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class DomainScore:
    id: str
    name: str
    points: float
    total: int

    @property
    def percent(self) -> float:
        return 100.0 * self.points / self.total if self.total else 0.0


@dataclass(frozen=True)
class ExamResult:
    title: str
    points: float
    total: int
    scaled: int
    scale_min: int
    scale_max: int
    pass_mark: int
    time_used: float
    time_limit: float | None
    domains: list[DomainScore] = field(default_factory=list)
    scores: dict[str, float] = field(default_factory=dict)  # question id -> 0..1 (unanswered: absent)
    answered: int = 0

    @property
    def passed(self) -> bool:
        return self.scaled >= self.pass_mark

    @property
    def percent(self) -> float:
        return 100.0 * self.points / self.total if self.total else 0.0

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["passed"] = self.passed
        d["percent"] = round(self.percent, 1)
        return d


def scaled_score(points: float, total: int, scale_min: int, scale_max: int) -> int:
    """The share of points mapped linearly onto the exam's scale (AWS: 100-1000).

    AWS equates scores across exam forms; a linear map is the honest approximation.
    """
    share = points / total if total else 0.0
    return round(scale_min + (scale_max - scale_min) * share)
