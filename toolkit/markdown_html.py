"""Markdown as HTML outside MkDocs (handbooks, question banks), with the site's own extensions
from mkdocs.yml, so printed and exported text reads like the site."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import markdown
import yaml
from markupsafe import Markup

from .load import SITE_CONFIG

_COLLAPSIBLE = re.compile(r"^(\s*)\?\?\?\+?(?=[ \t])", re.M)
_COMMENT = re.compile(r"<!--.*?-->", re.S)


@cache
def _extensions(root: Path) -> tuple[list, dict]:
    """The site's Markdown extensions (from mkdocs.yml), so what is printed or exported reads like the site."""
    config = yaml.load((root / SITE_CONFIG).read_text(encoding="utf-8"), Loader=_IgnoreTags)
    names, settings = [], {}
    for entry in config.get("markdown_extensions", []):
        name, options = next(iter(entry.items())) if isinstance(entry, dict) else (entry, {})
        names.append(name)
        settings[name] = dict(options or {})
    settings.setdefault("toc", {})["permalink"] = False  # no '¶' anchors on paper
    return names, settings


class _IgnoreTags(yaml.SafeLoader):
    """mkdocs.yml may hold MkDocs' own tags (!ENV, !relative); none is needed here."""


_IgnoreTags.add_multi_constructor("!", lambda loader, suffix, node: None)


def markdown_to_html(text: str, root: Path) -> Markup:
    """Markdown as print HTML: collapsible blocks ('???') are printed open; an author's HTML
    comments are left out (not printed, and never taken for a template's print-part mark)."""
    return Markup(_COMMENT.sub("", _converter(root).reset().convert(_COLLAPSIBLE.sub(r"\1!!!", text))))


def inline_html(text: str, root: Path) -> Markup:
    """A phrase (an option, a criterion) as HTML to set inside a line: without its paragraph."""
    html = markdown_to_html(text, root)
    inner = html[3:-4] if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1 else html
    return Markup(inner)


@cache
def _converter(root: Path) -> markdown.Markdown:
    """One converter per process: setting up the extensions costs more than converting a module."""
    names, settings = _extensions(root)
    return markdown.Markdown(extensions=names, extension_configs=settings)
