"""HTML fragments from feed entries -> plain text, paragraphs kept as line breaks."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

# Elements that end a line of text; paragraphs and headings end a paragraph.
_BREAK = set("br li tr dt dd figcaption caption".split())
_PARAGRAPH = set(
    "p div section article blockquote pre h1 h2 h3 h4 h5 h6 ul ol dl table figure header footer hr".split()
)
_SKIP = set("script style noscript template iframe object svg head title".split())
_SPACES = re.compile(r"[ \t\r\f\v\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_ZERO_WIDTH = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_LOOKS_LIKE_HTML = re.compile(r"<\s*(?:[a-zA-Z][a-zA-Z0-9]*\b[^>]*|/[a-zA-Z][a-zA-Z0-9]*\s*)>")


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP:
            self.skipping += 1
        elif tag in _PARAGRAPH:
            self.parts.append("\n\n")
        elif tag in _BREAK:
            self.parts.append("\n")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _PARAGRAPH:
            self.parts.append("\n\n")
        elif tag in _BREAK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self.skipping = max(0, self.skipping - 1)
        elif tag in _PARAGRAPH:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)


def html_to_text(fragment: str) -> str:
    """Plain text of an HTML fragment: tags dropped, entities decoded, paragraphs as blank lines."""
    if not fragment:
        return ""
    collector = _Collector()
    try:
        collector.feed(fragment)
        collector.close()
    except Exception:  # html.parser is lenient; this guards against the odd assertion
        return tidy(html.unescape(re.sub(r"<[^>]*>", " ", fragment)))
    return tidy("".join(collector.parts))


def plain_to_text(value: str) -> str:
    """Plain text that may still carry escaped markup (`&lt;p&gt;`) some feeds double-escape."""
    if _LOOKS_LIKE_HTML.search(value):
        return html_to_text(value)
    return tidy(html.unescape(value))


def tidy(text: str) -> str:
    """Collapse runs of spaces, keep at most one blank line between paragraphs, trim."""
    text = _CONTROL.sub("", _ZERO_WIDTH.sub("", text))
    lines = [_SPACES.sub(" ", line).strip() for line in text.replace("\r\n", "\n").split("\n")]
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    return "\n".join(out).strip()


def one_line(text: str) -> str:
    """Text on a single line (titles)."""
    return " ".join(tidy(text).split())
