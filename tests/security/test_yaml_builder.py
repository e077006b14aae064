"""The content YAML reader means what `yaml.safe_load` means (values, types, anchors, merges,
tags), while it refuses what safe_load lets through: duplicate keys, alias bombs, deep nesting,
long strings, terminal control characters."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from tutor.base.limits import MAX_DEPTH, MAX_STRING_CHARS
from tutor.base.text import clean_data
from tutor.content.loading.yamlsource import YamlSyntaxError, parse, parse_all

plain_words = st.sampled_from(
    ["true", "True", "yes", "NO", "off", "On", "null", "Null", "~", "", "0", "00", "012", "-0", "+5",
     "1_000", "0x1F", "0o17", "0b101", "12:30", "1.5", "-.inf", ".NaN", "1e3", "2024-01-02",
     "2024-01-02 10:00:00", "=", "<<", "y", "n", "topic", "options", "nil", "-", "- x", "text"]
)  # fmt: skip
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False),
    st.dates(),
    st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=20),  # controls too
    plain_words,
)
keys = st.text(alphabet=st.characters(blacklist_categories=["Cs", "Cc"]), max_size=8)
documents = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=5)
        | st.dictionaries(st.one_of(st.text(max_size=8), st.integers(), plain_words), inner, max_size=6)
    ),
    max_leaves=30,
)


def same(a: Any, b: Any, ordered: bool = True) -> bool:
    """Equal, and of the same types all the way down (1 == True, but not here). Keys in the same
    order, unless not `ordered` (merged keys come after the keys written out, not before)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        keys = list(a) == list(b) if ordered else a.keys() == b.keys()
        return keys and all(same(a[k], b[k], ordered) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y, ordered) for x, y in zip(a, b, strict=True))
    return a == b or (a != a and b != b)  # nan


@settings(max_examples=300)
@given(doc=documents, style=st.sampled_from([None, "'", '"']), flow=st.booleans())
def test_a_dumped_document_reads_back_as_safe_load_reads_it(doc: Any, style: str | None, flow: bool) -> None:
    """The same data, but for control characters in strings, made visible by the sanitiser."""
    text = yaml.safe_dump(doc, allow_unicode=True, default_style=style, default_flow_style=flow)
    assert same(parse(text), clean_data(yaml.safe_load(text))), text


@settings(max_examples=200)
@given(words=st.lists(plain_words.filter(lambda w: w != "<<"), min_size=1, max_size=8))
def test_plain_scalars_resolve_as_safe_load_resolves_them(words: list[str]) -> None:
    """(A '<<' that is not a key is the string '<<' here, where safe_load fails.)"""
    listed = ", ".join(w or "~" for w in words)
    text = "".join(f"k{i}: {w}\n" for i, w in enumerate(words)) + f"all: [{listed}]\n"
    try:
        expected = yaml.safe_load(text)
    except yaml.YAMLError:
        with pytest.raises(YamlSyntaxError):
            parse(text)
        return
    assert same(parse(text), expected), text


@pytest.mark.parametrize(
    "text",
    [
        "base: &b {x: 1, y: 2}\nother:\n  <<: *b\n  y: 3\n",
        "m: &m {a: 1}\nn: {<<: [*m, {b: 2}], c: 3}\n",
        "<<: {a: 1}\nb: 2\n",
        "l: &l [1, 2]\nm: *l\ns: &s word\nt: *s\n",
        "a: !!str 12\nb: ! 12\nc: '12'\nd: !!float 1\ne: !!binary aGVsbG8=\nf: !!null ''\n",
        "f: |\n  text\n  more\n\ng: >-\n  folded\n  text\nh: |+\n  kept\n\n",
        "'<<': 1\n",
        "t: 2024-01-02T10:00:00Z\nd: 2024-01-02\n",
        "",
        "just a string",
        "- 1\n- [2, [3, [4]]]\n- {a: {b: {c: d}}}\n",
    ],
)
def test_yaml_features_read_as_safe_load_reads_them(text: str) -> None:
    assert same(parse(text), yaml.safe_load(text), ordered="<<" not in text), text


def test_a_merge_key_anywhere_else_is_the_string_it_looks_like() -> None:
    assert parse("k: <<\nl: [<<]\n") == {"k": "<<", "l": ["<<"]}  # safe_load has no constructor


def test_multi_document_streams_read_as_safe_load_all() -> None:
    text = "a: &x 1\n---\n- 2\n- true\n---\nb: [x, y]\n"
    assert parse_all(text) == list(yaml.safe_load_all(text))
    with pytest.raises(YamlSyntaxError, match="unknown alias"):  # anchors do not cross documents
        parse_all("a: &x 1\n---\nb: *x\n")


@pytest.mark.parametrize(
    ("text", "message", "line"),
    [
        ("a: 1\nb: 2\na: 3\n", "appears twice", 3),
        ("? [a]\n: 1\n", "single value", 1),
        ("a: *nope\n", "unknown alias", 1),
        ("a: &a [*a]\n", "unknown alias", 1),
        ("a:\n  <<: 5\n", "merges mappings only", 2),
        ("a: 2024-02-30\n", "cannot be read", 1),
        ("a: !!int x\n", "cannot be read", 1),
        ("a: " + "1" * 5000 + "\n", "cannot be read", 1),  # past Python's int-from-text limit
        ("a: =\n", "constructor", 1),
        ("a: [1\n", "syntax error", None),
        ("a: 1\n---\nb: 2\n", "more than one YAML document", None),
        ("a: " + "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1) + "\n", "nested more than", 1),
        ("a: 1\nb: " + "x" * (MAX_STRING_CHARS + 1) + "\n", "longer than", 2),
        ('a: 1\nb: "' + "\\x41" * (MAX_STRING_CHARS + 1) + '"\n', "longer than", 2),
    ],
)
def test_what_safe_load_lets_through_is_refused_at_its_line(
    text: str, message: str, line: int | None
) -> None:
    with pytest.raises(YamlSyntaxError, match=message) as caught:
        parse(text)
    if line is not None:
        assert caught.value.line == line


def test_aliases_are_bounded_however_they_are_anchored() -> None:
    bomb = ['l0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    bomb += [f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 9)}]" for i in range(1, 9)]
    with pytest.raises(YamlSyntaxError, match="aliases"):
        parse("\n".join(bomb))
    merged = ["m0: &m0 {" + ", ".join(f"k{j}: v" for j in range(9)) + "}"]
    merged += [f"m{i}: &m{i} [{', '.join([f'*m{i - 1}'] * 9)}]" for i in range(1, 9)]
    with pytest.raises(YamlSyntaxError, match="aliases"):
        parse("\n".join(merged))
    # an anchor defined again: the first value's count is not lost or reused
    again = "a: &x [1, 2, 3]\nb: &x 1\nc: [" + ", ".join(["*x"] * 50) + "]\n"
    assert parse(again)["c"] == [1] * 50


def test_control_characters_come_out_visible_and_values_keep_their_types() -> None:
    data = parse('a: "\\e[31mred\\x9b"\nb: 2024-01-02\n"\\e": 1\n')
    assert data == {"a": "\u241b[31mred\\x9b", "b": datetime.date(2024, 1, 2), "\u241b": 1}
