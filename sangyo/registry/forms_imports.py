"""Forms of the import screens: the two uploads and the column mapping.

Upload forms check size and extension before anything reads the file, so a wrong file gets a
sentence saying what to do instead of a parser error. The 国税庁 site distributes its files
as ZIP archives holding one CSV: the NTA form accepts the ZIP as downloaded and takes the
CSV out of it, so staff need not unpack it first.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import PurePath

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from sangyo.core.uploads import validate_upload

from . import imports

MAX_MB = imports.MAX_UPLOAD_BYTES // (1024 * 1024)


def _too_big(size: int) -> forms.ValidationError:
    return forms.ValidationError(
        gettext(
            "ファイルが大きすぎます（%(size).1f MB）。%(max)s MB までのファイルを選んでください。"
            "大きなファイルは分けてください"
        )
        % {"size": size / (1024 * 1024), "max": MAX_MB}
    )


class UploadForm(forms.Form):
    """A file upload; `cleaned_data` gains `data` (bytes) and `filename`."""

    extensions: tuple[str, ...] = ()
    file = forms.FileField(
        label=_("ファイル"),
        error_messages={
            "required": _("ファイルを選んでください"),
            "empty": _("選ばれたファイルは空です"),
        },
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        suffix = PurePath(upload.name).suffix.lower()
        if suffix not in self.extensions:
            raise forms.ValidationError(
                gettext(
                    "「%(name)s」は取り込めない種類のファイルです。%(allowed)s のファイルを選んでください"
                )
                % {"name": upload.name, "allowed": "、".join(self.extensions)}
            )
        if upload.size > imports.MAX_UPLOAD_BYTES:
            raise _too_big(upload.size)
        validate_upload(upload, kind="registry_import", extensions=self.extensions)
        self.cleaned_data["data"] = upload.read()
        self.cleaned_data["filename"] = PurePath(upload.name).name
        return upload


class NtaUploadForm(UploadForm):
    extensions = (".csv", ".txt", ".zip")
    accept = ",".join(extensions)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "nta_%s")
        super().__init__(*args, **kwargs)
        self.fields["file"].label = _("法人番号データのファイル（CSV、またはダウンロードしたZIP）")

    def clean_file(self):
        upload = super().clean_file()
        if self.cleaned_data["filename"].lower().endswith(".zip"):
            data, name = _csv_from_zip(self.cleaned_data["data"], self.cleaned_data["filename"])
            self.cleaned_data["data"], self.cleaned_data["filename"] = data, name
        return upload


def _csv_from_zip(data: bytes, zip_name: str) -> tuple[bytes, str]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise forms.ValidationError(
            gettext("「%(name)s」はZIPファイルとして読めません") % {"name": zip_name}
        ) from None
    with archive:
        members = [
            m
            for m in archive.infolist()
            if not m.is_dir() and PurePath(m.filename).suffix.lower() in (".csv", ".txt")
        ]
        if len(members) != 1:
            raise forms.ValidationError(
                gettext(
                    "ZIPファイルには CSV ファイルがちょうど1つ入っている必要があります（%(n)s個あります）"
                )
                % {"n": len(members)}
            )
        member = members[0]
        # The declared size is checked before unpacking, so a ZIP bomb is refused unread.
        if member.file_size > imports.MAX_UPLOAD_BYTES:
            raise _too_big(member.file_size)
        return archive.read(member), f"{PurePath(zip_name).name}/{PurePath(member.filename).name}"


class GenericUploadForm(UploadForm):
    extensions = (".csv", ".xlsx", ".txt", ".tsv", ".xlsm")
    accept = ",".join(extensions)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "generic_%s")
        super().__init__(*args, **kwargs)
        self.fields["file"].label = _("事業者一覧のファイル（CSV または Excel）")


class MappingForm(forms.Form):
    """One select per business field, listing the file's headers; initial values are the
    guesses from the header names."""

    def __init__(self, *args, headers: list[str], guesses: dict[str, str], **kwargs):
        kwargs.setdefault("auto_id", "map_%s")
        super().__init__(*args, **kwargs)
        self.headers = headers
        choices = [("", _("（取り込まない）")), *((h, h) for h in headers)]
        for field in imports.GENERIC_FIELDS:
            required = field in imports.REQUIRED_GENERIC_FIELDS
            self.fields[field] = forms.ChoiceField(
                label=imports.field_label(field),
                choices=choices,
                required=required,
                initial=guesses.get(field, ""),
                error_messages={
                    "required": _("この項目に対応する列を選んでください（必須）"),
                    "invalid_choice": _("ファイルにない列が選ばれています"),
                },
            )

    def clean(self):
        cleaned = super().clean()
        mapping = {f: cleaned.get(f) or "" for f in imports.GENERIC_FIELDS}
        if not self.errors:
            for problem in imports.mapping_problems(
                {f: h for f, h in mapping.items() if h}, self.headers
            ):
                self.add_error(None, problem)
        cleaned["mapping"] = {f: h for f, h in mapping.items() if h}
        return cleaned

    def _post_clean(self):
        # Screen readers announce the error text with the select it belongs to.
        super()._post_clean()
        for name in self.errors:
            if name in self.fields:
                self.fields[name].widget.attrs["aria-describedby"] = f"{self[name].auto_id}_error"
