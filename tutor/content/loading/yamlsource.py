"""YAML parsing with a cheap fast path and line numbers on demand.

Content is parsed with libyaml when it is available. Line numbers are only
needed when something is wrong, so the node tree (which carries the marks) is
composed again lazily, for the files that have errors.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import yaml
from yaml.events import (
    AliasEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)
from yaml.nodes import ScalarNode

from tutor.base import limits
from tutor.base.limits import MAX_ALIAS_NODES, MAX_DEPTH, MAX_FILE_BYTES, MAX_STRING_CHARS, LimitExceeded
from tutor.base.text import clean

_Loader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # for `locate` (node marks)
try:  # events only: libyaml's parser alone, no constructor or resolver set up for each file
    from yaml.cyaml import CParser as _Parser
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    _Parser = yaml.SafeLoader
_constructor = yaml.constructor.SafeConstructor()
# First character of a plain scalar -> the (tag, match) pairs that may make it more than a string
# (true, 12, null, ~, .inf, 2024-01-01, <<): PyYAML's implicit resolvers, looked up without a call.
_MATCHERS: dict[str, tuple[tuple[str, Callable[[str], Any]], ...]] = {
    first: tuple((tag, regexp.match) for tag, regexp in pairs)
    for first, pairs in yaml.resolver.Resolver.yaml_implicit_resolvers.items()
}
_MAYBE_TYPED = frozenset(_MATCHERS)  # with '' (an empty plain scalar is null)
_STR = "tag:yaml.org,2002:str"
_MERGE = "tag:yaml.org,2002:merge"
_NULL = "tag:yaml.org,2002:null"
_BOOL = "tag:yaml.org,2002:bool"
_INT = "tag:yaml.org,2002:int"
_BOOLS = yaml.constructor.SafeConstructor.bool_values


class YamlSyntaxError(ValueError):
    def __init__(self, message: str, line: int | None, hint: str | None = None) -> None:
        super().__init__(message)
        self.line = line
        self.hint = hint


def parse(text: str) -> Any:
    """Parse one YAML document with the safe loader's meaning; errors carry a 1-based line.

    Builds Python objects straight from the parser's events, which is more than twice
    as fast as PyYAML's constructor, and reports duplicate keys, which PyYAML ignores.
    Every string comes out through the sanitiser, and the limits of tutor.base.limits
    (alias expansion, string size, nesting depth) hold for every value.
    """
    return _run(text, all_documents=False)


def parse_all(text: str) -> list[Any]:
    """Every document of a multi-document stream (Kubernetes manifests), within the same limits."""
    return list(_run(text, all_documents=True))


def _run(text: str, *, all_documents: bool) -> Any:
    if len(text) > MAX_FILE_BYTES:
        exc = limits.too_big(len(text))
        raise YamlSyntaxError(exc.message, None, exc.hint)
    loader = _Parser(text)
    events = iter(loader.get_event, None)
    try:
        next(events)  # the stream's start
        if all_documents:
            out = []
            while type(next(events)) is not StreamEndEvent:  # a document's start
                out.append(_build(events, text))  # anchors do not cross documents
                next(events)  # its end
            return out
        if type(next(events)) is StreamEndEvent:
            return None
        value = _build(events, text)
        next(events)  # the document's end
        if type(next(events)) is not StreamEndEvent:
            raise YamlSyntaxError("the file holds more than one YAML document (a second '---')", None)
        return value
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        problem = exc.problem or str(exc)
        context = f" ({exc.context})" if exc.context else ""
        raise YamlSyntaxError(f"YAML syntax error: {problem}{context}", line) from None
    except yaml.YAMLError as exc:
        raise YamlSyntaxError(f"YAML error: {exc}", None) from None
    except LimitExceeded as exc:
        raise YamlSyntaxError(exc.message, exc.line, exc.hint) from None
    except RecursionError:  # pragma: no cover - the depth limit comes first
        raise YamlSyntaxError("the data is nested too deeply", None) from None
    finally:
        loader.dispose()


_NO_KEY: Any = object()  # a mapping waiting for its next key
# Plain scalar -> its value, shared by every parse: the values are all immutable (strings, None,
# booleans, numbers, dates), and the size is bounded.
_RESOLVED: dict[str, Any] = {}


def _build(events: Iterator[Any], text: str) -> Any:
    """The value of one document, from the event after its start; the end event is left unread.

    One loop over the parser's events with a stack of the open collections: no recursion and
    no call per value. Plain scalars that cannot be more than a string (most of them, by their
    first character) are kept as they are; the others go through PyYAML's implicit resolvers
    and constructor, so values mean what `yaml.safe_load` makes of them. What the text cannot
    hold is not looked for: no `&` no anchors, no `!` no tags, a text shorter than the string
    limit no string over it (a scalar's value is never longer than its source).
    """
    # YAML refuses raw control characters (the reader stops at them), so only an escape in a
    # double-quoted string (\e, \x1b, \u009b) or a NEL can put one in a value: a file with no
    # backslash and no NEL skips the sanitiser (one memchr each, not a regex per string).
    escapes = "\\" in text or "\x85" in text
    anchored = "&" in text
    tagged = "!" in text
    merges = "<<" in text
    long = len(text) > MAX_STRING_CHARS
    maybe_typed, resolved, no_key = _MAYBE_TYPED, _RESOLVED, _NO_KEY  # locals: read per event
    scalar, map_start, seq_start, map_end, seq_end = (
        ScalarEvent,
        MappingStartEvent,
        SequenceStartEvent,
        MappingEndEvent,
        SequenceEndEvent,
    )
    anchors: dict[str, Any] = {}
    sizes: dict[int, int] = {}  # id of an anchored value -> its values, aliases expanded
    pinned: list[Any] = []  # every anchored value, alive while its id is in `sizes`
    aliased = 0  # values added by aliases
    stack: list[tuple[Any, bool, Any, Any, Any, Any]] = []  # what the open collection interrupted
    cur: Any = None  # the open collection; None at the top
    in_map = False
    key: Any = _NO_KEY
    key_event: Any = None
    merged: list[Any] | None = None  # '<<' sources of the open mapping
    opened: Any = None  # the start event of the open collection
    for event in events:
        kind = type(event)
        if kind is scalar:
            value = event.value
            if long and len(value) > MAX_STRING_CHARS:
                raise limits.too_long(event.start_mark.line + 1)
            if tagged and event.tag is not None:
                value = _tagged(event)
            elif not event.style and value[:1] in maybe_typed:  # plain: 12, true, null, 2024-01-01
                known = resolved.get(value, no_key)
                value = _plain(event, resolved) if known is no_key else known
            if escapes and type(value) is str:
                value = clean(value)
            if anchored and event.anchor:
                anchors[event.anchor] = value
                sizes[id(value)] = 1
                pinned.append(value)
        elif kind is map_start or kind is seq_start:
            if len(stack) >= MAX_DEPTH:
                raise limits.too_deep(event.start_mark.line + 1)
            stack.append((cur, in_map, key, key_event, merged, opened))
            opened = event
            if kind is map_start:
                cur, in_map, key, merged = {}, True, no_key, None
            else:
                cur, in_map = [], False
            continue
        elif kind is map_end or kind is seq_end:
            value = cur
            if merged:  # keys written out win over merged ones
                for src in merged:
                    if not isinstance(src, dict):
                        line = opened.start_mark.line + 1
                        raise YamlSyntaxError("YAML error: '<<' merges mappings only", line)
                    for k, v in src.items():
                        value.setdefault(k, v)
            if anchored and opened.anchor:  # the size is counted only for what an alias may repeat
                anchors[opened.anchor] = value
                sizes[id(value)] = _size(value, sizes)
                pinned.append(value)
            event = opened  # for a key's line
            cur, in_map, key, key_event, merged, opened = stack.pop()
        elif kind is AliasEvent:
            if event.anchor not in anchors:
                raise YamlSyntaxError(f"YAML error: unknown alias *{event.anchor}", event.start_mark.line + 1)
            value = anchors[event.anchor]
            aliased += sizes[id(value)]
            if aliased > MAX_ALIAS_NODES:
                raise limits.too_many_aliases(event.start_mark.line + 1)
        else:  # pragma: no cover - the parser emits nothing else here
            raise YamlSyntaxError(f"YAML error: unexpected {kind.__name__}", None)
        if in_map:
            if key is no_key:
                key, key_event = value, event
                continue
            if merges and key == "<<" and type(key_event) is scalar and not key_event.style:
                if merged is None:
                    merged = []
                merged.extend(value if isinstance(value, list) else [value])
            else:
                try:
                    twice = key in cur
                except TypeError:  # a list or a mapping as a key
                    line = key_event.start_mark.line + 1
                    raise YamlSyntaxError("YAML error: a key must be a single value", line) from None
                if twice:
                    line = key_event.start_mark.line + 1
                    raise YamlSyntaxError(f"YAML error: the key {key!r} appears twice in one mapping", line)
                cur[key] = value
            key = no_key
        elif cur is not None:
            cur.append(value)
        else:
            return value
    raise YamlSyntaxError("YAML error: the document ends early", None)  # pragma: no cover


def _size(value: Any, known: dict[int, int]) -> int:
    """How many values `value` holds when every alias in it is written out (anchors memoised)."""
    size = known.get(id(value))
    if size is not None:
        return size
    if type(value) is dict:
        return 1 + len(value) + sum(_size(v, known) for v in value.values())
    if type(value) is list:
        return 1 + sum(_size(v, known) for v in value)
    return 1


def _resolve(value: str) -> str:
    """The tag PyYAML's implicit resolvers give a plain scalar."""
    tag = next((t for t, match in _MATCHERS.get(value[:1], ()) if match(value)), _STR)
    return _STR if tag == _MERGE else tag  # '<<' is a string; as a key, the builder merges


def _plain(event: Any, resolved: dict[str, Any]) -> Any:
    """A plain scalar's value (noted in `resolved`): null, booleans and short decimal ints here,
    the rest (012 octal, 1_000, 1:30, 5,000 digits, floats, dates) by PyYAML's constructor."""
    value = event.value
    tag = _resolve(value)
    if tag == _STR:
        out: Any = value
    elif tag == _NULL:
        out = None
    elif tag == _BOOL:
        out = _BOOLS[value.lower()]
    elif tag == _INT and len(value) < 20 and value.isdigit() and (value[0] != "0" or value == "0"):
        out = int(value)
    else:
        out = _construct(event, tag)
    if len(value) <= 40 and len(resolved) < 4096:  # keys and short words, met again and again
        resolved[value] = out
    return out


def _tagged(event: Any) -> Any:
    """A scalar with a tag: its own (`!!int 3`, `!!binary ...`) or `!`, as PyYAML reads `! 12` (12)."""
    tag = event.tag
    if tag == "!":
        if event.style or not event.implicit[0]:  # quoted or block scalars are strings
            return event.value
        tag = _resolve(event.value)
        if tag == _STR:
            return event.value
    return _construct(event, tag)


def _construct(event: Any, tag: str) -> Any:
    node = ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style)
    try:
        return _constructor.construct_object(node, deep=True)
    except yaml.YAMLError:
        raise
    except Exception as exc:  # PyYAML's own: 2024-02-30, `!!timestamp nope`, an int of 5,000 digits
        line = event.start_mark.line + 1
        raise YamlSyntaxError(
            f"YAML error: {clean(event.value[:40])!r} cannot be read ({exc})", line
        ) from None
    finally:
        _constructor.constructed_objects.pop(node, None)  # the shared constructor keeps no node


@dataclass(frozen=True)
class Located:
    line: int
    found: bool  # False when the path ran out and the line is the nearest parent's


# The node tree of the text last located in: a file's problems are located one after the
# other, and composing a large file again for each of them made reporting quadratic.
_composed: tuple[str, yaml.Node | None] | None = None


def locate(text: str, path: Sequence[str | int], *, key: bool = False) -> Located:
    """Find the 1-based line of the value at `path` (or of its key when `key`)."""
    global _composed
    last = _composed
    if last is not None and (last[0] is text or last[0] == text):
        node = last[1]
    else:
        try:
            node = yaml.compose(text, Loader=_Loader)
        except yaml.YAMLError:
            node = None
        _composed = (text, node)
    if node is None:
        return Located(1, False)
    for i, part in enumerate(path):
        child = _child(node, part, key=key and i == len(path) - 1)
        if child is None:
            return Located(node.start_mark.line + 1, False)
        node = child
    return Located(node.start_mark.line + 1, True)


def forget_located() -> None:
    """Drop the node tree kept by `locate` (a loader calls this when it is done)."""
    global _composed
    _composed = None


def _child(node: yaml.Node, part: str | int, *, key: bool) -> yaml.Node | None:
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            if str(k.value) == str(part):
                return k if key else v
    elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
        return node.value[part]
    return None


def split_front_matter(text: str) -> tuple[str, str, int] | None:
    """Split a Markdown file into (front matter, body, line of the first front-matter line).

    Returns None when the file does not start with a `---` fence.
    """
    if not text.startswith("---"):
        return None
    first_nl = text.find("\n")
    if first_nl < 0 or text[:first_nl].strip() != "---":
        return None
    pos = first_nl + 1
    while True:
        nl = text.find("\n", pos)
        line = text[pos:] if nl < 0 else text[pos:nl]
        if line.rstrip() in ("---", "..."):
            front = text[first_nl + 1 : pos]
            body = "" if nl < 0 else text[nl + 1 :]
            return front, body, 2
        if nl < 0:
            return None
        pos = nl + 1
