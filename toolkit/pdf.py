"""Lay out HTML as a PDF with WeasyPrint: every page the toolkit prints is laid out here.

Each PDF is tagged PDF/UA-1, for screen readers: a structure tree of its headings, paragraphs,
lists and tables, its language from the document's <html lang>, and an outline (bookmarks)
from its headings. Long documents are cut into parts and assembled by printing.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

VARIANT = "pdf/ua-1"


@dataclass(frozen=True)
class LaidOut:
    pdf: bytes
    pages: int
    anchors: dict[str, int]  # every id of the document -> the 0-based page it is on (the first, if repeated)
    outline_level: int  # the heading level of its first bookmark: 1 for a chapter, more for a part that goes on with one


def lay_out(html: str, root: Path) -> LaidOut:
    """A document's HTML laid out as a PDF (images and links resolve from root).

    An internal link whose target is not in this document (it is in another part of a printed
    document) is kept, pointing at a stand-in destination on the first page that assembly
    replaces by the real one; WeasyPrint alone would drop the link.
    """
    from weasyprint import HTML  # imported when a PDF is made: check and serve never load it

    _mend_pydyf()
    document = HTML(string=html, base_url=str(root)).render(pdf_variant=VARIANT)
    anchors: dict[str, int] = {}
    for number, page in enumerate(document.pages):
        for name in page.anchors:
            anchors.setdefault(name, number)
    elsewhere = {target for page in document.pages for kind, target, _, _ in page.links if kind == "internal" and target not in anchors}
    for name in sorted(elsewhere):
        document.pages[0].anchors[name] = (0, 0, 0, 0)
    bookmarks = [level for page in document.pages for level, _, _, _ in page.bookmarks]
    return LaidOut(document.write_pdf(pdf_variant=VARIANT), len(document.pages), anchors, bookmarks[0] if bookmarks else 1)


def pdf_bytes(html: str, root: Path) -> bytes:
    """A short document (a certificate) laid out as one PDF."""
    return lay_out(html, root).pdf


def _mend_pydyf() -> None:
    """pydyf 0.13 builds the list of every page's reference anew each time it is read, and
    WeasyPrint's tagging reads it once per tagged element: time grows with pages × elements
    (2.3 s of the 26 s a 280-page handbook took). Reading it from a list kept while the page
    count is unchanged gives the same bytes."""
    import pydyf

    if getattr(pydyf.PDF, "_page_references_kept", False):
        return

    def page_references(pdf):
        kids = pdf.pages["Kids"]
        kept = pdf.__dict__.get("_page_references")
        if kept is None or kept[0] != len(kids):
            kept = pdf.__dict__["_page_references"] = (len(kids), tuple(f"{number} 0 R".encode("ascii") for number in kids[::3]))
        return kept[1]

    pydyf.PDF.page_references = property(page_references)
    pydyf.PDF._page_references_kept = True
