"""Print a long document by parts: each part laid out on its own, kept in a cache, then assembled.

A template cuts its document with marks between the children of <body>:

    <!-- print-part -->                    a part begins here (on a new page)
    <!-- print-part: no-page-numbers -->   one whose pages show no number (the cover)

What precedes the first mark (the head and <body>) and follows the last (</body>) goes with every
part; only the first part keeps the head's metadata (title, author), which is all the PDF keeps,
and no part keeps the running header (<body data-running>: country · programme), which is drawn
after layout. So two documents that share a part lay it out once: an instrument in the handbook
and in the instruments PDF, or an annex, a module's text or a workbook's case file in the
handbooks or workbooks of two programmes. Each part is laid out as a document of its own and kept
in .cache/print/ under the hash of its HTML: an edit to one module lays out that module's chapter
again, and nothing else but the parts that show page numbers of others (the table of contents).
A document without marks is laid out, and kept, whole.

Pages are numbered after layout, so a part does not depend on where it falls: the numbers
("12 / 280", in the style of the document's `@page { @bottom-center }`) and the running header
(`@top-left`) are laid out as a sheet of their own and drawn on each page as an artifact. A
link written `<a href="#id" data-page="">` gets the page number of #id in data-page (CSS shows
it with attr(data-page)); a part holding such links is laid out once the others are placed.
Assembly (pikepdf, on qpdf) joins the parts' pages, structure trees, named destinations and
outlines into one tagged PDF, deterministically: a build from an empty cache and an incremental
one give the same bytes.
"""

from __future__ import annotations

import functools
import importlib.metadata
import io
import itertools
import json
import re
import warnings
from dataclasses import dataclass
from pathlib import Path

from .cache import fingerprint
from .files import write_atomically
from .pdf import LaidOut, lay_out

CACHE = Path(".cache") / "print"  # under the project root
CACHE_LIMIT = 512 * 2**20  # bytes; the least recently used parts go beyond it
MARK = re.compile(r"<!-- print-part(?:: (?P<option>no-page-numbers))? -->")
METADATA = re.compile(r'<title>.*?</title>\s*|<meta name="[^"]*" content="[^"]*">\s*', re.S)
RUNNING = re.compile(r' data-running="[^"]*"')
PAGE_LINK = re.compile(r'<a href="#(?P<target>[^"]+)" data-page="">')
NUMBERS_STYLE = """<style>
html, body { background: none !important; }  /* drawn over the page: nothing but the margins' text */
@page print-numbered { @top-left { content: string(running); } @top-right { content: none; } @bottom-center { content: counter(page) " / " counter(pages); } }
@page print-unnumbered { @top-left { content: none; } @top-right { content: none; } @bottom-center { content: none; } }
.print-numbered { page: print-numbered; } .print-unnumbered { page: print-unnumbered; }
.print-numbered + div, .print-unnumbered + div { break-before: page; }
</style>"""


@dataclass(frozen=True)
class Part:
    html: str  # a whole document: the shared head and body around this part
    numbered: bool  # its pages show page numbers
    refers: bool  # it shows page numbers of other parts: laid out after them


@dataclass
class Printed:
    pdf: bytes
    laid_out: list[str]  # the cache keys of what this print laid out (the rest came from the cache)


def split(html: str) -> tuple[str, list[Part], str]:
    """The shared opening, the parts and the shared closing of a marked document."""
    pieces = MARK.split(html)  # text, option, text, option, ..., text
    opening, closing = pieces[0], ""
    parts = []
    for index in range(1, len(pieces), 2):
        body = pieces[index + 1]
        if index + 2 >= len(pieces):
            body, closing = _cut_closing(body)
        if body.strip():  # a mark before a section the document leaves out
            parts.append((body, pieces[index] != "no-page-numbers"))
    first = RUNNING.sub("", opening)  # the running header is drawn with the page numbers
    shared = METADATA.sub("", first)  # for every part but the first
    return opening, [Part((shared if number else first) + "\n" + body.strip() + "\n" + closing, numbered, PAGE_LINK.search(body) is not None)
                     for number, (body, numbered) in enumerate(parts)], closing


def _cut_closing(last: str) -> tuple[str, str]:
    at = last.rfind("</body>")
    return (last, "") if at < 0 else (last[:at], last[at:])


def print_document(html: str, root: Path) -> Printed:
    """The PDF of a document, from its parts when it is marked, laid out whole otherwise."""
    cache = PartCache(root / CACHE, root)
    if not MARK.search(html):
        return Printed(cache.get(html).pdf, cache.laid_out)
    opening, parts, closing = split(html)
    laid = {index: cache.get(part.html) for index, part in enumerate(parts) if not part.refers}
    placed = sorted(laid, reverse=True)  # reversed: an id held twice is the first part's, as in one document
    referring = [index for index, part in enumerate(parts) if part.refers]
    # A part showing page numbers moves the others by its own length: lay it out until its length is known.
    lengths = {index: 1 for index in referring}
    for _ in range(4):
        starts = [0, *itertools.accumulate(laid[i].pages if i in placed else lengths[i] for i in range(len(parts) - 1))]
        pages_of = {name: starts[i] + page + 1 for i in placed for name, page in laid[i].anchors.items()}
        for index in referring:
            laid[index] = cache.get(PAGE_LINK.sub(lambda link: _page_link(link, pages_of), parts[index].html))
        if all(laid[i].pages == lengths[i] for i in referring):
            break
        lengths = {i: laid[i].pages for i in referring}
    ordered = [laid[i] for i in range(len(parts))]
    numbered = [part.numbered for part, laid_part in zip(parts, ordered) for _ in range(laid_part.pages)]
    numbers = cache.get(_numbers_sheet(opening, numbered, closing))
    return Printed(assemble(ordered, numbers.pdf, numbered), cache.laid_out)


def _page_link(link: re.Match, pages_of: dict[str, int]) -> str:
    target = link["target"]
    return f'<a href="#{target}" data-page="{pages_of.get(target, "")}">'


def _numbers_sheet(opening: str, numbered: list[bool], closing: str) -> str:
    """A document of blank pages, as many as the printed one, each with its page number and
    running header, or neither."""
    head_end = opening.find("</head>")
    opening = opening[:head_end] + NUMBERS_STYLE + opening[head_end:]
    body = opening.find("<body")
    opening = opening[:opening.find(">", body) + 1]  # none of the document's content
    sheets = "".join('<div class="print-numbered"></div>' if shown else '<div class="print-unnumbered"></div>' for shown in numbered)
    return opening + sheets + (closing or "</body></html>")


def assemble(parts: list[LaidOut], numbers: bytes, numbered: list[bool]) -> bytes:
    """One tagged PDF of the parts' pages, structure, destinations and outline, numbered from the
    numbers sheet. The first part's catalog (language, metadata, structure root) is kept."""
    import pikepdf

    out = pikepdf.Pdf.open(io.BytesIO(parts[0].pdf))
    document = out.Root.StructTreeRoot.K[0]  # WeasyPrint's /Document element
    page_entries, annotations, destinations, outline = [], [], {}, []
    sources = []  # the parts' PDFs stay open until out is saved: qpdf copies their streams then
    for index, part in enumerate(parts):
        first = len(out.pages) if index else 0
        if index:
            source = pikepdf.Pdf.open(io.BytesIO(part.pdf))
            sources.append(source)
            element = source.Root.StructTreeRoot.K[0]
            del element.P  # copy the part's tree, not its root
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", pikepdf.PageCopyWarning)  # destinations and links are joined below
                out.pages.extend(source.pages)
            for child in out.copy_foreign(element).K:
                child.P = document
                document.K.append(child)
        else:
            source = out
        copy = (lambda obj: obj) if source is out else functools.partial(_copy, out)
        for key, value in _number_tree(source.Root.StructTreeRoot.ParentTree):
            if key < part.pages:
                out.pages[first + key].obj.StructParents = first + key
                page_entries.append((first + key, copy(value)))
            else:
                annotations.append(copy(value))
        for name, destination in pikepdf.NameTree(source.Root.Names.Dests).items() if "/Names" in source.Root else ():
            if name in part.anchors and name not in destinations:
                destinations[name] = copy(destination)
        with source.open_outline() as source_outline:
            items = [_outline_copy(item, copy) for item in source_outline.root]
        if part.outline_level > 1 and outline:  # a part that goes on with a chapter: its bookmarks go under it
            outline[-1].children.extend(items)
        else:
            outline += items
    for key, annotation in enumerate(annotations, len(out.pages)):
        annotation.StructParent = key
        page_entries.append((key, annotation))
    nums = [entry for pair in page_entries for entry in pair]
    out.Root.StructTreeRoot.ParentTree = out.make_indirect(pikepdf.Dictionary(Nums=pikepdf.Array(nums)))
    names = pikepdf.NameTree.new(out)
    for name in sorted(destinations):
        names[name] = destinations[name]
    out.Root.Names = pikepdf.Dictionary(Dests=names.obj)
    with out.open_outline() as joined:
        joined.root.clear()
        joined.root.extend(outline)
    _stamp_numbers(out, pikepdf.Pdf.open(io.BytesIO(numbers)), numbered)
    result = io.BytesIO()
    out.save(result, deterministic_id=True, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    return result.getvalue()


def _copy(out, obj):
    """obj of another PDF, in out: what it refers to is copied once, whichever object refers to it."""
    import pikepdf

    if not isinstance(obj, pikepdf.Object):  # a number or a string, given as Python's
        return obj
    if obj.is_indirect:
        return out.copy_foreign(obj)
    if isinstance(obj, pikepdf.Array):
        return pikepdf.Array([_copy(out, element) for element in obj])
    if isinstance(obj, pikepdf.Dictionary):
        return pikepdf.Dictionary({key: _copy(out, value) for key, value in obj.items()})
    return obj


def _number_tree(tree) -> list[tuple[int, object]]:
    """The (key, value) pairs of a flat number tree, as WeasyPrint writes it."""
    nums = tree.Nums
    return [(int(nums[i]), nums[i + 1]) for i in range(0, len(nums), 2)]


def _outline_copy(item, copy):
    import pikepdf

    joined = pikepdf.OutlineItem(item.title, copy(item.destination))
    joined.is_closed = item.is_closed
    joined.children.extend(_outline_copy(child, copy) for child in item.children)
    return joined


def _stamp_numbers(out, numbers, numbered: list[bool]) -> None:
    """Draw each page's number and running header from the numbers sheet, marked as an artifact (not content)."""
    import pikepdf

    for index, (page, shown) in enumerate(zip(out.pages, numbered)):
        if not shown:
            continue
        name = pikepdf.Name(f"/PageNumber{index + 1}")
        page.add_resource(out.copy_foreign(numbers.pages[index].as_form_xobject()), pikepdf.Name.XObject, name)
        page.contents_add(pikepdf.Stream(out, b"q"), prepend=True)
        page.contents_add(pikepdf.Stream(out, b"Q /Artifact BMC q " + bytes(name) + b" Do Q EMC"))


class PartCache:
    """Laid-out parts by the hash of their HTML and of the engine, shared by every printed
    document and every build of the project; kept under CACHE_LIMIT by least recent use."""

    def __init__(self, folder: Path, root: Path):
        self.folder = folder
        self.root = root
        self.laid_out: list[str] = []

    def get(self, html: str) -> LaidOut:
        key = fingerprint(engine_fingerprint(), str(self.root), html)
        pdf_file, about_file = self.folder / f"{key}.pdf", self.folder / f"{key}.json"
        try:
            about = json.loads(about_file.read_text(encoding="utf-8"))
            laid = LaidOut(pdf_file.read_bytes(), about["pages"], about["anchors"], about["outline_level"])
            pdf_file.touch()
            return laid
        except (OSError, ValueError, KeyError):
            pass
        laid = lay_out(html, self.root)
        write_atomically(pdf_file, laid.pdf)
        about = {"pages": laid.pages, "anchors": laid.anchors, "outline_level": laid.outline_level}
        write_atomically(about_file, json.dumps(about, sort_keys=True).encode("utf-8"))
        self.laid_out.append(key)
        return laid


@functools.cache
def engine_fingerprint() -> str:
    """What a laid-out part depends on besides its HTML: the layout code and the engine's versions."""
    versions = [f"{name}=={importlib.metadata.version(name)}" for name in ("weasyprint", "pydyf", "pikepdf")]
    return fingerprint(Path(__file__).with_name("pdf.py").read_text(encoding="utf-8"), *versions)


def prune(root: Path, limit: int = CACHE_LIMIT) -> None:
    """Remove the least recently used parts until the cache holds at most limit bytes."""
    folder = root / CACHE
    if not folder.is_dir():
        return
    pdfs = sorted(folder.glob("*.pdf"), key=lambda path: path.stat().st_mtime, reverse=True)
    kept = 0
    for pdf_file in pdfs:
        kept += pdf_file.stat().st_size
        if kept > limit:
            pdf_file.unlink(missing_ok=True)
            pdf_file.with_suffix(".json").unlink(missing_ok=True)


def write_pdf(html: str, root: Path, target: Path) -> None:
    """print_document's PDF written at target."""
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(print_document(html, root).pdf)
