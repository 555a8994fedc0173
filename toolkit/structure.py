"""Read the teaching structure out of a module's Markdown: its sections and admonitions.

The instruments take the practicum's observation form from its section; the course tests check
that every module has what a trainer needs.
"""

from __future__ import annotations

import re

_HEADING = re.compile(r"^(#{1,6})[ \t]+(.+?)[ \t]*#*[ \t]*$")
_ATTRIBUTES = re.compile(r"[ \t]*\{:?[ \t]*[.#][^{}]*\}[ \t]*$")  # '{ .slide }' after a heading: not part of its title
_ADMONITION = re.compile(r'^(?P<indent>[ \t]*)(?:!!!|\?\?\?\+?)[ \t]+(?P<kind>[\w-]+)(?:[ \t]+"(?P<title>[^"]*)")?')


def heading(line: str) -> tuple[int, str] | None:
    """(level, title) of a Markdown heading line, its attribute list left out; None for another line."""
    match = _HEADING.match(line)
    return (len(match.group(1)), _ATTRIBUTES.sub("", match.group(2))) if match else None


def headings(markdown: str) -> list[tuple[int, str]]:
    """(level, title) of every Markdown heading outside fenced code, in order."""
    return [found for found in map(heading, _outside_fences(markdown)) if found]


def level2_sections(markdown: str) -> list[str]:
    """The '##' headings in order, ignoring fenced code."""
    return [title for level, title in headings(markdown) if level == 2]


def section(markdown: str, title: str) -> str | None:
    """The section a heading opens, its heading line included, up to the next heading of the same
    or a higher level; None when no heading has that title."""
    lines = markdown.splitlines()
    fenced, start, level = False, None, 0
    for number, line in enumerate(lines):
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
            continue
        found = None if fenced else heading(line)
        if found and start is not None and found[0] <= level:
            return "\n".join(lines[start:number]) + "\n"
        if found and start is None and found[1] == title:
            start, level = number, found[0]
    return None if start is None else "\n".join(lines[start:]) + "\n"


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
