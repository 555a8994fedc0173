"""Unverified facts on a page: one compact marker per fact and page, linking to the legal page.

Rendering appends an invisible marker to every use of an unverified fact; once a whole page is
rendered, resolve_markers keeps the first marker of each fact, in the form the output wants (a
link on the site, a dagger in a handbook), and drops the rest.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from markupsafe import Markup

_START, _END = "\ue000", "\ue001"
_MARKER = re.compile(f"{_START}([^{_END}]*){_END}")


def unverified_marker(fact_path: str) -> Markup:
    """The invisible marker of one unverified fact (its profile key path)."""
    return Markup(f"{_START}{fact_path}{_END}")


def fact_anchor(fact_path: str) -> str:
    """The id of a fact's row on the legal page."""
    return "dato-" + re.sub(r"[^a-z0-9]+", "-", fact_path.lower()).strip("-")


def resolve_markers(text: str, show: Callable[[str], str] | None) -> str:
    """Each fact's first marker as show(fact path), the others removed; show None removes all."""
    seen: set[str] = set()

    def replace(match: re.Match) -> str:
        fact = match.group(1)
        if show is None or fact in seen:
            return ""
        seen.add(fact)
        return show(fact)

    return _MARKER.sub(replace, text)


def has_markers(text: str) -> bool:
    return _START in text or _END in text
