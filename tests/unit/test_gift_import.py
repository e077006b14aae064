"""GIFT import: every construct of Moodle's GIFT documentation, problems with their lines,
and a parser that never raises anything but the project's own error on any text."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tutor.base.errors import TutorError
from tutor.content.models.questions import Quiz
from tutor.quiz.interchange.gift import parse_gift
from tutor.quiz.interchange.gift_import import ImportOptions, convert
from tutor.quiz.interchange.report import InterchangeError
from tutor.quiz.interchange.text import Marked, gift_escape, html_to_markdown

GIFT = Path(__file__).resolve().parent.parent / "fixtures" / "gift"
OPTS = ImportOptions(domains=("dca:images",), references=("https://docs.docker.com/",))


@pytest.fixture(scope="module")
def imported():
    path = GIFT / "constructs.gift"
    result = convert(parse_gift(path.read_text(), "constructs.gift"), "constructs.gift", OPTS)
    quizzes = {q["id"]: Quiz.model_validate(q) for q in result.quizzes}
    questions = {q.id: q for quiz in quizzes.values() for q in quiz.questions}
    return result, quizzes, questions


def notes_for(result, qid: str) -> list[str]:
    return [f"{n.level}: {n.message}" for n in result.notes if n.question == qid]


def test_categories_become_quizzes_with_their_annotation(imported) -> None:
    result, quizzes, _ = imported
    assert list(quizzes) == ["docker-basics", "volumes"]
    basics = quizzes["docker-basics"]
    assert (basics.title, basics.scoring, basics.order) == ("Docker basics", "partial", 3)
    assert [q.id for q in quizzes["volumes"].questions] == ["volume"]
    assert result.converted == 16 and result.skipped == 2


def test_multiple_choice_with_feedback_and_general_feedback(imported) -> None:
    _, _, qs = imported
    q = qs["kernel"]  # from the title ::Kernel::
    assert q.type == "single" and q.answer == "a"
    assert [o.text for o in q.options] == ["The host's kernel", "A hypervisor", "A guest operating system"]
    assert q.options[1].why == "Containers need no hypervisor."
    assert q.explanation == "Containers are isolated processes that share the host kernel."
    assert q.domains == ["dca:images"] and q.references[0].url == "https://docs.docker.com/"


def test_missing_word_and_neutral_whys_are_reported(imported) -> None:
    result, _, qs = imported
    q = qs["docker-basics-q002"]
    assert q.prompt == "A container image is built from read-only _____ and a writable layer on top."
    assert q.option(q.answer).text == "layers"
    assert {o.why for o in q.options} == {"This is a right answer.", "This is not a right answer."}
    said = notes_for(result, q.id)
    assert "info: 3 of 3 options had no feedback (#): a neutral why was written" in said
    assert "info: no general feedback (####): an explanation was written" in said
    note = next(n for n in result.notes if n.question == q.id)
    assert note.line == 16 and note.file == "constructs.gift"


def test_weights_make_a_multiple_answer_question(imported) -> None:
    result, _, qs = imported
    q = qs["two-right"]
    assert q.type == "multiple" and q.answer == ["a", "b"]
    assert q.options[2].why == "ext4 is a filesystem."
    uneven = qs["uneven"]
    assert uneven.type == "multiple" and uneven.answer == ["a", "b"]
    assert any("70%, 30%" in n for n in notes_for(result, "uneven"))


def test_true_false_feedback_goes_to_the_right_side(imported) -> None:
    _, _, qs = imported
    q = qs["tf"]
    assert q.answer is True
    assert q.why_true == "Right: one kernel." and q.why_false == "They do share it."
    assert q.explanation == "All containers use the host kernel."
    short = qs["docker-basics-q006"]
    assert short.answer is False and short.why_false.startswith("Right")


def test_short_answer_keeps_full_credit_answers_and_reports_the_rest(imported) -> None:
    result, _, qs = imported
    assert qs["short"].accept == ["CMD", "cmd"]
    said = notes_for(result, "short")
    assert any("'ENTRYPOINT' (50% credit) is not kept" in n for n in said)
    assert any("feedback for the answer 'CMD' is not kept" in n for n in said)


def test_matching_with_a_distractor_from_html(imported) -> None:
    _, _, qs = imported
    q = qs["match-ports"]
    assert q.type == "matching" and q.prompt == "Match each **service** to its default port."
    assert [(p.id, p.left, p.right) for p in q.pairs] == [
        ("a", "HTTP", "80"),
        ("b", "HTTPS", "443"),
        ("c", "SSH", "22"),
    ]
    assert q.distractors == ["8080"] and q.answers() == ["22", "443", "80", "8080"]


def test_numerical_tolerance_range_and_partial_answers(imported) -> None:
    result, _, qs = imported
    pi = qs["pi"].accept[0]
    assert (pi.value, pi.tolerance) == (3.14, 0.005)
    r = qs["range"].accept[0]
    assert (r.min, r.max, r.value) == (1, 5, None)
    year = qs["year"]
    assert (
        len(year.accept) == 1 and year.accept[0].value == 2013 and year.accept[0].why == "Right: March 2013."
    )
    said = notes_for(result, "year")
    assert any("2013:1 (50% credit) is not kept" in n for n in said)
    assert any("wrong numbers (~#) is not kept" in n for n in said)


def test_escapes_are_text(imported) -> None:
    _, _, qs = imported
    q = qs["escapes"]
    assert q.prompt == "Which of these is NOT a GIFT control character: { }?\nPick one."
    assert [o.text for o in q.options] == ["~", "=", "#", "\\"]
    assert q.option(q.answer).text == "\\"
    assert q.options[2].why == "# is a control character."


def test_text_formats(imported) -> None:
    result, _, qs = imported
    assert qs["markdown"].prompt == "Which command lists **running** containers?"
    assert qs["plain"].prompt == "Is \\*this\\* shown as typed?"
    html = qs["html"]
    assert html.prompt == "Which file describes a *multi-container* app?"
    assert "alert" not in html.prompt
    assert html.option(html.answer).text == "compose.yaml"
    assert any("script" in n for n in notes_for(result, "html"))


def test_essay_and_description_are_skipped_with_their_line(imported) -> None:
    result, _, qs = imported
    skipped = [n for n in result.notes if "skipped" in n.message]
    assert [(n.line, n.message.split(" was")[0]) for n in skipped] == [
        (87, "an essay question (graded by a person)"),
        (89, "a description"),
    ]
    assert "essay" not in qs


def test_malformed_gift_reports_every_problem_with_its_line() -> None:
    doc = parse_gift((GIFT / "malformed.gift").read_text(), "malformed.gift")
    assert [i.title for i in doc.items] == ["Fine"]
    found = [(p.line, p.message) for p in doc.problems]
    assert [line for line, _ in found] == [4, 6, 8, 10, 12]
    assert "never closed" in found[0][1] and "blank line" in found[0][1]
    assert "title" in found[1][1]
    assert "one answer block" in found[2][1]
    assert "'three' is not a number" in found[3][1]
    assert "%500%" in found[4][1]


@pytest.mark.parametrize(
    ("name", "words"),
    [("not_gift.txt", "no question has an answer block"), ("quiz.yaml", "no question has an answer block")],
)
def test_a_file_that_is_not_gift_gets_one_clear_error(name: str, words: str) -> None:
    with pytest.raises(InterchangeError) as err:
        parse_gift((GIFT / name).read_text(), name)
    assert words in err.value.message and err.value.exit_code == 2 and "\n" not in err.value.message


def test_xml_and_binary_are_refused() -> None:
    with pytest.raises(InterchangeError, match="XML"):
        parse_gift('<?xml version="1.0"?><quiz/>', "q.xml")
    with pytest.raises(InterchangeError, match="binary"):
        parse_gift("a\x00b {=x}", "q.bin")
    with pytest.raises(InterchangeError, match="no GIFT questions"):
        parse_gift("// only a comment\n\n\n", "empty.gift")


def test_missing_metadata_is_tracked_not_invented() -> None:
    result = convert(parse_gift("Q {=a ~b ~c}", "x.gift"), "x.gift")
    assert result.missing == {"domains": ["imported-q001"], "references": ["imported-q001"]}


def test_duplicate_titles_get_distinct_ids() -> None:
    text = "::Q1::A {=a ~b ~c}\n\n::Q1::B {=a ~b ~c}\n"
    result = convert(parse_gift(text, "x.gift"), "x.gift", OPTS)
    ids = [q["id"] for q in result.quizzes[0]["questions"]]
    assert ids == ["q1", "q1-2"]
    assert any(n.level == "warning" and "already taken" in n.message for n in result.notes)


def test_marked_text_keeps_escapes_apart_from_syntax() -> None:
    m = Marked.lex(r"a\=b=c\\#d\nx")
    assert m.s == "a=b=c\\#d\nx"
    assert m.find("=") == 3 and m.find("#") == 6 and m.positions("=#") == [3, 6]
    assert [p.s for p in m.split("=")] == ["a=b", "c\\#d\nx"]
    assert Marked.lex(gift_escape("x ~=#{}: \\ \n y")).s == "x ~=#{}: \\ \n y"


def test_html_is_converted_or_stripped_safely() -> None:
    md, dropped = html_to_markdown('<p>A <a href="javascript:alert(1)">link</a> and <em>this</em></p>')
    assert md == "A link and *this*" and dropped == {"a href"}


# Any text at all: the parser and the converter only ever raise the project's own error type.
@settings(max_examples=300, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from(list("{}=~#:%->.\\/$[] \n\tabcT01FRUEmarkdownhtmlCATEGORY"))
        | st.characters(),
        max_size=300,
    )
)
def test_the_parser_never_raises_anything_but_tutor_errors(text: str) -> None:
    try:
        doc = parse_gift(text, "fuzz.gift")
        convert(doc, "fuzz.gift", OPTS)
    except TutorError:
        pass


def test_report_lines_never_carry_terminal_control_characters() -> None:
    text = "::Evil\x1b[2J::Q {=a ~b}\n"
    result = convert(parse_gift(text, "evil.gift"), "evil.gift", OPTS)
    shown = "\n".join(str(n) for n in result.notes)
    assert "\x1b" not in shown and "\\x1b" in shown
