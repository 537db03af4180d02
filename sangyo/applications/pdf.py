"""The founder certificate as a PDF: an HTML template rendered by WeasyPrint.

A4, Noto Serif CJK JP for the text and Noto Sans CJK JP for headings and the number, found by
family name through fontconfig (Debian's fonts-noto-cjk; nothing is downloaded). The
certificate is an official Japanese document, so it is always rendered in Japanese whatever
the viewer's language, with dates in 和暦 (令和7年4月1日, 令和元年5月1日).

WeasyPrint is imported when a certificate is rendered, not when Django starts: loading it
(and fontconfig) takes a few seconds.
"""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import translation

from sangyo.core.wareki import format_wareki

from .founders import AREA_CODES, AREA_LABELS, issuer_for
from .models import FounderCertificate

TEMPLATE = "applications/pdf/founder_certificate.html"

# [U] The wording must be confirmed by the city: the article number follows the current
# 産業競争力強化法 (第2条第31項第2号 after the 2021 amendment), and the city's own form may
# phrase the sentence differently.
LEGAL_BASIS = (
    "産業競争力強化法第2条第31項第2号に規定する特定創業支援等事業により支援を受けたことの証明"
)
TITLE = "特定創業支援等事業により支援を受けたことの証明書"


def certificate_context(certificate: FounderCertificate) -> dict:
    """Everything the template prints, already formatted (dates in 和暦)."""
    from sangyo.strategy.models import Strategy

    strategy = Strategy.objects.filter(is_current=True).first()
    issuer = issuer_for(strategy.municipality_code if strategy else "")
    sessions = sorted(certificate.sessions.all(), key=lambda s: (s.date, s.pk))
    areas = [
        {
            "label": str(AREA_LABELS[code]),
            "dates": [
                format_wareki(d) for d in sorted({s.date for s in sessions if code in s.areas})
            ],
        }
        for code in AREA_CODES
    ]
    rows = [
        {
            "date": format_wareki(s.date),
            "areas": "・".join(str(AREA_LABELS[c]) for c in AREA_CODES if c in s.areas),
            "provider": s.provider.name if s.provider else "",
            "note": s.note,
        }
        for s in sessions
    ]
    return {
        "title": TITLE,
        "legal_basis": LEGAL_BASIS,
        "number": certificate.number,
        "issued_on": format_wareki(certificate.issued_on),
        "holder_name": certificate.holder_name,
        "holder_address": certificate.holder_address,
        "issuer_title": issuer.title,
        "plan": issuer.plan,
        "areas": areas,
        "sessions": rows,
        "first": format_wareki(sessions[0].date) if sessions else "",
        "last": format_wareki(sessions[-1].date) if sessions else "",
        "count": len(sessions),
        "synthetic": certificate.business.is_synthetic,
    }


def certificate_html(certificate: FounderCertificate) -> str:
    with translation.override("ja"):
        return render_to_string(TEMPLATE, certificate_context(certificate))


def certificate_pdf(certificate: FounderCertificate, *, compress: bool = True) -> bytes:
    """The certificate as PDF bytes. `compress=False` leaves the streams readable (tests read
    the text back from them)."""
    from weasyprint import HTML

    html = certificate_html(certificate)
    return HTML(string=html).write_pdf(uncompressed_pdf=not compress)
