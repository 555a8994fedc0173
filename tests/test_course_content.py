"""The course itself: complete modules, country facts only from profiles, fictional cases."""

import re

import pytest

from conftest import REPO, real_edition
from toolkit import pipeline
from toolkit.load import load_project
from toolkit.render import strip_trainer_blocks
from toolkit.structure import admonitions, level2_sections, section
from toolkit.words import labels

PROJECT = load_project(REPO)
MODULES = sorted(PROJECT.modules.values(), key=lambda m: m.id)
REQUIRED_SECTIONS = ["Contenido", "Actividades", "Preguntas para el debate", "Puntos clave", "Evaluación"]
WORDS = labels("es")
JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.S)


def test_the_course_checks_clean_for_every_country():
    problems = pipeline.check(REPO).problems
    assert [str(p) for p in problems if p.severity == "error"] == []


def test_at_least_nine_modules_of_60_to_180_minutes():
    assert len(MODULES) >= 9
    for module in MODULES:
        assert 60 <= module.front["duration"] <= 180, module.id
        assert sum(a["minutes"] for a in module.front["activities"]) == module.front["duration"], module.id


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.id)
def test_each_module_has_what_a_trainer_needs(module):
    rendered = real_edition("peru").modules[module.id]
    observed = module.front.get("assessment") == "observation"  # the practicum: assessed by its observation form
    required = [s for s in REQUIRED_SECTIONS if not (observed and s in ("Preguntas para el debate", "Evaluación"))]
    sections = level2_sections(rendered.body)
    assert [s for s in sections if s in required] == required, sections
    assert admonitions(module.body, "trainer"), "no trainer notes"
    if not observed:
        quiz = [item for item in rendered.items if item.use == "quiz"]
        assert 3 <= len(quiz) <= 6, len(quiz)
        assert all(len(option.feedback) > 20 for item in quiz for option in item.options), "every option explains itself"
        assert len(admonitions(section(rendered.body, WORDS["assessment_section"]), "question")) == len(quiz)
    assert len(JINJA.sub("", module.body).split()) > 1500, "a module carries its content, not an outline"


def test_answers_and_tests_are_trainer_only():
    edition = real_edition("peru")
    tests = [item.stem[:60] for module in edition.modules.values() for item in module.items if item.use != "quiz"]
    for page in edition.pages:
        assert admonitions(page.participant, "answer") == [] and admonitions(page.participant, "trainer") == [], page.src_uri
        assert not [stem for stem in tests if stem in page.participant + page.trainer], page.src_uri
    for module in edition.modules.values():
        if module.items and any(item.use == "quiz" for item in module.items):
            participant = strip_trainer_blocks(module.body)
            assert admonitions(section(participant, WORDS["assessment_section"]), "question"), module.id


def country_facts(profile: dict) -> set[str]:
    """Literal strings that only a profile may supply."""
    facts = set()
    for institution in [profile["judicial_school"], *profile["institutions"].values()]:
        facts.add(institution["name"])
        if institution.get("acronym") and len(institution["acronym"]) >= 3:
            facts.add(institution["acronym"])
    for instrument in profile["instruments"].values():
        # Generic words and international treaties may be named literally; national laws may not.
        if instrument["name"] != "Código Penal" and not instrument["name"].startswith(("Convenio", "Convención", "Protocolo")):
            facts.add(instrument["name"])
        if instrument.get("number"):
            facts.add(instrument["number"])
    facts.update(hotline["number"] for hotline in profile["hotlines"])
    facts.update(o["citation"] for o in _offences_with_citations(profile))
    return facts


def _typified_routes(profile):
    """Every typified article of a profile: each offence, and what applies to its other victims."""
    for offence in profile["offences"].values():
        for route in (offence, offence.get("other_victims") or {}):
            if route.get("typified") is True:
                yield route


def _offences_with_citations(profile):
    for route in _typified_routes(profile):
        cite_as = profile["instruments"][route["instrument"]]["cite_as"]
        yield {"citation": f"{route['article']} {cite_as}"}


def test_no_country_fact_is_written_literally_in_a_module():
    for country, document in PROJECT.profiles.items():
        facts = country_facts(document.data)
        for module in MODULES:
            text = JINJA.sub(" ", module.body)
            for fact in facts:
                assert not re.search(r"(?<![\w-])" + re.escape(fact) + r"(?![\w-])", text), f"{module.id} writes {country}'s '{fact}'"
        glossary = JINJA.sub(" ", (REPO / "modules/glossary.yaml").read_text(encoding="utf-8"))
        assert not [f for f in facts if f in glossary]


def test_statistics_name_their_source():
    figure = re.compile(r"\d+(?:[.,]\d+)?\s?(?:%|por ciento)")
    for module in MODULES:
        for paragraph in JINJA.sub(" ", module.body).split("\n\n"):
            if figure.search(paragraph):
                assert re.search(r"según|fuente|\((?:[^()]*?)(?:19|20)\d\d\)|, (?:19|20)\d\d", paragraph, re.I), f"{module.id}: {paragraph[:200]}"


def test_case_studies_are_fictional_and_carry_no_personal_data():
    email = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")
    phone = re.compile(r"(?<![\w-])\+?\d[\d .-]{6,}\d(?![\w-])")
    for module in MODULES:
        text = JINJA.sub(" ", module.body)
        assert not email.search(text), module.id
        assert not [m for m in phone.findall(text) if not re.fullmatch(r"(?:19|20)\d\d[-–](?:19|20)?\d\d", m)], module.id
        for match in re.finditer(r"^#{2,4} .*\bCaso\b.*$", module.body, re.M):
            following = module.body[match.end(): match.end() + 600]
            assert re.search(r"fictici", match.group(0) + following, re.I), f"{module.id}: {match.group(0)}"


def test_programmes_cover_the_course_and_fit_their_days():
    programmes = {pid: d.data for pid, d in PROJECT.programmes.items()}
    tot = programmes["formacion-de-formadores"]
    named = {s["module"] for day in tot["days"] for s in day["sessions"] if "module" in s}
    assert named == set(PROJECT.modules)
    assert len(tot["days"]) == 4
    assert len(programmes["jornada-de-sensibilizacion"]["days"]) == 1


def test_the_national_framework_cites_only_the_countrys_own_law():
    editions = {c: real_edition(c) for c in PROJECT.profiles}
    for country, edition in editions.items():
        page = next(p.participant for p in edition.pages if p.module_id == "marco-juridico-nacional")
        for other, other_edition in editions.items():
            if other == country:
                continue
            for citation in _own_citations(other_edition.profile):
                assert citation not in page or citation in _own_citations(edition.profile), f"{country} page cites {other}'s {citation}"


def _own_citations(profile):
    return {c["citation"] for c in _offences_with_citations(profile)}
