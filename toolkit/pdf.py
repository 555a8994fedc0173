"""Lay out HTML as a PDF with WeasyPrint: the handbooks and the evaluation instruments."""

from __future__ import annotations

from pathlib import Path


def write_pdf(html: str, root: Path, target: Path) -> None:
    """Lay out a document's HTML as a PDF at target (images and links resolve from root)."""
    from weasyprint import HTML  # imported when a PDF is made: check and serve never load it

    target.parent.mkdir(parents=True, exist_ok=True)
    HTML(string=html, base_url=str(root)).write_pdf(target)
