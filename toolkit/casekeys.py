"""Country case keys: the national legal answer to a case or question shared by every country.

A module keeps a case's facts and questions; where the answer depends on national law it writes
'{{ country_key("caso-a", "calificacion") }}', and each country answers in
case_keys/<country>.yaml under module id, case id and question id. Keys are templates too:
they may use the same placeholders and grammar filters as modules.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from jinja2 import nodes
from markupsafe import Markup

from .errors import Problem
from .itembank import NATIONAL_CASE
from .load import CASE_KEYS_DIR, MODULES_DIR, Module, Project
from .words import is_to_fill
from .render import RenderFailure, current_collector, parsed_module, render_text, template_position
from .yamlfile import YamlDocument

FUNCTION = "country_key"
_BLOCK_SCALAR = re.compile(r":\s*[|>][+-]?\d*\s*(#.*)?$")


@dataclass(frozen=True, order=True)
class KeySlot:
    """A place where a module asks for a country key."""

    module_id: str
    case: str
    question: str
    path: str  # the module's index.md, or its items.yaml for an item's national answer
    line: int

    @property
    def key_path(self) -> str:
        return f"{self.module_id}.{self.case}.{self.question}"


def key_slots(module: Module, modules_dir: Path) -> list[KeySlot]:
    """Every country_key("case", "question") call of a module, read from its template, and
    every 'national' answer its item bank asks for."""
    tree = parsed_module(module, modules_dir)
    slots = []
    for call in tree.find_all(nodes.Call) if tree is not None else []:
        if isinstance(call.node, nodes.Name) and call.node.name == FUNCTION:
            args = [a.value for a in call.args if isinstance(a, nodes.Const) and isinstance(a.value, str)]
            if len(args) == 2 == len(call.args):
                slots.append(KeySlot(module.id, args[0], args[1], module.rel_path, module.body_first_line + call.lineno - 1))
    items = module.items.data.get("items") if module.items else None
    for index, item in enumerate(items if isinstance(items, list) else []):
        if isinstance(item, dict) and isinstance(item.get("national"), str):
            slots.append(KeySlot(module.id, NATIONAL_CASE, item["national"], module.items.path, module.items.line_of(("items", index, "national"))))
    return sorted(set(slots))


def keys_file(country: str) -> str:
    return f"{CASE_KEYS_DIR}/{country}.yaml"


def lookup(document: YamlDocument | None, module_id: str, case: str, question: str) -> str | None:
    found = document.data if document else None
    for part in (module_id, case, question):
        found = found.get(part) if isinstance(found, dict) else None
    return found if isinstance(found, str) else None


def first_text_line(document: YamlDocument, key_path: tuple) -> int:
    """The file line a key's text starts on: the line after 'key: |' for a block."""
    line = document.line_of(key_path)
    source = document.text.splitlines()
    return line + 1 if 0 < line <= len(source) and _BLOCK_SCALAR.search(source[line - 1]) else line


def country_key_function(project: Project, country: str, module_id: str, context: dict, traced: bool = False):
    """The country_key(case, question) a module of this country calls."""
    document = project.case_keys.get(country)
    modules_dir = project.root / MODULES_DIR

    def country_key(case: str, question: str) -> Markup:
        text = lookup(document, module_id, case, question)
        if text is None or is_to_fill(text):
            collector = current_collector()
            if collector is not None:  # check lists missing keys itself; drafts show a placeholder
                return Markup(collector.placeholder(f"{keys_file(country)}: {module_id}.{case}.{question}"))
            template, line = template_position()
            raise RenderFailure(template, line, f"no country key for case '{case}', question '{question}' in {keys_file(country)}; write it under {module_id}: {case}: {question}:")
        line = first_text_line(document, (module_id, case, question))
        # render_text pads the text with empty lines so that its lines are file lines: drop them.
        rendered = render_text(text, line, document.path, context, modules_dir, traced)
        return Markup(rendered[line - 1 :].rstrip())

    return country_key


def case_key_problems(project: Project, countries: list[str]) -> list[Problem]:
    """Missing keys (errors) and keys no module asks for (warnings), per country."""
    modules_dir = project.root / MODULES_DIR
    slots = {m.id: key_slots(m, modules_dir) for m in project.modules.values()}
    used = sorted({slot for m in _programme_modules(project) for slot in slots[m.id]})
    asked = {(s.module_id, s.case, s.question) for found in slots.values() for s in found}
    problems = []
    for country in countries:
        document = project.case_keys.get(country)
        path = keys_file(country)
        for slot in used:
            text = lookup(document, slot.module_id, slot.case, slot.question)
            if text is None or is_to_fill(text):
                line = document.line_of((slot.module_id, slot.case)) if document else 0
                what = "is still to fill" if is_to_fill(text) else "is missing"
                problems.append(Problem(path, line, f"the key for module '{slot.module_id}', case '{slot.case}', question '{slot.question}' {what} (asked for at {slot.path}:{slot.line}); write the national answer under {slot.module_id}: {slot.case}: {slot.question}:",
                                        key_path=slot.key_path, to_fill=True, country=country))
        if document:
            for module_id, cases in document.data.items():
                for case, questions in (cases.items() if isinstance(cases, dict) else []):
                    for question in (questions if isinstance(questions, dict) else {}):
                        if (module_id, case, question) not in asked:
                            problems.append(Problem(path, document.line_of((module_id, case, question)), f"'{module_id}.{case}.{question}' is a key no module asks for; remove it or check the ids", "warning", country=country))
    return problems


def _programme_modules(project: Project) -> list[Module]:
    """The modules some programme teaches (all modules when there is no programme)."""
    taught = {s.get("module") for d in project.programmes.values() if isinstance(d.data, dict)
              for day in d.data.get("days", []) if isinstance(day, dict) for s in day.get("sessions", []) if isinstance(s, dict)}
    return [m for m in project.modules.values() if m.id in taught or not project.programmes]
