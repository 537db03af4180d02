"""One check for every uploaded file: size per kind, allowed extension, and content that
really is what the extension says.

    from sangyo.core.uploads import validate_upload
    validate_upload(upload, kind="registry_import", extensions=(".csv", ".xlsx"))

* The size limit per kind comes from `settings.SANGYO_UPLOAD_LIMITS` (bytes).
* The extension must be one of `extensions`.
* The content is sniffed: PDF, PNG, JPEG by their magic bytes; XLSX/XLSM/DOCX as a ZIP
  package holding the right part; ZIP as a ZIP; CSV/TSV/TXT/JSON as text that decodes
  (UTF-8 with or without BOM, or Shift_JIS/CP932) and holds no NUL bytes. An HTML page
  renamed `.pdf`, or a binary renamed `.csv`, is refused with a sentence saying so.

It raises `django.forms.ValidationError` (Japanese message), so a form's `clean_<field>`
can call it in one line. Application documents keep their own stricter check
(sangyo/applications/uploads.py: active content, image decoding, a virus-scanner hook).
"""

from __future__ import annotations

import io
import zipfile
from pathlib import PurePath

from django import forms
from django.conf import settings
from django.utils.translation import gettext as _

DEFAULT_LIMIT = 10 * 1024 * 1024

_MAGIC = {
    ".pdf": (b"%PDF-",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
}
# Office packages: the part that shows which application wrote them.
_PACKAGE_PART = {
    ".xlsx": "xl/workbook.xml",
    ".xlsm": "xl/workbook.xml",
    ".docx": "word/document.xml",
}
_TEXT = {".csv", ".tsv", ".txt", ".json"}
_TEXT_ENCODINGS = ("utf-8-sig", "cp932")
_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")


def limit_for(kind: str) -> int:
    return getattr(settings, "SANGYO_UPLOAD_LIMITS", {}).get(kind, DEFAULT_LIMIT)


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}"


def _read_all(upload) -> bytes:
    if hasattr(upload, "seek"):
        upload.seek(0)
    data = upload.read()
    if hasattr(upload, "seek"):
        upload.seek(0)
    return data


def _is_zip_with(data: bytes, part: str | None) -> bool:
    if not data.startswith(_ZIP_MAGIC):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = {n.lower() for n in archive.namelist()}
    except (zipfile.BadZipFile, ValueError, OSError):
        return False
    if part is None:
        return True
    return "[content_types].xml" in names and part in names


def _is_text(data: bytes) -> bool:
    if b"\x00" in data:
        return False
    for encoding in _TEXT_ENCODINGS:
        try:
            data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return True
    return False


def content_matches(data: bytes, suffix: str) -> bool:
    """Whether the bytes are what a file ending in `suffix` should hold."""
    if suffix in _MAGIC:
        return data.startswith(_MAGIC[suffix])
    if suffix in _PACKAGE_PART:
        return _is_zip_with(data, _PACKAGE_PART[suffix])
    if suffix == ".zip":
        return _is_zip_with(data, None)
    if suffix in _TEXT:
        return _is_text(data)
    return False  # an extension this module does not know is never accepted


def validate_upload(upload, *, kind: str, extensions) -> None:
    """Refuse the file unless its size, extension and content are acceptable for `kind`."""
    limit = limit_for(kind)
    name = PurePath(str(getattr(upload, "name", "") or "")).name
    size = getattr(upload, "size", None)
    if size is not None and size > limit:
        raise forms.ValidationError(
            _("ファイルが大きすぎます（%(size)s MB）。%(max)s MB までのファイルを選んでください")
            % {"size": _mb(size), "max": limit // (1024 * 1024)},
            code="too_big",
        )
    suffix = PurePath(name).suffix.lower()
    allowed = tuple(e.lower() for e in extensions)
    if suffix not in allowed:
        raise forms.ValidationError(
            _(
                "「%(name)s」は受け付けられない種類のファイルです。%(allowed)s のファイルを選んでください"
            )
            % {"name": name, "allowed": "・".join(allowed)},
            code="extension",
        )
    data = _read_all(upload)
    if len(data) > limit:
        raise forms.ValidationError(
            _("ファイルが大きすぎます。%(max)s MB までのファイルを選んでください")
            % {"max": limit // (1024 * 1024)},
            code="too_big",
        )
    if not data:
        raise forms.ValidationError(_("選ばれたファイルは空です"), code="empty")
    if not content_matches(data, suffix):
        if suffix == ".zip":
            raise forms.ValidationError(
                _("「%(name)s」はZIPファイルとして読めません") % {"name": name}, code="content"
            )
        raise forms.ValidationError(
            _(
                "「%(name)s」の中身が拡張子（%(ext)s）と一致しません。"
                "正しい形式で保存し直してから選んでください"
            )
            % {"name": name, "ext": suffix},
            code="content",
        )
