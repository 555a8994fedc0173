"""Output 'workbook': the participant workbook, one PDF per country and programme.

What participants hold in their hands, module by module in programme order: the documents the
module's materials list prints in the workbook (docs/materials.md), that is sections of the
module in their participant version, its document files rendered for the country and its quiz
to answer by hand, with ruled space to write, then the glossary. It goes where the handbooks
go: among the trainers' files to print, or on the site when the edition publishes its
handbooks; it holds nothing a participant may not read, so it may be public wherever they are.
"""

from __future__ import annotations

import dataclasses
import json
import re
from dataclasses import dataclass
from pathlib import Path

from markupsafe import Markup

from ..errors import Problem
from ..evaluation import Question, printed_question
from ..load import MODULES_DIR, SITE_CONFIG
from ..markdown_html import inline_html, markdown_to_html
from ..markers import resolve_markers
from ..materials import Material, is_file_part, materials_of
from ..pages import HANDBOOKS_URI, Edition, Programme, render_page, workbook_file_name
from ..printing import write_pdf
from ..render import strip_trainer_blocks
from ..structure import heading, section
from . import Artifact, Output, register

TEMPLATES = Path(__file__).parent.parent / "templates"
_DAGGER = '<sup class="unverified">†</sup>'  # explained on the cover; once per fact and document
_HEADING = re.compile(r"^(#{1,6})[ \t]+(.+?)[ \t]*#*[ \t]*$", re.M)
_CELL_SEPARATOR = re.compile(r"(?<!\\)\|")
_LIST_NUMBER = re.compile(r"^(\d+)\.(?=\s)")


@dataclass(frozen=True)
class Part:
    """One document of the workbook: a section or file of a module, or its quiz."""

    id: str
    title: Markup
    html: Markup = Markup("")
    lines: int = 0  # ruled lines to write on after it
    sheet: bool = False  # a document file (a form, cards): kept on one page when it fits
    questions: tuple[Question, ...] = ()  # the quiz, printed to answer by hand


def workbook_inputs(edition: Edition, programme: Programme, root: Path) -> str:
    """Everything workbook_html reads, as text: equal inputs give an equal workbook (clock times are not read)."""
    return json.dumps({
        "programme": [programme.id, programme.title, programme.module_ids],
        "modules": [dataclasses.asdict(edition.modules[m]) for m in programme.module_ids],
        "profile": edition.profile,
        "glossary": edition.glossary,
        "record": edition.record,
        "draft": edition.draft,
        "date": edition.date.isoformat(),
        "site_config": (root / SITE_CONFIG).read_text(encoding="utf-8"),
    }, sort_keys=True, ensure_ascii=False, default=str)


def workbook_html(edition: Edition, programme: Programme, root: Path) -> tuple[str, list[Problem]]:
    """The workbook of one programme for one country, as one HTML document, and the problems
    found making it (a section this country's rendering leaves out; check reports what document files find)."""
    parts = _Parts(edition, root)
    modules = []
    for module_id in programme.module_ids:
        front = edition.modules[module_id].front
        named: dict[str, Material] = {}  # a part two entries name is printed once, as the first names it
        for material in materials_of(front):
            for name in material.workbook:
                named.setdefault(name, material)
        module_parts = [parts.make(f"wb-{module_id}-{n}", module_id, name, material) for n, (name, material) in enumerate(named.items(), 1)]
        if module_parts:
            modules.append({"id": module_id, "front": front, "parts": module_parts})
    glossary = [(markdown_to_html(resolve_markers(t, None), root), markdown_to_html(resolve_markers(d, None), root)) for t, d in edition.glossary]
    html = render_page(
        "workbook.html.j2", edition=edition, shown=edition.record, programme=programme, modules=modules, glossary=glossary,
        marked=any(_DAGGER in part.html for m in modules for part in m["parts"]),
        words=edition.words, mw=edition.words["materials_words"], hw=edition.words["handbook_words"], ew=edition.words["evaluation_words"],
        css=Markup("\n".join((TEMPLATES / name).read_text(encoding="utf-8") for name in ("handbook.css", "workbook.css"))),
        created=edition.date.isoformat(),
    )
    return html, parts.problems


class _Parts:
    """Makes the parts of one edition's workbook and gathers the problems found making them."""

    def __init__(self, edition: Edition, root: Path):
        self.edition, self.root = edition, root
        self.problems: list[Problem] = []

    def make(self, part_id: str, module_id: str, name: str, material: Material) -> Part:
        """A section of the module (its participant version), a document file of it, or its quiz."""
        if name == self.edition.words["assessment_section"]:
            return self._quiz(part_id, module_id)
        markdown = self._file(module_id, name) if is_file_part(name) else section(strip_trainer_blocks(self.edition.modules[module_id].body), name)
        if markdown is None:  # check found the heading in index.md: this country's rendering leaves it out
            self.problems.append(Problem(f"{MODULES_DIR}/{module_id}/index.md", 0, f"{self.edition.country}: the workbook prints the section '{name}', which this country's rendering does not have; name a section every country has"))
            return Part(part_id, Markup.escape(name))
        markdown = resolve_markers(_blank_columns(markdown, material.blank_columns), lambda fact: _DAGGER).lstrip("\n")
        first, _, rest = markdown.partition("\n")
        # A part is headed by its own heading; a file without one, by the entry's document.
        top, title = heading(first) or (1, None)
        body = rest if title else markdown
        # '3. Los tipos penales' is a title, not a list starting at 3.
        title = _LIST_NUMBER.sub(r"\1\\.", title or material.document)
        return Part(part_id, inline_html(title, self.root), markdown_to_html(_shifted(body, top), self.root), material.lines, is_file_part(name))

    def _quiz(self, part_id: str, module_id: str) -> Part:
        """The module's quiz as a questionnaire to answer by hand, without marks, as the printed tests."""
        root, words = self.root, self.edition.words
        quiz = [item for item in self.edition.modules[module_id].items if item.use == "quiz"]
        questions = tuple(printed_question(n, "", item, lambda text: markdown_to_html(resolve_markers(text, None), root),
                                    lambda text: inline_html(resolve_markers(text, None), root), words) for n, item in enumerate(quiz, 1))
        return Part(part_id, Markup.escape(words["materials_words"]["quiz"]), questions=questions)

    def _file(self, module_id: str, name: str) -> str:
        """A document file as the edition rendered it for the country (check reports its problems)."""
        return self.edition.modules[module_id].documents.get(name, "")


def _shifted(markdown: str, top: int) -> str:
    """Headings moved so that those under a part's own heading (of level top) follow its '##'."""
    return _HEADING.sub(lambda m: "#" * min(6, max(2, len(m.group(1)) - top + 2)) + " " + m.group(2), markdown)


def _blank_columns(markdown: str, columns: tuple[int, ...]) -> str:
    """Every table's body cells of the given columns (1 = the first) emptied, its header kept."""
    if not columns:
        return markdown
    lines, row = markdown.splitlines(), 0
    for number, line in enumerate(lines):
        row = row + 1 if line.startswith("|") else 0
        if row > 2:  # below the header and its separator
            cells = _CELL_SEPARATOR.split(line.strip().strip("|"))
            lines[number] = "| " + " | ".join("" if n in columns else cell.strip() for n, cell in enumerate(cells, 1)) + " |"
    return "\n".join(lines) + "\n"


class Workbook(Output):
    """One PDF per programme, where the edition's handbooks go."""

    name = "workbook"

    def artifacts(self, edition: Edition, root: Path) -> list[Artifact]:
        return [
            Artifact(f"workbook {programme.id}",
                     f"{HANDBOOKS_URI}/{workbook_file_name(edition, programme.id)}" if edition.publish_handbooks else workbook_file_name(edition, programme.id),
                     edition.publish_handbooks, (workbook_inputs(edition, programme, root),))
            for programme in edition.programmes
        ]

    def write(self, edition: Edition, artifact: Artifact, target: Path, root: Path, work: Path) -> list[Problem]:
        programme = next(p for p in edition.programmes if artifact.name == f"workbook {p.id}")
        html, problems = workbook_html(edition, programme, root)
        if not any(p.severity == "error" for p in problems):
            write_pdf(html, root, target)
        return problems


register(Workbook())
