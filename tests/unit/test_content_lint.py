"""The item-writing lint: each rule fires on a small bad item and stays quiet on a good one."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter

from tutor.content.course import Course
from tutor.content.lint import lint_course
from tutor.content.lint.freetext import command_answer, short_answer
from tutor.content.lint.freshness import freshness
from tutor.content.lint.options import catch_all, key_is_longest, length_ratio, longest_share
from tutor.content.lint.responses import exam_options
from tutor.content.lint.stems import document_frequency, giveaway, near_duplicates, negative_stem
from tutor.content.lint.text import content_words, stem
from tutor.content.models.exams import ExamBlueprint
from tutor.content.models.lessons import Lesson, LessonMeta
from tutor.content.models.questions import Question, Quiz

QUESTION: TypeAdapter[Question] = TypeAdapter(Question)
REF = ["https://docs.docker.com/"]


def choice(
    qid: str,
    prompt: str,
    options: list[str],
    answer: Any = "a",
    kind: str = "single",
    domains: tuple[str, ...] = ("dca:images",),
) -> Question:
    """Options get ids a, b, c, ... in order."""
    return QUESTION.validate_python(
        {
            "id": qid,
            "type": kind,
            "topic": "docker",
            "domains": list(domains),
            "prompt": prompt,
            "explanation": "Because.",
            "references": REF,
            "options": [{"id": chr(97 + i), "text": t, "why": "Why."} for i, t in enumerate(options)],
            "answer": answer,
        }
    )


def short(prompt: str, accept: list[str]) -> Question:
    return QUESTION.validate_python(
        {
            "id": "s1",
            "type": "short",
            "topic": "docker",
            "domains": ["dca:images"],
            "prompt": prompt,
            "explanation": "Because.",
            "references": REF,
            "accept": accept,
        }
    )


def command(prompt: str, rule: dict[str, Any], example: str) -> Question:
    return QUESTION.validate_python(
        {
            "id": "c1",
            "type": "command",
            "topic": "ecs",
            "domains": ["dva-c02:1"],
            "prompt": prompt,
            "explanation": "Because.",
            "references": REF,
            "rule": rule,
            "example": example,
        }
    )


def rules(found: Any) -> list[str]:
    return [f.rule for f in found]


# -- options -------------------------------------------------------------------------------------
EVEN = ["Run the container with a read-only root", "Add the user to the docker group", "Use a bind mount"]


def test_length_ratio_fires_when_the_key_is_by_far_the_longest() -> None:
    q = choice(
        "q1", "How?", ["Publish the port with -p 8080:80 and bind it to all addresses", "Use -P", "No"]
    )
    assert rules(length_ratio(q)) == ["option-length"]
    assert next(iter(length_ratio(q))).path == ("options", 0, "text")


def test_length_ratio_quiet_for_similar_options_short_gaps_or_a_long_distractor() -> None:
    assert not list(length_ratio(choice("q1", "How?", EVEN)))
    assert not list(length_ratio(choice("q1", "How?", ["docker ps -a", "ps", "docker"])))  # gap < 20
    long_wrong = choice("q1", "How?", ["Use -P", "Publish the port with -p 8080:80 on all addresses", "No"])
    assert not list(length_ratio(long_wrong))


def test_key_is_longest_for_single_and_multiple_but_not_domc() -> None:
    assert key_is_longest(choice("q", "?", ["a long key option", "short", "tiny"]))
    assert not key_is_longest(choice("q", "?", ["short", "a long wrong option", "tiny"]))
    multi = choice("q", "?", ["long right one", "long right two", "no", "nah"], ["a", "b"], "multiple")
    assert key_is_longest(multi)
    assert not key_is_longest(choice("q", "?", ["a long key option", "short", "tiny"], ["a"], "domc"))


def quiz(questions: list[Question]) -> Quiz:
    return Quiz.model_validate(
        {"kind": "quiz", "id": "qz", "title": "Q", "topic": "docker", "questions": questions}
    )


def test_longest_share_fires_above_35_percent() -> None:
    longest = [choice(f"l{i}", "?", ["the longest option here", "short", "tiny"]) for i in range(4)]
    other = [choice(f"o{i}", "?", ["short", "the longest option here", "tiny"]) for i in range(6)]
    found = list(longest_share(quiz(longest + other)))  # 4 of 10 = 40 %
    assert rules(found) == ["longest-correct"] and "l0" in found[0].hint
    assert not list(longest_share(quiz(longest[:3] + other)))  # 3 of 9 = 33 %
    assert not list(longest_share(quiz(longest[:4])))  # too few questions to judge


def test_catch_all_options() -> None:
    assert rules(catch_all(choice("q", "?", ["Yes", "No", "All of the above"]))) == ["catch-all-option"]
    assert rules(catch_all(choice("q", "?", ["Yes", "None of these", "No"]))) == ["catch-all-option"]
    assert not list(catch_all(choice("q", "?", ["Above the limit", "All nodes", "None"])))


# -- exam shape ----------------------------------------------------------------------------------
def blueprint(exam_id: str, min_options: dict[str, int] | None = None) -> ExamBlueprint:
    return ExamBlueprint.model_validate(
        {
            "kind": "exam",
            "id": exam_id,
            "title": exam_id,
            "exam": exam_id.upper(),
            "questions": 1,
            "minutes": 1,
            "pass_mark": 70,
            "types": ["single", "multiple"],
            "min_options": {"single": 4, "multiple": 5} if min_options is None else min_options,
            "domains": [{"id": f"{exam_id}:1", "name": "One", "weight": 100}],
            "references": REF,
        }
    )


FIVE = ["Use ECR", "Use a task role", "Use Fargate", "Use an access key", "Use a bind mount"]


def test_exam_options_fires_on_a_four_option_multiple_an_aws_mock_may_draw() -> None:
    four = choice(
        "m4", "Which two?", FIVE[:4], ["a", "b"], "multiple", ("dca:images", "clf-c02:1", "saa-c03:1")
    )
    exams = [blueprint("clf-c02"), blueprint("saa-c03"), blueprint("dva-c02")]
    found = list(exam_options(exams, [four]))
    assert rules(found) == ["exam-options"] and found[0].path == ("options",) and found[0].strict
    assert "clf-c02 and saa-c03 mocks" in found[0].message and "at least 5" in found[0].message
    assert "dva-c02" not in found[0].message  # not tagged with its domains
    three = choice("s3", "Which one?", FIVE[:3], domains=("dva-c02:1",))
    assert rules(exam_options(exams, [three])) == ["exam-options"]  # single: one of four


def test_exam_options_quiet_with_five_options_for_dca_only_or_without_min_options() -> None:
    exams = [blueprint("clf-c02")]
    five = choice("m5", "Which two?", FIVE, ["a", "b"], "multiple", ("clf-c02:1",))
    dca_only = choice("d4", "Which two?", FIVE[:4], ["a", "b"], "multiple", ("dca:images",))
    assert not list(exam_options(exams, [five, dca_only]))
    four = choice("m4", "Which two?", FIVE[:4], ["a", "b"], "multiple", ("clf-c02:1",))
    assert not list(exam_options([blueprint("clf-c02", {})], [four]))  # the blueprint sets no minimum


def test_min_options_must_name_a_type_the_exam_draws() -> None:
    exam = blueprint("clf-c02", {"domc": 4})
    assert [p[0] for p in exam.problems()] == [("min_options", "domc")]
    assert not list(blueprint("clf-c02").problems())


# -- stems ---------------------------------------------------------------------------------------
def test_giveaway_fires_on_a_rare_stem_word_only_the_key_repeats() -> None:
    q = choice("q", "Which option pins the image digest?", ["Pin by digest", "Use latest", "Use a tag"])
    df, n = document_frequency([q])
    assert rules(giveaway(q, df, n)) == ["giveaway"]


def test_giveaway_quiet_when_a_distractor_shares_the_word_or_it_is_a_value_or_common() -> None:
    shared = choice("q", "Which option pins the image digest?", ["Pin by digest", "Drop the digest", "Tag"])
    value = choice("q", "Port 30001 is the nodePort. Where?", ["localhost:30001", "localhost:3000", "No"])
    df, n = document_frequency([shared, value])
    assert not list(giveaway(shared, df, n))
    assert not list(giveaway(value, df, n))  # scenario values (with digits) are what the answer is about
    common = choice("q", "Which image?", ["The image", "A tag", "A layer"])
    bank = [common] + [choice(f"x{i}", "An image?", ["image", "b", "c"]) for i in range(3)]
    df, n = document_frequency(bank)
    assert not list(giveaway(common, df, n))  # `image` is in every question: not distinctive


def test_negative_stems_need_emphasis() -> None:
    assert rules(negative_stem(choice("q", "Which is not a volume driver?", EVEN))) == ["negative-stem"]
    assert rules(negative_stem(choice("q", "Which costs the least effort?", EVEN))) == ["negative-stem"]
    assert not list(negative_stem(choice("q", "Which is NOT a volume driver?", EVEN)))
    assert not list(negative_stem(choice("q", "Which is **not** a volume driver?", EVEN)))
    assert not list(negative_stem(choice("q", "With the LEAST operational overhead?", EVEN)))
    assert not list(negative_stem(choice("q", "What is the least-privilege fix?", EVEN)))
    assert not list(negative_stem(choice("q", "It does not start. Why?", EVEN)))  # context, not the ask
    assert not list(negative_stem(choice("q", "On a regular (not rootless) host, where?", EVEN)))


def test_near_duplicate_stems_across_the_bank() -> None:
    stem_ = (
        "Which command lists the layers of the local image web together with the instructions that made them"
    )
    a = choice("a1", f"{stem_}, newest first?", EVEN)
    b = choice("b1", f"{stem_}, oldest first?", EVEN)
    c = choice("c1", "Which command removes the image web:1.0 from the host?", EVEN)
    found = list(near_duplicates([a, b, c]))
    assert [(f.item_id, f.rule) for f in found] == [("b1", "near-duplicate")] and "a1" in found[0].message


def test_stemming_matches_plural_and_ing_forms() -> None:
    assert stem("images") == stem("image") and stem("scaling") == stem("scale")
    assert stem("messages") == stem("message") and stem("policies") == "policy"
    assert content_words("The images of **Docker**") == {stem("images"), "docker"}


# -- typed answers -------------------------------------------------------------------------------
def test_short_answer_word_count_number_and_options() -> None:
    assert rules(short_answer(short("Which subcommand? (One word.)", ["describe", "kubectl describe"])))
    assert not list(short_answer(short("Which subcommand? (One word.)", ["describe"])))
    assert rules(short_answer(short("How many? (Answer with the number.)", ["4", "revision 4"])))
    assert not list(short_answer(short("How many? (Answer with the number.)", ["4", "four", "1,024 MiB"])))
    assert rules(short_answer(short("Give the command without options.", ["docker ps", "docker ps -a"])))
    assert rules(short_answer(short("Type the full command.", ["aws eks get-token", "eks get-token"])))
    assert not list(short_answer(short("Type the full command.", ["aws eks get-token"])))


RUN_TASK = {
    "program": "aws",
    "subcommand": ["ecs", "run-task"],
    "options": [{"names": ["--cluster"], "value": "batch"}, {"names": ["--network-configuration"]}],
}
EXAMPLE = (
    "aws ecs run-task --cluster batch --network-configuration "
    '"awsvpcConfiguration={subnets=[subnet-0abc],securityGroups=[sg-0abc]}"'
)


def test_command_rule_must_check_the_values_the_prompt_gives() -> None:
    prompt = "In cluster `batch`, run the task in subnet `subnet-0abc` with security group `sg-0abc`."
    found = list(command_answer(command(prompt, RUN_TASK, EXAMPLE)))
    assert rules(found) == ["prompt-grader", "prompt-grader"]
    assert {"'subnet-0abc'", "'sg-0abc'"} == {f.message.split()[3] for f in found}
    contains = {"names": ["--network-configuration"], "contains": ["subnet-0abc", "sg-0abc"]}
    checked = {**RUN_TASK, "options": [RUN_TASK["options"][0], contains]}
    assert not list(command_answer(command(prompt, checked, EXAMPLE)))


def test_command_rule_must_require_the_options_the_prompt_names() -> None:
    rule = {"program": "docker", "subcommand": ["run"], "positionals": ["nginx"]}
    assert rules(command_answer(command("Start nginx in the background.", rule, "docker run -d nginx")))
    with_d = {**rule, "options": [{"names": ["-d", "--detach"]}]}
    assert not list(command_answer(command("Start nginx in the background.", with_d, "docker run -d nginx")))
    negated = "The cluster has defaults, so no network configuration is needed. Run `nginx`."
    assert not list(command_answer(command(negated, rule, "docker run nginx")))


# -- freshness -----------------------------------------------------------------------------------
def lesson(verified: str | None) -> Lesson:
    meta = LessonMeta(
        id="l1",
        title="L",
        topic="docker",
        order=1,
        objectives=["o"],
        minutes=5,
        references=REF,  # type: ignore[arg-type]
        verified=verified,
    )
    return Lesson(meta=meta, body="", source=Path("l1.md"))


def test_freshness_missing_fails_strict_and_stale_only_warns() -> None:
    today = date(2026, 12, 15)
    missing = list(freshness(lesson(None), today))
    assert rules(missing) == ["verified"] and missing[0].strict
    assert not list(freshness(lesson("2025-12"), today))  # exactly 12 months: still fresh
    stale = list(freshness(lesson("2025-11"), today))
    assert rules(stale) == ["verified"] and not stale[0].strict and "13 months" in stale[0].message


def test_lint_course_runs_every_rule_over_the_course() -> None:
    course = Course()
    four = choice("q2", "Which two?", FIVE[:4], ["a", "b"], "multiple", ("clf-c02:1",))
    course.quizzes["qz"] = quiz([choice("q1", "Which is not it?", ["All of the above", "b", "c"]), four])
    course.exams["clf-c02"] = blueprint("clf-c02")
    course.lessons["l1"] = lesson(None)
    course.index()
    found = set(rules(lint_course(course, date(2026, 12, 1))))
    assert {"negative-stem", "catch-all-option", "verified", "exam-options"} <= found
