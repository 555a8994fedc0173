"""A programme's evaluation instruments, drawn from the item banks of the modules it teaches:
the pre-test (form A) and post-test (form B) with their keys, the written exercises with their
rubrics and, when it has a practicum, the observation form.

The handbook's evaluation chapter and the printable instruments show the same instruments; this
module gathers them once, as HTML fragments for templates/evaluation.html.j2.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from markupsafe import Markup

from .itembank import LETTERS, Item, key_text
from .pages import Edition, Programme
from .structure import section


@dataclass(frozen=True)
class Question:
    """A numbered item of a printed test, as a participant and as the scorer read it."""

    number: int
    module_id: str
    module: str  # the module's title
    objective: int
    type: str
    stem: Markup
    options: tuple[tuple[str, Markup], ...]  # (letter, text): multiple choice options, or matching answers
    prompts: tuple[Markup, ...]  # matching prompts, numbered from 1
    key: Markup


@dataclass(frozen=True)
class Exercise:
    module: str
    stem: Markup
    guidance: Markup
    rubric: tuple[tuple[Markup, int], ...]

    @property
    def points(self) -> int:
        return sum(points for _, points in self.rubric)


@dataclass(frozen=True)
class Evaluation:
    pre: tuple[Question, ...]
    post: tuple[Question, ...]
    exercises: tuple[Exercise, ...]
    observation: Markup | None  # the practicum's observation form
    pass_mark: int | None  # post-test percentage for a certificate of approval


def programme_evaluation(edition: Edition, programme: Programme, html: Callable[[str], Markup], inline: Callable[[str], Markup]) -> Evaluation:
    """The instruments of one programme; html turns an item's Markdown into HTML and inline a
    phrase into HTML without its paragraph (markers resolved as the caller shows them)."""
    words = edition.words
    modules = [edition.modules[m] for m in programme.module_ids]

    def questions(form: str) -> tuple[Question, ...]:
        tests = [(m.front["title"], item) for m in modules for item in m.items if item.use == "test" and item.form == form]
        return tuple(printed_question(n, title, item, html, inline, words) for n, (title, item) in enumerate(tests, 1))

    exercises = tuple(
        Exercise(m.front["title"], html(item.stem), html(item.guidance), tuple((inline(c), p) for c, p in item.rubric))
        for m in modules for item in m.items if item.use == "exercise"
    )
    # The practicum's observation form, under the instrument's own title rather than its heading.
    observation = next((html((section(m.body, words["evaluation_words"]["observation_section"]) or "").partition("\n")[2])
                        for m in modules if m.front.get("assessment") == "observation"), None)
    pass_mark = (edition.course.get("assessment") or {}).get("pass_mark")
    return Evaluation(questions("A"), questions("B"), exercises, observation, pass_mark)


def printed_question(number: int, module: str, item: Item, html: Callable[[str], Markup], inline: Callable[[str], Markup], words: dict) -> Question:
    """An item as a printed sheet shows it (the tests here; the quizzes in the workbook)."""
    if item.type == "multichoice":
        options = tuple((LETTERS[i], inline(option.text)) for i, option in enumerate(item.options))
    elif item.type == "matching":
        options = tuple((LETTERS[i], inline(answer)) for i, answer in enumerate(item.shuffled_answers))
    else:
        options = ()
    return Question(number, item.module_id, module, item.objective, item.type, html(item.stem), options,
                    tuple(inline(p) for p, _ in item.pairs), inline(key_text(item, words)))
