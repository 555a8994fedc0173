"""Lay out HTML as a PDF with WeasyPrint: every PDF the toolkit prints is made here.

Each is tagged PDF/UA-1, for screen readers: a structure tree of its headings, paragraphs,
lists and tables, its language from the document's <html lang>, and an outline (bookmarks)
from its headings.
"""

from __future__ import annotations

from pathlib import Path

VARIANT = "pdf/ua-1"


def pdf_bytes(html: str, root: Path) -> bytes:
    """A document's HTML laid out as a PDF (images and links resolve from root)."""
    from weasyprint import HTML  # imported when a PDF is made: check and serve never load it

    return HTML(string=html, base_url=str(root)).write_pdf(pdf_variant=VARIANT)


def write_pdf(html: str, root: Path, target: Path) -> None:
    """pdf_bytes written at target."""
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(pdf_bytes(html, root))
