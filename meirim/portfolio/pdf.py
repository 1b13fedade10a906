"""The PDFs of a frozen version: the preparatory portfolio, Part A (the child-friendliness
report) and an easy-read version of Part A's key points for children, through WeasyPrint.

They are drawn from ``PortfolioVersion.content`` alone, in the language asked for, with the
same SVG charts as the pages. Fonts: DejaVu (Debian's fonts-dejavu-core) covers the Kazakh
and Kyrgyz Cyrillic letters.
"""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.utils import translation

from meirim.portfolio import rendering
from meirim.portfolio.models import PortfolioDocument, PortfolioVersion

TEMPLATES = {
    PortfolioDocument.Kind.PORTFOLIO: "portfolio/pdf/portfolio.html",
    PortfolioDocument.Kind.PART_A: "portfolio/pdf/part_a.html",
    PortfolioDocument.Kind.EASY_READ: "portfolio/pdf/easy_read.html",
}


def document_html(version: PortfolioVersion, kind: str, language: str) -> str:
    with translation.override(language):
        context: dict[str, Any] = {
            "version": version,
            "kind": kind,
            "language": language,
            **rendering.context(version.content, language),
        }
        return render_to_string(TEMPLATES[PortfolioDocument.Kind(kind)], context)


def document_pdf(version: PortfolioVersion, kind: str, language: str) -> bytes:
    from weasyprint import HTML

    pdf: bytes = HTML(string=document_html(version, kind, language)).write_pdf()
    return pdf
