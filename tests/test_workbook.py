"""Materials and the participant workbook: every promised document exists, none carries a key."""

import html
import re

import pytest
import yaml
from pypdf import PdfReader

from conftest import REPO, edit, real_edition
from toolkit import pipeline
from toolkit.load import MODULES_DIR, load_project
from toolkit.materials import document_word, materials_of, materials_problems, other_outputs
from toolkit.outputs.handbook import handbook_html
from toolkit.outputs.workbook import workbook_html
from toolkit.render import strip_trainer_blocks
from toolkit.structure import admonitions
from toolkit.words import labels

COUNTRIES = ("ecuador", "guatemala", "peru")
PROGRAMMES = ("formacion-de-formadores", "jornada-de-sensibilizacion")
MODULE = "modules/intro/index.md"
REAL = load_project(REPO)
# The fixture module, printing its content and its quiz in the workbook (entries on lines 13 to 16).
PRINTED = "  - Proyector\n  - document: Copias del módulo\n    workbook: Contenido\n    lines: 4\n  - {document: Copias del cuestionario, workbook: Evaluación}\n"


def problems_of(project):
    return [str(p) for p in pipeline.check(project).problems if p.severity == "error"]


def text_of(markup: str) -> str:
    """What a reader sees of an HTML document: its text, entities decoded, spaces collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", re.sub(r"<style>.*?</style>", "", markup, flags=re.S))).split())


def plain(markdown: str) -> str:
    """Markdown as the words it shows, spaces collapsed (emphasis and links dropped)."""
    return " ".join(re.sub(r"[*_`]|\]\([^)]*\)|\[", "", markdown).split())


def test_check_rejects_a_plain_material_that_names_a_document(project, run_cli):
    edit(project / MODULE, "  - Proyector\n", "  - Proyector\n  - Copias del caso 1 (una por participante)\n")
    result = run_cli("--project", project, "check")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        f"{MODULE}:13: 'Copias del caso 1 (una por participante)' names a document ('Copias'): write it as a mapping, 'document:' and "
        f"where it comes from, 'workbook:' (a heading of this module or a file materials/<name>.md), 'output:' ({', '.join(other_outputs())}) "
        "or 'provided_by:' (school or trainer); see docs/materials.md"
    )


def test_check_accepts_documents_printed_in_the_workbook(project):
    edit(project / MODULE, "  - Proyector\n", PRINTED)
    assert problems_of(project) == []


def test_check_rejects_a_workbook_section_the_module_does_not_have(project):
    edit(project / MODULE, "  - Proyector\n", PRINTED.replace("workbook: Contenido", "workbook: Contenidos"))
    assert problems_of(project) == [f"{MODULE}:14: 'Contenidos' is not a heading of {MODULE}; did you mean 'Contenido'?"]


def test_check_rejects_a_missing_file_an_unknown_output_and_a_material_without_a_source(project):
    edit(project / MODULE, "  - Proyector\n", PRINTED.replace("workbook: Contenido", "workbook: materials/tarjetas.md")
         + "  - {document: Guion de la sesión, output: diapositivas}\n  - {document: Hoja de firmas}\n")
    assert problems_of(project) == [
        f"{MODULE}:14: 'materials/tarjetas.md' does not exist; write modules/intro/materials/tarjetas.md or name a heading of this module",
        f"{MODULE}:17: no output 'diapositivas'; outputs: {', '.join(other_outputs())}",
        f"{MODULE}:18: 'Hoja de firmas' must say where it comes from with exactly one of 'workbook', 'output' or 'provided_by'; see docs/materials.md",
    ]


def test_a_document_file_is_checked_and_never_copied_to_the_site(project):
    (project / MODULES_DIR / "intro/materials").mkdir()
    (project / MODULES_DIR / "intro/materials/tarjetas.md").write_text("# Tarjetas\n\nLlame al 987 654 321.\n", encoding="utf-8")
    assert [str(p) for p in pipeline.check(project).problems] == [
        "modules/intro/materials/tarjetas.md: warning: no materials entry of modules/intro/index.md names it; name it in a 'workbook:' entry or delete it",
        "modules/intro/materials/tarjetas.md:3: contains what looks like a phone number ('987 654 321'); case studies are fictional and carry no personal data",
    ]
    assert not any("materials" in uri for uri in load_project(project).modules["intro"].assets)


def test_check_renders_a_document_file_for_every_country_and_names_its_line(project):
    (project / MODULES_DIR / "intro/materials").mkdir()
    (project / MODULES_DIR / "intro/materials/tarjetas.md").write_text("# Tarjetas\n\nAnte {{ institutions.prosecution | ante }}.\n\nPena: {{ offences.ncii.pena }}.\n", encoding="utf-8")
    edit(project / MODULE, "  - Proyector\n", PRINTED.replace("workbook: Contenido", "workbook: materials/tarjetas.md"))
    assert problems_of(project) == ["modules/intro/materials/tarjetas.md:5: 'offences.ncii.pena' is not defined in country_profiles/arcadia.yaml"]


def test_every_promised_document_of_the_course_exists():
    words = labels("es")
    for module in REAL.modules.values():
        assert materials_problems(module, REPO / MODULES_DIR, words, set()) == [], module.id
        for material in materials_of(module.front):
            # A plain line is equipment, the room, stationery; a document says where it comes from, once.
            if material.plain:
                assert document_word(material.document, words) is None, material.document
            else:
                assert sum(map(bool, (material.workbook, material.output, material.provided_by))) == 1, material.document


def hidden_sentences(edition, programme) -> set[str]:
    """Every sentence of the trainer notes, answer blocks and case keys of a programme's modules
    that no participant page shows (a key that repeats a treaty's name gives nothing away)."""
    keys = yaml.safe_load((REPO / "case_keys" / f"{edition.country}.yaml").read_text(encoding="utf-8"))
    public = plain("\n".join(strip_trainer_blocks(m.body) for m in edition.modules.values()))
    texts = [text for m in programme.module_ids for kind in ("trainer", "answer") for _, text in admonitions(edition.modules[m].body, kind)]
    texts += [answer for m in programme.module_ids for case in keys.get(m, {}).values() for answer in case.values()]
    return {sentence for text in texts for sentence in map(plain, re.split(r"[.;:\n]", text))
            if len(sentence) >= 40 and "{" not in sentence and sentence not in public}


@pytest.mark.parametrize("country", COUNTRIES)
def test_every_workbook_part_renders_for_every_country_without_a_key(country):
    edition = real_edition(country)
    for programme in edition.programmes:
        markup, problems = workbook_html(edition, programme, REPO)
        assert [str(p) for p in problems] == []
        shown = text_of(markup)
        assert "Correcta" not in shown
        hidden = hidden_sentences(edition, programme)
        assert len(hidden) > 100
        assert sorted(sentence for sentence in hidden if sentence in shown) == []


def test_the_tot_workbook_holds_the_cases_role_cards_forms_and_glossary():
    edition = real_edition("peru")
    shown = text_of(workbook_html(edition, next(p for p in edition.programmes if p.id == "formacion-de-formadores"), REPO)[0])
    participant = strip_trainer_blocks(edition.modules["analisis-de-casos"].body)
    case_a = re.search(r"\*\*Caso ficticio\.\*\* (.{80})", participant).group(1)
    for expected in (plain(case_a), "Tarjeta 3. Defensa", "nadie interpreta a la víctima", "Registro de cadena de custodia de evidencia digital",
                     "Solicitud de conservación de datos", "Hoja de medidas de reparación integral", "Línea 100", "Glosario", "Nombre y apellidos"):
        assert expected in shown, expected
    # A column an activity fills in is printed empty: the country's answer to it is not there.
    table = shown.split("3.10 Tabla de correspondencias", 1)[1].split("El análisis detallado", 1)[0]
    assert "Respuesta penal en Perú" in table and "154-B" not in table


def test_the_handbook_checklist_says_where_each_document_comes_from():
    edition = real_edition("peru")
    shown = text_of(handbook_html(edition, edition.primary, REPO))
    assert "Copias del cuestionario de evaluación (una por participante) — en el cuaderno de trabajo" in shown
    assert "Clave orientativa de calificación, para la persona formadora — en el manual para personas formadoras" in shown
    assert "Tarjetas en blanco para la apertura — a cargo de la escuela judicial" in shown


def test_a_document_file_is_part_of_every_workbook_s_cache_key(project):
    from toolkit.outputs.workbook import workbook_inputs
    from toolkit.pages import resolve_edition

    def inputs():
        edition = resolve_edition(load_project(project), "arcadia").edition
        return workbook_inputs(edition, edition.primary, project)

    (project / MODULES_DIR / "intro/materials").mkdir()
    (project / MODULES_DIR / "intro/materials/hoja.md").write_text("# Hoja\n", encoding="utf-8")
    before = inputs()
    (project / MODULES_DIR / "intro/materials/hoja.md").write_text("# Hoja de trabajo\n", encoding="utf-8")
    assert inputs() != before


@pytest.mark.slow  # lays out the real course's workbooks (the build every slow test shares)
def test_each_programme_has_a_workbook_per_country_without_keys(course_build):
    _, trainers = course_build
    for country in COUNTRIES:
        for programme in PROGRAMMES:
            reader = PdfReader(trainers / country / f"{country}-{programme}-cuaderno-de-trabajo.pdf")
            # The text as read: words hyphenated at a line end joined again.
            text = " ".join(re.sub(r"[‐-]\n", "", "\n".join(page.extract_text() for page in reader.pages)).split())
            assert "Cuaderno de trabajo para participantes" in text and "Cuestionario de evaluación" in text
            for absent in ("Correcta", "Análisis modelo", "Clave orientativa", "Respuestas esperadas", "Notas para la persona formadora"):
                assert absent not in text, (country, programme, absent)
            edition = real_edition(country)
            assert sorted(s for s in hidden_sentences(edition, next(p for p in edition.programmes if p.id == programme)) if s in text) == []
            if programme == "formacion-de-formadores":
                assert "Tarjeta 4. Abogada o abogado de la" in text and "Caso B. Sextorsión por un perfil desconocido" in text


@pytest.mark.slow  # lays out a PDF
def test_the_fixture_workbook_prints_the_participant_version(project, tmp_path):
    edit(project / MODULE, "  - Proyector\n", PRINTED)
    pipeline.build(project, tmp_path / "site", handbooks_dir=tmp_path / "trainers", outputs=["workbook"])
    reader = PdfReader(tmp_path / "trainers/arcadia/arcadia-jornada-cuaderno-de-trabajo.pdf")
    text = " ".join("\n".join(page.extract_text() for page in reader.pages).split())
    assert "Texto final visible." in text and "¿Qué artículo se aplica a la difusión?" in text
    for secret in ("SECRETO-FORMADOR", "SECRETO-RESPUESTA", "CLAVE-ARCADIA", "CLAVE-NACIONAL-P1", "Correcta"):
        assert secret not in text, secret
