"""Quality gate after MkDocs: every internal link and anchor of a built site resolves, every image has alternative text.

Run on the staged site before it replaces the published one, so a broken link never ships.
The pages are MkDocs' own well-formed output, so attributes are read with regular expressions:
a full HTML parse costs a fifth of the MkDocs build itself.
"""

from __future__ import annotations

import html
import re
from functools import cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .errors import Problem
from .load import SITE_CONFIG

_IDS = re.compile(r"""\s(?:id|name)=["']([^"']+)["']""")
_URLS = re.compile(r"""<(?:a|link|script|img|iframe|source)\b[^>]*?\s(?:href|src)=["']([^"']*)["']""", re.I)
_IMAGES = re.compile(r"<img\b[^>]*>", re.I)
_ALT = re.compile(r"""\salt=["']\s*[^"'\s][^"']*["']""", re.I)
_SRC = re.compile(r"""\ssrc=["']([^"']*)["']""", re.I)


def site_problems(site_dir: Path, edition, root: Path) -> list[Problem]:
    """Broken internal links, missing anchors and images without alt text in one built site,
    each named in the file its page is made from, at the line that holds it when it can be found."""
    site_dir = site_dir.resolve()
    country = edition.country
    sources = {page.src_uri[: -len(".md")] + ".html": page.source for page in edition.pages}

    @cache
    def ids_of(page: Path) -> frozenset[str]:
        return frozenset(html.unescape(i) for i in _IDS.findall(page.read_text(encoding="utf-8")))

    @cache
    def verdict(target: Path, fragment: str) -> str | None:
        if target.is_dir():
            target = target / "index.html"
        if not target.is_relative_to(site_dir) or not target.exists():
            return "leads to no file of the site"
        if fragment and target.suffix == ".html" and fragment not in ids_of(target):
            return "points to an anchor that does not exist"
        return None

    problems = []
    for path in sorted(site_dir.rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        source = sources.get(path.relative_to(site_dir).as_posix(), SITE_CONFIG)  # else a page of the theme's
        for image in _IMAGES.findall(text):
            if not _ALT.search(image):
                src = _SRC.search(image)
                url = html.unescape(src.group(1)) if src else ""
                problems.append(Problem(*source_line(root, source, url), f"{country}: image '{url}' has no alternative text", country=country))
        for url in dict.fromkeys(html.unescape(u) for u in _URLS.findall(text)):
            parts = urlsplit(url)
            if parts.scheme or parts.netloc or url.startswith(("data:", "javascript:")):
                continue
            target = (path.parent / unquote(parts.path)).resolve() if parts.path else path
            reason = verdict(target, unquote(parts.fragment))
            if reason:
                problems.append(Problem(*source_line(root, source, url), f"{country}: link '{url}' {reason}", country=country))
    return problems


def source_line(root: Path, source: str, url: str) -> tuple[str, int]:
    """(source, the first line of it that holds a link): the link as written, else its anchor,
    else the page it names (Markdown's 'x/index.md' is 'x/index.html' here)."""
    parts = urlsplit(url)
    linked = Path(unquote(parts.path))
    return first_line_naming(root, source, [url, f"#{unquote(parts.fragment)}" if parts.fragment else "", linked.parent.name if linked.stem == "index" else linked.stem])


def first_line_naming(root: Path, source: str, names: list[str]) -> tuple[str, int]:
    """(source, the first line holding the first of names found, tried in order); line 0 when none
    is, the file being meant as a whole (the legal page is made from the profile, say)."""
    try:
        lines = (root / source).read_text(encoding="utf-8").splitlines()
    except OSError:
        return source, 0
    for name in (n for n in names if len(n) >= 3):
        for number, line in enumerate(lines, 1):
            if name in line:
                return source, number
    return source, 0
