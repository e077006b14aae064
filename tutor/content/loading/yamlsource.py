"""YAML parsing with a cheap fast path and line numbers on demand.

Content is parsed with libyaml when it is available. Line numbers are only
needed when something is wrong, so the node tree (which carries the marks) is
composed again lazily, for the files that have errors.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
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
from tutor.base.text import CONTROL, clean

_Loader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_resolver = yaml.resolver.Resolver()
_constructor = yaml.constructor.SafeConstructor()
# First characters that may start a non-string plain scalar (true, 12, null, ~, .inf, ...).
_MAYBE_TYPED = frozenset(k for k in yaml.resolver.Resolver.yaml_implicit_resolvers if k)
_STR = "tag:yaml.org,2002:str"
_MERGE = "tag:yaml.org,2002:merge"
_control = CONTROL.search  # inlined: a function call per string would cost more than the scan


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
    loader = _Loader(text)
    # YAML refuses raw control characters (the reader stops at them), so only an escape in a
    # double-quoted string (\e, \x1b, \u009b) or a NEL can put one in a value: a file with no
    # backslash and no NEL skips the per-string check (one memchr each, not a regex per string).
    escapes = "\\" in text or "\x85" in text
    builder = _Builder(loader, _scalar_clean if escapes else _scalar)
    try:
        return builder.documents() if all_documents else builder.document()
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


class _Builder:
    def __init__(self, loader: Any, scalar: Callable[[Any], Any]) -> None:
        self.get = loader.get_event
        self.scalar = scalar
        self.anchors: dict[str, Any] = {}
        self.sizes: dict[int, int] = {}  # id of an anchored value -> its values, aliases expanded
        self.aliased = 0  # values added by aliases
        self.depth = 0

    def document(self) -> Any:
        self.get()  # stream start
        event = self.get()
        if type(event) is StreamEndEvent:
            return None
        value = self.node(self.get())  # after the document start
        self.get()  # document end
        if type(self.get()) is not StreamEndEvent:
            raise YamlSyntaxError("the file holds more than one YAML document (a second '---')", None)
        return value

    def documents(self) -> list[Any]:
        self.get()  # stream start
        out = []
        while type(self.get()) is not StreamEndEvent:  # a document start
            self.anchors = {}  # anchors do not cross documents
            out.append(self.node(self.get()))
            self.get()  # document end
        return out

    def node(self, event: Any) -> Any:
        kind = type(event)
        if kind is ScalarEvent:
            if len(event.value) > MAX_STRING_CHARS:
                raise limits.too_long(event.start_mark.line + 1)
            value = self.scalar(event)
        elif kind is MappingStartEvent:
            self.depth += 1
            if self.depth > MAX_DEPTH:
                raise limits.too_deep(event.start_mark.line + 1)
            value = {}
            merged: list[Any] = []
            while True:
                key_event = self.get()
                if type(key_event) is MappingEndEvent:
                    break
                key = self.node(key_event)
                item = self.node(self.get())
                if key == "<<" and type(key_event) is ScalarEvent and not key_event.style:
                    merged.extend(item if isinstance(item, list) else [item])
                    continue
                try:
                    twice = key in value
                except TypeError:  # a list or a mapping as a key
                    line = key_event.start_mark.line + 1
                    raise YamlSyntaxError("YAML error: a key must be a single value", line) from None
                if twice:
                    line = key_event.start_mark.line + 1
                    raise YamlSyntaxError(f"YAML error: the key {key!r} appears twice in one mapping", line)
                value[key] = item
            for src in merged:  # keys written out win over merged ones
                if not isinstance(src, dict):
                    line = event.start_mark.line + 1
                    raise YamlSyntaxError("YAML error: '<<' merges mappings only", line)
                for k, v in src.items():
                    value.setdefault(k, v)
            self.depth -= 1
        elif kind is SequenceStartEvent:
            self.depth += 1
            if self.depth > MAX_DEPTH:
                raise limits.too_deep(event.start_mark.line + 1)
            value = []
            while True:
                item_event = self.get()
                if type(item_event) is SequenceEndEvent:
                    break
                value.append(self.node(item_event))
            self.depth -= 1
        elif kind is AliasEvent:
            if event.anchor not in self.anchors:
                raise YamlSyntaxError(f"YAML error: unknown alias *{event.anchor}", event.start_mark.line + 1)
            value = self.anchors[event.anchor]
            self.aliased += self.sizes[id(value)]
            if self.aliased > MAX_ALIAS_NODES:
                raise limits.too_many_aliases(event.start_mark.line + 1)
            return value
        else:  # pragma: no cover - the parser emits nothing else here
            raise YamlSyntaxError(f"YAML error: unexpected {kind.__name__}", None)
        if event.anchor:  # rare: the size is counted only for what an alias may repeat
            self.anchors[event.anchor] = value
            self.sizes[id(value)] = _size(value, self.sizes)
        return value


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


def _scalar(event: Any) -> Any:
    value = event.value
    tag = event.tag
    if tag is None or tag == "!":
        if event.style or not event.implicit[0]:  # quoted or block scalars are strings
            return value
        if value and value[0] not in _MAYBE_TYPED:
            return value
        tag = _resolver.resolve(ScalarNode, value, (True, False))
        if tag in (_STR, _MERGE):
            return value
    node = ScalarNode(tag, value, event.start_mark, event.end_mark, event.style)
    try:
        return _constructor.construct_object(node, deep=True)
    except yaml.YAMLError:
        raise
    except Exception as exc:  # PyYAML's own: 2024-02-30, `!!timestamp nope`, an int of 5,000 digits
        line = event.start_mark.line + 1
        raise YamlSyntaxError(f"YAML error: {clean(value[:40])!r} cannot be read ({exc})", line) from None


def _scalar_clean(event: Any) -> Any:
    """A scalar with control characters made visible (the sanitiser, at load time)."""
    value = _scalar(event)
    return clean(value) if type(value) is str else value


@dataclass(frozen=True)
class Located:
    line: int
    found: bool  # False when the path ran out and the line is the nearest parent's


def locate(text: str, path: Sequence[str | int], *, key: bool = False) -> Located:
    """Find the 1-based line of the value at `path` (or of its key when `key`)."""
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError:
        return Located(1, False)
    if node is None:
        return Located(1, False)
    for i, part in enumerate(path):
        child = _child(node, part, key=key and i == len(path) - 1)
        if child is None:
            return Located(node.start_mark.line + 1, False)
        node = child
    return Located(node.start_mark.line + 1, True)


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
