"""A module's item bank (modules/<id>/items.yaml, see docs/item-bank.md): its rules, its items
rendered for a country, and the published quiz as the module's assessment section.

validate.py checks the file against schemas/items.yaml and then against the rules here; pages.py
renders every text of every item through the edition's one traced render, so a missing key or a
lint finding names its line in items.yaml.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Callable

from .errors import Problem
from .load import ITEMS_FILE, MODULES_DIR, Module
from .words import folded
from .yamlfile import dotted

LETTERS = "abcdefgh"
# The section of case_keys/<country>.yaml, under the module, that answers the items' 'national' ids:
# an identifier of the course's files, like the case ids, not a word the toolkit shows.
NATIONAL_CASE = "evaluacion"
# The keys each type takes beyond the common ones; a key of another type is a mistake.
TYPE_KEYS = {
    "multichoice": ("options",),
    "truefalse": ("answer", "feedback_true", "feedback_false"),
    "matching": ("pairs",),
    "shortanswer": ("answers",),
    "essay": ("rubric", "guidance"),
}
_NOT_TEXT = {"id", "objective", "use", "form", "type", "national", "answer", "correct", "points"}


@dataclass(frozen=True)
class Option:
    text: str
    correct: bool
    feedback: str


@dataclass(frozen=True)
class Item:
    """One item as a country reads it: every text rendered (Markdown, with unverified markers)."""

    module_id: str
    id: str
    objective: int
    use: str  # quiz | test | exercise
    form: str | None  # A | B for a test item
    type: str
    stem: str
    feedback: str = ""
    national: str = ""  # the country's legal answer, rendered from its case keys
    options: tuple[Option, ...] = ()
    answer: bool | None = None
    feedback_true: str = ""
    feedback_false: str = ""
    pairs: tuple[tuple[str, str], ...] = ()
    answers: tuple[str, ...] = ()
    rubric: tuple[tuple[str, int], ...] = field(default=())
    guidance: str = ""

    @property
    def key_letter(self) -> str:
        return next((LETTERS[i] for i, option in enumerate(self.options) if option.correct), "")

    @property
    def rubric_points(self) -> int:
        return sum(points for _, points in self.rubric)

    @property
    def shuffled_answers(self) -> list[str]:
        """A matching item's answers in a fixed order that is not the prompts' (rotated by one)."""
        answers = [answer for _, answer in self.pairs]
        return answers[1:] + answers[:1]


def bank_problems(module: Module, minimum: int) -> list[Problem]:
    """The rules of docs/item-bank.md a schema cannot say, for a bank whose shape is valid."""
    document = module.items
    path = document.path
    items = document.data["items"]
    objectives = len(module.front.get("objectives") or [])
    problems = []
    first_use: dict[str, int] = {}
    for index, item in enumerate(items):
        at = ("items", index)

        def problem(key: str | None, message: str) -> None:
            key_path = at + ((key,) if key else ())
            problems.append(Problem(path, document.line_of(key_path), f"'{dotted(key_path)}' ({item['id']}): {message}", key_path=dotted(key_path)))

        if item["id"] in first_use:
            problem("id", f"the id is already used at line {first_use[item['id']]}; give each item its own id")
        first_use.setdefault(item["id"], document.line_of(at + ("id",)))
        if objectives and item["objective"] > objectives:
            problem("objective", f"the module has {objectives} objectives; name one of 1 to {objectives}")
        for key in TYPE_KEYS[item["type"]]:
            if key not in item:
                problem(None, f"a {item['type']} item needs '{key}'")
        for other, keys in TYPE_KEYS.items():
            for key in keys:
                if other != item["type"] and key in item and key not in TYPE_KEYS[item["type"]]:
                    problem(key, f"'{key}' belongs to {other} items; this one is {item['type']}")
        if item["use"] == "test" and "form" not in item:
            problem(None, "a test item needs 'form: A' (pre-test) or 'form: B' (post-test)")
        if item["use"] != "test" and "form" in item:
            problem("form", f"only test items belong to a form; this one is used as {item['use']}")
        if item["type"] == "multichoice" and "options" in item:
            correct = sum(1 for option in item["options"] if option.get("correct") is True)
            if correct != 1:
                problem("options", f"{correct} options are marked 'correct: true'; mark exactly one")
        if item["type"] == "matching" and "pairs" in item:
            repeated = [a for a, n in Counter(p["answer"] for p in item["pairs"]).items() if n > 1]
            if repeated:
                problem("pairs", f"the answer '{repeated[0]}' is given to two prompts; each prompt needs its own answer")
    problems += _balance_problems(module, items)
    if len(items) < minimum:
        problems.append(Problem(path, 1, f"the bank has {len(items)} items; the course asks for at least {minimum} a module (assessment.min_items_per_module in curriculum/course.yaml)"))
    return problems


def _balance_problems(module: Module, items: list[dict]) -> list[Problem]:
    """Forms A and B are parallel: as many items of each objective in one as in the other."""
    forms = {form: Counter(i["objective"] for i in items if i["use"] == "test" and i.get("form") == form) for form in "AB"}
    return [
        Problem(module.items.path, module.items.line_of(("items",)),
                f"objective {objective} has {forms['A'][objective]} test items in form A and {forms['B'][objective]} in form B; the forms must be parallel: write the missing twin or move an item")
        for objective in sorted(set(forms["A"]) | set(forms["B"])) if forms["A"][objective] != forms["B"][objective]
    ]


def missing_bank_problem(module: Module, minimum: int) -> list[Problem]:
    """A module that the course's minimum applies to but that has no bank at all."""
    if module.items is not None or minimum == 0 or module.front.get("assessment") == "observation":
        return []
    return [Problem(f"{MODULES_DIR}/{module.id}", 0, f"has no {ITEMS_FILE}; write its item bank (at least {minimum} items, see docs/item-bank.md)")]


def rendered_items(module: Module, render: Callable[[str, tuple], str], national: Callable[[str], str]) -> list[Item]:
    """The module's items with every text rendered: render(text, key path in items.yaml) and
    national(question id) are the edition's traced renders."""

    def texts(value, key_path):
        if isinstance(value, str):
            return render(value, key_path).strip()
        if isinstance(value, list):
            return [texts(child, key_path + (i,)) for i, child in enumerate(value)]
        if isinstance(value, dict):
            return {k: v if k in _NOT_TEXT else texts(v, key_path + (k,)) for k, v in value.items()}
        return value

    items = []
    for index, raw in enumerate(module.items.data["items"] if module.items else []):
        item = texts(raw, ("items", index))
        items.append(Item(
            module.id, item["id"], item["objective"], item["use"], item.get("form"), item["type"], item["stem"],
            feedback=item.get("feedback", ""),
            national=national(item["national"]) if "national" in item else "",
            options=tuple(Option(o["text"], o.get("correct") is True, o["feedback"]) for o in item.get("options", [])),
            answer=item.get("answer"),
            feedback_true=item.get("feedback_true", ""),
            feedback_false=item.get("feedback_false", ""),
            pairs=tuple((p["prompt"], p["answer"]) for p in item.get("pairs", [])),
            answers=tuple(item.get("answers", [])),
            rubric=tuple((r["criterion"], r["points"]) for r in item.get("rubric", [])),
            guidance=item.get("guidance", ""),
        ))
    return items


def quiz_section(items: list[Item], words: dict) -> str:
    """The module's published quiz as Markdown: one collapsible question per quiz item, its
    answer and feedback nested in an 'answer' block (what the site and handbook show)."""
    quiz = [item for item in items if item.use == "quiz"]
    if not quiz:
        return ""
    iw = words["item_words"]
    blocks = [f"## {words['assessment_section']}"]
    for number, item in enumerate(quiz, 1):
        title = f"{iw['question']} {number}. {_one_line(item.stem)}".replace('"', "&quot;")
        lines = [f'??? question "{title}"']
        lines += _indented(prompt_markdown(item, words), 4)
        lines += ["", f'    !!! answer "{iw["answer_title"]}"']
        lines += _indented(answer_markdown(item, words), 8)
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + "\n"


def prompt_markdown(item: Item, words: dict) -> str:
    """What a participant reads to answer, after the stem: options, pairs or the answer space."""
    iw = words["item_words"]
    if item.type == "multichoice":
        return "\n\n".join(f"{LETTERS[i]}) {option.text}" for i, option in enumerate(item.options))
    if item.type == "truefalse":
        return iw["true_false_prompt"]
    if item.type == "matching":
        prompts = "\n".join(f"{n}. {prompt}" for n, (prompt, _) in enumerate(item.pairs, 1))
        answers = "\n".join(f"{LETTERS[i]}) {answer}" for i, answer in enumerate(item.shuffled_answers))
        return f"{iw['matching_prompt']}\n\n{prompts}\n\n{answers}"
    return iw["short_answer_prompt"] if item.type == "shortanswer" else iw["essay_prompt"]


def key_text(item: Item, words: dict) -> str:
    """The key in one line: 'b)', 'Verdadero', '1-c, 2-a, 3-b', the accepted answers, or the points."""
    iw = words["item_words"]
    if item.type == "multichoice":
        return f"{item.key_letter})"
    if item.type == "truefalse":
        return iw["true"] if item.answer else iw["false"]
    if item.type == "matching":
        shuffled = item.shuffled_answers
        return ", ".join(f"{n}-{LETTERS[shuffled.index(answer)]}" for n, (_, answer) in enumerate(item.pairs, 1))
    if item.type == "shortanswer":  # a spelling without accents is for Moodle's comparison, not for a reader
        readable: dict[str, str] = {}
        for answer in item.answers:
            readable.setdefault(folded(answer), answer)
        return " / ".join(readable.values())
    return iw["rubric_points"].format(points=item.rubric_points)


def answer_markdown(item: Item, words: dict) -> str:
    """The key, the feedback of each option or answer, the general feedback and the country's answer."""
    iw = words["item_words"]
    parts = [f"{iw['correct']}: {key_text(item, words)}"]
    if item.type == "multichoice":
        parts.append("\n".join(f"- **{LETTERS[i]})** {option.feedback}" for i, option in enumerate(item.options)))
    elif item.type == "truefalse":
        parts.append(f"- **{iw['true']}:** {item.feedback_true}\n- **{iw['false']}:** {item.feedback_false}")
    elif item.type == "essay":
        parts.append(item.guidance)
        parts.append("\n".join(f"- {criterion} ({iw['points'].format(points=points)})" for criterion, points in item.rubric))
    parts += [text for text in (item.feedback, item.national) if text]
    return "\n\n".join(parts)


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _indented(markdown: str, spaces: int) -> list[str]:
    return [(" " * spaces + line) if line.strip() else "" for line in markdown.splitlines()]
