"""Where a profile value lands: every rendered sentence that uses a key, in the file and line
that wrote it, so an author sees the grammar ("Las dicta las Comisarías…") before building.

It reads the same traced rendering the lint reads (textlint), kept by resolve_edition.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from .markers import resolve_markers
from .pages import Resolution
from .textlint import text_blocks, untrace

# Where a sentence ends inside a paragraph: '.', '?' or '!' and a space before a capital or a quote.
_SENTENCE_END = re.compile(r"(?<=[.?!])\s+(?=[«\"(¿¡A-ZÁÉÍÓÚÑ*_])")
_MARKS = re.compile(r"\*\*|__|(?<!\w)[*_](?=\S)|(?<=\S)[*_](?!\w)|^\s*(?:[-*+]|\d+\.)\s+|^\s*!!!.*$|^\s*\|\s*|\s*\|\s*$", re.M)
_TAGS = re.compile(r"<[^>\n]+>")  # a line break in a table cell separates what it joins


@dataclass(frozen=True)
class Landing:
    """One sentence that shows a profile value."""

    source: str  # the file that wrote the value in: a module, the glossary, a case-key file
    line: int
    key: str  # the key path of the value, at or under the one asked for
    sentence: str  # as a reader reads it, Markdown marks left out


def landings(resolution: Resolution, key_path: str) -> list[Landing]:
    """Every sentence of the edition's modules and glossary that shows key_path or a key under it."""
    found: dict[tuple[str, int, str], Landing] = {}
    for _, traced in resolution.traced:
        text, spans = untrace(html.unescape(resolve_markers(traced, None)))
        blocks = text_blocks(text)
        for span in spans:
            if not _under(span.key, key_path):
                continue
            offset, block = next(((o, b) for o, b in blocks if o <= span.start <= o + len(b)), (0, text))
            sentence = _sentence_at(block, span.start - offset)
            found.setdefault((span.template, span.line, sentence), Landing(span.template, span.line, span.key, sentence))
    return sorted(found.values(), key=lambda landing: (landing.source, landing.line, landing.sentence))


def keys_shown(resolution: Resolution) -> set[str]:
    """Every key path some sentence shows (for suggesting one when asked for a key none shows)."""
    return {span.key for _, traced in resolution.traced for span in untrace(traced)[1] if span.key}


def _under(key: str, asked: str) -> bool:
    return key == asked or key.startswith((f"{asked}.", f"{asked}["))


def _sentence_at(block: str, position: int) -> str:
    start = 0
    for boundary in _SENTENCE_END.finditer(block):
        if boundary.start() >= position:
            return _plain(block[start : boundary.start()])
        start = boundary.end()
    return _plain(block[start:])


def _plain(markdown: str) -> str:
    return re.sub(r"\s+", " ", _MARKS.sub("", _TAGS.sub(" ", markdown))).strip()
