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
from .load import MODULES_DIR

_IDS = re.compile(r"""\s(?:id|name)=["']([^"']+)["']""")
_URLS = re.compile(r"""<(?:a|link|script|img|iframe|source)\b[^>]*?\s(?:href|src)=["']([^"']*)["']""", re.I)
_IMAGES = re.compile(r"<img\b[^>]*>", re.I)
_ALT = re.compile(r"""\salt=["']\s*[^"'\s][^"']*["']""", re.I)
_SRC = re.compile(r"""\ssrc=["']([^"']*)["']""", re.I)


def site_problems(site_dir: Path, country: str) -> list[Problem]:
    """Broken internal links, missing anchors and images without alt text in one built site."""
    site_dir = site_dir.resolve()

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
        source = _source_of(path.relative_to(site_dir).as_posix(), country)
        for image in _IMAGES.findall(text):
            if not _ALT.search(image):
                src = _SRC.search(image)
                problems.append(Problem(source, 0, f"{country}: image '{html.unescape(src.group(1)) if src else ''}' has no alternative text"))
        for url in dict.fromkeys(html.unescape(u) for u in _URLS.findall(text)):
            parts = urlsplit(url)
            if parts.scheme or parts.netloc or url.startswith(("data:", "javascript:")):
                continue
            target = (path.parent / unquote(parts.path)).resolve() if parts.path else path
            reason = verdict(target, unquote(parts.fragment))
            if reason:
                problems.append(Problem(source, 0, f"{country}: link '{url}' {reason}"))
    return problems


def _source_of(page: str, country: str) -> str:
    """A module's page names its module file; generated pages name the site page."""
    folder = page.split("/")[0]
    return f"{MODULES_DIR}/{folder}/index.md" if page.endswith("/index.html") and "/" in page.rstrip("/") and folder not in ("programas", "search") else f"site/{country}/{page}"
