"""Fuzzing of sangyo.core.tabular: CSV in every encoding Japanese offices use, Excel files with
odd cells, random bytes claiming to be either. Reading returns a Table or raises TabularError
with a Japanese message (and the line when the problem has one); writing then reading gives
the same strings back."""

from __future__ import annotations

import contextlib
import io
from datetime import date, datetime

from hypothesis import example, given
from hypothesis import strategies as st

from sangyo.core.tabular import (
    OLE_MAGIC,
    UTF8_BOM,
    Table,
    TabularError,
    read_csv,
    read_table,
    read_xlsx,
    write_csv,
    write_xlsx,
)

from .common import any_bytes, assert_clear, encoded, fuzz, has_japanese, nasty_text


def check_table(table: Table) -> None:
    assert isinstance(table, Table)
    numbers = [r.number for r in table.rows]
    assert numbers == sorted(numbers)
    assert all(n >= 1 for n in numbers)
    for row in table.rows:
        assert all(isinstance(v, str) for v in row.values)


def check_error(exc: TabularError) -> None:
    assert_clear(str(exc))
    assert has_japanese(str(exc)), str(exc)
    assert exc.row is None or exc.row >= 0


cell = st.one_of(
    nasty_text,
    st.sampled_from(["", '"', '""', 'a"b', "\r\n", "\n", "\r", "\x00", "=SUM(A1)", "0012"]),
    st.text(alphabet='ab,"\r\n', max_size=8),
    st.just("長" * 5000),
)


@st.composite
def csv_bytes(draw):
    """Near-valid CSV: rows of varying width, stray quotes, BOMs, NULs, mixed newlines."""
    rows = draw(st.lists(st.lists(cell, max_size=6), max_size=8))
    newline = draw(st.sampled_from(["\r\n", "\n", "\r", "mixed"]))
    parts = []
    for i, row in enumerate(rows):
        quoted = draw(st.booleans())
        fields = [f'"{v}"' if quoted else v for v in row]  # possibly broken quoting
        nl = ("\r\n", "\n", "\r")[i % 3] if newline == "mixed" else newline
        parts.append(",".join(fields) + nl)
    text = "".join(parts)
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp932", "utf-16", "shift_jis"]))
    data = text.encode(encoding, errors="replace")
    if draw(st.booleans()):
        data = draw(st.sampled_from([UTF8_BOM, b"", b"\xff\xfe", b"\x00"])) + data
    if draw(st.booleans()) and data:
        at = draw(st.integers(0, len(data)))
        data = data[:at] + draw(st.binary(max_size=4)) + data[at:]
    return data


@fuzz(300)
@given(st.one_of(csv_bytes(), any_bytes(), encoded()), st.booleans())
@example(b'a,b\n"unterminated\n', True)
@example(b'a,"b"c\n', True)
@example(b"\x00\x00\x00", True)
@example(UTF8_BOM + b"\xff", True)
@example(b"\xff\xfe\x00", True)
@example(b"\xff\xfe\x00\xd8", False)  # UTF-16 lone surrogate
@example("名前\r\n髙橋\r\n".encode("cp932"), True)
@example(b"\x82", False)  # a CP932 lead byte with nothing after it
def test_read_csv_table_or_tabular_error(data, header):
    try:
        table = read_csv(data, header=header)
    except TabularError as exc:
        check_error(exc)
        return
    check_table(table)


@fuzz(200)
@given(
    any_bytes(),
    st.sampled_from(
        [
            "a.csv",
            "a.CSV",
            "a.tsv",
            "a.txt",
            "a.xlsx",
            "a.xlsm",
            "a.xls",
            "a",
            "a.pdf",
            ".csv",
            "a.csv.xlsx",
        ]
    ),
)
@example(b"PK\x03\x04junk", "a.csv")
@example(b"PK\x03\x04junk", "a.xlsx")
@example(OLE_MAGIC + b"\x00" * 20, "a.xlsx")
@example(b"", "a.xlsx")
def test_read_table_any_bytes_any_name(data, filename):
    try:
        table = read_table(data, filename, sheet="Sheet1")
    except TabularError as exc:
        check_error(exc)
        return
    check_table(table)


@fuzz(100)
@given(any_bytes(), st.sampled_from(["utf-8", "cp932", "utf-16", "no-such-codec", "rot13"]))
def test_read_csv_forced_encoding(data, encoding):
    try:
        table = read_csv(data, encoding=encoding)
    except TabularError as exc:
        check_error(exc)
        return
    check_table(table)


# --------------------------------------------------------------------------- Excel

xlsx_value = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**53), 2**53),
    st.floats(allow_nan=True, allow_infinity=True),
    st.floats(min_value=1e11, max_value=1e14),  # 法人番号 stored as a float by Excel
    st.dates(min_value=date(1900, 3, 1), max_value=date(9999, 12, 31)),
    st.datetimes(min_value=datetime(1900, 3, 1), max_value=datetime(9999, 12, 31)),
    st.times(),
    st.sampled_from(["=1+1", "=A1/0", "#DIV/0!", "#N/A", "=SUM(", "'0012", "TRUE"]),
    nasty_text.map(lambda s: "".join(c for c in s if c >= " " or c in "\t\n\r")),
)


@st.composite
def workbook_bytes(draw):
    """A real .xlsx written by openpyxl with odd cells, formulas, several sheets, or gaps."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = draw(st.sampled_from(["Sheet1", "データ", "a b"]))
    for _ in range(draw(st.integers(0, 6))):
        row = draw(st.integers(1, 30))
        col = draw(st.integers(1, 12))
        value = draw(xlsx_value)
        # openpyxl refuses some values itself: not what is being tested.
        with contextlib.suppress(ValueError, TypeError):
            ws.cell(row=row, column=col, value=value)
    if draw(st.booleans()):
        wb.create_sheet("二枚目").append(["x", 1])
    buffer = io.BytesIO()
    wb.save(buffer)
    data = buffer.getvalue()
    # Where to damage it, as a fraction: the file's length varies with the time it was saved.
    where = draw(st.floats(0, 1, exclude_max=True))
    at = int(where * len(data))
    if draw(st.booleans()):
        data = data[:at] + draw(st.binary(min_size=1, max_size=8)) + data[at + 1 :]
    elif draw(st.booleans()):
        data = data[:at]
    return data


@fuzz(80)
@given(
    workbook_bytes(), st.sampled_from([None, "Sheet1", "データ", "二枚目", "ない"]), st.booleans()
)
def test_read_xlsx_table_or_tabular_error(data, sheet, header):
    try:
        table = read_xlsx(data, sheet=sheet, header=header)
    except TabularError as exc:
        check_error(exc)
        return
    check_table(table)


@fuzz(100)
@given(st.one_of(any_bytes(), st.binary(max_size=50).map(lambda b: b"PK\x03\x04" + b)))
@example(b"PK\x05\x06" + b"\x00" * 18)  # an empty zip archive
def test_random_bytes_claiming_to_be_xlsx(data):
    try:
        read_xlsx(data)
    except TabularError as exc:
        check_error(exc)


# --------------------------------------------------------------------------- round trips

printable = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=["Cs", "Cc"])
    | st.sampled_from(',"\n\r'),
    max_size=20,
)


@fuzz(200)
@given(
    st.lists(st.lists(printable, min_size=1, max_size=5), min_size=1, max_size=6),
    st.sampled_from(["utf-8-sig", "cp932"]),
)
@example([["名前", "住所"], ["髙橋", "〜"]], "cp932")
@example([[""]], "utf-8-sig")
@example([["a\rb"]], "utf-8-sig")
def test_write_csv_then_read_csv(rows, encoding):
    header, body = rows[0], rows[1:]
    try:
        data = write_csv(header, body, encoding=encoding)
    except TabularError as exc:
        assert encoding == "cp932"
        check_error(exc)
        assert exc.row is not None and exc.column is not None
        return
    table = read_csv(data)

    # Newlines inside cells come back as LF (documented). csv.writer quotes a lone empty
    # field (""), so no written row is blank.
    def norm(r):
        return [v.replace("\r\n", "\n").replace("\r", "\n") for v in r]

    expected = [norm(r) for r in body]
    if encoding == "cp932":
        from sangyo.core.tabular import _CP932_TWINS

        expected = [[v.translate(_CP932_TWINS) for v in r] for r in expected]
        header = [v.translate(_CP932_TWINS) for v in header]
    assert table.header == norm(header)
    assert [r.values for r in table.rows] == expected


@fuzz(60)
@given(
    st.lists(
        st.lists(
            st.one_of(printable, st.integers(-(10**12), 10**12), st.none()), min_size=1, max_size=4
        ),
        min_size=1,
        max_size=5,
    )
)
@example([["\r"]])  # found by the deep profile
def test_write_xlsx_then_read_xlsx(rows):
    header, body = rows[0], rows[1:]
    try:
        data = write_xlsx(header, body)
    except TabularError as exc:
        check_error(exc)
        return
    table = read_xlsx(data)
    check_table(table)
    # XML, inside .xlsx, turns a carriage return into a line feed (as CSV reading does too).
    as_text = [
        [("" if v is None else str(v)).replace("\r\n", "\n").replace("\r", "\n") for v in r]
        for r in [header, *body]
    ]

    def trim(r):
        while r and r[-1] == "":
            r = r[:-1]
        return r

    read = [table.header or [], *[r.values for r in table.rows]]
    expected = [trim(r) for r in as_text if trim(r)]
    assert [trim(r) for r in read if r] == expected


def _corrupt_sheet_stream(data: bytes) -> bytes:
    """The workbook with the deflate stream of its first sheet broken (zlib.error when read)."""
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as z:
        info = z.getinfo("xl/worksheets/sheet1.xml")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    return data[:start] + b"\xff\xff\xff\xff" + data[start + 4 :]


def test_regression_damaged_sheet_stream_is_a_tabular_error():
    """Found by test_read_xlsx_table_or_tabular_error: a workbook whose zip directory is fine
    but whose sheet data is damaged crashed with zlib.error while its rows were read."""
    data = _corrupt_sheet_stream(write_xlsx(["名前"], [["髙橋"]] * 50))
    try:
        read_xlsx(data)
    except TabularError as exc:
        check_error(exc)
        assert "Excel" in str(exc)
    else:  # pragma: no cover
        raise AssertionError("read a damaged workbook")
