"""Printing by parts: each part laid out apart and cached, pages numbered across parts, one tagged PDF."""

import io
import shutil
import re

import pikepdf
import pytest
from pypdf import PdfReader

from conftest import edit
from toolkit import printing

pytestmark = pytest.mark.slow  # WeasyPrint lays out every document here

STYLE = "@page { size: A6; margin: 12mm; @bottom-center { font: 7pt 'DejaVu Sans'; } } .chapter { break-before: page; } .toc a::after { content: ' ' attr(data-page); }"


def document(style: str = STYLE, first: str = "Primer capítulo.", second: str = "Segundo capítulo.") -> str:
    return f"""<!doctype html><html lang="es"><head><meta charset="utf-8"><title>Prueba</title><style>{style}</style></head><body>
<!-- print-part: no-page-numbers -->
<section class="cover"><h1>Portada</h1></section>
<!-- print-part -->
<nav class="chapter toc"><h1>Índice</h1><ul><li><a href="#uno" data-page="">Uno</a></li><li><a href="#dos" data-page="">Dos</a></li></ul></nav>
<!-- print-part -->
<section class="chapter" id="uno"><h1>Uno</h1><p>{first}</p></section>
<!-- print-part -->
<section class="chapter" id="dos"><h1>Dos</h1><p>{second}</p><p><a href="#uno">Volver al capítulo uno</a></p></section>
</body></html>"""


def page_texts(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def test_pages_are_numbered_across_parts_and_the_contents_show_each_chapters_page(tmp_path):
    long_first = " ".join(["Un párrafo largo del primer capítulo."] * 120)
    printed = printing.print_document(document(first=long_first), tmp_path)
    texts = page_texts(printed.pdf)
    total = len(texts)
    assert total > 4  # the first chapter runs over several pages
    assert not re.search(r"\d+ / \d+", texts[0])  # the cover shows no number
    for number, text in enumerate(texts[1:], 2):
        assert f"{number} / {total}" in text
    second_chapter = next(n for n, text in enumerate(texts, 1) if text.lstrip().startswith("Dos"))
    assert f"Uno 3" in texts[1] and f"Dos {second_chapter}" in texts[1]


def test_the_joined_pdf_is_tagged_with_one_outline_and_links_that_reach_other_parts(tmp_path):
    pdf = pikepdf.Pdf.open(io.BytesIO(printing.print_document(document(), tmp_path).pdf))
    assert pdf.Root.MarkInfo.Marked and str(pdf.Root.Lang) == "es"
    with pdf.open_outline() as outline:
        assert [item.title for item in outline.root] == ["Portada", "Índice", "Uno", "Dos"]
    destinations = dict(pikepdf.NameTree(pdf.Root.Names.Dests).items())
    pages = {page.objgen: number for number, page in enumerate(pdf.pages)}
    targets = [(number, str(annotation.Dest)) for number, page in enumerate(pdf.pages) for annotation in page.obj.get("/Annots", [])]
    assert (1, "uno") in targets and (3, "uno") in targets  # the contents and chapter two link to chapter one
    assert pages[destinations["uno"][0].objgen] == 2 and pages[destinations["dos"][0].objgen] == 3
    parent_tree = pdf.Root.StructTreeRoot.ParentTree.Nums
    keys = [int(parent_tree[i]) for i in range(0, len(parent_tree), 2)]
    assert [int(page.obj.StructParents) for page in pdf.pages] == list(range(len(pdf.pages)))
    assert keys == sorted(set(keys)) and len(keys) == len(pdf.pages) + len(targets)  # a page's tags and each link's


def test_a_part_that_goes_on_with_a_chapter_nests_its_bookmarks_under_it(tmp_path):
    html = document().replace("</body>", '<!-- print-part -->\n<section><h2>Anexo del capítulo dos</h2><p>Texto.</p></section>\n</body>')
    pdf = pikepdf.Pdf.open(io.BytesIO(printing.print_document(html, tmp_path).pdf))
    with pdf.open_outline() as outline:
        assert [item.title for item in outline.root] == ["Portada", "Índice", "Uno", "Dos"]
        assert [item.title for item in outline.root[3].children] == ["Anexo del capítulo dos"]


def test_an_edit_lays_out_again_only_the_part_it_changes(tmp_path):
    assert len(printing.print_document(document(), tmp_path).laid_out) == 5  # four parts and the page numbers
    assert printing.print_document(document(), tmp_path).laid_out == []
    changed = printing.print_document(document(second="Segundo capítulo, corregido."), tmp_path)
    assert len(changed.laid_out) == 1  # chapter two: same length, so the contents and the numbers stand


def test_a_part_that_grows_moves_the_contents_and_the_numbers_but_not_the_other_chapters(tmp_path):
    printing.print_document(document(), tmp_path)
    grown = printing.print_document(document(first=" ".join(["Texto añadido al primer capítulo."] * 120)), tmp_path)
    assert len(grown.laid_out) == 3  # chapter one, the contents (chapter two moved), the numbers of a longer document
    assert "Dos 3" not in page_texts(grown.pdf)[1]


RUNNING_HEADER = "body { string-set: running attr(data-running); } @page { @top-left { content: string(running); font: 7pt 'DejaVu Sans'; } }"


def test_documents_with_their_own_running_headers_lay_out_the_parts_they_share_once(tmp_path):
    def headed(running: str, second: str) -> str:
        return document(style=STYLE + RUNNING_HEADER, second=second).replace("<body>", f'<body data-running="{running}">')

    printing.print_document(headed("Arcadia · Jornada", "Segundo capítulo."), tmp_path)
    other = printing.print_document(headed("Arcadia · Formación", "Otro segundo capítulo."), tmp_path)
    assert len(other.laid_out) == 2  # its own chapter two, and its page numbers with its running header
    texts = page_texts(other.pdf)
    assert "Arcadia" not in texts[0]  # the cover has no running header
    assert all("Arcadia · Formación" in text and "Jornada" not in text for text in texts[1:])


def test_a_style_or_engine_change_lays_out_everything_again(tmp_path, monkeypatch):
    printing.print_document(document(), tmp_path)
    assert len(printing.print_document(document(style=STYLE + " p { color: #333; }"), tmp_path).laid_out) == 5
    monkeypatch.setattr(printing, "engine_fingerprint", lambda: "another engine")
    assert len(printing.print_document(document(), tmp_path).laid_out) == 5


def test_from_an_empty_cache_and_from_a_full_one_the_bytes_are_the_same(tmp_path):
    printing.print_document(document(), tmp_path)
    incremental = printing.print_document(document(second="Segundo capítulo, corregido."), tmp_path)
    assert incremental.laid_out
    from_scratch = printing.print_document(document(second="Segundo capítulo, corregido."), tmp_path / "empty")
    assert len(from_scratch.laid_out) == 5
    assert incremental.pdf == from_scratch.pdf


def test_the_cache_keeps_the_most_recently_used_parts_within_its_limit(tmp_path):
    printing.print_document(document(), tmp_path)
    folder = tmp_path / printing.CACHE
    sizes = sorted(path.stat().st_size for path in folder.glob("*.pdf"))
    printing.prune(tmp_path, limit=sum(sizes) - 1)
    assert len(list(folder.glob("*.pdf"))) == len(sizes) - 1 == len(list(folder.glob("*.json")))


def cached_parts(project):
    return set((project / printing.CACHE).glob("*.pdf"))


def pdf_hashes(folder):
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in sorted(folder.rglob("*.pdf"))}


def test_a_profile_change_lays_out_again_what_shows_the_value_and_matches_a_build_from_scratch(project, run_cli, tmp_path):
    def build(name):
        result = run_cli("--project", project, "build", "--out", tmp_path / name / "site", "--handbooks-out", tmp_path / name / "hb")
        assert result.exit_code == 0, result.output

    build("first")
    before = cached_parts(project)
    edit(project / "country_profiles" / "arcadia.yaml", "el tipo general de abuso.", "el tipo general de acoso.")
    build("edited")
    new = cached_parts(project) - before
    texts = {path.name: " ".join(page_texts(path.read_bytes())) for path in new}
    showing = [name for name, text in texts.items() if "tipo general de acoso" in text]
    assert showing  # the module's chapter, in the handbook and in the workbook
    # Nothing else is laid out again but the contents and page numbers a longer chapter moves.
    page_numbers = r"(\s*(\d+ / \d+|Arcadia · [^\n]*))+\s*"  # a sheet of page numbers and running headers
    assert all(name in showing or "Índice" in texts[name] or re.fullmatch(page_numbers, texts[name]) for name in texts)
    assert len(new) < len(before) / 2

    shutil.rmtree(project / printing.CACHE)
    build("from-scratch")
    assert pdf_hashes(tmp_path / "edited") == pdf_hashes(tmp_path / "from-scratch")
