"""Read the teaching structure out of a module's Markdown: its sections and admonitions.

The instruments take the practicum's observation form from its section; the course tests check
that every module has what a trainer needs.
"""

from __future__ import annotations

import re

_HEADING = re.compile(r"^(#{2,6})\s+(.+?)\s*#*\s*$")
_ADMONITION = re.compile(r'^(?P<indent>[ \t]*)(?:!!!|\?\?\?\+?)[ \t]+(?P<kind>[\w-]+)(?:[ \t]+"(?P<title>[^"]*)")?')


def level2_sections(markdown: str) -> list[str]:
    """The '##' headings in order, ignoring fenced code."""
    return [m.group(2) for m in map(_HEADING.match, _outside_fences(markdown)) if m and len(m.group(1)) == 2]


def section(markdown: str, title: str) -> str:
    """The text under '## title' up to the next '##' heading."""
    lines, inside = [], False
    for line in markdown.splitlines():
        match = _HEADING.match(line)
        if match and len(match.group(1)) == 2:
            inside = match.group(2) == title
            continue
        if inside:
            lines.append(line)
    return "\n".join(lines)


def admonitions(markdown: str, kind: str) -> list[tuple[str, str]]:
    """(title, dedented body) of every admonition of a kind, nested ones included."""
    found = []
    lines = markdown.splitlines()
    for index, line in enumerate(lines):
        match = _ADMONITION.match(line)
        if match and match.group("kind") == kind:
            indent = len(match.group("indent").expandtabs(4))
            body = []
            for following in lines[index + 1 :]:
                depth = len(following) - len(following.lstrip(" \t"))
                if following.strip() and depth <= indent:
                    break
                body.append(following[indent + 4 :] if following.strip() else "")
            found.append((match.group("title") or "", "\n".join(body).strip()))
    return found


def _outside_fences(markdown: str):
    fenced = False
    for line in markdown.splitlines():
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
            continue
        if not fenced:
            yield line
