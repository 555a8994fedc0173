"""The slide decks' geometry and text fit, measured with the real font.

Everything is in points on a 16:9 slide (960 × 540 pt). A paragraph is wrapped word by word
with the widths Pillow reads from the DejaVu Sans files the decks are set in, so how many
lines a text takes is computed, not guessed; the tests measure the written decks with the same
functions. Pagination splits a slide's content into as many slides as it needs: whole
paragraphs where they fit, a paragraph or a table row at a line boundary where one alone is
taller than a slide, and table rows under a repeated header row.
"""

from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass, field, replace
from pathlib import Path

from PIL import ImageFont

from ..errors import ToolkitError

SLIDE_W, SLIDE_H = 960.0, 540.0
MARGIN = 36.0  # left and right
CONTENT_W = SLIDE_W - 2 * MARGIN
TITLE_TOP, TITLE_SIZE = 20.0, 28.0
BODY_GAP = 10.0  # between the title and the body, and between two blocks of the body
FOOTER_SIZE, FOOTER_TOP = 10.0, SLIDE_H - 30.0
BODY_BOTTOM = FOOTER_TOP - 6.0
INSET_X, INSET_Y = 7.2, 3.6  # a text frame's inner margins (PowerPoint's default 0.1 in and 0.05 in)
CELL_X, CELL_Y = 5.0, 3.0  # a table cell's inner margins
LINE = 1.2  # line pitch, times the font size: written as exact spacing, so renderers agree
# Wrapping is measured against a slightly narrower line than the frame's: renderers differ by a
# few hundredths in where a line breaks, and a narrower measure can only give more lines.
WIDTH_SAFETY = 0.97
FONT_FILES = {(False, False): "DejaVuSans.ttf", (True, False): "DejaVuSans-Bold.ttf",
              (False, True): "DejaVuSans-Oblique.ttf", (True, True): "DejaVuSans-BoldOblique.ttf"}
FONT_NAME = "DejaVu Sans"
FONT_DIRS = (Path("/usr/share/fonts"), Path("/usr/local/share/fonts"))


class DoesNotFit(ToolkitError):
    """Text of a module that no slide can hold: the author has to shorten it."""


@dataclass(frozen=True)
class Run:
    text: str
    bold: bool = False
    italic: bool = False


@dataclass(frozen=True)
class Para:
    """A paragraph as it is set: its runs, font size, left margin (where its text starts), the
    hanging indent its bullet sits in, the space before it, and its bullet ('•', '–', '1.' for
    a number, '' for none)."""

    runs: tuple[Run, ...]
    size: float
    left: float = 0.0
    hang: float = 0.0
    before: float = 0.0
    bullet: str = ""
    number: int = 0  # its number, in a numbered list
    keep: bool = False  # introduces what follows (a subheading, a line ending in ':'): never last on a slide

    @property
    def pitch(self) -> float:
        return round(self.size * LINE, 2)


LEVEL_STEP = 24.0  # how far each level of a list is indented
LEVELS = 3  # deeper items are set at the third level: smaller would not read from the back of a room
SPACE_BEFORE = 0.45  # space before a paragraph, times its font size


# How each kind of paragraph is set; a deeper level is smaller.
def bullet(runs, level: int = 0, keep: bool = False, size: float = 20.0) -> Para:
    level = min(level, LEVELS - 1)
    size -= 2 * level
    return Para(tuple(runs), size, left=22.0 + LEVEL_STEP * level, hang=22.0, before=round(size * SPACE_BEFORE, 2), bullet="•–"[min(level, 1)], keep=keep)


def numbered(runs, number: int, level: int = 0, keep: bool = False, size: float = 20.0) -> Para:
    level = min(level, LEVELS - 1)
    size -= 2 * level
    return Para(tuple(runs), size, left=36.0 + LEVEL_STEP * level, hang=36.0, before=round(size * SPACE_BEFORE, 2), bullet="1.", number=number, keep=keep)


def plain(runs, level: int = 0, keep: bool = False, size: float = 20.0) -> Para:
    level = min(level, LEVELS - 1)
    size -= 2 * level
    return Para(tuple(runs), size, left=LEVEL_STEP * level, before=round(size * SPACE_BEFORE, 2), keep=keep)


def smaller(block, points: float):
    """A block's text set points smaller (a table's stays as it is)."""
    if not isinstance(block, Para) or not points:
        return block
    return replace(block, size=block.size - points, before=round((block.size - points) * SPACE_BEFORE, 2))


def cell(runs, size: float, bold: bool = False, listed: bool = False) -> Para:
    """A table cell's paragraph; one of several lines of a cell (an aggravating circumstance
    each) takes a bullet, so that where one ends shows."""
    runs = tuple(Run(r.text, r.bold or bold, r.italic) for r in runs)
    return Para(runs, size, left=11.0, hang=11.0, before=2.0, bullet="•") if listed else Para(runs, size)


@functools.cache
def font_file(bold: bool, italic: bool) -> Path:
    name = FONT_FILES[bold, italic]
    for folder in FONT_DIRS:
        found = sorted(folder.rglob(name)) if folder.is_dir() else []
        if found:
            return found[0]
    raise ToolkitError(f"the font file {name} was not found under {', '.join(map(str, FONT_DIRS))}: "
                       "the slide decks are set and measured in DejaVu Sans; install it (Debian: apt-get install fonts-dejavu-core)")


@functools.cache
def fonts_digest() -> str:
    """The font files' SHA-256: another version of DejaVu measures, so wraps, differently."""
    return hashlib.sha256(b"".join(font_file(*style).read_bytes() for style in sorted(FONT_FILES))).hexdigest()


_EM = 1000  # measured at 1000 px to the em, then scaled to the point size


@functools.cache
def _font(bold: bool, italic: bool) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(font_file(bold, italic)), _EM)


@functools.cache
def _em_width(text: str, bold: bool, italic: bool) -> float:
    return _font(bold, italic).getlength(text) / _EM


def width(pieces, size: float) -> float:
    """The width, in points, of styled pieces set at size."""
    return sum(_em_width(p.text, p.bold, p.italic) for p in pieces) * size


def _words(runs) -> list[list[Run]]:
    """The runs cut into words (pieces between spaces), each word a list of styled pieces; a
    word may change style inside it ('Penal†', a bold label and its colon)."""
    words, current = [], []
    for run in runs:
        for index, chunk in enumerate(run.text.split(" ")):
            if index:
                if current:
                    words.append(current)
                current = []
            if chunk:
                current.append(Run(chunk, run.bold, run.italic))
    if current:
        words.append(current)
    return words


@functools.cache  # a frame's height is asked again each time a paragraph is added to it
def wrap(para: Para, frame_width: float) -> tuple[tuple[Run, ...], ...]:
    """The lines a paragraph takes in a frame of that inner width, each a list of styled pieces
    (a space is a piece of its own); greedy, as PowerPoint and LibreOffice break lines."""
    return tuple(line for line, _ in _wrapped(para, frame_width))


def _wrapped(para: Para, frame_width: float) -> list[tuple[tuple[Run, ...], bool]]:
    """wrap's lines, each with whether it ends inside a word (one longer than the line)."""
    limit = (frame_width - para.left) * WIDTH_SAFETY
    lines: list[tuple[tuple[Run, ...], bool]] = []
    line: list[Run] = []
    used = 0.0
    for word in _words(para.runs):
        word_width = width(word, para.size)
        space = Run(" ", word[0].bold, word[0].italic)
        if line and used + width([space], para.size) + word_width <= limit:
            line += [space, *word]
            used += width([space], para.size) + word_width
            continue
        if line:
            lines.append((tuple(line), False))
        line, used = [], 0.0
        while word_width > limit:  # a word longer than the line breaks inside it
            head, word = _cut_word(word, limit, para.size)
            lines.append((tuple(head), True))
            word_width = width(word, para.size)
        line, used = list(word), word_width
    if line or not lines:
        lines.append((tuple(line), False))
    return lines


def _cut_word(word: list[Run], limit: float, size: float) -> tuple[list[Run], list[Run]]:
    """As much of a word as fits on a line (one character at least), and the rest."""
    chars = [Run(c, p.bold, p.italic) for p in word for c in p.text]
    count = 1
    while count < len(chars) and width(chars[: count + 1], size) <= limit:
        count += 1
    return _merged(chars[:count]), _merged(chars[count:])


def _merged(pieces: list[Run]) -> list[Run]:
    merged: list[Run] = []
    for piece in pieces:
        if merged and (merged[-1].bold, merged[-1].italic) == (piece.bold, piece.italic):
            merged[-1] = Run(merged[-1].text + piece.text, piece.bold, piece.italic)
        else:
            merged.append(piece)
    return merged


def para_height(para: Para, frame_width: float) -> float:
    """Height of a paragraph in a frame; the space before the first paragraph counts too, as
    some renderers set it."""
    return para.before + len(wrap(para, frame_width)) * para.pitch


def frame_height(paras, frame_width: float, inset_y: float = INSET_Y) -> float:
    """The height a text frame needs for its paragraphs (inner width frame_width)."""
    return 2 * inset_y + sum(para_height(p, frame_width) for p in paras)


def split_para(para: Para, frame_width: float, room: float) -> tuple[Para | None, Para | None]:
    """The lines of a paragraph that fit in room points, and the rest (None when empty); the
    rest keeps the paragraph's setting without its bullet, being the same paragraph."""
    lines = _wrapped(para, frame_width)
    count = max(0, min(len(lines), int((room - para.before) // para.pitch)))
    if count == len(lines):
        return para, None
    if count == 0:
        return None, para
    head = replace(para, runs=tuple(_joined(lines[:count])))
    rest = _joined(lines[count:])
    return head, replace(para, runs=tuple(rest), bullet="", before=0.0)


def _joined(lines) -> list[Run]:
    """Wrapped lines as runs again, with the space each line break took (none inside a word)."""
    pieces: list[Run] = []
    inside_word = False
    for line, cut in lines:
        if pieces and line and not inside_word:
            pieces.append(Run(" ", line[0].bold, line[0].italic))
        pieces += line
        inside_word = cut
    return _merged(pieces)


def lines_in(frame_h: float, paras, frame_width: float, inset_y: float = INSET_Y) -> tuple[int, int]:
    """(lines a frame's paragraphs take, lines that fit in its height): what the tests check of
    every frame of a deck. The room left after the paragraphs counts in lines of their largest pitch."""
    taken = sum(len(wrap(p, frame_width)) for p in paras)
    spare = frame_h - frame_height(paras, frame_width, inset_y) + 0.01  # a frame's size is rounded to whole EMUs
    return taken, taken + int(spare // max((p.pitch for p in paras), default=1.0))


# Pagination: a slide's content as frames placed from the top of the body down.
@dataclass
class TextFrame:
    top: float
    paras: list[Para] = field(default_factory=list)

    def height(self) -> float:
        return frame_height(self.paras, CONTENT_W - 2 * INSET_X)


@dataclass(frozen=True)
class Table:
    widths: tuple[float, ...]  # fractions of the content width, one per column
    header: tuple[tuple[Para, ...], ...]  # a cell: its paragraphs
    rows: tuple[tuple[tuple[Para, ...], ...], ...]


@dataclass
class TableFrame:
    top: float
    table: Table
    rows: list[tuple[tuple[Para, ...], ...]] = field(default_factory=list)

    def height(self) -> float:
        return sum(row_heights(self.table, [self.table.header, *self.rows]))


def column_widths(table: Table) -> list[float]:
    return [CONTENT_W * fraction for fraction in table.widths]


def cell_height(paras, column_width: float) -> float:
    return frame_height(paras, column_width - 2 * CELL_X, CELL_Y)


def row_heights(table: Table, rows) -> list[float]:
    widths = column_widths(table)
    return [max(cell_height(cell_paras, w) for cell_paras, w in zip(row, widths)) for row in rows]


@dataclass
class SlidePlan:
    title: tuple[Run, ...]
    frames: list = field(default_factory=list)  # TextFrame and TableFrame, top down
    notes: str = ""


def paginate(blocks: list, room: float, label: str) -> list[list]:
    """A part's blocks (Para and Table, in order) as the frames of as many slides as they need,
    in a body room points high. A block that does not fit in what is left of a slide goes to
    the next one; only one taller than a whole slide is cut, at a line boundary, to fill the
    slide it starts on. label names the part in an error."""
    slides: list[list] = [[]]
    text_width = CONTENT_W - 2 * INSET_X
    for index, block in enumerate(blocks):
        if isinstance(block, Table):
            _place_table(block, slides, room, label)
            continue
        para = block
        after = _start_height(blocks[index + 1], text_width, room) if para.keep and index + 1 < len(blocks) else 0.0
        while para is not None:
            frames = slides[-1]
            frame = frames[-1] if frames and isinstance(frames[-1], TextFrame) else TextFrame(_bottom(frames))
            left = room - frame.top - frame.height()
            height = para_height(para, text_width)
            head = None
            if height + after <= left or (height <= left and not frames):
                head, para = para, None
            elif height > room - 2 * INSET_Y:  # taller than a slide
                head, para = split_para(para, text_width, left)
            if head is not None:
                frame.paras.append(head)
                if not frames or frames[-1] is not frame:
                    frames.append(frame)
            if para is not None:
                if not frames:
                    raise DoesNotFit(f"«{label}»: the slide's title leaves no room for a line of its text")
                slides.append([])
    return slides


def _start_height(block, text_width: float, room: float) -> float:
    """What the start of a block needs below the paragraph that introduces it."""
    if isinstance(block, Para):  # all of it, unless it is cut anyway for being taller than a slide
        height = para_height(block, text_width)
        return height if height <= room - 2 * INSET_Y else block.before + block.pitch
    whole = sum(row_heights(block, [block.header, *block.rows]))
    return BODY_GAP + INSET_Y + (whole if whole <= room else sum(row_heights(block, [block.header, *block.rows[:1]])))


def _bottom(frames: list) -> float:
    """Where the next frame of a slide starts, from the top of its body."""
    if not frames:
        return 0.0
    return frames[-1].top + frames[-1].height() + BODY_GAP


def _place_table(table: Table, slides: list[list], room: float, label: str) -> None:
    """Rows under a header row. A table that a slide can hold starts on a new one rather than
    be split; a longer one goes on under its header again on the next slide when a row does not
    fit; a row taller than a whole slide is cut at a line boundary and goes on there."""
    header_h = row_heights(table, [table.header])[0]
    full = room - header_h  # the room for rows on a slide of their own
    if full < 3 * header_h:
        raise DoesNotFit(f"«{label}»: the table's header row is too tall for a slide to hold its rows; shorten the column headings")
    pending = list(table.rows)
    whole = sum(row_heights(table, [table.header, *pending]))
    if slides[-1] and whole <= room and room - _bottom(slides[-1]) < whole:  # a table a slide can hold is not split
        slides.append([])
    frame = None
    while pending:
        row_h = row_heights(table, [pending[0]])[0]
        if frame is None:
            top = _bottom(slides[-1])
            if slides[-1] and room - top - header_h < row_h:  # a row is never cut to fill a slide
                slides.append([])
                top = 0.0
            frame = TableFrame(top, table)
            slides[-1].append(frame)
        left = room - frame.top - frame.height()
        if row_h <= left:
            frame.rows.append(pending.pop(0))
            continue
        if row_h > full and not frame.rows:  # taller than a slide: cut where this one ends
            head, rest = _split_row(table, pending[0], left)
            if head is not None:
                frame.rows.append(head)
                pending[0] = rest
        if not frame.rows:
            slides[-1].pop()
        slides.append([])
        frame = None


def _split_row(table: Table, row, room: float):
    """The lines of each cell of a row that fit in room points, and the rest of each cell."""
    heads, rests = [], []
    for cell_paras, column_width in zip(row, column_widths(table)):
        inner = column_width - 2 * CELL_X
        left = room - 2 * CELL_Y
        head, rest = [], []
        for para in cell_paras:
            if rest:
                rest.append(para)
                continue
            fit, more = split_para(para, inner, left)
            if fit is not None:
                head.append(fit)
                left -= para_height(fit, inner)
            if more is not None:
                rest.append(more)
        heads.append(tuple(head))
        rests.append(tuple(rest))
    if not any(heads):
        return None, row
    return tuple(heads), tuple(rests)
