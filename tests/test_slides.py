"""Slide decks (output 'slides'): one editable PowerPoint deck per module and country, its text
fitted by measure, participant text only on the slides, the trainer notes as speaker notes."""

import functools
import io
import re
import zipfile

import lxml.html
import pytest
from pptx import Presentation

from conftest import REPO, edit, real_edition
from toolkit import pipeline
from toolkit.errors import ProblemsFound
from toolkit.markdown_html import markdown_to_html
from toolkit.outputs import slide_layout as layout
from toolkit.outputs import slides as slides_output
from toolkit.outputs.slides import Slides, _continued, deck_bytes, module_parts
from toolkit.render import strip_trainer_blocks
from toolkit.structure import admonitions
from toolkit.words import labels

COUNTRIES = ["ecuador", "guatemala", "peru"]
WORDS = labels("es")
SW = WORDS["slide_words"]
MODULES = sorted(p.parent.name for p in (REPO / "modules").glob("*/index.md"))
OFFENCE_TABLE = "2. Tabla de tipos penales"  # marco-juridico-nacional, section 2


@functools.cache
def decks(country: str) -> dict[str, Presentation]:
    """Every deck of a country as its output writes it, by module id."""
    edition = real_edition(country)
    return {artifact.name.removeprefix("slides "): Presentation(io.BytesIO(deck_bytes(edition, artifact.name.removeprefix("slides "), REPO)))
            for artifact in Slides().artifacts(edition, REPO)}


def frames(slide):
    """(text frame, inner width, height, top and bottom inset) of every shape and table cell of a slide, in points."""
    for shape in slide.shapes:
        if shape.has_text_frame:
            tf = shape.text_frame
            yield tf, (shape.width - tf.margin_left - tf.margin_right) / 12700, shape.height / 12700, tf.margin_top / 12700
        if shape.has_table:
            for row in shape.table.rows:
                for column, cell in zip(shape.table.columns, row.cells):
                    yield cell.text_frame, (column.width - cell.margin_left - cell.margin_right) / 12700, row.height / 12700, cell.margin_top / 12700


def paras(text_frame) -> list[layout.Para]:
    """The paragraphs of a frame as the deck sets them: runs, size (from the exact line pitch), left margin, space before."""
    found = []
    for p in text_frame.paragraphs:
        properties = p._p.pPr
        found.append(layout.Para(tuple(layout.Run(r.text, bool(r.font.bold), bool(r.font.italic)) for r in p.runs), p.line_spacing.pt / layout.LINE,
                                 left=int(properties.get("marL", 0)) / 12700, before=p.space_before.pt))
    return found


def slide_text(slide) -> str:
    return "\n".join(tf.text for tf, *_ in frames(slide))


def deck_text(deck) -> str:
    return "\n".join(slide_text(slide) for slide in deck.slides)


def notes_text(deck) -> str:
    return "\n".join(slide.notes_slide.notes_text_frame.text for slide in deck.slides if slide.has_notes_slide)


def plain(markdown: str) -> str:
    """Markdown as the words a reader sees, white space collapsed."""
    return re.sub(r"\s+", " ", lxml.html.fragment_fromstring(str(markdown_to_html(markdown, REPO)), create_parent="div").text_content()).strip()


def sentences(text: str) -> list[str]:
    return [s.strip() for s in re.split(r"(?<=[.:;?!])\s+", text) if len(s.strip()) >= 40]


# How a module marks its slides (docs/slides.md).
MARKED = """
## Contenido

### 1. Un tema { .slide }

**La frase inicial en negrita.** Lo que sigue no va a la diapositiva.

Una primera frase con el art. 5 citado. Una segunda frase que no se proyecta.

- **Pena:** de dos a cuatro años. Texto que se queda en el módulo.
- Un punto sin negrita. Y su segunda frase.

!!! trainer "Notas para la persona formadora"
    Pregunte al grupo qué conoce ya.

!!! answer "Respuestas esperadas"
    CLAVE-SECRETA del ejercicio.

### 2. Sin marca

Texto que no está en ninguna diapositiva.

### Caso A { .slide-full }

**Caso ficticio.** Ana y Mario convivieron. Él difundió un video.

1. ¿Qué tipo penal se aplica?
2. ¿Qué medidas corresponden?

## Puntos clave

- Primer punto clave. Con su segunda frase.
"""


def test_a_summary_slide_shows_leads_a_full_slide_everything():
    parts = module_parts(MARKED, REPO, WORDS)
    shown = {"".join(r.text for r in part.title): ["".join(r.text for r in b.runs) for b in part.blocks] for part in parts}
    assert shown == {
        "1. Un tema": ["La frase inicial en negrita.", "Una primera frase con el art. 5 citado.", "Pena: de dos a cuatro años.", "Un punto sin negrita."],
        "Caso A": ["Caso ficticio. Ana y Mario convivieron. Él difundió un video.", "¿Qué tipo penal se aplica?", "¿Qué medidas corresponden?"],
        "Puntos clave": ["Primer punto clave. Con su segunda frase."],
    }
    assert parts[0].notes == ["Notas para la persona formadora\nPregunte al grupo qué conoce ya."]
    assert [b.number for b in parts[1].blocks[1:]] == [1, 2]


NESTED = """
## Contenido

### Pasos { .slide-full }

1. Primer paso del método.

    !!! answer "Respuesta"
        CLAVE-SECRETA anidada.

2. Segundo paso.

!!! trainer "Notas para la persona formadora"
    Dos ideas:

    - Pida un ejemplo.
    - Cierre con una síntesis:
        1. primero el hecho;
        2. luego la norma.
"""


def test_a_trainer_note_written_as_a_list_reaches_the_notes_and_an_answer_set_in_an_item_no_slide():
    parts = module_parts(NESTED, REPO, WORDS)
    shown = " ".join("".join(r.text for r in b.runs) for part in parts for b in part.blocks)
    assert "Primer paso del método." in shown and "Segundo paso." in shown and "CLAVE-SECRETA" not in shown
    assert parts[0].notes == ["Notas para la persona formadora\nDos ideas:\n• Pida un ejemplo.\n• Cierre con una síntesis:\n  1. primero el hecho;\n  2. luego la norma."]


ORDERED = """
## Contenido

### 1. Primero { .slide }

Texto del primero.

#### 1.1 Marcado { .slide }

Texto marcado.

#### 1.2 Sin marca

Texto sin marca, con una nota[^1] al pie.

Término definido
:   Su definición. Y una segunda frase.

[^1]: La nota al pie, que no se proyecta.
"""


def test_an_unmarked_subsection_after_a_marked_one_goes_on_its_parents_slides_in_the_modules_order():
    parts = module_parts(ORDERED, REPO, WORDS)
    shown = [("".join(r.text for r in part.title), ["".join(r.text for r in b.runs) for b in part.blocks]) for part in parts]
    assert shown == [
        ("1. Primero", ["Texto del primero."]),
        ("1.1 Marcado", ["Texto marcado."]),
        ("1. Primero", ["1.2 Sin marca", "Texto sin marca, con una nota al pie.", "Término definido", "Su definición."]),
    ]
    assert parts[2].blocks[2].runs[0].bold  # the term


def test_a_title_continued_over_slides_keeps_its_italics():
    title = (layout.Run("Caso "), layout.Run("Ana", italic=True))
    assert _continued(title, 2, 3, SW) == (layout.Run("Caso "), layout.Run("Ana", italic=True), layout.Run(" (2/3)"))


def test_a_paragraph_taller_than_a_slide_goes_on_in_the_next_one_without_losing_a_word():
    words = [f"palabra{n}" for n in range(900)]
    para = layout.plain([layout.Run(" ".join(words))])
    slides = layout.paginate([para], 300.0, "prueba")
    assert len(slides) > 2
    shown = " ".join("".join(r.text for r in p.runs) for frames_ in slides for frame in frames_ for p in frame.paras)
    assert shown.split() == words
    width = layout.CONTENT_W - 2 * layout.INSET_X
    assert all(frame.height() <= 300.0 + 0.01 for frames_ in slides for frame in frames_)
    assert all(layout.lines_in(frame.height(), frame.paras, width)[0] <= layout.lines_in(300.0, frame.paras, width)[1] for s in slides for frame in s)


def test_a_word_longer_than_a_line_is_cut_without_spaces_put_inside_it():
    address = "https://www.ejemplo.gob/" + "expediente-" * 60 + "fin"  # one word, many lines long
    para = layout.plain([layout.Run(f"Consulte {address} para el texto.")])
    head, rest = layout.split_para(para, layout.CONTENT_W - 2 * layout.INSET_X, 4 * para.pitch)
    assert rest is not None
    head_text, rest_text = ("".join(r.text for r in p.runs) for p in (head, rest))
    assert head_text.startswith("Consulte https://") and " " not in head_text.removeprefix("Consulte ")
    assert (head_text + rest_text) == f"Consulte {address} para el texto."


def test_the_build_writes_a_deck_per_module_with_the_trainers_files(project, tmp_path):
    pipeline.build(project, tmp_path / "site", handbooks_dir=tmp_path / "trainers", outputs=["slides"])
    deck = Presentation(tmp_path / "trainers/arcadia/diapositivas/arcadia-intro.pptx")
    assert (deck.slide_width, deck.slide_height) == (12192000, 6858000)  # 16:9
    assert [s.shapes.title.text for s in deck.slides] == ["Introducción", SW["objectives"]]
    assert not (tmp_path / "site/arcadia/handbooks").exists()
    pipeline.build(project, tmp_path / "site", handbooks_dir=tmp_path / "trainers", outputs=["slides"], publish_handbooks=True)
    assert (tmp_path / "site/arcadia/handbooks/diapositivas/arcadia-intro.pptx").is_file()


def test_a_heading_no_slide_can_hold_names_its_module_and_writes_nothing(project, tmp_path):
    pipeline.build(project, tmp_path / "site", handbooks_dir=tmp_path / "trainers", outputs=["slides"])
    before = (tmp_path / "trainers/arcadia/diapositivas/arcadia-intro.pptx").read_bytes()
    edit(project / "modules/intro/index.md", "## Contenido\n", "## Contenido\n\n### " + "Un título larguísimo " * 20 + "{ .slide }\n\nTexto.\n")
    with pytest.raises(ProblemsFound) as err:
        pipeline.build(project, tmp_path / "site", handbooks_dir=tmp_path / "trainers", outputs=["slides"])
    message = err.value.format_message().splitlines()[0]
    assert message.startswith("modules/intro/index.md: arcadia: slides: «Un título larguísimo") and message.endswith("shorten it")
    assert (tmp_path / "trainers/arcadia/diapositivas/arcadia-intro.pptx").read_bytes() == before


@pytest.mark.slow
@pytest.mark.parametrize("country", COUNTRIES)
def test_each_country_has_a_deck_per_module(country):
    # Every module has a deck: its title, its objectives, its marked parts, its discussion questions and key points.
    edition = real_edition(country)
    assert [a.path for a in Slides().artifacts(edition, REPO)] == [f"diapositivas/{country}-{m}.pptx" for m in edition.modules]
    assert sorted(decks(country)) == MODULES and len(MODULES) == 10
    for module_id, deck in decks(country).items():
        titles = [slide.shapes.title.text for slide in deck.slides]
        assert titles[:2] == [edition.modules[module_id].front["title"], SW["objectives"]], module_id
        assert any(title.startswith("Puntos clave") for title in titles), module_id
        assert len(titles) >= 8, (module_id, titles)  # the module's content is marked, not only its standard sections


@pytest.mark.slow
@pytest.mark.parametrize("country", COUNTRIES)
def test_the_offence_table_slides_carry_the_countrys_articles(country):
    slides = [s for s in decks(country)["marco-juridico-nacional"].slides if s.shapes.title.text.startswith(OFFENCE_TABLE)]
    text = "\n".join(slide_text(s) for s in slides)
    offences = real_edition(country).profile["offences"]
    articles = {part for o in offences.values() if o["typified"] is True for part in re.split(r", | y ", o["article"])}
    assert articles and all(article in text for article in articles), sorted(a for a in articles if a not in text)
    assert all(any(s.shapes[i].has_table for i in range(len(s.shapes))) for s in slides[1:])
    others = {part for c in COUNTRIES if c != country for o in real_edition(c).profile["offences"].values() if o["typified"] is True
              for part in re.split(r", | y ", o["article"])}
    assert not [a for a in others - articles if re.search(rf"(?<![\w-]){re.escape(a)}(?![\w-])", text) and len(a) > 3]


@pytest.mark.slow
@pytest.mark.parametrize("country", COUNTRIES)
def test_speaker_notes_carry_the_trainer_notes_which_never_show_on_a_slide(country):
    deck = decks(country)["marco-juridico-nacional"]
    known = "Evite leer artículos completos: proyecte la tabla de la sección 2 y trabaje sobre ella."
    assert known in notes_text(deck) and known not in deck_text(deck)
    for module_id, deck in decks(country).items():
        shown = re.sub(r"\s+", " ", deck_text(deck))
        for _, note in admonitions(real_edition(country).modules[module_id].body, "trainer"):
            assert not [s for s in sentences(plain(note)) if s in shown], module_id


@pytest.mark.slow
@pytest.mark.parametrize("country", COUNTRIES)
def test_no_answer_key_text_on_any_slide(country):
    checked = 0
    for module_id, deck in decks(country).items():
        body = real_edition(country).modules[module_id].body
        participant = plain(strip_trainer_blocks(body))
        shown = re.sub(r"\s+", " ", deck_text(deck) + notes_text(deck))
        keys = [s for _, answer in admonitions(body, "answer") for s in sentences(plain(answer)) if s not in participant]
        assert not [s for s in keys if s in shown], module_id
        checked += len(keys)
    assert checked > 100  # the keys of every module but the practicum, which has none


@pytest.mark.slow
@pytest.mark.parametrize("country", COUNTRIES)
def test_no_text_frame_holds_more_lines_than_fit(country):
    overfull = []
    for module_id, deck in decks(country).items():
        for number, slide in enumerate(deck.slides, 1):
            for text_frame, inner_width, height, inset in frames(slide):
                taken, fit = layout.lines_in(height, paras(text_frame), inner_width, inset)
                if taken > fit:
                    overfull.append((module_id, number, text_frame.text[:60], taken, fit))
            # Every frame and table above the footer, the footer inside the slide.
            *body, footer = sorted(slide.shapes, key=lambda shape: shape.top)
            assert max((shape.top + shape.height) / 12700 for shape in body) <= layout.FOOTER_TOP + 0.01, (module_id, number)
            assert (footer.top + footer.height) / 12700 <= layout.SLIDE_H and footer.text_frame.text.startswith(real_edition(country).record["school"])
    assert overfull == []


@pytest.mark.slow
@pytest.mark.parametrize("country", COUNTRIES)
def test_every_slide_has_the_footer_and_unverified_facts_their_dagger(country):
    record = real_edition(country).record
    footer = SW["footer"].format(school=record["school"], edition=record["label"], review=record["review"])
    assert "pendiente de revisión jurídica nacional" in footer
    for deck in decks(country).values():
        assert all(footer in [tf.text for tf, *_ in frames(slide)] for slide in deck.slides)
    deck = decks(country)["marco-juridico-nacional"]
    assert SW["dagger"] in deck_text(deck) and SW["unverified_note"] in slide_text(deck.slides[0])


@pytest.mark.slow
def test_a_deck_is_the_same_bytes_every_build():
    edition = real_edition("peru")
    first, second = (deck_bytes(edition, "analisis-de-casos", REPO) for _ in range(2))
    assert first == second
    with zipfile.ZipFile(io.BytesIO(first)) as package:
        assert {info.date_time for info in package.infolist()} == {(*edition.date.timetuple()[:3], 0, 0, 0)}
        assert not [name for name in package.namelist() if name.endswith((".jpeg", ".png"))]  # no picture the project cannot license
    properties = Presentation(io.BytesIO(first)).core_properties
    assert properties.created.date() == properties.modified.date() == edition.date


def test_another_version_of_the_fonts_makes_the_decks_again(monkeypatch):
    edition = real_edition("peru")
    keys = [artifact.inputs for artifact in Slides().artifacts(edition, REPO)]
    monkeypatch.setattr(slides_output, "fonts_digest", lambda: "another DejaVu")
    assert all(new != old for new, old in zip((artifact.inputs for artifact in Slides().artifacts(edition, REPO)), keys))
