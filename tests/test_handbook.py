"""Trainer handbooks: one PDF per country and programme, with what participants never see."""

import re

import pytest
from pypdf import PdfReader

from conftest import REPO, edit
from toolkit.agenda import compute_agenda
from toolkit.load import load_project

PROJECT = load_project(REPO)
COUNTRIES = sorted(PROJECT.profiles)
PROGRAMMES = sorted(PROJECT.programmes)


def pdf_text(path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


@pytest.fixture(scope="module")
def handbook_texts(course_build):
    _, handbooks = course_build
    return {(c, p): pdf_text(handbooks / c / f"{c}-{p}.pdf") for c in COUNTRIES for p in PROGRAMMES}


def normalised(text: str) -> str:
    """PDF text with hyphenation and line breaks undone, so phrases can be searched."""
    return re.sub(r"\s+", " ", re.sub(r"-\n", "", text))


@pytest.mark.parametrize("country", COUNTRIES)
def test_handbook_holds_the_countrys_articles_trainer_notes_and_answer_keys(country, handbook_texts):
    text = normalised(handbook_texts[(country, "formacion-de-formadores")])
    profile = PROJECT.profiles[country].data
    for offence in profile["offences"].values():
        if offence["typified"] is True:
            assert re.search(rf"artículos? {re.escape(offence['article'])}", text, re.I), offence["article"]
    assert "Notas para la persona formadora" in text
    assert "Respuesta" in text and "Clave de corrección" in text
    assert profile["judicial_school"]["name"] in text and profile["name_full"] in text


def test_every_country_and_programme_has_a_handbook_and_its_instruments(course_build):
    _, handbooks = course_build
    found = sorted(p.relative_to(handbooks).as_posix() for p in handbooks.rglob("*.pdf"))
    kinds = ("", "-evaluacion-clave", "-evaluacion-participantes", "-cuaderno-de-trabajo")
    assert found == sorted(f"{c}/{c}-{p}{kind}.pdf" for c in COUNTRIES for p in PROGRAMMES for kind in kinds)


def test_handbooks_are_a4_with_page_numbers_and_running_headers(course_build):
    _, handbooks = course_build
    reader = PdfReader(handbooks / "peru" / "peru-jornada-de-sensibilizacion.pdf")
    width, height = (float(v) for v in reader.pages[0].mediabox[2:])
    assert (round(width * 25.4 / 72), round(height * 25.4 / 72)) == (210, 297)
    second = reader.pages[2].extract_text()
    total = len(reader.pages)
    assert f"3 / {total}" in second
    assert "Perú · Jornada de sensibilización para la judicatura (un día)" in normalised(second)


def test_only_dejavu_fonts_are_embedded_so_no_glyph_is_missing(course_build):
    _, handbooks = course_build
    reader = PdfReader(handbooks / "guatemala" / "guatemala-jornada-de-sensibilizacion.pdf")
    fonts = set()
    for page in reader.pages:
        for font in (page.get("/Resources", {}).get("/Font") or {}).values():
            fonts.add(str(font.get_object()["/BaseFont"]).split("+")[-1])
    assert fonts and all(f.startswith("DejaVu") for f in fonts), fonts
    assert "¿" in pdf_text(handbooks / "guatemala" / "guatemala-jornada-de-sensibilizacion.pdf")


def test_the_handbook_agenda_matches_the_programme(handbook_texts):
    modules = {m.id: m.front for m in PROJECT.modules.values()}
    for programme_id, document in PROJECT.programmes.items():
        days = compute_agenda(document.data, modules)
        text = handbook_texts[("ecuador", programme_id)]
        for day, written in zip(days, document.data["days"]):
            # A module takes its duration plus the pauses the programme places inside it.
            minutes = sum(modules[s["module"]]["duration"] + sum(p["minutes"] for p in s.get("pauses", [])) if "module" in s else s["minutes"] for s in written["sessions"])
            assert day.end == written["end"]
            start = int(day.start[:2]) * 60 + int(day.start[3:])
            assert int(day.end[:2]) * 60 + int(day.end[3:]) - start == minutes
            for previous, following in zip(day.slots, day.slots[1:]):
                assert previous.end == following.start
            for slot in day.slots:
                assert slot.start in text and slot.end in text


def test_handbooks_and_workbooks_stay_off_the_public_site_unless_published(project, run_cli, tmp_path):
    out, private = tmp_path / "site", tmp_path / "hb"
    assert run_cli("--project", project, "build", "--out", out, "--handbooks-out", private).exit_code == 0
    assert (private / "arcadia/arcadia-jornada.pdf").is_file()
    assert not (out / "arcadia/handbooks").exists()
    assert "handbooks/" not in (out / "arcadia/programas/jornada.html").read_text(encoding="utf-8")

    edit(project / "country_profiles/arcadia.yaml", 'edition: "T-1"', 'edition: "T-1"\npublish_handbooks: true')
    assert run_cli("--project", project, "build", "--out", out, "--handbooks-out", private).exit_code == 0
    assert (out / "arcadia/handbooks/arcadia-jornada.pdf").is_file()
    programme_page = (out / "arcadia/programas/jornada.html").read_text(encoding="utf-8")
    assert 'href="../handbooks/arcadia-jornada.pdf"' in programme_page
    assert 'href="../handbooks/arcadia-jornada-cuaderno-de-trabajo.pdf"' in programme_page  # the participants' workbook
    assert (out / "arcadia/handbooks/arcadia-jornada-cuaderno-de-trabajo.pdf").is_file()
    text = pdf_text(out / "arcadia/handbooks/arcadia-jornada.pdf")
    assert "SECRETO-FORMADOR" in text and "SECRETO-RESPUESTA" in text


@pytest.mark.parametrize("country", COUNTRIES)
def test_every_pre_and_post_test_item_has_its_question(country, handbook_texts):
    """The pre-test prints every form A item of the programme's modules with what it asks, the
    post-test every form B item; both before their keys."""
    from conftest import real_edition

    edition = real_edition(country)
    for programme in PROGRAMMES:
        text = normalised(handbook_texts[(country, programme)])
        chapter = text[text.rindex("Nivel 2: prueba inicial y prueba final"):]  # the chapter, not its entry in the contents
        pre = chapter[chapter.index("Prueba inicial (forma A)"): chapter.index("Prueba final (forma B)")]
        post = chapter[chapter.index("Prueba final (forma B)"): chapter.index("Clave de corrección")]
        modules = next(p for p in edition.programmes if p.id == programme).module_ids
        for form, printed in (("A", pre), ("B", post)):
            items = [i for m in modules for i in edition.modules[m].items if i.use == "test" and i.form == form]
            assert len(items) >= 3 * len([m for m in modules if edition.modules[m].items]), (programme, form)
            for number, item in enumerate(items, 1):
                stem = normalised(re.sub(r"[*_`]", "", item.stem))[:50]
                assert f"{number}. {stem}" in printed or stem in printed, (programme, form, item.id, stem)

@pytest.mark.parametrize("country", COUNTRIES)
def test_the_participants_instruments_hold_every_test_item_and_no_key(country, course_build):
    from conftest import real_edition

    _, handbooks = course_build
    edition = real_edition(country)
    for programme in edition.programmes:
        participants = normalised(pdf_text(handbooks / country / f"{country}-{programme.id}-evaluacion-participantes.pdf"))
        trainers = normalised(pdf_text(handbooks / country / f"{country}-{programme.id}-evaluacion-clave.pdf"))
        for item in (i for m in programme.module_ids for i in edition.modules[m].items if i.use == "test"):
            assert normalised(re.sub(r"[*_`]", "", item.stem))[:50] in participants, (programme.id, item.id)
        assert "Clave de corrección" not in participants and "Correcta" not in participants
        assert "Clave de corrección: Prueba inicial (forma A)" in trainers and "Clave de corrección: Prueba final (forma B)" in trainers
        assert "Rúbricas de los ejercicios escritos" in trainers and "Hoja de calificación del grupo" in trainers
        assert "al menos el 70 % en la prueba final" in trainers
        # The practicum's observation form goes with the training of trainers only.
        assert ("Ficha de observación de la práctica docente" in participants) == ("practica-docente" in programme.module_ids)
