"""Uploaded documents: size and type limits by content, active content refused, random
storage names, and downloads that can never run as a page of the site."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from sangyo.applications import uploads
from sangyo.applications.models import Document
from sangyo.applications.tests import factories as f
from sangyo.applications.tests.test_portal import PDF, world  # noqa: F401 (fixture)
from sangyo.core.models import AuditEvent


def png_bytes() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(out, "PNG")
    return out.getvalue()


def jpeg_bytes() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(out, "JPEG")
    return out.getvalue()


def xlsx_bytes() -> bytes:
    from openpyxl import Workbook

    out = io.BytesIO()
    book = Workbook()
    book.active["A1"] = "合成データ"
    book.save(out)
    return out.getvalue()


def package(parts: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return out.getvalue()


def docx_bytes(extra: dict | None = None) -> bytes:
    return package(
        {
            "[Content_Types].xml": b"<Types/>",
            "word/document.xml": b"<w:document/>",
            **(extra or {}),
        }
    )


def upload(name: str, data: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, data, content_type=content_type)


@pytest.mark.parametrize(
    ("name", "make", "expected"),
    [
        ("申請書.pdf", lambda: PDF, uploads.PDF),
        ("写真.png", png_bytes, uploads.PNG),
        ("写真.JPG", jpeg_bytes, uploads.JPEG),
        ("写真.jpeg", jpeg_bytes, uploads.JPEG),
        ("収支.xlsx", xlsx_bytes, uploads.XLSX),
        ("計画.docx", docx_bytes, uploads.DOCX),
    ],
)
def test_allowed_types_pass_by_content(name, make, expected):
    checked = uploads.check_upload(upload(name, make()))
    assert checked.content_type == expected
    assert checked.original_name == name


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        # HTML disguised as a PDF (and declared as one by the browser).
        ("invoice.pdf", b"<!doctype html><script>alert(1)</script>", "一致しません"),
        ("photo.png", PDF, "一致しません"),  # the wrong magic for the extension
        ("plan.docx", xlsx_bytes(), "一致しません"),  # a workbook named as a document
        ("plan.docx", b"PK\x03\x04 not really a zip", "一致しません"),
        ("page.html", b"<html></html>", "この種類のファイルは提出できません"),
        ("script.svg", b"<svg onload='alert(1)'/>", "この種類のファイルは提出できません"),
        ("noextension", PDF, "この種類のファイルは提出できません"),
        ("macro.xlsm", xlsx_bytes(), "この種類のファイルは提出できません"),
        ("empty.pdf", b"", "空のファイル"),
        ("broken.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 40, "画像ファイルが壊れて"),
    ],
)
def test_mismatched_or_unknown_content_is_refused(name, data, message):
    with pytest.raises(uploads.UploadError) as exc:
        uploads.check_upload(upload(name, data, "application/pdf"))
    assert message in str(exc.value)


def test_oversize_files_are_refused_even_if_they_lie_about_their_size():
    big = PDF + b"0" * uploads.MAX_BYTES
    with pytest.raises(uploads.UploadError, match="10MB"):
        uploads.check_upload(upload("big.pdf", big))

    class Liar(io.BytesIO):
        name = "big.pdf"
        size = 10

    with pytest.raises(uploads.UploadError, match="10MB"):
        uploads.check_upload(Liar(big))
    exactly = PDF + b"0" * (uploads.MAX_BYTES - len(PDF))
    assert uploads.check_upload(upload("limit.pdf", exactly)).content_type == uploads.PDF


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("js.pdf", b"%PDF-1.7\n1 0 obj << /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >>"),
        ("launch.pdf", b"%PDF-1.7\n1 0 obj << /S /Launch /F (cmd.exe) >>"),
        ("embedded.pdf", b"%PDF-1.7\n1 0 obj << /Type /EmbeddedFile >>"),
        ("macro.xlsx", None),
        ("macro.docx", docx_bytes({"word/vbaProject.bin": b"\0"})),
    ],
)
def test_active_content_is_refused(name, data):
    if data is None:
        book = zipfile.ZipFile(io.BytesIO(xlsx_bytes()))
        data = package({n: book.read(n) for n in book.namelist()} | {"xl/vbaProject.bin": b"\0"})
    with pytest.raises(uploads.UploadError):
        uploads.check_upload(upload(name, data))


def test_names_lose_directories_and_control_characters():
    assert uploads.clean_name("../../etc/passwd.pdf") == "passwd.pdf"
    assert uploads.clean_name("C:\\Users\\x\\見積書.pdf") == "見積書.pdf"
    assert uploads.clean_name("a\x00b\r\n.pdf") == "ab.pdf"
    assert uploads.clean_name("") == "file"
    long = "あ" * 300 + ".pdf"
    assert len(uploads.clean_name(long)) <= 200 and uploads.clean_name(long).endswith(".pdf")


@override_settings(SANGYO_UPLOAD_SCANNER="sangyo.applications.tests.test_uploads.fake_scanner")
def test_a_configured_scanner_can_refuse_files():
    with pytest.raises(uploads.UploadError, match="ウイルス"):
        uploads.check_upload(upload("eicar.pdf", PDF + b"EICAR"))
    assert uploads.check_upload(upload("clean.pdf", PDF))


def fake_scanner(data: bytes) -> str | None:
    return "ウイルスが検出されました" if b"EICAR" in data else None


# --- through the portal ------------------------------------------------------------------


@pytest.fixture
def draft(world):  # noqa: F811
    return f.application(world.call, world.mine, world.user, status="draft")


@pytest.mark.django_db
def test_upload_stores_under_a_random_name_and_serves_a_hardened_download(client, world, draft):  # noqa: F811
    client.force_login(world.user)
    response = client.post(
        f"/apply/applications/{draft.pk}/documents/",
        {"kind": "estimate", "file": upload("../見積書 (1).pdf", PDF, "text/html")},
    )
    assert response.status_code == 302
    doc = Document.objects.get(application=draft)
    assert doc.original_name == "見積書 (1).pdf"
    assert doc.content_type == "application/pdf"  # from the content, not the browser
    assert "見積書" not in doc.file.name and doc.file.name.endswith(".pdf")
    assert doc.file.name.startswith("applications/")
    assert default_storage.open(doc.file.name).read() == PDF
    assert doc.size == len(PDF) and len(doc.sha256) == 64
    assert AuditEvent.objects.filter(code="applications.document.uploaded").exists()

    response = client.get(f"/apply/applications/{draft.pk}/documents/{doc.pk}/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert "filename*=utf-8''" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "sandbox"
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == PDF


@pytest.mark.django_db
def test_refused_upload_is_a_message_on_the_page(client, world, draft):  # noqa: F811
    client.force_login(world.user)
    response = client.post(
        f"/apply/applications/{draft.pk}/documents/",
        {"kind": "estimate", "file": upload("invoice.pdf", b"<html><script>x</script>")},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert 'role="alert"' in body and "エラー：" in body and "一致しません" in body
    assert not Document.objects.exists()
    response = client.post(f"/apply/applications/{draft.pk}/documents/", {"kind": "estimate"})
    assert response.status_code == 200 and "ファイルを選択してください" in response.content.decode()


@pytest.mark.django_db(transaction=True)
def test_delete_removes_row_and_file_while_editable(client, world, draft):  # noqa: F811
    client.force_login(world.user)
    client.post(
        f"/apply/applications/{draft.pk}/documents/",
        {"kind": "other", "file": upload("a.pdf", PDF)},
    )
    doc = Document.objects.get()
    name = doc.file.name
    response = client.post(f"/apply/applications/{draft.pk}/documents/{doc.pk}/delete/")
    assert response.status_code == 302
    assert not Document.objects.exists()
    assert not default_storage.exists(name)


@pytest.mark.django_db
def test_documents_are_frozen_once_submitted(client, world):  # noqa: F811
    app = f.application(world.call, world.mine, world.user, status="returned")
    client.force_login(world.user)
    client.post(
        f"/apply/applications/{app.pk}/documents/",
        {"kind": "other", "file": upload("a.pdf", PDF)},
    )
    doc = Document.objects.get()
    from sangyo.applications import services

    services.application_transition(application=app, action="resubmit", actor=world.user)
    response = client.post(
        f"/apply/applications/{app.pk}/documents/",
        {"kind": "other", "file": upload("b.pdf", PDF)},
    )
    assert response.status_code == 200 and "追加できません" in response.content.decode()
    response = client.post(f"/apply/applications/{app.pk}/documents/{doc.pk}/delete/", follow=True)
    assert "削除できません" in response.content.decode()
    assert Document.objects.count() == 1
    # The applicant can still download what they sent.
    assert client.get(f"/apply/applications/{app.pk}/documents/{doc.pk}/").status_code == 200


@pytest.mark.django_db
def test_a_document_is_reachable_only_through_its_own_application(client, world):  # noqa: F811
    mine = f.application(world.call, world.mine, world.user, status="draft")
    theirs = f.application(world.call, world.theirs, world.stranger, status="draft")
    doc = uploads.document_add(
        application=theirs, actor=world.stranger, upload=upload("x.pdf", PDF), kind="other"
    )
    client.force_login(world.user)
    # My application's URL with their document id: not found.
    assert client.get(f"/apply/applications/{mine.pk}/documents/{doc.pk}/").status_code == 404
    response = client.post(f"/apply/applications/{mine.pk}/documents/{doc.pk}/delete/")
    assert response.status_code == 404
    assert Document.objects.filter(pk=doc.pk).exists()


@pytest.mark.django_db
def test_services_refuse_actors_who_cannot_act_for_the_business(world):  # noqa: F811
    app = f.application(world.call, world.mine, world.user, status="draft")
    from sangyo.core.errors import PermissionDenied

    with pytest.raises(PermissionDenied):
        uploads.document_add(
            application=app, actor=world.stranger, upload=upload("x.pdf", PDF), kind="other"
        )
    with pytest.raises(PermissionDenied):
        uploads.document_add(
            application=app, actor=world.officer, upload=upload("x.pdf", PDF), kind="other"
        )
