"""A diagnosis as a printable PDF (WeasyPrint, Noto CJK fonts by family name, as in
sangyo/applications/pdf.py). Always in Japanese; WeasyPrint is imported only when used."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import translation

from .models import Diagnosis

TEMPLATE = "diagnostics/pdf/diagnosis.html"


def diagnosis_html(diagnosis: Diagnosis, context: dict) -> str:
    with translation.override("ja"):
        return render_to_string(TEMPLATE, context)


def diagnosis_pdf(diagnosis: Diagnosis, context: dict, *, compress: bool = True) -> bytes:
    from weasyprint import HTML

    with translation.override("ja"):
        # Values computed lazily (reasons, displays) must be rendered in Japanese too.
        html = render_to_string(TEMPLATE, context)
    return HTML(string=html).write_pdf(uncompressed_pdf=not compress)
