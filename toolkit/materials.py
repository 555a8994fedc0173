"""A module's materials: what its session needs, and where each document on the list comes from.

Plain text is equipment, the room or stationery. A mapping names a document and says where it
comes from: parts printed in the participant workbook (sections of the module, or its document
files materials/<name>.md), another output, or a person (the school, the trainer). check holds
every entry to that (docs/materials.md); the workbook and the handbook's checklist read the
same entries through materials_of.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from pathlib import Path

from .errors import Problem
from .lint import privacy_problems
from .load import MATERIALS_DIR, MODULES_DIR, Module
from .structure import headings, section

SOURCES = ("workbook", "output", "provided_by")
_FILE_PART = re.compile(rf"^{MATERIALS_DIR}/[a-z0-9]+(?:-[a-z0-9]+)*\.md$")
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Material:
    """One entry of a module's materials list; plain text has no source."""

    index: int  # its place in the list, for its line in the front matter
    document: str
    workbook: tuple[str, ...] = ()  # headings of the module or files materials/<name>.md, in order
    output: str | None = None
    provided_by: str | None = None
    supply: str | None = None
    lines: int = 0  # ruled lines after each workbook part
    blank_columns: tuple[int, ...] = ()  # 1-based table columns a workbook part prints empty

    @property
    def plain(self) -> bool:
        return not (self.workbook or self.output or self.provided_by)


def materials_of(front: dict) -> list[Material]:
    """The materials entries of a module whose front matter follows the schema."""
    found = []
    for index, entry in enumerate(front.get("materials") or []):
        if isinstance(entry, str):
            found.append(Material(index, entry))
            continue
        parts = entry.get("workbook", ())
        found.append(Material(index, entry["document"], (parts,) if isinstance(parts, str) else tuple(parts), entry.get("output"),
                              entry.get("provided_by"), entry.get("supply"), entry.get("lines", 0), tuple(entry.get("blank_columns", ()))))
    return found


def is_file_part(part: str) -> bool:
    """A workbook part that names a document file of the module rather than one of its headings."""
    return part.startswith(f"{MATERIALS_DIR}/") or part.endswith(".md")


def document_word(text: str, words: dict) -> str | None:
    """The first word of text that names a document (the language's materials_words.document_words)."""
    known = {w.casefold() for w in words["materials_words"]["document_words"]}
    return next((w for w in _WORD.findall(text) if w.casefold() in known), None)


def checklist_line(material: Material, words: dict) -> str:
    """An entry as the handbook's preparation checklist shows it: with where the document comes from."""
    mw = words["materials_words"]
    if material.workbook:
        source = mw["from_workbook"]
    elif material.output:
        source = mw["from_output"].get(material.output) or mw["from_other_output"].format(output=material.output)
    elif material.provided_by:
        source = mw["provided_by"][material.provided_by] + (f": {material.supply}" if material.supply else "")
    else:
        return material.document
    return mw["checklist"].format(document=material.document, source=source)


def file_parts(modules_dir: Path, module_id: str) -> list[str]:
    """The document files of a module, as a workbook part names them ('materials/<name>.md')."""
    folder = modules_dir / module_id / MATERIALS_DIR
    return sorted(f"{MATERIALS_DIR}/{p.name}" for p in folder.glob("*.md")) if folder.is_dir() else []


def other_outputs() -> list[str]:
    """The outputs an 'output' entry may name: every registered one but the workbook, which 'workbook' names."""
    from .outputs import output_names  # the outputs import this module: read the registry once they are all registered

    return [name for name in output_names() if name != "workbook"]


def materials_problems(module: Module, modules_dir: Path, words: dict, allowed_numbers: set[str]) -> list[Problem]:
    """A module's materials entries against docs/materials.md, and its document files; for a module
    whose front matter follows the schema."""
    meta, problems, outputs = module.meta, [], other_outputs()
    source_headings = [title for _, title in headings(module.body)]
    has_quiz = module.items is not None and any(isinstance(i, dict) and i.get("use") == "quiz" for i in module.items.data.get("items") or [])
    named_files: set[str] = set()

    def problem(material: Material, key: str | None, message: str) -> None:
        key_path = ("materials", material.index) + ((key,) if key else ())
        problems.append(Problem(module.rel_path, meta.line_of(key_path), message))

    for material in materials_of(module.front):
        given = [key for key, value in zip(SOURCES, (material.workbook, material.output, material.provided_by)) if value]
        entry = module.front["materials"][material.index]
        if material.plain and isinstance(entry, str):
            word = document_word(material.document, words)
            if word:
                problem(material, None, f"'{material.document}' names a document ('{word}'): write it as a mapping, 'document:' and where it comes from, "
                                        f"'workbook:' (a heading of this module or a file {MATERIALS_DIR}/<name>.md), 'output:' ({', '.join(outputs)}) "
                                        "or 'provided_by:' (school or trainer); see docs/materials.md")
            continue
        if len(given) != 1:
            problem(material, None, f"'{material.document}' must say where it comes from with exactly one of 'workbook', 'output' or 'provided_by'"
                                    + (f", not {' and '.join(given)}" if given else "") + "; see docs/materials.md")
        for key, needs in (("lines", "workbook"), ("blank_columns", "workbook"), ("supply", "provided_by")):
            if key in entry and needs not in entry:
                problem(material, key, f"'{key}' goes with '{needs}'; remove it or say '{needs}'")
        if material.output and material.output not in outputs:
            close = difflib.get_close_matches(material.output, outputs, n=1)
            hint = f"did you mean '{close[0]}'? " if close else ""
            problem(material, "output", f"no output '{material.output}'; {hint}outputs: {', '.join(outputs)}")
        for part in material.workbook:
            if is_file_part(part):
                named_files.add(part)
                if not _FILE_PART.match(part):
                    problem(material, "workbook", f"'{part}' is not a document file of the module: name it {MATERIALS_DIR}/<name>.md, the name in lowercase letters, digits and hyphens")
                elif not (modules_dir / module.id / part).is_file():
                    problem(material, "workbook", f"'{part}' does not exist; write {MODULES_DIR}/{module.id}/{part} or name a heading of this module")
            elif "{{" in part or "{%" in part:
                problem(material, "workbook", f"'{part}' holds a placeholder, which renders differently in each country; name a heading without one")
            elif part == words["assessment_section"]:
                if not has_quiz:
                    problem(material, "workbook", f"'{part}' is the module's quiz, but items.yaml has no quiz item; name another part")
            elif part not in source_headings:
                close = difflib.get_close_matches(part, source_headings, n=1, cutoff=0.5)
                hint = f"; did you mean '{close[0]}'?" if close else "; write a heading as it is in index.md, without its '#'"
                problem(material, "workbook", f"'{part}' is not a heading of {module.rel_path}{hint}")
            elif material.blank_columns and not any(line.startswith("|") for line in section(module.body, part).splitlines()):
                problem(material, "blank_columns", f"'{part}' holds no table whose columns could be printed empty")
    for part in file_parts(modules_dir, module.id):
        rel_path = f"{MODULES_DIR}/{module.id}/{part}"
        try:
            text = (modules_dir / module.id / part).read_text(encoding="utf-8")
        except UnicodeDecodeError:
            problems.append(Problem(rel_path, 0, "is not UTF-8 text; save the file as UTF-8"))
            continue
        if part not in named_files:
            problems.append(Problem(rel_path, 0, f"no materials entry of {module.rel_path} names it; name it in a 'workbook:' entry or delete it", "warning"))
        problems += privacy_problems(rel_path, text, 1, allowed_numbers)
    return problems
