"""Every PDF the toolkit prints is tagged PDF/UA-1: a structure tree a screen reader follows,
the document's language and an outline (bookmarks) from its headings. The participants'
names on the certificates here are fictional."""

import datetime

import pytest
from pypdf import PdfReader

from conftest import REPO, real_edition
from toolkit.certificates import Participant, certificates_of, certificates_pdf

pytestmark = pytest.mark.slow  # reads the real course's PDFs, built once per run, and lays out certificates


def accessibility(path) -> dict:
    """What a screen reader and a PDF viewer's side panel rely on, as pypdf reads it."""
    reader = PdfReader(path)
    catalog = reader.trailer["/Root"]
    return {
        "tagged": bool(catalog.get("/MarkInfo", {}).get("/Marked")) and "/StructTreeRoot" in catalog,
        "language": str(catalog.get("/Lang", "")),
        "outline": "/First" in catalog.get("/Outlines", {}),
        "title": bool(reader.metadata and reader.metadata.title),
    }


ACCESSIBLE = {"tagged": True, "language": "es", "outline": True, "title": True}


def test_every_handbook_instrument_and_workbook_pdf_is_tagged_with_language_and_outline(course_build):
    site, trainers = course_build
    pdfs = sorted(trainers.rglob("*.pdf")) + sorted(site.rglob("*.pdf"))
    assert any(p.name.endswith("-evaluacion-clave.pdf") for p in pdfs) and any(p.name == "peru-jornada-de-sensibilizacion.pdf" for p in pdfs)
    failing = {p.name: found for p in pdfs if (found := accessibility(p)) != ACCESSIBLE}
    assert failing == {}


def test_the_handbook_outline_has_a_bookmark_per_chapter_in_order(course_build):
    _, trainers = course_build
    edition = real_edition("peru")
    programme = next(p for p in edition.programmes if p.id == "jornada-de-sensibilizacion")
    outline = PdfReader(trainers / "peru" / f"peru-{programme.id}.pdf").outline
    chapters = [entry.title for entry in outline if not isinstance(entry, list)]
    modules = [edition.modules[m].front["title"] for m in programme.module_ids]
    assert [title for title in chapters if title in modules] == modules
    assert [title.split(":")[0] for title in chapters[-4:]] == ["Anexo A", "Anexo B", "Anexo C", "Anexo D"]


def test_certificates_are_tagged_with_language_and_outline(tmp_path):
    edition = real_edition("peru")
    programme = next(p for p in edition.programmes if p.id == "jornada-de-sensibilizacion")
    day = datetime.date(2027, 3, 3)
    participants = [Participant(2, "Ana Ejemplo Ficticia", "", day, day, 85.0), Participant(3, "Tomás Prueba Inventada", "", day, day, None)]
    path = tmp_path / "certificados.pdf"
    path.write_bytes(certificates_pdf(edition, programme, certificates_of(edition, programme, participants), REPO))
    assert accessibility(path) == ACCESSIBLE
    bookmarks = [entry.title for entry in PdfReader(path).outline]
    assert len(bookmarks) == 2 and bookmarks[0].startswith("Ana Ejemplo Ficticia · ") and bookmarks[1].startswith("Tomás Prueba Inventada · ")
