"""The question bank: each country's assessment questions as Moodle XML and GIFT."""

import re
import xml.etree.ElementTree as ET

import pytest

from conftest import REPO, real_edition
from toolkit import pipeline
from toolkit.load import load_project
from toolkit.outputs.moodle import Category, Item, gift, moodle_xml, question_bank

COUNTRIES = sorted(load_project(REPO).profiles)
# The elements of a multiple-choice question in Moodle's own import fixtures
# (moodle/moodle, question/format/xml/tests/fixtures/multichoice.xml and error_invalid_grades.xml).
MOODLE_MULTICHOICE = {"name", "questiontext", "generalfeedback", "defaultgrade", "penalty", "hidden", "idnumber", "single", "shuffleanswers",
                      "answernumbering", "showstandardinstruction", "correctfeedback", "partiallycorrectfeedback", "incorrectfeedback", "shownumcorrect", "answer"}


@pytest.mark.parametrize("country", COUNTRIES)
def test_the_moodle_bank_has_a_category_per_module_and_every_item_its_key_and_feedback(country):
    edition = real_edition(country)
    categories, problems = question_bank(edition, REPO)
    assert problems == []
    root = ET.fromstring(moodle_xml(edition.course["title"], categories))  # a real XML parser reads it back
    assert root.tag == "quiz"
    questions = root.findall("question")
    heads = [q.find("category/text").text for q in questions if q.get("type") == "category"]
    assert heads == [f"$course$/top/{edition.course['title']}/{m.front['title']}" for m in edition.modules.values()]
    items = [q for q in questions if q.get("type") == "multichoice"]
    assert len(items) == sum(len(c.items) for c in categories) >= 4 * len(heads)
    for item in items:
        fractions = sorted(float(a.get("fraction")) for a in item.findall("answer"))
        assert fractions[-1] == 100 and sum(fractions) == 100 and len(fractions) >= 3  # one key, as Moodle's single-answer items need
        assert item.find("questiontext/text").text.startswith("<p>¿") or "?" in item.find("questiontext/text").text
        assert item.find("generalfeedback/text").text.strip()
        assert item.find("questiontext").get("format") == "html"
        assert {child.tag for child in item} <= MOODLE_MULTICHOICE


def test_the_law_dependent_keys_are_the_countrys():
    """The same question carries each country's own article in its feedback."""
    texts = {c: moodle_xml("Curso", question_bank(real_edition(c), REPO)[0]) for c in COUNTRIES}
    assert "154-B" in texts["peru"] and "154-B" not in texts["ecuador"]


def test_gift_escapes_its_special_characters():
    item = Item("Caso ~1", "<p>¿Qué dice el art. 5 {inciso 2}? a=b #1</p>", [("<p>Sí: ~ siempre</p>", True), ("<p>No</p>", False)], "<p>Ver art. 5: =</p>")
    text = gift("Curso: uno", [Category("Módulo {A}", [item])])
    assert "::Caso \\~1::[html]<p>¿Qué dice el art. 5 \\{inciso 2\\}? a\\=b \\#1</p> {" in text
    assert "\t=<p>Sí\\: \\~ siempre</p>" in text and "\t~<p>No</p>" in text
    assert "\t####<p>Ver art. 5\\: \\=</p>" in text
    # Outside escapes, the only markers left are GIFT's own: one '=' key and one '~' per other option.
    body = re.sub(r"\\[~=#{}:\\]", "", text.split("\n", 2)[2])
    assert body.count("{") == body.count("}") == 1 and body.count("\t=") == 1


def test_a_question_without_options_is_an_essay_with_its_model_answer(project, tmp_path):
    result = pipeline.build(project, tmp_path / "site", handbooks_dir=tmp_path / "trainers", outputs=["questions"])
    assert [r.built for r in result.countries] == [["questions xml", "questions gift"]]
    root = ET.parse(tmp_path / "trainers/arcadia/arcadia-banco-de-preguntas.xml").getroot()
    essay = root.find("question[@type='essay']")
    assert "¿Qué artículo se aplica?" in essay.find("questiontext/text").text
    assert "202-A" in essay.find("graderinfo/text").text
    assert "::Introducción · 1::[html]<p>Pregunta 1" not in (tmp_path / "trainers/arcadia/arcadia-banco-de-preguntas.gift").read_text(encoding="utf-8")
