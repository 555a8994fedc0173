"""Quality gate after MkDocs: every internal link and anchor of a built site resolves, every image has alternative text.

Run on the staged site before it replaces the published one, so a broken link never ships.
"""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .errors import Problem
from .load import MODULES_DIR

_URL_ATTRIBUTES = {"a": "href", "link": "href", "script": "src", "img": "src", "iframe": "src", "source": "src"}


class _Page(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.urls: list[str] = []
        self.images_without_alt: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        for name in ("id", "name"):
            if attributes.get(name):
                self.ids.add(attributes[name])
        url = attributes.get(_URL_ATTRIBUTES.get(tag, ""))
        if url:
            self.urls.append(url)
        if tag == "img" and not (attributes.get("alt") or "").strip():
            self.images_without_alt.append(attributes.get("src", ""))


def site_problems(site_dir: Path, country: str) -> list[Problem]:
    """Broken internal links, missing anchors and images without alt text in one built site."""
    pages = {path: _parse(path) for path in sorted(site_dir.rglob("*.html"))}
    problems = []
    for path, page in pages.items():
        source = _source_of(path.relative_to(site_dir).as_posix(), country)
        for src in page.images_without_alt:
            problems.append(Problem(source, 0, f"{country}: image '{src}' has no alternative text"))
        for url in page.urls:
            parts = urlsplit(url)
            if parts.scheme or parts.netloc or url.startswith(("data:", "javascript:")):
                continue
            target = (path.parent / unquote(parts.path)).resolve() if parts.path else path
            if target.is_dir():
                target = target / "index.html"
            if not target.is_relative_to(site_dir.resolve()) or not target.exists():
                problems.append(Problem(source, 0, f"{country}: link '{url}' leads to no file of the site"))
            elif parts.fragment and target.suffix == ".html" and unquote(parts.fragment) not in (pages.get(target) or _parse(target)).ids:
                problems.append(Problem(source, 0, f"{country}: link '{url}' points to an anchor that does not exist"))
    return problems


def _parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def _source_of(page: str, country: str) -> str:
    """A module's page names its module file; generated pages name the site page."""
    folder = page.split("/")[0]
    return f"{MODULES_DIR}/{folder}/index.md" if page.endswith("/index.html") and "/" in page.rstrip("/") and folder not in ("programas", "search") else f"site/{country}/{page}"
