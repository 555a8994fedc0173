"""The question bank: each country's item bank as Moodle XML and GIFT."""

import re
import xml.etree.ElementTree as ET

import pytest

from conftest import REPO, real_edition
from toolkit import pipeline
from toolkit.itembank import Item, Option
from toolkit.load import load_project
from toolkit.outputs.moodle import Category, gift, moodle_xml, question_bank

COUNTRIES = sorted(load_project(REPO).profiles)
# The elements each question type has in Moodle's own import fixtures and XML export
# (moodle/moodle, question/format/xml/tests/fixtures/multichoice.xml, truefalse.xml, and
# question/format/xml/format.php for matching, short answer and essay).
COMMON = {"name", "questiontext", "generalfeedback", "defaultgrade", "penalty", "hidden", "idnumber", "tags"}
MOODLE_ELEMENTS = {
    "multichoice": COMMON | {"single", "shuffleanswers", "answernumbering", "showstandardinstruction", "correctfeedback",
                             "partiallycorrectfeedback", "incorrectfeedback", "shownumcorrect", "answer"},
    "truefalse": COMMON | {"answer"},
    "matching": COMMON | {"shuffleanswers", "correctfeedback", "partiallycorrectfeedback", "incorrectfeedback", "shownumcorrect", "subquestion"},
    "shortanswer": COMMON | {"usecase", "answer"},
    "essay": COMMON | {"responseformat", "responserequired", "responsefieldlines", "minwordlimit", "maxwordlimit", "attachments",
                       "attachmentsrequired", "maxbytes", "filetypeslist", "graderinfo", "responsetemplate"},
}


@pytest.mark.parametrize("country", COUNTRIES)
def test_the_moodle_bank_has_a_category_per_module_and_every_item_its_key_and_feedback(country):
    edition = real_edition(country)
    categories = question_bank(edition, REPO)
    root = ET.fromstring(moodle_xml(edition.course["title"], categories, edition.words))  # a real XML parser reads it back
    assert root.tag == "quiz"
    questions = root.findall("question")
    heads = [q.find("category/text").text for q in questions if q.get("type") == "category"]
    assert heads == [f"$course$/top/{edition.course['title']}/{m.front['title']}" for m in edition.modules.values() if m.items]
    items = [q for q in questions if q.get("type") != "category"]
    assert len(items) == sum(len(m.items) for m in edition.modules.values()) >= 10 * len(heads)
    assert {q.get("type") for q in items} == set(MOODLE_ELEMENTS)
    for item in items:
        kind = item.get("type")
        assert {child.tag for child in item} <= MOODLE_ELEMENTS[kind], item.find("name/text").text
        assert item.find("questiontext").get("format") == "html" and item.find("questiontext/text").text.startswith("<p>")
        assert item.find("tags/tag/text").text in edition.words["item_words"]["tags"].values()
        fractions = [float(a.get("fraction")) for a in item.findall("answer")]
        if kind in ("multichoice", "truefalse"):
            # One key worth the whole grade, as Moodle's single-answer items need; every choice explains itself.
            assert sorted(fractions)[-1] == 100 and sum(fractions) == 100 and fractions.count(0) == len(fractions) - 1
            assert all(a.find("feedback/text").text.strip() for a in item.findall("answer"))
        elif kind == "shortanswer":
            assert fractions and all(f == 100 for f in fractions)
        elif kind == "matching":
            assert len(item.findall("subquestion")) >= 3 and all(s.find("answer/text").text for s in item.findall("subquestion"))
        else:
            assert "<li>" in item.find("graderinfo/text").text and float(item.find("defaultgrade").text) > 1
        if kind in ("matching", "shortanswer"):
            assert item.find("generalfeedback/text").text.strip()


def test_the_law_dependent_keys_are_the_countrys():
    """The same item carries each country's own article in its general feedback."""
    texts = {c: moodle_xml("Curso", question_bank(real_edition(c), REPO), real_edition(c).words) for c in COUNTRIES}
    assert "154-B" in texts["peru"] and "154-B" not in texts["ecuador"]


def test_gift_escapes_its_special_characters():
    options = (Option("<p>Sí: ~ siempre</p>", True, "<p>Bien = correcto</p>"), Option("<p>No {nunca}</p>", False, "<p>#1 error</p>"), Option("<p>A veces</p>", False, "<p>No</p>"))
    item = Item("m", "caso~1", 1, "test", "A", "multichoice", "<p>¿Qué dice el art. 5 {inciso 2}? a=b #1</p>", feedback="<p>Ver art. 5: =</p>", options=options)
    truefalse = Item("m", "vf", 1, "quiz", None, "truefalse", "<p>Es cierto: {x}</p>", answer=False, feedback_true="<p>No: ~</p>", feedback_false="<p>Sí</p>")
    text = gift("Curso: uno", [Category("Módulo {A}", "m", [item, truefalse])])
    assert "::Módulo \\{A\\} · caso\\~1::[html]<p>¿Qué dice el art. 5 \\{inciso 2\\}? a\\=b \\#1</p> {" in text
    assert "\t=<p>Sí\\: \\~ siempre</p>#<p>Bien \\= correcto</p>" in text and "\t~<p>No \\{nunca\\}</p>#<p>\\#1 error</p>" in text
    assert "\t####<p>Ver art. 5\\: \\=</p>" in text
    # A false statement: the feedback of the wrong choice (true) first, then the right one.
    assert "\tFALSE#<p>No\\: \\~</p>#<p>Sí</p>" in text
    # Outside escapes, the only markers left are GIFT's own.
    body = re.sub(r"\\[~=#{}:\\]", "", text.split("\n", 2)[2])
    assert body.count("{") == body.count("}") == 2 and body.count("\t=") == 1 and body.count("\t~") == 2


def test_the_build_writes_every_item_of_the_bank_with_its_use(project, tmp_path):
    result = pipeline.build(project, tmp_path / "site", handbooks_dir=tmp_path / "trainers", outputs=["questions", "site"])
    assert [r.built for r in result.countries] == [["questions xml", "questions gift", "site"]]
    root = ET.parse(tmp_path / "trainers/arcadia/arcadia-banco-de-preguntas.xml").getroot()
    found = {q.find("idnumber").text: (q.get("type"), q.find("tags/tag/text").text) for q in root.findall("question") if q.get("type") != "category"}
    assert found == {"intro-p1": ("multichoice", "cuestionario-del-sitio"), "intro-a1": ("truefalse", "prueba-inicial-forma-a"),
                     "intro-b1": ("multichoice", "prueba-final-forma-b"), "intro-e1": ("essay", "ejercicio-escrito")}
    essay = root.find("question[@type='essay']")
    assert "<li>Nombra los medios digitales (5)</li>" in essay.find("graderinfo/text").text and essay.find("defaultgrade").text == "10"
    p1 = root.find("question[idnumber='intro-p1']")
    # The country's legal answer, from its case keys, is the general feedback.
    assert "CLAVE-NACIONAL-P1: en Arcadia se aplica el artículo 202-A" in p1.find("generalfeedback/text").text
    assert "SECRETO-RESPUESTA: el 202-A." in p1.find("answer[@fraction='100']/feedback/text").text
    # The site never shows the test items.
    site = "".join(p.read_text(encoding="utf-8") for p in (tmp_path / "site").rglob("*.html"))
    assert "PRUEBA-A-SECRETA" not in site and "PRUEBA-B-SECRETA" not in site
