"""Which of a pack's URLs may become a terminal hyperlink (OSC 8): plain http(s) only.

A URL from a pack is untrusted text: a control character in it would end the OSC 8
sequence early and write the rest to the terminal; another scheme (file:, javascript:,
data:) is not a page to open. Such a URL is shown as text, never as a link.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

UNSAFE = re.compile(r"[\x00-\x20\x7f-\x9f\\<>\"`{}|^\u2028\u2029]")
MAX_URL = 2000


def safe_url(url: str) -> str | None:
    """`url` when it is an http(s) URL with a host and nothing a terminal could misread."""
    if not isinstance(url, str) or len(url) > MAX_URL or UNSAFE.search(url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    return url
