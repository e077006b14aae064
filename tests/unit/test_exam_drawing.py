"""Mock exams drawn as the real exams are made: only the blueprint's question types, the DCA's
42 DOMC and 13 multiple choice, the domain quotas, and the same draw for the same seed."""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tutor.content.loading.loader import load_course
from tutor.content.models.exams import ExamBlueprint, type_quota
from tutor.content.models.questions import Option, Question, SingleChoice
from tutor.quiz.drawing import domain_quota, draw_exam

COURSE = load_course()
BANK = list(COURSE.questions.values())
SEEDS = st.integers(min_value=0, max_value=2**63 - 1)
FAST = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.mark.parametrize("exam_id", ["clf-c02", "saa-c03", "dva-c02"])
@FAST
@given(seed=SEEDS)
def test_aws_mocks_hold_only_multiple_choice_and_multiple_response(exam_id: str, seed: int) -> None:
    exam = COURSE.exams[exam_id]
    drawn = draw_exam(exam, BANK, seed)
    types = Counter(COURSE.questions[q].type for q in drawn.question_ids)
    assert set(types) <= {"single", "multiple"}, types
    for qid in drawn.question_ids:  # as the exam guide has them: 4 options, or 5+ for multiple response
        q = COURSE.questions[qid]
        assert len(q.options) >= exam.min_options[q.type], (qid, len(q.options))
        assert set(q.domains) & {d.id for d in exam.domains}, qid  # never a DCA-only question
    assert len(drawn.question_ids) == exam.questions == len(set(drawn.question_ids))
    assert dict(Counter(drawn.domain_of.values())) == domain_quota(exam)
    assert not drawn.shortfalls


@FAST
@given(seed=SEEDS)
def test_dca_mock_has_the_exams_mix_and_domain_weights(seed: int) -> None:
    exam = COURSE.exams["dca"]
    drawn = draw_exam(exam, BANK, seed)
    types = Counter(COURSE.questions[q].type for q in drawn.question_ids)
    assert dict(types) == {"domc": 42, "single": 13}
    assert dict(Counter(drawn.domain_of.values())) == domain_quota(exam)
    assert not drawn.shortfalls and not drawn.type_shortfalls


@FAST
@given(seed=SEEDS)
def test_same_seed_same_draw_and_seeds_differ(seed: int) -> None:
    exam = COURSE.exams["dca"]
    assert draw_exam(exam, BANK, seed) == draw_exam(exam, BANK, seed)
    assert draw_exam(exam, BANK, seed).question_ids != draw_exam(exam, BANK, seed + 1).question_ids


def test_the_blueprints_declare_their_types() -> None:
    for exam_id in ("clf-c02", "saa-c03", "dva-c02"):
        assert COURSE.exams[exam_id].allowed_types() == {"single", "multiple"}
        assert COURSE.exams[exam_id].min_options == {"single": 4, "multiple": 5}
    dca = COURSE.exams["dca"]
    assert dca.type_mix == {"domc": 42, "single": 13} and dca.questions == 55 and dca.minutes == 90


# -- synthetic banks: the mix is kept exactly whenever some allocation can keep it ----------------

DOMAINS = ["dca:a", "dca:b", "dca:c"]


def _blueprint(weights: list[int], mix: dict[str, int]) -> ExamBlueprint:
    return ExamBlueprint.model_validate(
        {
            "kind": "exam",
            "id": "syn",
            "title": "Synthetic",
            "exam": "Synthetic exam",
            "questions": sum(mix.values()),
            "minutes": 10,
            "pass_mark": 50,
            "domains": [{"id": d, "name": d, "weight": w} for d, w in zip(DOMAINS, weights, strict=True)],
            "type_mix": mix,
            "references": ["https://docs.docker.com/"],
        }
    )


def _question(n: int, domain: str, kind: str) -> Question:
    options = [Option(id=o, text=f"option {o}", why="why") for o in "abc"]
    fields = {"id": f"q{n}", "topic": "t", "domains": [domain], "prompt": f"q {n}?", "explanation": "x"}
    refs = ["https://docs.docker.com/"]
    if kind == "single":
        return SingleChoice(type="single", answer="a", options=options, references=refs, **fields)
    from tutor.content.models.questions import DiscreteOptions

    return DiscreteOptions(type="domc", answer=["a"], options=options, references=refs, **fields)


def _feasible(quota: dict[str, int], mix: dict[str, int], have: dict[tuple[str, str], int]) -> bool:
    """Two types: some single count per domain fits both capacities and both margins."""
    low = sum(max(0, quota[d] - have.get((d, "domc"), 0)) for d in quota)
    high = sum(min(quota[d], have.get((d, "single"), 0)) for d in quota)
    fits = all(have.get((d, "domc"), 0) + have.get((d, "single"), 0) >= quota[d] for d in quota)
    return fits and low <= mix["single"] <= high


@settings(max_examples=150, deadline=None)
@given(
    weights=st.lists(st.integers(1, 10), min_size=3, max_size=3),
    singles=st.integers(1, 8),
    domcs=st.integers(1, 20),
    have=st.lists(st.tuples(st.integers(0, 12), st.integers(0, 12)), min_size=3, max_size=3),
    seed=SEEDS,
)
def test_the_mix_and_the_quotas_hold_whenever_the_bank_allows(weights, singles, domcs, have, seed) -> None:
    exam = _blueprint(weights, {"domc": domcs, "single": singles})
    bank, n = [], 0
    sizes: dict[tuple[str, str], int] = {}
    for d, (s, m) in zip(DOMAINS, have, strict=True):
        sizes[(d, "single")], sizes[(d, "domc")] = s, m
        for kind, count in (("single", s), ("domc", m)):
            for _ in range(count):
                n += 1
                bank.append(_question(n, d, kind))
    quota = domain_quota(exam)
    cells = type_quota(exam, sizes)
    assert {d: sum(c.values()) for d, c in cells.items()} == quota
    assert {t: sum(c[t] for c in cells.values()) for t in exam.type_mix} == exam.type_mix
    drawn = draw_exam(exam, bank, seed)
    assert len(set(drawn.question_ids)) == len(drawn.question_ids) == min(exam.questions, len(bank))
    if _feasible(quota, exam.type_mix, sizes):
        types = Counter(q.type for q in bank if q.id in set(drawn.question_ids))
        assert dict(types) == exam.type_mix
        assert dict(Counter(drawn.domain_of.values())) == {d: k for d, k in quota.items() if k}
        assert not drawn.shortfalls and not drawn.type_shortfalls
    else:
        assert drawn.shortfalls or drawn.type_shortfalls or len(bank) < exam.questions
