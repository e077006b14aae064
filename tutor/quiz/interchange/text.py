"""Text helpers for interchange: GIFT escapes, HTML and plain text to Markdown, ids from titles."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

GIFT_SPECIAL = "~=#{}:"


class Marked:
    """Text after GIFT's escapes: `s` holds the characters, `lit[i]` is True where `s[i]` was
    escaped (so it is text, never syntax). `start` is the offset of `s[0]` in the whole block."""

    __slots__ = ("lit", "s", "start")

    def __init__(self, s: str, lit: list[bool], start: int = 0) -> None:
        self.s = s
        self.lit = lit
        self.start = start

    @classmethod
    def lex(cls, raw: str) -> Marked:
        chars: list[str] = []
        lit: list[bool] = []
        i = 0
        while i < len(raw):
            ch = raw[i]
            nxt = raw[i + 1] if i + 1 < len(raw) else ""
            if ch == "\\" and nxt and (nxt in GIFT_SPECIAL or nxt in "\\n"):
                chars.append("\n" if nxt == "n" else nxt)
                lit.append(True)
                i += 2
                continue
            chars.append(ch)
            lit.append(ch == "\\")  # a lone backslash stays as text
            i += 1
        return cls("".join(chars), lit)

    def __len__(self) -> int:
        return len(self.s)

    def __getitem__(self, key: slice) -> Marked:
        start = key.start or 0
        if start < 0:
            start += len(self.s)
        return Marked(self.s[key], self.lit[key], self.start + max(0, min(start, len(self.s))))

    def find(self, sub: str, begin: int = 0) -> int:
        i = self.s.find(sub, begin)
        while i != -1 and any(self.lit[i : i + len(sub)]):
            i = self.s.find(sub, i + 1)
        return i

    def rfind(self, sub: str) -> int:
        i = self.s.rfind(sub)
        while i != -1 and any(self.lit[i : i + len(sub)]):
            i = self.s.rfind(sub, 0, i + len(sub) - 1)
        return i

    def positions(self, chars: str) -> list[int]:
        return [i for i, c in enumerate(self.s) if c in chars and not self.lit[i]]

    def split(self, sep: str, maxsplit: int = -1) -> list[Marked]:
        parts: list[Marked] = []
        begin = 0
        while maxsplit < 0 or len(parts) < maxsplit:
            i = self.find(sep, begin)
            if i == -1:
                break
            parts.append(self[begin:i])
            begin = i + len(sep)
        parts.append(self[begin:])
        return parts

    def strip(self) -> Marked:
        a, b = 0, len(self.s)
        while a < b and self.s[a].isspace() and not self.lit[a]:
            a += 1
        while b > a and self.s[b - 1].isspace() and not self.lit[b - 1]:
            b -= 1
        return self[a:b]

    def startswith(self, sub: str) -> bool:
        return self.s.startswith(sub) and not any(self.lit[: len(sub)])

    def text(self) -> str:
        """The characters, with each line break of the file (not an escaped \\n) and the
        indentation around it folded into one newline."""
        out: list[str] = []
        i = 0
        n = len(self.s)
        while i < n:
            ch = self.s[i]
            if ch == "\n" and not self.lit[i]:
                while out and out[-1] in (" ", "\t"):
                    out.pop()
                out.append("\n")
                i += 1
                while i < n and self.s[i] in " \t" and not self.lit[i]:
                    i += 1
                continue
            out.append(ch)
            i += 1
        return "".join(out).strip()


def gift_escape(text: str) -> str:
    """Text as GIFT writes it: specials and backslashes escaped, line breaks as \\n."""
    out = text.replace("\\", "\\\\")
    for ch in GIFT_SPECIAL:
        out = out.replace(ch, "\\" + ch)
    return out.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n")


# -- HTML and plain text to Markdown ------------------------------------------------------

_INLINE = {"b": "**", "strong": "**", "i": "*", "em": "*", "code": "`"}
_BLOCK = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "table", "tr", "blockquote"}
_KNOWN = {*_INLINE, *_BLOCK, "br", "a", "li", "pre", "span", "td", "th", "tbody", "thead", "sub", "sup", "u"}
_DROP = {"script", "style", "head", "title", "iframe", "object", "embed", "svg", "math"}


class _ToMarkdown(HTMLParser):
    def __init__(self, markup: bool) -> None:
        super().__init__(convert_charrefs=True)
        self.markup = markup  # False: plain text, no Markdown marks
        self.out: list[str] = []
        self.dropped: set[str] = set()
        self.skip = 0
        self.href: list[str | None] = []
        self.pre = 0

    def _left_out(self, tag: str, opening: bool) -> bool:
        """Inside a dropped element (a script, a style), or at its edge: nothing of it is kept."""
        if tag in _DROP:
            if opening:
                self.skip += 1
                self.dropped.add(tag)
            else:
                self.skip = max(0, self.skip - 1)
            return True
        return bool(self.skip)

    def _inline(self, tag: str) -> bool:
        """Bold, italics and code outside a <pre>: their Markdown mark (nothing in plain text)."""
        if tag in _INLINE and not self.pre:
            self.out.append(_INLINE[tag] if self.markup else "")
            return True
        return False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self._left_out(tag, opening=True) or self._inline(tag):
            return
        if tag == "br":
            self.out.append("\n")
        elif tag in _BLOCK or tag == "pre":
            self.out.append("\n\n")
            if tag == "pre":
                self.out.append("```\n" if self.markup else "")
                self.pre += 1
            elif tag.startswith("h") and tag[1:].isdigit() and self.markup:
                self.out.append("#" * int(tag[1]) + " ")
        elif tag == "li":
            self.out.append("\n- ")
        elif tag == "a":
            href = dict(attrs).get("href") or ""
            safe = href if re.match(r"^(https?://|mailto:)", href) else None
            if safe is None and href:
                self.dropped.add("a href")
            self.href.append(safe)
            self.out.append("[" if safe and self.markup else "")
        elif tag not in _KNOWN:
            self.dropped.add(tag)

    def handle_endtag(self, tag: str) -> None:
        if self._left_out(tag, opening=False) or self._inline(tag):
            return
        if tag == "pre":
            self.out.append("\n```\n\n" if self.markup else "\n\n")
            self.pre = max(0, self.pre - 1)
        elif tag in _BLOCK:
            self.out.append("\n\n")
        elif tag == "a" and self.href:
            href = self.href.pop()
            if href:
                self.out.append(f"]({href})" if self.markup else f" ({href})")

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.out.append(data if self.pre else re.sub(r"\s+", " ", data))


def html_to_markdown(text: str, *, markup: bool = True) -> tuple[str, set[str]]:
    """Basic HTML as Markdown (or, with markup=False, as plain text); other tags are stripped,
    their text kept, scripts and styles dropped. Returns the text and the tags not converted."""
    parser = _ToMarkdown(markup)
    parser.feed(text)
    parser.close()
    md = "".join(parser.out)
    md = re.sub(r"[ \t]+\n", "\n", md)
    md = re.sub(r"\n{3,}", "\n\n", md)
    return md.strip(), parser.dropped


def looks_like_html(text: str) -> bool:
    return re.search(r"</?[a-zA-Z][a-zA-Z0-9]*(\s[^<>]*)?/?>", text) is not None


def plain_to_markdown(text: str) -> str:
    """Plain text that Markdown shows as typed: its punctuation escaped."""
    out = re.sub(r"([\\`*_\[\]<>|])", r"\\\1", text)
    out = re.sub(r"(?m)^(\s*)([#>+-])(?=\s)", r"\1\\\2", out)
    return re.sub(r"(?m)^(\s*)(\d+)\.(?=\s)", r"\1\2\\.", out)


def unescape_entities(text: str) -> str:
    return html.unescape(text)


# -- ids --------------------------------------------------------------------------------


def slug(text: str, limit: int = 60) -> str:
    """An id from a title: lower-case letters, digits, '.', '_' and '-'."""
    s = re.sub(r"[^a-z0-9._-]+", "-", text.casefold())
    s = re.sub(r"-{2,}", "-", s).strip("-._")
    return s[:limit].rstrip("-._")
