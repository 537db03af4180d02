"""Reading and writing tables the way Japanese offices exchange them.

Files arrive as CSV in UTF-8 (with or without BOM), CP932 (Windows' Shift_JIS) or even UTF-16,
and as Excel workbooks. This module turns any of them into a `Table` of strings whose rows carry
the line (or Excel row) number the person sees in their editor, so that every later message can
say 「12行目」 and be found.

Writing goes the other way: CSV with CRLF line endings in UTF-8 with BOM (Excel opens it
correctly) or CP932 (for older systems that accept nothing else), and .xlsx.

Messages of `TabularError` are Japanese sentences for the person who uploaded the file.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import zipfile
import zlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import PurePath
from typing import Any, Literal

__all__ = [
    "Row",
    "Table",
    "TabularError",
    "decode_bytes",
    "read_csv",
    "read_table",
    "read_xlsx",
    "write_csv",
    "write_xlsx",
]

UTF8_BOM = b"\xef\xbb\xbf"
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
# An .xls file (and an encrypted .xlsx) is an OLE compound document.
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
# Extra bytes (beyond one per character) of valid UTF-8 before the first invalid byte that make
# a file "UTF-8 with a broken spot" rather than CP932: 16 is about eight Japanese characters.
UTF8_EVIDENCE_BYTES = 16

# Excel's limits: characters in one cell, characters in a sheet name, and characters that a sheet
# name may not contain.
XLSX_CELL_MAX = 32_767
XLSX_SHEET_TITLE_MAX = 31
_SHEET_TITLE_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
# Control characters that the XML inside .xlsx cannot hold (same set as openpyxl refuses).
_XLSX_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")

# The same JIS X 0208 characters are mapped to different code points by the JIS table (used by
# macOS and most Unicode text) and by Microsoft's CP932 table. Python's cp932 codec only knows the
# latter, so 「9:00〜17:00」 typed on a Mac would be refused. Mapping these few characters to their
# CP932 twins writes the very same Shift_JIS bytes that a JIS-table encoder would write: it is a
# change of table, not a substitution of a different character.
_CP932_TWINS = str.maketrans(
    {
        "\u301c": "\uff5e",  # 〜 WAVE DASH → ～ FULLWIDTH TILDE
        "\u2016": "\u2225",  # ‖ DOUBLE VERTICAL LINE → ∥ PARALLEL TO
        "\u2212": "\uff0d",  # − MINUS SIGN → － FULLWIDTH HYPHEN-MINUS
        "\u2014": "\u2015",  # — EM DASH → ― HORIZONTAL BAR
        "\u00a2": "\uffe0",  # ¢ → ￠
        "\u00a3": "\uffe1",  # £ → ￡
        "\u00ac": "\uffe2",  # ¬ → ￢
    }
)

CsvEncoding = Literal["utf-8-sig", "cp932"]


class TabularError(ValueError):
    """A file that cannot be read or a table that cannot be written.

    The message is Japanese, for users. `row` is the 1-based line (CSV) or row (Excel) number
    and `column` the 1-based column number, when the problem has a place.
    """

    def __init__(self, message: str, *, row: int | None = None, column: int | None = None):
        super().__init__(message)
        self.row = row
        self.column = column


@dataclass(frozen=True, slots=True)
class Row:
    number: int  # 1-based line number in the file (CSV) or Excel row number; header is 1
    values: list[str]


@dataclass(frozen=True, slots=True)
class Table:
    encoding: str  # 'utf-8', 'utf-8-sig', 'utf-16', 'cp932' or 'xlsx'
    header: list[str] | None
    rows: list[Row]


# --------------------------------------------------------------------------- decoding


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def _undecodable(data: bytes, offset: int, *, what: str) -> TabularError:
    line = _line_of(data, offset)
    return TabularError(
        f"文字コードを判別できません: {line}行目（{offset + 1}バイト目）に{what}",
        row=line,
    )


def decode_bytes(data: bytes, encoding: str | None = None) -> tuple[str, str]:
    """Return (text, encoding name) for the bytes of a text file.

    Detection order: UTF-8 with BOM → 'utf-8-sig'; UTF-16 with BOM → 'utf-16'; valid UTF-8 →
    'utf-8'; anything CP932 decodes → 'cp932' (CP932 is Windows' Shift_JIS, a superset that also
    has 髙, 﨑 and ①). UTF-8 is tried before CP932 because Japanese CP932 text is almost never
    valid UTF-8, while UTF-8 text is often decodable (as nonsense) by CP932.

    `encoding` skips detection (for a caller who knows better). When nothing fits, the error
    names the line and the byte position (1-based, counted from the start of the file) of the
    first undecodable byte, taken from whichever of UTF-8 and CP932 read further: that is the
    file's likely encoding, so its failure is the likely broken spot. A file that is clearly
    UTF-8 up to a broken byte (UTF8_EVIDENCE_BYTES) is reported as broken rather than decoded
    as CP932 mojibake.
    """
    if encoding is not None:
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError as e:
            raise _undecodable(
                data, e.start, what=f" {encoding} として読めない文字があります。"
            ) from None
        except LookupError:
            raise TabularError(f"文字コード「{encoding}」は扱えません。") from None
    if data.startswith(UTF8_BOM):
        try:
            return data.decode("utf-8-sig"), "utf-8-sig"
        except UnicodeDecodeError as e:
            # e.start counts from after the BOM.
            raise _undecodable(
                data,
                e.start + len(UTF8_BOM),
                what=" UTF-8 として読めない文字があります（先頭に UTF-8 の BOM があります）。",
            ) from None
    if data.startswith(UTF16_BOMS):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as e:
            raise _undecodable(
                data, e.start, what=" UTF-16 として読めない文字があります。"
            ) from None
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as e:
        utf8_fail = e.start
    neither = " UTF-8 でも Shift_JIS(CP932) でもない文字があります。"
    # Many multi-byte characters decoded as UTF-8 before the failure: this is a UTF-8 file with
    # a broken spot (or a UTF-8 file with a CP932 part appended), not CP932 text, whose
    # Japanese almost never forms even a few valid UTF-8 sequences in a row. Decoding it as
    # CP932 would "succeed" and turn every name into mojibake.
    valid_prefix = data[:utf8_fail]
    if utf8_fail - len(valid_prefix.decode("utf-8")) >= UTF8_EVIDENCE_BYTES:
        raise _undecodable(data, utf8_fail, what=neither)
    try:
        return data.decode("cp932"), "cp932"
    except UnicodeDecodeError as e:
        cp932_fail = e.start
    raise _undecodable(data, max(utf8_fail, cp932_fail), what=neither)


# --------------------------------------------------------------------------- reading


def read_csv(
    data: bytes,
    *,
    header: bool = True,
    delimiter: str = ",",
    encoding: str | None = None,
) -> Table:
    """Read CSV bytes (any encoding `decode_bytes` detects) into a Table of strings.

    Newlines (CRLF, CR, LF) are normalised to LF, also inside quoted fields. Each row keeps the
    line number on which it starts, so rows after a quoted multi-line field are still numbered
    as an editor shows them. Wholly blank lines (including the usual trailing one) are skipped:
    they carry no data, and numbering stays right because it comes from the reader. A quote
    that is never closed (which would swallow the rest of the file) is an error naming the line
    where the field began.
    """
    text, detected = decode_bytes(data, encoding)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    rows: list[Row] = []
    head: list[str] | None = None
    want_header = header
    previous = 0  # line_num after the previous record: the next record starts one line later
    append = rows.append
    try:
        for values in reader:
            start = previous + 1
            previous = reader.line_num
            if not values:
                continue
            if want_header:
                head = values
                want_header = False
                continue
            append(Row(start, values))
    except csv.Error as e:
        line = previous + 1
        if "unexpected end of data" in str(e):
            message = (
                f'CSV の形式が正しくありません: {line}行目で始まる「"」（ダブルクォート）が'
                "ファイルの終わりまで閉じられていません。"
            )
        else:
            message = (
                f"CSV の形式が正しくありません: {line}行目付近（{e}）。"
                '「"」で囲んだ項目の中の「"」は「""」と2つ重ねて書く必要があります。'
            )
        raise TabularError(message, row=line) from None
    return Table(detected, head, rows)


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        # Excel keeps 15 significant digits; more would show binary noise (0.30000000000000004).
        return f"{value:.15g}"
    if isinstance(value, datetime):
        if value.time() == time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, date | time):
        return value.isoformat()
    return str(value)


def _trim(values: list[str]) -> list[str]:
    end = len(values)
    while end and values[end - 1] == "":
        end -= 1
    return values[:end] if end != len(values) else values


def read_xlsx(data: bytes, *, sheet: str | None = None, header: bool = True) -> Table:
    """Read one sheet of an .xlsx workbook (the first, or `sheet` by name) into a Table.

    Values are what Excel last calculated (formulas are not evaluated here), converted to
    strings: dates as YYYY-MM-DD (with the time when it is not midnight), whole numbers without
    ".0", empty cells as "". Row numbers are Excel's. Trailing empty cells are dropped from each
    row (Excel often reports formatted but empty columns), and wholly empty rows are skipped.
    """
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    if data.startswith(OLE_MAGIC):
        raise TabularError(
            "このファイルは古い Excel 形式（.xls）か、パスワード付きの Excel ファイルです。"
            "Excel で開き、パスワードを解除して .xlsx 形式で保存し直してください。"
        )
    # A damaged workbook fails in many ways, and in read-only mode most of them only when the
    # rows are read (a corrupt deflate stream, a truncated XML part, an unknown zip version):
    # all of them mean the same to the person who uploaded it.
    broken = (
        zipfile.BadZipFile,
        zlib.error,
        InvalidFileException,
        EOFError,
        KeyError,
        IndexError,
        OSError,
        ValueError,
        TypeError,
        NotImplementedError,
        SyntaxError,  # xml.etree and lxml parse errors
    )
    unreadable = (
        "Excel ファイル（.xlsx）として読み込めません。ファイルが壊れていないか、"
        "拡張子が中身と合っているかを確認してください。"
    )
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except broken:
        raise TabularError(unreadable) from None
    try:
        if sheet is None:
            worksheet = workbook.worksheets[0]
        elif sheet in workbook.sheetnames:
            worksheet = workbook[sheet]
        else:
            names = "、".join(f"「{n}」" for n in workbook.sheetnames)
            raise TabularError(f"シート「{sheet}」がありません（このファイルのシート: {names}）。")
        # The stored dimension can be wrong (some programs write "A1"); trust the cells instead.
        worksheet.reset_dimensions()
        head: list[str] | None = None
        want_header = header
        rows: list[Row] = []
        for number, cells in enumerate(worksheet.iter_rows(min_row=1, values_only=True), 1):
            values = _trim([_cell_text(v) for v in cells])
            if not values:
                continue
            if want_header:
                head = values
                want_header = False
                continue
            rows.append(Row(number, values))
    except TabularError:
        raise
    except broken:
        raise TabularError(unreadable) from None
    finally:
        workbook.close()
    return Table("xlsx", head, rows)


def read_table(data: bytes, filename: str, **kw: Any) -> Table:
    """Read an uploaded file by its extension: .csv/.txt (comma), .tsv (tab), .xlsx/.xlsm.

    `sheet` is only meaningful for Excel and is ignored for text files, so a form can pass it
    whatever was uploaded.
    """
    suffix = PurePath(filename).suffix.lower()
    if suffix in (".csv", ".txt", ".tsv"):
        if data.startswith(ZIP_MAGIC):
            raise TabularError(
                f"「{filename}」は拡張子が {suffix} ですが、中身は Excel ファイル（.xlsx）の"
                "ようです。拡張子を .xlsx にするか、Excel で CSV 形式で保存し直してください。"
            )
        kw.pop("sheet", None)
        if suffix == ".tsv":
            kw.setdefault("delimiter", "\t")
        return read_csv(data, **kw)
    if suffix in (".xlsx", ".xlsm"):
        return read_xlsx(data, **kw)
    if suffix == ".xls":
        raise TabularError(
            "古い Excel 形式（.xls）は読み込めません。Excel で開き、「名前を付けて保存」で"
            "「Excel ブック（.xlsx）」または「CSV（コンマ区切り）」を選んで保存し直してください。"
        )
    shown = suffix or "（なし）"
    raise TabularError(
        f"「{filename}」は読み込めないファイル形式です（拡張子: {shown}）。"
        "CSV（.csv）または Excel（.xlsx）のファイルを選んでください。"
    )


# --------------------------------------------------------------------------- writing


def _out_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "1" if value else "0"
    return str(value)


def _cp932_refusal(header: Sequence[Any] | None, rows: list[list[Any]]) -> TabularError | None:
    """Find the first cell that CP932 cannot hold; None when every cell fits."""
    numbered: list[tuple[int, Sequence[Any]]] = []
    if header is not None:
        numbered.append((1, header))
    first = 2 if header is not None else 1
    numbered.extend(enumerate(rows, start=first))
    for line, values in numbered:
        for col, value in enumerate(values, start=1):
            text = _out_text(value).translate(_CP932_TWINS)
            try:
                text.encode("cp932")
            except UnicodeEncodeError as e:
                char = text[e.start]
                name = unicodedata.name(char, "")
                label = f"U+{ord(char):04X}" + (f" {name}" if name else "")
                where = f"{line}行目・{col}列目"
                if header is not None and line > 1 and col <= len(header):
                    where += f"（{_out_text(header[col - 1])}）"
                snippet = text if len(text) <= 40 else text[:40] + "…"
                return TabularError(
                    f"{where}の「{snippet}」に Shift_JIS(CP932) で保存できない文字「{char}」"
                    f"（{label}）があります。UTF-8 で保存するか、この文字を直してください。",
                    row=line,
                    column=col,
                )
    return None


def write_csv(
    header: Sequence[Any] | None,
    rows: Iterable[Sequence[Any]],
    *,
    encoding: CsvEncoding = "utf-8-sig",
) -> bytes:
    """CSV bytes with CRLF line endings, as Excel writes and expects them.

    'utf-8-sig' (the default) keeps every character, and the BOM makes Excel open it as UTF-8.
    'cp932' is for systems that only read Shift_JIS. A character that CP932 cannot hold (an
    emoji, 𠮷 or many other rare kanji of personal and place names) raises TabularError naming
    the row and column instead of being replaced by "?": a replaced character silently turns a
    name into a different one (髙橋 and 高橋 are different people to a registry), and nobody
    would notice until the data came back. The only characters translated are the few that
    Unicode maps twice to the same JIS X 0208 character (〜 → ～, − → －, …): see _CP932_TWINS.

    Row numbers in errors count lines of the output, header included, as Excel would show them.
    None becomes "", dates become YYYY-MM-DD, booleans 1/0.
    """
    if encoding not in ("utf-8-sig", "cp932"):
        raise ValueError(f"unsupported encoding {encoding!r}: use 'utf-8-sig' or 'cp932'")
    rows = [list(r) for r in rows]
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    if header is not None:
        writer.writerow([_out_text(v) for v in header])
    writer.writerows([_out_text(v) for v in r] for r in rows)
    text = buffer.getvalue()
    if encoding == "utf-8-sig":
        return text.encode("utf-8-sig")
    try:
        return text.translate(_CP932_TWINS).encode("cp932")
    except UnicodeEncodeError:
        error = _cp932_refusal(header, rows)
        assert error is not None  # the whole text failed, so some cell fails
        raise error from None


def _display_width(text: str) -> int:
    """Width in half-width columns: full-width (East Asian wide) characters count twice."""
    longest = 0
    for line in text.split("\n"):
        width = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line)
        longest = max(longest, width)
    return longest


def _sheet_title(title: str) -> str:
    title = _SHEET_TITLE_FORBIDDEN.sub("_", title).strip("'")[:XLSX_SHEET_TITLE_MAX]
    return title or "Sheet1"


def write_xlsx(
    header: Sequence[Any] | None,
    rows: Iterable[Sequence[Any]],
    sheet_title: str = "Sheet1",
) -> bytes:
    """An .xlsx workbook with one sheet: bold header, first row frozen, widths fitted roughly.

    Strings stay strings, even "=SUM(A1)" or "0012" (openpyxl would otherwise store a string
    starting with "=" as a formula, which is both wrong and unsafe for data from the public).
    Numbers, dates and booleans are written as such. Widths are estimated from the header and
    the first 1,000 rows, counting full-width characters twice, capped at 60. The sheet title is
    cut to Excel's 31 characters, and characters Excel forbids ([]:*?/\\) become "_".
    Control characters and cells longer than Excel's 32,767 characters raise TabularError.
    """
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    rows = [list(r) for r in rows]
    workbook = Workbook(write_only=True)
    worksheet = workbook.create_sheet(_sheet_title(sheet_title))

    widths: dict[int, int] = {}
    offset = 1 if header is not None else 0
    sample = ([list(header)] if header is not None else []) + rows[:1000]
    for values in sample:
        for col, value in enumerate(values, start=1):
            w = _display_width(_out_text(value))
            if w > widths.get(col, 0):
                widths[col] = w
    for col, w in widths.items():
        worksheet.column_dimensions[get_column_letter(col)].width = min(max(w + 2, 6), 60)

    def cell(value: Any, line: int, col: int, *, bold: bool = False) -> Any:
        if value is not None and not isinstance(value, str | int | float | date | time):
            value = str(value)  # Decimal, UUID, …: as text rather than an openpyxl error
        if isinstance(value, str):
            if _XLSX_ILLEGAL.search(value):
                raise TabularError(
                    f"{line}行目・{col}列目に Excel に保存できない制御文字があります。",
                    row=line,
                    column=col,
                )
            if len(value) > XLSX_CELL_MAX:
                raise TabularError(
                    f"{line}行目・{col}列目が長すぎます（{len(value):,}文字。Excel の1セルは"
                    f"{XLSX_CELL_MAX:,}文字まで）。",
                    row=line,
                    column=col,
                )
            if not (bold or value.startswith("=")):
                return value
        elif not bold:
            return value
        c = WriteOnlyCell(worksheet, value=value)
        if isinstance(value, str):
            c.data_type = "s"  # never a formula
        if bold:
            c.font = Font(bold=True)
        return c

    # Every cell is checked before the first row is streamed: an error half-way would leave a
    # half-written sheet behind.
    prepared = [
        [cell(v, line, col) for col, v in enumerate(values, 1)]
        for line, values in enumerate(rows, start=1 + offset)
    ]
    if header is not None:
        worksheet.freeze_panes = "A2"
        worksheet.append([cell(v, 1, col, bold=True) for col, v in enumerate(header, 1)])
    for values in prepared:
        worksheet.append(values)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def chunked(rows: Iterable[list[Any]], size: int) -> Iterator[list[list[Any]]]:
    """Group rows into lists of `size` (the last one shorter), for streamed exports."""
    chunk: list[list[Any]] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
