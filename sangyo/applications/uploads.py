"""Documents attached to applications: validation, storage and serving back.

* At most 10 MB per file; PDF, PNG, JPEG, XLSX and DOCX only. The type is decided by the
  file's content (magic bytes, and for XLSX/DOCX the package's parts), and the extension
  must agree with it: an HTML page renamed `.pdf` is refused.
* Active content is refused where it can be seen without parsing: PDFs that declare
  JavaScript, launch actions or embedded files, and macro-enabled Office packages.
  When `settings.SANGYO_UPLOAD_SCANNER` names a callable (e.g. a ClamAV client), every file
  is passed to it too and refused if it returns a message.
* Files are stored through the default storage under a random name (MEDIA_ROOT is outside
  the web root and never served by URL); the original name is kept only as data.
* Files are served back only by `document_response`, after the view checked access, as a
  download (`Content-Disposition: attachment`) with `nosniff` and a `sandbox` CSP, so a file
  can never run as a page of this site.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import unicodedata
import uuid
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.http import FileResponse
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from sangyo.core.audit import audit
from sangyo.core.errors import DomainError, PermissionDenied

from . import policies
from .models import Application, Document

MAX_BYTES = 10 * 1024 * 1024
MAX_DOCUMENTS = 30

PDF = "application/pdf"
PNG = "image/png"
JPEG = "image/jpeg"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

# extension → the content type its content must have
EXTENSIONS = {
    "pdf": PDF,
    "png": PNG,
    "jpg": JPEG,
    "jpeg": JPEG,
    "xlsx": XLSX,
    "docx": DOCX,
}
STORED_EXTENSION = {PDF: "pdf", PNG: "png", JPEG: "jpg", XLSX: "xlsx", DOCX: "docx"}
ACCEPT = ".pdf,.png,.jpg,.jpeg,.xlsx,.docx"

# Names that mark active content in a PDF's dictionaries. (Streams compressed inside object
# streams can hide them; the download headers are the guarantee, this is an early refusal.)
_PDF_ACTIVE = re.compile(rb"/(JavaScript|JS|Launch|EmbeddedFile|RichMedia|XFA)\b")
_MACRO_PARTS = ("vbaproject.bin", "vbadata.xml", "activex/")


class UploadError(DomainError):
    pass


@dataclass(frozen=True)
class CheckedFile:
    data: bytes
    content_type: str
    extension: str
    original_name: str
    sha256: str


def clean_name(name: str) -> str:
    """The name shown back to people: no directories, no control characters, ≤ 200 chars."""
    name = unicodedata.normalize("NFC", os.path.basename(str(name).replace("\\", "/")))
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip(" .")
    if len(name) > 200:
        stem, dot, ext = name.rpartition(".")
        name = (stem[: 190 - len(ext)] + dot + ext) if dot and len(ext) <= 8 else name[:200]
    return name or "file"


def sniff(data: bytes) -> str | None:
    """The content type the bytes really are, among the allowed ones (None otherwise)."""
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                names = {n.lower() for n in z.namelist()}
        except (zipfile.BadZipFile, ValueError, OSError):
            return None
        if "[content_types].xml" not in names:
            return None
        if "xl/workbook.xml" in names:
            return XLSX
        if "word/document.xml" in names:
            return DOCX
    return None


def _active_content(data: bytes, content_type: str) -> str | None:
    if content_type == PDF and _PDF_ACTIVE.search(data):
        return _("PDFにスクリプトや埋め込みファイルが含まれているため受け付けられません")
    if content_type in (XLSX, DOCX):
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            names = [n.lower() for n in z.namelist()]
        if any(part in n for n in names for part in _MACRO_PARTS):
            return _("マクロなどの実行可能な内容を含むファイルは受け付けられません")
    return None


def _image_is_whole(data: bytes) -> bool:
    try:
        from PIL import Image
    except ImportError:  # Pillow comes with WeasyPrint; without it, the magic check stands
        return True
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.verify()
    except Exception:  # any decoder failure means "not a usable image"
        return False
    return True


def _scan(data: bytes) -> str | None:
    scanner = getattr(settings, "SANGYO_UPLOAD_SCANNER", None)
    if not scanner:
        return None
    return import_string(scanner)(data)


def check_upload(upload) -> CheckedFile:
    """Validate an uploaded file (a Django UploadedFile or any object with name/size/read)."""
    if upload is None:
        raise UploadError(_("ファイルを選択してください"))
    size = getattr(upload, "size", None)
    if size is not None and size > MAX_BYTES:
        raise UploadError(
            _("ファイルが大きすぎます（上限は10MB、このファイルは%(mb)sMB）")
            % {"mb": f"{size / 1024 / 1024:.1f}"}
        )
    if hasattr(upload, "seek"):
        upload.seek(0)
    data = upload.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise UploadError(_("ファイルが大きすぎます（上限は10MB）"))
    if not data:
        raise UploadError(_("空のファイルは提出できません"))
    name = clean_name(getattr(upload, "name", "") or "")
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    expected = EXTENSIONS.get(extension)
    if expected is None:
        raise UploadError(
            _(
                "この種類のファイルは提出できません（PDF・PNG・JPEG・Excel（.xlsx）・Word（.docx）のみ）"
            )
        )
    actual = sniff(data)
    if actual != expected:
        raise UploadError(
            _("ファイルの中身が拡張子（.%(ext)s）と一致しません。正しい形式で保存し直してください")
            % {"ext": extension}
        )
    if actual in (PNG, JPEG) and not _image_is_whole(data):
        raise UploadError(_("画像ファイルが壊れているか、画像として読み取れません"))
    refusal = _active_content(data, actual) or _scan(data)
    if refusal:
        raise UploadError(refusal)
    return CheckedFile(
        data=data,
        content_type=actual,
        extension=STORED_EXTENSION[actual],
        original_name=name,
        sha256=hashlib.sha256(data).hexdigest(),
    )


# --- services ---------------------------------------------------------------------------


@transaction.atomic
def document_add(*, application: Application, actor, upload, kind: str) -> Document:
    """Attach a checked file to an application the actor may edit."""
    application = Application.objects.select_for_update().get(pk=application.pk)
    if not policies.can_act_for_application(actor, application):
        raise PermissionDenied(_("この申請に書類を提出する権限がありません"))
    if application.status not in policies.EDITABLE_STATES:
        raise UploadError(
            _("提出済みの申請には書類を追加できません（差し戻された場合は追加できます）")
        )
    if application.documents.count() >= MAX_DOCUMENTS:
        raise UploadError(_("提出できる書類は%(n)s件までです") % {"n": MAX_DOCUMENTS})
    checked = check_upload(upload)
    document = Document(
        application=application,
        kind=(kind or "other")[:60],
        original_name=checked.original_name,
        content_type=checked.content_type,
        size=len(checked.data),
        sha256=checked.sha256,
        uploaded_by=actor,
    )
    # A random name: nothing the uploader chose reaches the file system.
    document.file.save(
        f"{uuid.uuid4().hex}.{checked.extension}", ContentFile(checked.data), save=False
    )
    stored = document.file.name
    try:
        document.save()
        audit(
            "applications.document.uploaded",
            actor=actor,
            target=application,
            data={
                "document": document.pk,
                "kind": document.kind,
                "name": document.original_name,
                "size": document.size,
                "sha256": document.sha256,
            },
        )
    except Exception:
        # The row will not exist, so neither may the file.
        document.file.storage.delete(stored)
        raise
    return document


@transaction.atomic
def document_delete(*, document: Document, actor) -> None:
    application = Application.objects.select_for_update().get(pk=document.application_id)
    if not policies.can_act_for_application(actor, application):
        raise PermissionDenied(_("この書類を削除する権限がありません"))
    if application.status not in policies.EDITABLE_STATES:
        raise UploadError(_("提出済みの申請の書類は削除できません"))
    storage, name = document.file.storage, document.file.name
    data = {"document": document.pk, "name": document.original_name, "sha256": document.sha256}
    document.delete()
    audit("applications.document.deleted", actor=actor, target=application, data=data)
    # The file goes only once the row is gone for good.
    transaction.on_commit(lambda: storage.delete(name))


def document_response(document: Document) -> FileResponse:
    """The file as a download that can never render as a page of this site. Call it only
    after checking `policies.can_view_application` for the document's application."""
    response = FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=document.original_name,
        content_type=document.content_type,
    )
    harden(response)
    return response


def harden(response):
    """Headers for anything a user supplied or a download we generate."""
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox"
    response["Cache-Control"] = "private, no-store"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    return response
