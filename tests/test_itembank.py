"""The item bank (docs/item-bank.md): its rules in check, and what each use shows where."""

from __future__ import annotations

import datetime

from conftest import build_edition, edit
from toolkit.load import load_project
from toolkit.validate import validate_project

ITEMS = "modules/intro/items.yaml"


def problems_of(root):
    return [str(p) for p in validate_project(load_project(root), today=datetime.date(2026, 6, 1)) if p.severity == "error"]


def test_a_bank_breaking_its_rules_is_named_by_line_and_item(project):
    items = project / ITEMS
    edit(items, "  - id: a1\n    objective: 1", "  - id: a1\n    objective: 3")
    edit(items, "        correct: true\n        feedback: \"SECRETO", "        feedback: \"SECRETO")
    edit(items, "    use: test\n    form: B\n", "    use: test\n")
    edit(items, "  - id: e1", "  - id: p1")
    edit(items, "    guidance: Una respuesta", "    answer: true\n    guidance: Una respuesta")
    assert problems_of(project) == [
        f"{ITEMS}:7: 'items[0].options' (p1): 0 options are marked 'correct: true'; mark exactly one",
        f"{ITEMS}:16: 'items[1].objective' (a1): the module has 1 objectives; name one of 1 to 1",
        f"{ITEMS}:24: 'items[2]' (b1): a test item needs 'form: A' (pre-test) or 'form: B' (post-test)",
        f"{ITEMS}:37: 'items[3].id' (p1): the id is already used at line 2; give each item its own id",
        f"{ITEMS}:45: 'items[3].answer' (p1): 'answer' belongs to truefalse items; this one is essay",
        f"{ITEMS}:1: objective 3 has 1 test items in form A and 0 in form B; the forms must be parallel: write the missing twin or move an item",
    ]


def test_a_bank_smaller_than_the_course_minimum_and_a_module_without_one_are_errors(project):
    with (project / "curriculum/course.yaml").open("a", encoding="utf-8") as course:
        course.write("assessment: {pass_mark: 70, min_items_per_module: 10}\n")
    assert problems_of(project) == [f"{ITEMS}:1: the bank has 4 items; the course asks for at least 10 a module (assessment.min_items_per_module in curriculum/course.yaml)"]
    (project / ITEMS).unlink()
    assert problems_of(project) == ["modules/intro: has no items.yaml; write its item bank (at least 10 items, see docs/item-bank.md)"]


def test_an_unknown_key_or_type_is_a_schema_error_with_its_line(project):
    edit(project / ITEMS, "    type: truefalse", "    type: verdadero\n    difficulty: 2")
    assert problems_of(project) == [
        f"{ITEMS}:21: unknown key 'items[1].difficulty'; expected one of: answer, answers, feedback, feedback_false, feedback_true, form, guidance, id, national, objective, options, pairs, rubric, stem, type, use",
        f"{ITEMS}:20: 'items[1].type' must be one of 'multichoice', 'truefalse', 'matching', 'shortanswer', 'essay', not 'verdadero'",
    ]


def test_a_national_answer_missing_for_a_country_is_named_with_the_item_line(project):
    edit(project / "case_keys/arcadia.yaml", "  evaluacion:\n    p1: |", "  evaluacion:\n    p9: |")
    problems = problems_of(project)
    assert "case_keys/arcadia.yaml:6: the key for module 'intro', case 'evaluacion', question 'p1' is missing (asked for at modules/intro/items.yaml:15); write the national answer under intro: evaluacion: p1:" in problems


def test_the_quiz_is_published_with_its_options_and_the_tests_are_not(project):
    edition = build_edition(load_project(project), "arcadia")
    page = next(p for p in edition.pages if p.module_id == "intro")
    assert '??? question "Pregunta 1. ¿Qué artículo se aplica a la difusión?"\n    a) El que castiga la difusión sin autorización.\n\n    b) Ninguno, porque la víctima envió la imagen.' in page.participant
    # The key, every option's feedback and the country's answer are for trainers.
    assert "Correcta: a)" in page.trainer and "- **b)** El consentimiento para enviar" in page.trainer
    assert "CLAVE-NACIONAL-P1: en Arcadia se aplica el artículo 202-A del Código Penal de Arcadia." in page.trainer
    assert "Correcta" not in page.participant and "CLAVE-NACIONAL" not in page.participant
    for page in edition.pages:
        assert "PRUEBA-A-SECRETA" not in page.participant + page.trainer and "PRUEBA-B-SECRETA" not in page.participant + page.trainer
    items = {item.id: item for item in edition.modules["intro"].items}
    assert (items["a1"].form, items["a1"].answer, items["b1"].key_letter, items["e1"].rubric_points) == ("A", False, "b", 10)


def test_item_texts_render_the_country_and_a_missing_key_names_the_items_line(project):
    edit(project / ITEMS, "feedback: El origen del material no es lo decisivo.", "feedback: En {{ name }} el origen no decide ({{ offences.ncii.artcle }}).")
    from toolkit.pipeline import check_project

    result = check_project(load_project(project), ["arcadia"])
    assert [str(p) for p in result.problems if p.severity == "error"] == [f"{ITEMS}:33: 'offences.ncii.artcle' is not defined in country_profiles/arcadia.yaml"]
