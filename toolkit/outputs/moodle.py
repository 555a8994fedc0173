"""Output 'questions': each country's item bank as a question bank for Moodle.

A school's virtual campus imports it as Moodle XML: one category per module, each item with its
key, the feedback of every option, the country's legal answer in the general feedback, and tags
that say its use (the site's quiz, the pre-test form A, the post-test form B, a written
exercise) so that a quiz can be built from the right items. The same bank is written in GIFT
for editing by hand. Both files are for trainers, beside the handbooks: the tests are never
published.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import asdict, dataclass, replace
from pathlib import Path

from ..errors import Problem
from ..itembank import Item
from ..load import SITE_CONFIG
from ..markdown_html import inline_html, markdown_to_html
from ..markers import resolve_markers
from ..pages import Edition
from . import Artifact, Output, register

# GIFT gives these characters a meaning; in text they are escaped with a backslash.
_GIFT_SPECIAL = re.compile(r"([~=#{}:\\])")


@dataclass(frozen=True)
class Category:
    title: str
    module_id: str
    items: list[Item]  # texts already HTML


def question_bank(edition: Edition, root: Path) -> list[Category]:
    """The edition's item banks by module, every text as the HTML Moodle shows."""

    def html(text: str) -> str:
        return str(markdown_to_html(resolve_markers(text, None), root)) if text else ""

    def inline(text: str) -> str:
        return str(inline_html(resolve_markers(text, None), root))

    return [Category(module.front["title"], module_id, [_in_html(item, html, inline) for item in module.items])
            for module_id, module in edition.modules.items() if module.items]


def _in_html(item: Item, html: Callable[[str], str], inline: Callable[[str], str]) -> Item:
    """The item with each text turned into HTML, phrases without their paragraph; accepted short
    answers stay as typed (Moodle compares them as text)."""
    return replace(item, stem=html(item.stem), feedback=html(item.feedback), national=html(item.national),
                   options=tuple(replace(o, text=inline(o.text), feedback=html(o.feedback)) for o in item.options),
                   feedback_true=html(item.feedback_true), feedback_false=html(item.feedback_false),
                   pairs=tuple((inline(prompt), inline(answer)) for prompt, answer in item.pairs),
                   rubric=tuple((inline(criterion), points) for criterion, points in item.rubric), guidance=html(item.guidance))


def general_feedback(item: Item) -> str:
    return "".join(text for text in (item.feedback, item.national) if text)


def tags(item: Item, words: dict) -> list[str]:
    names = words["item_words"]["tags"]
    return [names[f"test_{item.form}"] if item.use == "test" else names[item.use]]


def moodle_xml(course_title: str, categories: list[Category], words: dict) -> str:
    """Moodle's XML question format: a category question before each module's items."""
    quiz = ET.Element("quiz")
    for category in categories:
        head = ET.SubElement(quiz, "question", type="category")
        _text(ET.SubElement(head, "category"), f"$course$/top/{course_title}/{category.title}")
        for item in category.items:
            question = ET.SubElement(quiz, "question", type=item.type)
            _text(ET.SubElement(question, "name"), f"{category.title} · {item.id}")
            _text(ET.SubElement(question, "questiontext", format="html"), item.stem)
            _text(ET.SubElement(question, "generalfeedback", format="html"), general_feedback(item))
            grade = str(item.rubric_points) if item.type == "essay" else "1"
            for tag, value in (("defaultgrade", grade), ("penalty", "0"), ("hidden", "0"), ("idnumber", f"{category.module_id}-{item.id}")):
                ET.SubElement(question, tag).text = value
            _WRITERS[item.type](question, item)
            tag_list = ET.SubElement(question, "tags")
            for name in tags(item, words):
                _text(ET.SubElement(tag_list, "tag"), name)
    ET.indent(quiz)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(quiz, encoding="unicode") + "\n"


def _multichoice(question: ET.Element, item: Item) -> None:
    # Options stay in their written order: a country's legal answer may name one by its letter.
    for tag, value in (("single", "true"), ("shuffleanswers", "false"), ("answernumbering", "abc")):
        ET.SubElement(question, tag).text = value
    for option in item.options:
        _answer(question, "100" if option.correct else "0", option.text, option.feedback, "html")


def _truefalse(question: ET.Element, item: Item) -> None:
    _answer(question, "100" if item.answer else "0", "true", item.feedback_true, "moodle_auto_format")
    _answer(question, "0" if item.answer else "100", "false", item.feedback_false, "moodle_auto_format")


def _matching(question: ET.Element, item: Item) -> None:
    ET.SubElement(question, "shuffleanswers").text = "true"
    for prompt, answer in item.pairs:
        sub = ET.SubElement(question, "subquestion", format="html")
        _text(sub, prompt)
        # Moodle shows a matching answer as plain text in a menu: no HTML.
        _text(ET.SubElement(sub, "answer"), _plain(answer))


def _shortanswer(question: ET.Element, item: Item) -> None:
    ET.SubElement(question, "usecase").text = "0"
    for answer in item.answers:
        _answer(question, "100", answer, "", "moodle_auto_format")


def _essay(question: ET.Element, item: Item) -> None:
    for tag, value in (("responseformat", "editor"), ("responserequired", "1"), ("responsefieldlines", "15"), ("attachments", "0")):
        ET.SubElement(question, tag).text = value
    _text(ET.SubElement(question, "graderinfo", format="html"), _grader_info(item))
    _text(ET.SubElement(question, "responsetemplate", format="html"), "")


def _grader_info(item: Item) -> str:
    """What an essay's scorer reads: what a complete answer contains, and the rubric's criteria with their points."""
    return f"{item.guidance}<ul>{''.join(f'<li>{criterion} ({points})</li>' for criterion, points in item.rubric)}</ul>"


_WRITERS = {"multichoice": _multichoice, "truefalse": _truefalse, "matching": _matching, "shortanswer": _shortanswer, "essay": _essay}


def _answer(question: ET.Element, fraction: str, text: str, feedback: str, text_format: str) -> None:
    answer = ET.SubElement(question, "answer", fraction=fraction, format=text_format)
    _text(answer, text)
    _text(ET.SubElement(answer, "feedback", format="html"), feedback)


def _text(parent: ET.Element, value: str) -> None:
    # Plain text: ElementTree escapes it once (Markup would escape its own escapes again).
    ET.SubElement(parent, "text").text = str(value)


def _plain(html: str) -> str:
    return re.sub(r"<[^>]+>", "", html).strip()


def gift(course_title: str, categories: list[Category]) -> str:
    """GIFT, for editing by hand: '=' marks a key, '~' another option, '#' a feedback, '####'
    the general feedback; a true/false item gives the feedback of the wrong choice, then the right one."""
    lines = []
    for category in categories:
        lines += [f"$CATEGORY: $course$/top/{course_title}/{category.title}", ""]
        for item in category.items:
            lines.append(f"::{_escaped(f'{category.title} · {item.id}')}::[html]{_escaped(item.stem)} {{")
            if item.type == "multichoice":
                lines += [f"\t{'=' if o.correct else '~'}{_escaped(o.text)}#{_escaped(o.feedback)}" for o in item.options]
            elif item.type == "truefalse":
                wrong, right = (item.feedback_false, item.feedback_true) if item.answer else (item.feedback_true, item.feedback_false)
                lines.append(f"\t{'TRUE' if item.answer else 'FALSE'}#{_escaped(wrong)}#{_escaped(right)}")
            elif item.type == "matching":
                lines += [f"\t={_escaped(prompt)} -> {_escaped(_plain(answer))}" for prompt, answer in item.pairs]
            elif item.type == "shortanswer":
                lines += [f"\t={_escaped(answer)}" for answer in item.answers]
            feedback = general_feedback(item)
            if item.type == "essay":  # GIFT has no grader information: the rubric goes with the feedback
                feedback = _grader_info(item) + feedback
            if feedback:
                lines.append(f"\t####{_escaped(feedback)}")
            lines += ["}", ""]
    return "\n".join(lines)


def _escaped(text: str) -> str:
    return _GIFT_SPECIAL.sub(r"\\\1", " ".join(text.split()))


class QuestionBank(Output):
    name = "questions"

    def artifacts(self, edition: Edition, root: Path) -> list[Artifact]:
        # The Markdown extensions that turn the items into HTML are the site's (mkdocs.yml).
        items = json.dumps([asdict(item) for module in edition.modules.values() for item in module.items], ensure_ascii=False)
        inputs = (edition.course["title"], (root / SITE_CONFIG).read_text(encoding="utf-8"), items)
        stem = f"{edition.country}-{edition.words['slugs']['question_bank']}"
        return [Artifact(f"questions {kind}", f"{stem}.{kind}", False, inputs) for kind in ("xml", "gift")]

    def write(self, edition: Edition, artifact: Artifact, target: Path, root: Path, work: Path) -> list[Problem]:
        categories = question_bank(edition, root)
        text = moodle_xml(edition.course["title"], categories, edition.words) if artifact.path.endswith(".xml") else gift(edition.course["title"], categories)
        target.write_text(text, encoding="utf-8")
        return []


register(QuestionBank())
