"""Uploads: limited by size and type with the content checked (sangyo.core.uploads), used by
every import form; uploaded files are never served by URL and come back only as hardened
downloads (docs/security.md §4)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from django import forms
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from sangyo.core.uploads import content_matches, validate_upload

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
HTML = b"<!doctype html><html><script>alert(1)</script></html>"
CSV_UTF8 = "法人番号,商号\n1234567890123,合成データ株式会社\n".encode()
CSV_SJIS = "法人番号,商号\n1234567890123,合成データ株式会社\n".encode("cp932")
JSON = b'{"result": []}'


def xlsx() -> bytes:
    from openpyxl import Workbook

    out = io.BytesIO()
    Workbook().save(out)
    return out.getvalue()


def zip_of(parts: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return out.getvalue()


def up(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, "application/octet-stream")


# --- the shared validator ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("a.pdf", PDF),
        ("a.PNG", PNG),
        ("a.xlsx", None),
        ("a.csv", CSV_UTF8),
        ("a.csv", b"\xef\xbb\xbf" + CSV_UTF8),
        ("a.txt", CSV_SJIS),
        ("a.json", JSON),
        ("a.zip", zip_of({"a.csv": CSV_UTF8})),
    ],
)
def test_right_content_passes(name, data):
    data = xlsx() if data is None else data
    validate_upload(up(name, data), kind="registry_import", extensions=[name[name.rfind(".") :]])


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("disguised.pdf", HTML),  # an HTML page renamed .pdf
        ("disguised.xlsx", HTML),
        ("zip-not-excel.xlsx", zip_of({"a.txt": b"x"})),
        ("image.csv", PNG),  # binary renamed .csv (NUL bytes)
        ("bad.csv", b"\x81\x20" * 10),  # neither UTF-8 nor Shift_JIS
        ("notzip.zip", CSV_UTF8),
        ("disguised.png", PDF),
    ],
)
def test_disguised_content_is_refused(name, data):
    with pytest.raises(forms.ValidationError) as exc:
        validate_upload(up(name, data), kind="document", extensions=[name[name.rfind(".") :]])
    assert exc.value.code == "content"
    expected = "ZIPファイルとして読めません" if name.endswith(".zip") else "中身が拡張子"
    assert expected in exc.value.messages[0]


def test_wrong_extension_is_refused():
    with pytest.raises(forms.ValidationError) as exc:
        validate_upload(up("page.html", HTML), kind="document", extensions=(".csv", ".xlsx"))
    assert exc.value.code == "extension"
    assert ".csv・.xlsx" in exc.value.messages[0]


def test_unknown_extension_is_never_content_matched():
    assert not content_matches(HTML, ".html")


@override_settings(SANGYO_UPLOAD_LIMITS={"registry_import": 1024})
def test_oversize_is_refused_by_declared_and_real_size():
    with pytest.raises(forms.ValidationError) as exc:
        validate_upload(up("a.csv", b"a," * 600), kind="registry_import", extensions=(".csv",))
    assert exc.value.code == "too_big"
    lying = up("a.csv", b"a," * 600)
    lying.size = 10  # a client can claim any size: the bytes read decide
    with pytest.raises(forms.ValidationError) as exc:
        validate_upload(lying, kind="registry_import", extensions=(".csv",))
    assert exc.value.code == "too_big"


def test_limits_and_request_sizes_are_configured():
    limits = settings.SANGYO_UPLOAD_LIMITS
    assert set(limits) >= {"document", "registry_import", "indicator_import", "navigator_import"}
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE <= 10 * 1024 * 1024
    assert settings.FILE_UPLOAD_MAX_MEMORY_SIZE <= 5 * 1024 * 1024


# --- every import form uses it -------------------------------------------------------------


@pytest.mark.django_db
def test_registry_import_forms_refuse_disguised_files():
    from sangyo.registry.forms_imports import GenericUploadForm, NtaUploadForm

    form = NtaUploadForm(files={"file": up("nta.csv", PNG)})
    assert not form.is_valid() and "中身が拡張子" in form.errors["file"][0]
    form = GenericUploadForm(files={"file": up("list.xlsx", HTML)})
    assert not form.is_valid() and "中身が拡張子" in form.errors["file"][0]
    assert NtaUploadForm(files={"file": up("nta.csv", CSV_SJIS)}).is_valid()


@pytest.mark.django_db
def test_indicator_import_forms_refuse_disguised_files(tsukuba):
    from sangyo.indicators.forms import EstatImportForm, ObservationImportForm

    form = ObservationImportForm(data={"dry_run": "on"}, files={"file": up("obs.xlsx", HTML)})
    assert not form.is_valid() and "中身が拡張子" in form.errors["file"][0]
    form = EstatImportForm(data={}, files={"file": up("e.json", PNG)}, strategy=tsukuba)
    form.is_valid()
    assert "中身が拡張子" in form.errors["file"][0]
    with override_settings(SANGYO_UPLOAD_LIMITS={"indicator_import": 10}):
        form = ObservationImportForm(data={}, files={"file": up("obs.csv", CSV_UTF8)})
        assert not form.is_valid() and "大きすぎます" in form.errors["file"][0]


@pytest.mark.django_db
def test_navigator_import_form_accepts_json_only():
    from sangyo.navigator.forms import ImportForm

    form = ImportForm(data={"source": "jgrants"}, files={"file": up("p.json", JSON)})
    assert form.is_valid(), form.errors
    form = ImportForm(data={"source": "jgrants"}, files={"file": up("p.json", PNG)})
    assert not form.is_valid() and "中身が拡張子" in form.errors["file"][0]
    form = ImportForm(data={"source": "jgrants"}, files={"file": up("p.html", HTML)})
    assert not form.is_valid() and "受け付けられない種類" in form.errors["file"][0]


# --- storage and serving -------------------------------------------------------------------


def test_media_is_outside_static_and_never_served_by_url(client):
    media, static = Path(settings.MEDIA_ROOT).resolve(), settings.STATIC_ROOT
    if static:
        static = Path(static).resolve()
        assert not media.is_relative_to(static) and not static.is_relative_to(media)
    assert not getattr(settings, "WHITENOISE_ROOT", None)  # whitenoise serves static only
    assert client.get("/" + settings.MEDIA_URL + "applications/x.pdf").status_code == 404


@pytest.mark.django_db
def test_uploaded_document_downloads_with_safe_headers(client, tsukuba, make_user):
    from sangyo.applications import uploads
    from sangyo.applications.tests import factories as f
    from sangyo.registry.tests.factories import business
    from sangyo.strategy.models import Program

    call = f.open_call(Program.objects.get(code="05-1", measure__strategy=tsukuba))
    firm = business()
    user = f.applicant(make_user, firm)
    app = f.application(call, firm, user)
    doc = uploads.document_add(application=app, actor=user, upload=up("見積.pdf", PDF), kind="x")
    with pytest.raises(uploads.UploadError):
        uploads.document_add(application=app, actor=user, upload=up("x.pdf", HTML), kind="x")
    client.force_login(user)
    response = client.get(f"/apply/applications/{app.pk}/documents/{doc.pk}/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"].startswith("sandbox")
    assert "private" in response["Cache-Control"]


def test_harden_download_refuses_inline_files():
    from django.http import HttpResponse

    from sangyo.core.security import harden_download

    with pytest.raises(ValueError):
        harden_download(HttpResponse(b"x"))
    response = HttpResponse(b"x")
    response["Content-Disposition"] = 'attachment; filename="x.csv"'
    harden_download(response)
    assert response["Content-Security-Policy"] == "sandbox; default-src 'none'"
    assert response["X-Content-Type-Options"] == "nosniff"
