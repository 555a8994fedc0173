"""Output 'questions': each country's assessment questions as a question bank for Moodle.

A school's virtual campus imports the bank as Moodle XML (one category per module; a question
with options 'a) … b) …' is a multiple-choice item with its key and feedback, one without is an
essay item whose feedback is the model answer) or, for editing by hand, as GIFT. The
questions are the modules' assessment questions as rendered for the country, so the keys that
depend on the law are that country's. Both files are for trainers, beside the handbooks.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

from ..errors import Problem
from ..load import MODULES_DIR, SITE_CONFIG
from ..markdown_html import markdown_to_html
from ..markers import resolve_markers
from ..pages import Edition
from ..sitecheck import first_line_naming
from ..structure import assessment_questions
from . import Artifact, Output, register

# Options run inline in a question's text ("a) … b) … c) …"); the answer opens with its key ("Correcta: b)").
_OPTION = re.compile(r"(?:^|(?<=\s))([a-h])\)\s+")
_KEY = re.compile(r"^\W*\w+:?\s*([a-h])\)")
# GIFT gives these characters a meaning; in text they are escaped with a backslash.
_GIFT_SPECIAL = re.compile(r"([~=#{}:\\])")


@dataclass(frozen=True)
class Item:
    name: str
    stem: str  # HTML
    options: list[tuple[str, bool]]  # (HTML, whether it is the key); none for an essay item
    feedback: str  # HTML


@dataclass(frozen=True)
class Category:
    title: str
    items: list[Item]


def question_bank(edition: Edition, root: Path) -> tuple[list[Category], list[Problem]]:
    """The edition's questions by module; a question whose options or key cannot be read is a problem."""
    categories, problems = [], []
    for module_id, module in edition.modules.items():
        items = []
        for number, question in enumerate(assessment_questions(resolve_markers(module.body, None), edition.words), 1):
            parts = _OPTION.split(question.text)
            letters, texts = parts[1::2], parts[2::2]
            key = _KEY.search(question.answer)
            if letters and (key is None or key.group(1) not in letters):
                path = f"{MODULES_DIR}/{module_id}/index.md"
                problems.append(Problem(*first_line_naming(root, path, [question.title[:40]]), f"{edition.country}: question '{question.title}' has options but its answer does not open with its key (as 'Correcta: b)'); it is left out of the question bank", "warning"))
                continue
            stem = question.stem if letters else f"{question.stem}\n\n{question.text}".strip()
            options = [(markdown_to_html(text.strip(), root), letter == key.group(1)) for letter, text in zip(letters, texts)]
            items.append(Item(f"{module.front['title']} · {number}", markdown_to_html(stem, root), options, markdown_to_html(question.answer, root)))
        if items:
            categories.append(Category(module.front["title"], items))
    return categories, problems


def moodle_xml(course_title: str, categories: list[Category]) -> str:
    """Moodle's XML question format: a category question before each module's items."""
    quiz = ET.Element("quiz")
    for category in categories:
        head = ET.SubElement(quiz, "question", type="category")
        _text(ET.SubElement(head, "category"), f"$course$/top/{course_title}/{category.title}")
        for item in category.items:
            question = ET.SubElement(quiz, "question", type="multichoice" if item.options else "essay")
            _text(ET.SubElement(question, "name"), item.name)
            _text(ET.SubElement(question, "questiontext", format="html"), item.stem)
            _text(ET.SubElement(question, "generalfeedback", format="html"), item.feedback)
            for tag, value in (("defaultgrade", "1"), ("penalty", "0"), ("hidden", "0")):
                ET.SubElement(question, tag).text = value
            if not item.options:  # the model answer, for whoever grades it
                _text(ET.SubElement(question, "graderinfo", format="html"), item.feedback)
                continue
            for tag, value in (("single", "true"), ("shuffleanswers", "true"), ("answernumbering", "abc")):
                ET.SubElement(question, tag).text = value
            for text, correct in item.options:
                answer = ET.SubElement(question, "answer", fraction="100" if correct else "0", format="html")
                _text(answer, text)
                _text(ET.SubElement(answer, "feedback", format="html"), "")
    ET.indent(quiz)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(quiz, encoding="unicode") + "\n"


def _text(parent: ET.Element, value: str) -> None:
    # Plain text: ElementTree escapes it once (Markup would escape its own escapes again).
    ET.SubElement(parent, "text").text = str(value)


def gift(course_title: str, categories: list[Category]) -> str:
    """GIFT, for editing by hand: HTML items, the key marked '=', feedback after '####'."""
    lines = []
    for category in categories:
        lines += [f"$CATEGORY: $course$/top/{course_title}/{category.title}", ""]
        for item in category.items:
            lines.append(f"::{_escaped(item.name)}::[html]{_escaped(item.stem)} {{")
            lines += [f"\t{'=' if correct else '~'}{_escaped(text)}" for text, correct in item.options]
            lines += [f"\t####{_escaped(item.feedback)}", "}", ""]
    return "\n".join(lines)


def _escaped(text: str) -> str:
    return _GIFT_SPECIAL.sub(r"\\\1", " ".join(text.split()))


class QuestionBank(Output):
    name = "questions"

    def artifacts(self, edition: Edition, root: Path) -> list[Artifact]:
        # The Markdown extensions that turn the questions into HTML are the site's (mkdocs.yml).
        inputs = (edition.course["title"], (root / SITE_CONFIG).read_text(encoding="utf-8"), *(module.body for module in edition.modules.values()))
        stem = f"{edition.country}-{edition.words['slugs']['question_bank']}"
        return [Artifact(f"questions {kind}", f"{stem}.{kind}", False, inputs) for kind in ("xml", "gift")]

    def write(self, edition: Edition, artifact: Artifact, target: Path, root: Path, work: Path) -> list[Problem]:
        categories, problems = question_bank(edition, root)
        write = moodle_xml if artifact.path.endswith(".xml") else gift
        target.write_text(write(edition.course["title"], categories), encoding="utf-8")
        return problems


register(QuestionBank())
