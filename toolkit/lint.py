"""Quality gates on module sources: links and images that resolve, alternative text, privacy.

Case studies are fictional: a module must not carry an e-mail address, a phone number or a
national ID number (Peru's DNI, Ecuador's cédula, Guatemala's DPI). Only the institutional
hotlines that profiles declare may appear, and those come from the profiles anyway.
"""

from __future__ import annotations

import re
from pathlib import Path

from jinja2 import nodes

from .errors import Problem
from .load import MODULES_DIR, Module
from .render import parsed_module

_LINK = re.compile(r"(?P<image>!?)\[(?P<text>[^\]]*)\]\((?P<target>[^)\s]+)(?:\s+\"[^\"]*\")?\)")
_EXTERNAL = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|#|//)", re.I)
_JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}")
PERSONAL_DATA = [
    ("an e-mail address", re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")),
    ("a national ID number (Guatemala's DPI)", re.compile(r"(?<![\d-])\d{4}[ -]?\d{5}[ -]?\d{4}(?![\d-])")),
    ("a national ID number (Ecuador's cédula)", re.compile(r"(?<![\d-])\d{9}-?\d(?![\d-])")),
    ("a national ID number (Peru's DNI)", re.compile(r"(?<![\d-])\d{8}(?![\d-])")),
    ("a phone number", re.compile(r"(?<![\w/.-])(?:\+\d{1,3}[ .-]?)?(?:\(\d{1,4}\)[ .-]?)?\d{2,4}(?:[ .-]\d{2,4}){2,}(?![\w/-])")),
]


def link_problems(module: Module, modules_dir: Path) -> list[Problem]:
    """Every relative link or image of the module must reach a file under modules/; images need alt text."""
    problems = []
    root = modules_dir.resolve()
    for number, line in enumerate(module.body.splitlines(), module.body_first_line):
        for match in _LINK.finditer(_JINJA.sub("", line)):
            target = match.group("target")
            if match.group("image") and not match.group("text").strip():
                problems.append(Problem(module.rel_path, number, f"image '{target}' has no alternative text; describe it between the brackets"))
            if _EXTERNAL.match(target):
                continue
            path = (root / module.id / target.split("#")[0]).resolve()
            if not path.is_relative_to(root):
                problems.append(Problem(module.rel_path, number, f"links to '{target}', outside {MODULES_DIR}/; link only to files of the course"))
            elif not path.is_file():
                problems.append(Problem(module.rel_path, number, f"links to '{target}', which does not exist"))
    return problems


def include_problems(module: Module, modules_dir: Path) -> list[Problem]:
    """Every template a module includes must be a file under modules/; include paths cannot leave it."""
    tree = parsed_module(module, modules_dir)
    if tree is None:
        return []
    problems = []
    for node in tree.find_all((nodes.Include, nodes.Import, nodes.FromImport, nodes.Extends)):
        if not isinstance(node.template, nodes.Const):
            continue
        name = node.template.value
        line = module.body_first_line + node.lineno - 1
        root = modules_dir.resolve()
        target = (root / name).resolve()
        if ".." in name.split("/") or not target.is_relative_to(root):
            problems.append(Problem(module.rel_path, line, f"includes '{name}', outside {MODULES_DIR}/; include paths are relative to {MODULES_DIR}/ and cannot leave it"))
        elif not target.is_file():
            problems.append(Problem(module.rel_path, line, f"includes '{name}', which does not exist under {MODULES_DIR}/"))
    return problems


def privacy_problems(rel_path: str, text: str, first_line: int, allowed_numbers: set[str]) -> list[Problem]:
    """Personal data written in a module or glossary; declared hotlines are allowed."""
    problems = []
    for number, line in enumerate(text.splitlines(), first_line):
        line = _JINJA.sub(" ", line)
        seen: list[tuple[int, int]] = []
        for kind, pattern in PERSONAL_DATA:
            for match in pattern.finditer(line):
                if any(start <= match.start() < end for start, end in seen) or _digits(match.group()) in allowed_numbers:
                    continue
                seen.append(match.span())
                problems.append(Problem(rel_path, number, f"contains what looks like {kind} ('{match.group()}'); case studies are fictional and carry no personal data"))
    return problems


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def declared_hotlines(profiles: list[dict]) -> set[str]:
    return {_digits(h["number"]) for p in profiles for h in p.get("hotlines", []) if isinstance(h, dict) and isinstance(h.get("number"), str)}
