"""Output 'slides': an editable PowerPoint deck (16:9) per module, for the trainers.

A module marks what goes on slides on its headings (docs/slides.md): `{ .slide }` makes a
slide of the heading with the lead of each paragraph and list item under it, and its tables;
`{ .slide-full }` one with the whole text, for cases and their questions. The module's
discussion questions and key points always get slides. A deck opens with the module's title
and objectives; the trainer notes of a part are the speaker notes of its first slide; answers
never reach a deck. Text is fitted by measure (slide_layout.py), never shrunk by the viewer.
"""

from __future__ import annotations

import dataclasses
import datetime
import io
import itertools
import json
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import lxml.html
from lxml import etree
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.text import MSO_AUTO_SIZE, PP_ALIGN
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.oxml.ns import qn
from pptx.util import Pt

from ..errors import Problem
from ..files import dated_zip
from ..load import MODULES_DIR, SITE_CONFIG
from ..markdown_html import markdown_to_html
from ..markers import resolve_markers
from ..pages import HANDBOOKS_URI, Edition
from . import Artifact, Output, register
from .slide_layout import (BODY_BOTTOM, BODY_GAP, CELL_X, CELL_Y, CONTENT_W, FONT_NAME, FOOTER_SIZE, FOOTER_TOP, INSET_X, INSET_Y, MARGIN, SLIDE_H,
                           SLIDE_W, TITLE_SIZE, TITLE_TOP, WIDTH_SAFETY, DoesNotFit, Para, Run, SlidePlan, Table, TableFrame, TextFrame, bullet, cell,
                           column_widths, fonts_digest, frame_height, numbered, paginate, plain, row_heights, smaller, width)

SLIDE, FULL = "slide", "slide-full"  # the heading classes that mark slides (docs/slides.md)
TABLE_SIZE = 14.0
TITLE_H = 2 * TITLE_SIZE * 1.2 + 2 * INSET_Y  # two lines of a full-size title
BODY_TOP = TITLE_TOP + TITLE_H + BODY_GAP
FOOTER_H = SLIDE_H - FOOTER_TOP - 4.0
TITLE_SIZES = (28.0, 26.0, 24.0, 22.0, 20.0, 18.0)  # a long title is set smaller rather than overflow
FOOTER_SIZES = (FOOTER_SIZE, 9.0, 8.0)
FOOTER_COLOUR = RGBColor(0x55, 0x55, 0x55)
LAYOUT_TITLE, LAYOUT_CONTENT, LAYOUT_TITLE_ONLY = 0, 1, 5  # python-pptx's default template
_BOLD, _ITALIC = {"strong", "b"}, {"em", "i"}
_SENTENCE_END = re.compile(r"[.!?…][»”\"')\]]*(?=\s+[¿¡«“\"(]?[A-ZÁÉÍÓÚÑÜ])")


@dataclass
class Part:
    """What one marked heading puts on slides: its title, its blocks (Para, Table) and the
    trainer notes found in it."""

    title: tuple[Run, ...]
    full: bool
    blocks: list = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    depth: int = 0  # 1 after an unmarked subheading: its content sits under it
    intro: bool = False  # the last paragraph ends with ':': a list after it sits under it


def slides_inputs(edition: Edition, module_id: str) -> str:
    """Everything a deck is made of, as text: equal inputs give an equal deck."""
    return json.dumps({
        "module": dataclasses.asdict(edition.modules[module_id]),
        "record": edition.record,
        "course": edition.course["title"],
        "locale": edition.profile.get("locale"),
        "date": edition.date.isoformat(),
        "fonts": fonts_digest(),
    }, sort_keys=True, ensure_ascii=False, default=str)


# Reading a module: its rendered body as HTML, with the site's Markdown extensions.
def module_parts(body: str, root: Path, words: dict) -> list[Part]:
    """The parts of a module that go on slides, in the module's order."""
    sw = words["slide_words"]
    reader = _Reader(frozenset(words["lint"]["abbreviations"]), sw["dagger"])
    standard = set(sw["sections"])
    tree = lxml.html.fragment_fromstring(str(markdown_to_html(body, root)), create_parent="div")
    parts: list[Part] = []
    open_parts: list[tuple[int, Part]] = []  # (heading level, part): a part holds what follows its heading
    for element in tree:
        if not isinstance(element.tag, str):
            continue
        if re.fullmatch(r"h[1-6]", element.tag):
            level = int(element.tag[1])
            while open_parts and open_parts[-1][0] >= level:
                open_parts.pop()
            classes = (element.get("class") or "").split()
            title = tuple(itertools.chain.from_iterable(reader.paragraphs(element)))
            if SLIDE in classes or FULL in classes or (level == 2 and _text(title) in standard):
                part = Part(title, FULL in classes or _text(title) in standard)
                parts.append(part)
                open_parts.append((level, part))
            elif open_parts:  # an unmarked subheading of a marked part: a bold line, its content under it
                part_level, part = open_parts[-1]
                if part is not parts[-1]:  # a marked subheading came between: the part goes on after it, in the module's order
                    part = Part(part.title, part.full)
                    parts.append(part)
                    open_parts[-1] = (part_level, part)
                part.blocks.append(plain(_bold(title), keep=True))
                part.depth, part.intro = 1, False
        elif open_parts:
            reader.add(open_parts[-1][1], element)
    return parts


@dataclass(frozen=True)
class _Reader:
    abbreviations: frozenset[str]  # words whose period ends no sentence ('art.')
    dagger: str  # the mark of an unverified fact

    def add(self, part: Part, element) -> None:
        """An element of the module's body into the part it falls in."""
        tag = element.tag
        classes = (element.get("class") or "").split()
        if tag == "p":
            for runs in self.paragraphs(element):
                part.intro = _introduces(runs)
                if part.full:
                    part.blocks.append(plain(runs, part.depth, part.intro))
                    continue
                if part.intro and not self.sentence_ends(_text(runs)):  # one sentence introducing a list: all of it
                    part.blocks.append(bullet(runs, part.depth, keep=True))
                    continue
                lead = self.lead(runs)
                part.blocks.append(bullet(lead, part.depth, part.intro))
                if part.intro and lead != runs:  # the sentence that introduces a list shows above it
                    part.blocks.append(bullet(self.last_sentence(runs), part.depth, keep=True))
        elif tag in ("ul", "ol"):
            self.add_list(part, element, part.depth + part.intro)
            part.intro = False
        elif tag == "table":
            part.blocks.append(self.table(element))
            part.intro = False
        elif tag == "blockquote":
            for child in element:
                self.add(part, child)
        elif tag == "dl":  # a term, bold, and its definition under it
            for child in element:
                if child.tag == "dt":
                    part.blocks += [bullet(_bold(runs), part.depth, keep=True) for runs in self.paragraphs(child)]
                elif child.tag == "dd":
                    self.add_item(part, child, part.depth + 1, None)
            part.intro = False
        elif tag == "div" and "admonition" in classes and "trainer" in classes:
            part.notes.append("\n".join(self.note_lines(element)))
        # Anything else (an answer, an image, code) does not go on slides.

    def note_lines(self, blocks, depth: int = 0) -> list[str]:
        """A trainer note (its blocks) as lines of speaker notes: its paragraphs, and its lists
        item by item (numbered as written, nested ones indented)."""
        lines = []
        for child in blocks:
            if child.tag in ("ul", "ol"):
                items = [item for item in child if item.tag == "li"]
                for number, item in enumerate(items, int(child.get("start") or 1)):
                    text = " ".join(_text(runs) for runs in self.paragraphs(item))
                    lines.append(f"{'  ' * depth}{f'{number}.' if child.tag == 'ol' else '•'} {text}")
                    lines += self.note_lines([sub for sub in item if sub.tag in ("ul", "ol")], depth + 1)
            elif isinstance(child.tag, str):
                lines += [_text(runs) for runs in self.paragraphs(child)]
        return lines

    def add_list(self, part: Part, element, level: int) -> None:
        items = [item for item in element if item.tag == "li"]
        for number, item in enumerate(items, int(element.get("start") or 1)):
            self.add_item(part, item, level, number if element.tag == "ol" else 0)

    def add_item(self, part: Part, item, level: int, number: int | None) -> None:
        """A list item (numbered, or bulleted when number is 0) or a definition (neither)."""
        for index, runs in enumerate(self.paragraphs(item)):
            keep = _introduces(runs)
            shown = runs if part.full else self.lead(runs)
            if index or number is None:
                part.blocks.append(plain(shown, level, keep))
            elif number:
                part.blocks.append(numbered(shown, number, level, keep))
            else:
                part.blocks.append(bullet(shown, level, keep))
            if not part.full:
                break  # a summary shows the lead of an item, no more
        for child in item:
            if child.tag in ("ul", "ol"):
                self.add_list(part, child, level + 1)
            elif child.tag == "div":  # a note or an answer set inside an item: to the speaker notes, or nowhere
                self.add(part, child)

    def table(self, element) -> Table:
        def cells(row, tag):
            found = []
            for element_cell in row.iterfind(tag):
                paras = self.paragraphs(element_cell)
                found.append(tuple(cell(runs, TABLE_SIZE, bold=tag == "th", listed=len(paras) > 1) for runs in paras))
            return tuple(found)

        head = element.find("thead/tr")
        if head is None:
            raise DoesNotFit("a table on a slide needs a Markdown header row (| a | b | then |---|---|)")
        header = cells(head, "th")
        rows = tuple(cells(row, "td") for row in element.xpath("tbody/tr | tr"))
        return Table(_column_fractions([header, *rows]), header, rows)

    def paragraphs(self, element) -> list[tuple[Run, ...]]:
        """The text of an element as paragraphs of styled runs: a <br> or a <p> starts another;
        nested lists are left to their own items, and blocks set inside (a note, an answer, a table,
        code) to add(). Each unverified fact is marked with the dagger, once per paragraph."""
        paras: list[list[Run]] = [[]]

        def walk(node, bold: bool, italic: bool) -> None:
            if node.text:
                paras[-1].append(Run(node.text, bold, italic))
            for child in node:
                tag = child.tag if isinstance(child.tag, str) else ""
                if tag in ("br", "p"):
                    paras.append([])
                if tag == "p":
                    walk(child, bold, italic)
                    paras.append([])
                elif tag == "sup" and (child.get("id") or "").startswith("fnref"):
                    pass  # a footnote's number: its note is not on the slide
                elif tag not in ("br", "ul", "ol", "div", "table", "pre", ""):
                    walk(child, bold or tag in _BOLD, italic or tag in _ITALIC)
                if child.tail:
                    paras[-1].append(Run(child.tail, bold, italic))

        walk(element, False, False)
        return [tidy for tidy in (_tidy(_marked(runs, self.dagger)) for runs in paras) if tidy]

    def lead(self, runs: tuple[Run, ...]) -> tuple[Run, ...]:
        """What a paragraph or list item shows on a summary slide: its bold lead phrase, with
        the first sentence after it when the lead is a label ('Pena:'), else its first sentence."""
        bold = tuple(itertools.takewhile(lambda run: run.bold, runs))
        if not bold:
            return self.first_sentence(runs)
        if _text(bold).rstrip().endswith(":") and len(bold) < len(runs):
            return bold + self.first_sentence(runs[len(bold):])
        return bold

    def first_sentence(self, runs: tuple[Run, ...]) -> tuple[Run, ...]:
        ends = self.sentence_ends(_text(runs))
        return _cut(runs, 0, ends[0]) if ends else runs

    def last_sentence(self, runs: tuple[Run, ...]) -> tuple[Run, ...]:
        ends = self.sentence_ends(_text(runs))
        return _cut(runs, ends[-1] + 1, len(_text(runs))) if ends else runs

    def sentence_ends(self, text: str) -> list[int]:
        """Where each sentence but the last ends: a stop before a capital, not after 'art.'."""
        return [match.end() for match in _SENTENCE_END.finditer(text) if text[: match.start()].rsplit(" ", 1)[-1].lower() not in self.abbreviations]


def _column_fractions(rows) -> tuple[float, ...]:
    """Column widths as fractions of the table's: each column at least as wide as its longest
    word, the rest shared out in proportion to a power of each column's amount of text; of a
    few such powers, the one that makes the table shortest, as measured."""
    columns = list(zip(*rows))
    floors, amounts = [], []
    for column in columns:
        paras = [p for cell_paras in column for p in cell_paras]
        longest = max((width([Run(word, r.bold, r.italic)], p.size) + p.left for p in paras for r in p.runs for word in r.text.split()), default=0.0)
        floors.append(longest / WIDTH_SAFETY + 2 * CELL_X + 2.0)
        amounts.append(sum(width(p.runs, p.size) for p in paras) or 1.0)
    candidates = [_shared(floors, [amount ** power for amount in amounts]) for power in (0.5, 0.75, 1.0)]
    return min(candidates, key=lambda fractions: sum(row_heights(Table(fractions, (), ()), rows)))


def _shared(floors: list[float], weights: list[float]) -> tuple[float, ...]:
    """The content width shared in proportion to weights, a column whose share is below its
    floor taking its floor and the others sharing the rest."""
    fixed: dict[int, float] = {}
    while True:
        free = CONTENT_W - sum(fixed.values())
        rest = [c for c in range(len(weights)) if c not in fixed]
        share = {c: free * weights[c] / sum(weights[c] for c in rest) for c in rest}
        short = {c: floors[c] for c in rest if share[c] < floors[c]}
        if not short or len(short) == len(rest):
            widths = {**share, **fixed}
            break
        fixed.update(short)
    total = sum(widths.values())
    return tuple(widths[c] / total for c in range(len(weights)))


def _bold(runs) -> tuple[Run, ...]:
    """Runs set in bold: a subheading's or a defined term's line."""
    return tuple(dataclasses.replace(run, bold=True) for run in runs)


def _introduces(runs) -> bool:
    """A paragraph ending in ':' introduces what follows (a list, a table)."""
    return _text(runs).rstrip().endswith(":")


def _marked(runs: list[Run], dagger: str) -> list[Run]:
    seen: set[str] = set()

    def show(fact: str) -> str:
        if fact in seen:
            return ""
        seen.add(fact)
        return dagger

    return [Run(resolve_markers(run.text, show), run.bold, run.italic) for run in runs]


def _tidy(runs: list[Run]) -> tuple[Run, ...]:
    """Runs with their white space as a browser shows it: single spaces, none at the ends."""
    tidy: list[Run] = []
    for run in runs:
        text = re.sub(r"\s+", " ", run.text)
        if not tidy or tidy[-1].text.endswith(" "):
            text = text.lstrip(" ")
        if not text:
            continue
        if tidy and (tidy[-1].bold, tidy[-1].italic) == (run.bold, run.italic):
            tidy[-1] = Run(tidy[-1].text + text, run.bold, run.italic)
        else:
            tidy.append(Run(text, run.bold, run.italic))
    if tidy:
        tidy[-1] = Run(tidy[-1].text.rstrip(" "), tidy[-1].bold, tidy[-1].italic)
    return tuple(run for run in tidy if run.text)


def _text(runs) -> str:
    return "".join(run.text for run in runs)


def _cut(runs: tuple[Run, ...], start: int, end: int) -> tuple[Run, ...]:
    """The runs' text from start to end, styles kept."""
    kept, used = [], 0
    for run in runs:
        piece = run.text[max(0, start - used): max(0, end - used)]
        if piece:
            kept.append(Run(piece, run.bold, run.italic))
        used += len(run.text)
    return tuple(kept)


# Planning the deck: which slides, with what on each.
def deck_plan(edition: Edition, module_id: str, root: Path) -> list[SlidePlan]:
    """The slides after the title slide: objectives, then each part of the module."""
    words = edition.words
    sw = words["slide_words"]
    module = edition.modules[module_id]
    objectives = [numbered([Run(text)], n) for n, text in enumerate(module.front["objectives"], 1)]
    planned = [((Run(sw["objectives"]),), objectives, [])]
    planned += [(part.title, part.blocks, part.notes) for part in module_parts(module.body, root, words)]
    slides = []
    for title, blocks, notes in planned:
        # Text a point or two smaller when that saves a slide (the last one holding a line or two).
        options = [paginate([smaller(block, points) for block in blocks], BODY_BOTTOM - BODY_TOP, _text(title)) for points in (0, 1, 2)]
        pages = next(option for option in options if len(option) == min(map(len, options)))
        part = [SlidePlan(title, frames) for frames in pages]
        if len(part) > 1:
            for number, slide in enumerate(part, 1):
                slide.title = _continued(title, number, len(part), sw)
        part[0].notes = "\n\n".join(notes)
        slides += part
    return slides


def _continued(title: tuple[Run, ...], part: int, parts: int, sw: dict) -> tuple[Run, ...]:
    """'Title (2/3)': each slide of a part keeps a title of its own, its styles kept."""
    before, after = (text.format(part=part, parts=parts) for text in sw["continued"].split("{title}"))
    return tuple(run for run in (Run(before), *title, Run(after)) if run.text)


# Writing the deck.
def deck_bytes(edition: Edition, module_id: str, root: Path) -> bytes:
    """The module's deck for the edition, as the bytes of a .pptx file (the same every build)."""
    words = edition.words
    sw = words["slide_words"]
    record = edition.record
    module = edition.modules[module_id]
    language = str(edition.profile.get("locale") or edition.language).replace("_", "-")
    plans = deck_plan(edition, module_id, root)
    footer = sw["footer"].format(school=record["school"], edition=record["label"], review=record["review"])
    prs = _widescreen_presentation()
    deck = _Deck(prs, language, footer)
    unverified = any(sw["dagger"] in _text(p.runs) for plan in plans for frame in plan.frames for p in _frame_paras(frame))
    deck.title_slide(module.front["title"], [edition.course["title"], sw["subtitle"].format(country=record["name"], school=record["school"])],
                     sw["unverified_note"] if unverified else "")
    for plan in plans:
        deck.slide(plan)
    properties = prs.core_properties
    stamp = datetime.datetime.combine(edition.date, datetime.time())
    properties.title, properties.subject = module.front["title"], edition.course["title"]
    properties.author = properties.last_modified_by = record["school"]
    properties.created = properties.modified = stamp
    properties.revision, properties.language = 1, language
    out = io.BytesIO()
    prs.save(out)
    return _zip_dated(out.getvalue(), edition.date)


def _frame_paras(frame) -> list[Para]:
    if isinstance(frame, TextFrame):
        return frame.paras
    return [p for row in [frame.table.header, *frame.rows] for cell_paras in row for p in cell_paras]


def _widescreen_presentation():
    """python-pptx's default template (Office theme, no pictures) made 16:9 and set in DejaVu Sans."""
    prs = Presentation()
    factor = SLIDE_W * 12700 / prs.slide_width
    prs.slide_width, prs.slide_height = _emu(SLIDE_W), _emu(SLIDE_H)
    for shapes in [prs.slide_master.shapes, *(layout.shapes for layout in prs.slide_layouts)]:
        for shape in shapes:
            if shape._element.xfrm is not None:  # a placeholder that inherits its place follows the master's
                shape.left, shape.width = int(shape.left * factor), int(shape.width * factor)
    theme = prs.slide_master.part.part_related_by(RT.THEME)
    # The theme's fonts are what text a trainer adds is set in: the same font the decks are measured with.
    theme._blob = theme.blob.replace(b'typeface="Calibri"', f'typeface="{FONT_NAME}"'.encode())
    package = prs.part.package
    for rel in [rel for rel in package.iter_rels() if rel.reltype == RT.THUMBNAIL]:
        package.drop_rel(rel.rId)  # the template's preview picture, which shows none of this deck
    return prs


def _emu(points: float) -> int:
    return int(round(points * 12700))


class _Deck:
    def __init__(self, prs, language: str, footer: str):
        self.prs, self.language, self.footer = prs, language, footer

    def title_slide(self, title: str, subtitle: list[str], note: str) -> None:
        slide = self.prs.slides.add_slide(self.prs.slide_layouts[LAYOUT_TITLE])
        runs = (Run(title, True),)
        self._text(slide.shapes.title, MARGIN, 110.0, CONTENT_W, 150.0, [Para(runs, _fitted(runs, 150.0, (40.0, 36.0, 32.0, 28.0)))])
        subtitle_paras = [Para((Run(line),), 20.0, before=8.0) for line in subtitle]
        self._text(slide.placeholders[1], MARGIN, 270.0, CONTENT_W, frame_height(subtitle_paras, CONTENT_W - 2 * INSET_X), subtitle_paras)
        if note:
            note_para = [Para((Run(note),), 14.0)]
            height = frame_height(note_para, CONTENT_W - 2 * INSET_X)
            self._text(slide.shapes.add_textbox(0, 0, 0, 0), MARGIN, BODY_BOTTOM - height, CONTENT_W, height, note_para)
        self._footer(slide)

    def slide(self, plan: SlidePlan) -> None:
        single_text = len(plan.frames) == 1 and isinstance(plan.frames[0], TextFrame)
        slide = self.prs.slides.add_slide(self.prs.slide_layouts[LAYOUT_CONTENT if single_text else LAYOUT_TITLE_ONLY])
        title = tuple(Run(r.text, True, r.italic) for r in plan.title)
        self._text(slide.shapes.title, MARGIN, TITLE_TOP, CONTENT_W, TITLE_H, [Para(title, _fitted(title, TITLE_H, TITLE_SIZES))], align=PP_ALIGN.LEFT)
        for frame in plan.frames:
            if isinstance(frame, TextFrame):
                shape = slide.placeholders[1] if single_text else slide.shapes.add_textbox(0, 0, 0, 0)
                self._text(shape, MARGIN, BODY_TOP + frame.top, CONTENT_W, frame.height(), frame.paras)
            else:
                self._table(slide, frame)
        self._footer(slide)
        if plan.notes:
            slide.notes_slide.notes_text_frame.text = plan.notes

    def _footer(self, slide) -> None:
        runs = (Run(self.footer),)
        self._text(slide.shapes.add_textbox(0, 0, 0, 0), MARGIN, FOOTER_TOP, CONTENT_W, FOOTER_H, [Para(runs, _fitted(runs, FOOTER_H, FOOTER_SIZES))],
                   colour=FOOTER_COLOUR)

    def _text(self, shape, left, top, frame_width, height, paras, align=None, colour=None) -> None:
        shape.left, shape.top, shape.width, shape.height = _emu(left), _emu(top), _emu(frame_width), _emu(height)
        frame = shape.text_frame
        frame.word_wrap = True
        frame.auto_size = MSO_AUTO_SIZE.NONE
        frame.margin_left = frame.margin_right = _emu(INSET_X)
        frame.margin_top = frame.margin_bottom = _emu(INSET_Y)
        self._paragraphs(frame, paras, align, colour)

    def _paragraphs(self, frame, paras, align=None, colour=None) -> None:
        previous = None
        for index, para in enumerate(paras):
            paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
            paragraph.line_spacing = Pt(para.pitch)
            paragraph.space_before = Pt(para.before)
            paragraph.space_after = Pt(0)
            if align is not None:
                paragraph.alignment = align
            properties = paragraph._p.get_or_add_pPr()
            properties.set("marL", str(_emu(para.left)))
            properties.set("indent", str(-_emu(para.hang) if para.bullet else 0))
            properties.append(_bullet_element(para, previous))
            for piece in para.runs:
                run = paragraph.add_run()
                run.text = piece.text
                run.font.size = Pt(para.size)
                run.font.bold, run.font.italic = piece.bold, piece.italic
                run._r.get_or_add_rPr().set("lang", self.language)
                if colour is not None:
                    run.font.color.rgb = colour
            previous = para

    def _table(self, slide, frame: TableFrame) -> None:
        rows = [frame.table.header, *frame.rows]
        widths, heights = column_widths(frame.table), row_heights(frame.table, rows)
        shape = slide.shapes.add_table(len(rows), len(widths), _emu(MARGIN), _emu(BODY_TOP + frame.top), _emu(CONTENT_W), _emu(sum(heights)))
        table = shape.table
        for column, column_width in zip(table.columns, widths):
            column.width = _emu(column_width)
        for row, row_cells, height in zip(table.rows, rows, heights):
            row.height = _emu(height)
            for table_cell, paras in zip(row.cells, row_cells):
                table_cell.margin_left = table_cell.margin_right = _emu(CELL_X)
                table_cell.margin_top = table_cell.margin_bottom = _emu(CELL_Y)
                table_cell.text_frame.word_wrap = True
                self._paragraphs(table_cell.text_frame, paras or [Para((), TABLE_SIZE)])


def _bullet_element(para: Para, previous: Para | None):
    """The paragraph's bullet: a character, a number (restarting wherever the previous paragraph
    is not the number before it) or none."""
    if para.bullet == "1.":
        element = etree.Element(qn("a:buAutoNum"), type="arabicPeriod")
        follows = previous is not None and previous.bullet == "1." and previous.left == para.left and previous.number == para.number - 1
        if not follows:
            element.set("startAt", str(para.number))
        return element
    if para.bullet:
        return etree.Element(qn("a:buChar"), char=para.bullet)
    return etree.Element(qn("a:buNone"))


def _fitted(runs: tuple[Run, ...], height: float, sizes) -> float:
    """The largest of sizes at which the text fits in a frame as wide as the content and height high."""
    for size in sizes:
        if frame_height([Para(runs, size)], CONTENT_W - 2 * INSET_X) <= height:
            return size
    raise DoesNotFit(f"«{_text(runs)}» does not fit on a slide even at {sizes[-1]:g} pt: shorten it")


def _zip_dated(data: bytes, date: datetime.date) -> bytes:
    """The package again with every entry dated the edition's date (python-pptx dates them now)."""
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        return dated_zip({info.filename: source.read(info.filename) for info in source.infolist()}, date)


def deck_path(edition: Edition, module_id: str) -> str:
    """Where a deck goes: the trainers' folder, or the site's handbooks folder when the edition publishes them."""
    sw = edition.words["slide_words"]
    path = f"{sw['folder']}/{sw['file_name'].format(country=edition.country, module=module_id)}"
    return f"{HANDBOOKS_URI}/{path}" if edition.publish_handbooks else path


class Slides(Output):
    """One deck per module, with the handbooks: for trainers unless the edition publishes handbooks."""

    name = "slides"

    def artifacts(self, edition: Edition, root: Path) -> list[Artifact]:
        site_config = (root / SITE_CONFIG).read_text(encoding="utf-8")
        return [Artifact(f"slides {module_id}", deck_path(edition, module_id), edition.publish_handbooks, (slides_inputs(edition, module_id), site_config))
                for module_id in edition.modules]

    def write(self, edition: Edition, artifact: Artifact, target: Path, root: Path, work: Path) -> list[Problem]:
        module_id = artifact.name.removeprefix("slides ")
        try:
            target.write_bytes(deck_bytes(edition, module_id, root))
        except DoesNotFit as err:
            return [Problem(f"{MODULES_DIR}/{module_id}/index.md", 0, f"{edition.country}: slides: {err.format_message()}", country=edition.country)]
        return []


register(Slides())
