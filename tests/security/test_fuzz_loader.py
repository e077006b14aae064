"""Property-based fuzzing of the content loader: whatever files a pack holds (random bytes, random
YAML, mutated lessons, quizzes and labs, odd file names), loading it never raises; every problem is
a ContentError that names its file (and, when it has one, a line), in bounded time per example."""

from __future__ import annotations

import json
import tempfile
from datetime import timedelta
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from security.packs import Pack
from tutor.base.errors import ContentError
from tutor.content.loading.loader import load_course

SLOTS = ("lessons/pk/01-lesson.md", "quizzes/pk.yaml", "lessons/topics.yaml", "labs/pk-lab/lab.yaml")
FUZZ = settings(
    max_examples=60,
    deadline=timedelta(seconds=10),  # per example: a runaway parse fails here instead of hanging
    suppress_health_check=[HealthCheck.too_slow],
)

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True),
    st.text(max_size=30),
    st.sampled_from(["pk", "pk-q1", "single", "quiz", "file", "run", "{{port}}", "host", "../x", "/etc"]),
)
keys = st.one_of(
    st.sampled_from(
        ["id", "title", "topic", "kind", "type", "questions", "steps", "checks", "setup", "params"]
    ),
    st.text(max_size=12),
    st.integers(),
)
documents = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(keys, inner, max_size=6),
    max_leaves=40,
)
YAML_BITS = [
    "&a ",
    "*a",
    "<<: *a\n",
    "!!binary ",
    "!!python/object:os.system ",
    "? [a, b]\n: c\n",
    "{[x]: 1}",
    "--- \n",
    "...\n",
    '"\\e[31m"',
    "2024-02-30",
    "0x" + "f" * 50,
    "\t",
    "  - ",
    ": ",
    "- - - ",
    "%YAML 1.1\n",
    "\ufeff",
    "|\n  x\n",
    ">-\n",
]


VALUES = [
    "{[x]: 1}",
    "{? [a, b] : c}",
    "2024-02-30",
    "2024-13-01 10:00:00",
    "1" * 5000,
    "!!int 99999999999999999999999999999999",
    "!!float x",
    "!!binary not*base64",
    "!!timestamp nope",
    "!!python/object:os.system x",
    "&a [1, 2]",
    "*a",
    "*undefined",
    "{<<: *a}",
    "{<<: 5}",
    "{<<: [1, 2]}",
    '"\\e]52;c;eA==\\a"',
    '"\\x9b2J\\u0085"',
    '"\\ud800"',
    "[[[[[[[[[[]]]]]]]]]]",
    "{a: 1, a: 2}",
    "!custom x",
    ".nan",
    "-.inf",
    "~",
    "''",
]


def _check(root: Path) -> None:
    course = load_course([root], cache=False)
    for err in course.errors:
        assert isinstance(err, ContentError), err
        assert err.message and str(err)
        assert err.line is None or err.line >= 1, err
        assert err.file == root or root in err.file.parents or err.file.is_relative_to(root), err.file
        json.dumps(err.to_dict())


def _pack(files: dict[str, bytes]) -> Any:
    tmp = tempfile.TemporaryDirectory()
    pack = Pack(Path(tmp.name) / "pack")
    for rel, data in files.items():
        path = pack.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return tmp, pack


@FUZZ
@given(slot=st.sampled_from(SLOTS), data=st.binary(max_size=3000))
def test_random_bytes(slot: str, data: bytes) -> None:
    tmp, pack = _pack({slot: data})
    with tmp:
        _check(pack.root)


@FUZZ
@given(slot=st.sampled_from(SLOTS), doc=documents)
def test_random_yaml_documents(slot: str, doc: Any) -> None:
    text = yaml.safe_dump(doc, allow_unicode=True)
    if slot.endswith(".md"):
        text = f"---\n{text}---\nBody\n"
    tmp, pack = _pack({slot: text.encode("utf-8", "surrogatepass")})
    with tmp:
        _check(pack.root)


@FUZZ
@given(
    slot=st.sampled_from(SLOTS),
    edits=st.lists(
        st.tuples(st.floats(0, 1), st.integers(0, 40), st.sampled_from(YAML_BITS) | st.text(max_size=8)),
        min_size=1,
        max_size=6,
    ),
)
def test_mutated_pack_files(slot: str, edits: list[tuple[float, int, str]]) -> None:
    """A valid file with pieces cut out and odd YAML spliced in."""
    tmp, pack = _pack({})
    with tmp:
        path = pack.root / slot
        text = path.read_text()
        for where, cut, bit in edits:
            at = int(where * len(text))
            text = text[:at] + bit + text[at + cut :]
        path.write_bytes(text.encode("utf-8", "surrogatepass"))
        _check(pack.root)


@FUZZ
@given(
    slot=st.sampled_from(SLOTS),
    picks=st.lists(
        st.tuples(st.integers(0, 200), st.sampled_from(VALUES) | st.text(max_size=10)), max_size=5
    ),
)
def test_odd_values_in_valid_files(slot: str, picks: list[tuple[int, str]]) -> None:
    """Values (and keys) of a valid file replaced with odd but well-formed YAML."""
    tmp, pack = _pack({})
    with tmp:
        path = pack.root / slot
        lines = path.read_text().splitlines()
        spots = [i for i, line in enumerate(lines) if ": " in line and not line.lstrip().startswith("#")]
        for n, value in picks:
            i = spots[n % len(spots)]
            key, _, _ = lines[i].partition(": ")
            lines[i] = f"{key}: {value}" if n % 3 else f"{key[: len(key) - len(key.lstrip())]}{value}: x"
        path.write_text("\n".join(lines) + "\n")
        _check(pack.root)


@FUZZ
@given(
    name=st.text(min_size=1, max_size=20).filter(
        lambda n: "/" not in n and "\x00" not in n and n not in (".", "..")
    )
)
def test_odd_file_names(name: str) -> None:
    tmp, pack = _pack({})
    with tmp:
        body = (pack.root / SLOTS[0]).read_bytes().replace(b"pk-lesson", b"pk-other")
        try:
            (pack.root / "lessons" / "pk" / f"{name}.md").write_bytes(body)
            (pack.root / "quizzes" / f"{name}.yaml").write_bytes(b"kind: quiz\nid: [x\n")
        except (OSError, ValueError):  # a name this file system refuses
            return
        _check(pack.root)
