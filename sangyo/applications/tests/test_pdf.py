"""The founder certificate PDF: a real PDF, Japanese text with 和暦 dates, Noto CJK fonts
embedded. The text is read back from the PDF itself (there is no PDF parser among the
dependencies, so a small reader below maps the glyphs through the fonts' ToUnicode tables).
All data is synthetic (合成データ)."""

from __future__ import annotations

import datetime
import re
import time
import zlib

import pytest

from sangyo.applications import founders, pdf
from sangyo.registry.models import PartnerOrganisation
from sangyo.registry.tests.factories import business as make_business

D = datetime.date


# -- a minimal reader for WeasyPrint's uncompressed output -----------------------------------


def _objects(data: bytes) -> dict[int, bytes]:
    return {int(m[1]): m[2] for m in re.finditer(rb"(\d+) 0 obj(.*?)endobj", data, re.S)}


def _cmap(body: bytes) -> dict[int, str]:
    table: dict[int, str] = {}
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", body, re.S):
        for src, dst in re.findall(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", block):
            table[int(src, 16)] = bytes.fromhex(dst.decode()).decode("utf-16-be")
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", body, re.S):
        for lo, hi, dst in re.findall(
            rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", block
        ):
            start = int(dst, 16)
            for i, gid in enumerate(range(int(lo, 16), int(hi, 16) + 1)):
                table[gid] = chr(start + i)
    return table


def pdf_text(data: bytes) -> str:
    """The text of an uncompressed PDF, in drawing order, one line per text-showing operator."""
    objects = _objects(data)
    fonts: dict[bytes, dict[int, str]] = {}
    for body in objects.values():
        for name, ref in re.findall(rb"/([A-Za-z0-9_.+-]+) (\d+) 0 R", body):
            target = objects.get(int(ref), b"")
            unicode_ref = re.search(rb"/ToUnicode (\d+) 0 R", target)
            if b"/Type /Font" in target and unicode_ref:
                fonts[name] = _cmap(objects[int(unicode_ref[1])])
    lines, current = [], {}
    token = re.compile(rb"/([A-Za-z0-9_.+-]+) [\d.]+ Tf|\[((?:[^\]])*)\] TJ|<([0-9a-fA-F]*)> Tj")
    for m in token.finditer(data):
        if m[1] is not None:
            current = fonts.get(m[1], {})
            continue
        hexes = re.findall(rb"<([0-9a-fA-F]*)>", m[2]) if m[2] is not None else [m[3]]
        text = ""
        for h in hexes:
            raw = bytes.fromhex(h.decode())
            text += "".join(
                current.get(int.from_bytes(raw[i : i + 2], "big"), "�")
                for i in range(0, len(raw), 2)
            )
        lines.append(text)
    return "\n".join(lines)


def inflated(data: bytes) -> bytes:
    """The PDF's bytes with every compressed stream decompressed after it."""
    out = [data]
    for m in re.finditer(rb"stream\r?\n", data):
        try:
            out.append(zlib.decompressobj().decompress(data[m.end() :]))
        except zlib.error:
            continue
    return b"".join(out)


# -- fixtures --------------------------------------------------------------------------------


def issued(tsukuba, officer, *, start: D, issued_on: D, **fields):
    defaults = {
        "name": "合成データ 創業太郎",
        "corporate_type": "pre_founding",
        "date_of_establishment": None,
        "capital_stock": None,
        "location": "茨城県つくば市研究学園一丁目1番地1（合成データ）",
    }
    b = make_business(**(defaults | fields))
    partner = PartnerOrganisation.objects.create(
        name="合成データ創業支援センター", kind="startup", is_synthetic=True
    )
    for offset, areas in (
        (0, ["management", "finance"]),
        (14, ["hr"]),
        (21, ["sales"]),
        (35, ["finance"]),
    ):
        founders.founder_session_record(
            business=b,
            date=start + datetime.timedelta(days=offset),
            areas=areas,
            provider=partner,
            note="合成データの創業塾",
            actor="test",
            is_synthetic=True,
        )
    return founders.founder_certificate_issue(business=b, actor=officer, issued_on=issued_on)


@pytest.fixture
def certificate(tsukuba, users):
    return issued(tsukuba, users["officer"], start=D(2025, 2, 3), issued_on=D(2025, 4, 1))


# -- tests -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_pdf_carries_the_certificate_in_japanese(certificate):
    started = time.perf_counter()
    data = pdf.certificate_pdf(certificate, compress=False)
    elapsed = time.perf_counter() - started
    assert data.startswith(b"%PDF-")
    text = pdf_text(data)
    assert "令和7年4月1日" in text  # the issue date in 和暦
    assert "つ産振第R7-0001号" in text
    assert "特定創業支援等事業により支援を受けたことの証明書" in text
    assert "合成データ 創業太郎" in text
    assert "つくば市長" in text
    # The four areas, and a session date in 和暦 (令和7年2月3日 = 2025-02-03).
    for area in ("経営", "財務", "人材育成", "販路開拓"):
        assert area in text
    assert "令和7年2月3日" in text
    assert "合成データ創業支援センター" in text
    assert "1 / 1" in text  # the page number in the footer
    # A generous bound: a render takes well under a second on a laptop.
    assert elapsed < 20, f"rendering took {elapsed:.1f}s"


@pytest.mark.django_db
def test_the_legal_basis_is_printed(certificate):
    html = pdf.certificate_html(certificate)
    assert pdf.LEGAL_BASIS in html
    assert (
        "産業競争力強化法第2条第31項第2号に規定する特定創業支援等事業により支援を受けたことの証明"
        in html
    )
    # The sentence wraps across lines in the PDF, so look for it without line breaks.
    text = pdf_text(pdf.certificate_pdf(certificate, compress=False)).replace("\n", "")
    assert "産業競争力強化法第2条第31項第2号" in text


@pytest.mark.django_db
def test_the_first_year_of_an_era_is_gannen(tsukuba, users):
    cert = issued(tsukuba, users["officer"], start=D(2019, 3, 1), issued_on=D(2019, 5, 1))
    assert cert.number == "つ産振第R1-0001号"
    text = pdf_text(pdf.certificate_pdf(cert, compress=False))
    assert "令和元年5月1日" in text
    # Sessions before 1 May 2019 are in 平成.
    assert "平成31年3月1日" in text


@pytest.mark.django_db
def test_the_fonts_embedded_are_noto_cjk(certificate):
    data = pdf.certificate_pdf(certificate)  # as served: compressed
    assert data.startswith(b"%PDF-")
    raw = inflated(data)
    fonts = set(re.findall(rb"/BaseFont\s*/(?:[A-Z]{6}\+)?([A-Za-z0-9-]+)", raw))
    assert fonts, "no font found in the PDF"
    assert all(f.startswith((b"Noto-Sans-CJK-JP", b"Noto-Serif-CJK-JP")) for f in fonts), fonts
    assert any(f.startswith(b"Noto-Serif-CJK-JP") for f in fonts)
    assert any(f.startswith(b"Noto-Sans-CJK-JP") for f in fonts)
    # Embedded (a font file in each descriptor), not merely named.
    assert raw.count(b"/FontDescriptor") >= len(fonts)
    assert re.search(rb"/FontFile[23]? \d+ 0 R", raw)


@pytest.mark.django_db
def test_synthetic_certificates_say_so(certificate):
    assert "合成データ" in pdf_text(pdf.certificate_pdf(certificate, compress=False))


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["admin", "officer", "business"])
def test_download(client, certificate, users, role):
    from sangyo.registry.services import membership_add

    membership_add(
        user=users["business"], business=certificate.business, role="member", actor="test"
    )
    client.force_login(users[role])
    response = client.get(f"/staff/founders/certificates/{certificate.pk}.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response.content.startswith(b"%PDF-")


@pytest.mark.django_db
def test_other_businesses_members_cannot_download(client, certificate, make_user):
    from sangyo.registry.services import membership_add

    stranger = make_user("business", email="stranger@example.test")
    membership_add(user=stranger, business=make_business(), role="representative", actor="test")
    client.force_login(stranger)
    assert client.get(f"/staff/founders/certificates/{certificate.pk}.pdf").status_code == 404
