"""The 国税庁 法人番号 bulk files (全件 by prefecture, 差分 nationwide) as typed records.

Format (shared/reference/formats.md): header-less CSV in Shift_JIS/CP932 or UTF-8, 30 columns
(29 in older files, without `hihyoji`); the Web-API variant starts with a summary line
`lastUpdateDate,count,divideNumber,divideSize`, which is skipped.

`parse_nta` validates every row before returning, so that an import can refuse the whole file
before anything is written: the result carries the valid records and one `RowError` per problem
(several per row when a row has several), in Japanese for staff and in English for logs.

The `correct` column is kept as text but deliberately not interpreted: it is unreliable in
real files.
"""

from __future__ import annotations

import gc
import re
import unicodedata
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date

from sangyo.core.codes import (
    PREFECTURE_CODES,
    CodeError,
    corporate_number_check_digit,
    validate_corporate_number,
    validate_lg_code,
)
from sangyo.core.tabular import TabularError, read_csv
from sangyo.core.wareki import WarekiError, parse_date

__all__ = [
    "CLOSE_CAUSES",
    "COLUMNS",
    "KIND_CODES",
    "MAX_ERRORS",
    "PROCESS_CODES",
    "NtaParseResult",
    "NtaRecord",
    "RowError",
    "filter_city",
    "latest_per_number",
    "parse_nta",
]

COLUMNS: tuple[str, ...] = (
    "sequenceNumber",
    "corporateNumber",
    "process",
    "correct",
    "updateDate",
    "changeDate",
    "name",
    "nameImageId",
    "kind",
    "prefectureName",
    "cityName",
    "streetNumber",
    "addressImageId",
    "prefectureCode",
    "cityCode",
    "postCode",
    "addressOutside",
    "addressOutsideImageId",
    "closeDate",
    "closeCause",
    "successorCorporateNumber",
    "changeCause",
    "assignmentDate",
    "latest",
    "enName",
    "enPrefectureName",
    "enCityName",
    "enAddressOutside",
    "furigana",
    "hihyoji",
)
COLUMN_COUNTS = (29, 30)  # 29: files from before `hihyoji` was added

# Japanese item names as 国税庁 labels them, for messages.
COLUMN_LABELS: dict[str, str] = {
    "sequenceNumber": "一連番号",
    "corporateNumber": "法人番号",
    "process": "処理区分",
    "updateDate": "更新年月日",
    "changeDate": "変更年月日",
    "name": "商号又は名称",
    "kind": "法人種別",
    "prefectureCode": "都道府県コード",
    "cityCode": "市区町村コード",
    "postCode": "郵便番号",
    "closeDate": "登記記録の閉鎖等年月日",
    "closeCause": "登記記録の閉鎖等の事由",
    "successorCorporateNumber": "承継先法人番号",
    "assignmentDate": "法人番号指定年月日",
    "latest": "最新履歴",
    "hihyoji": "検索対象除外",
}

PROCESS_CODES: dict[str, str] = {
    "01": "新規",
    "11": "商号又は名称の変更",
    "12": "国内所在地の変更",
    "13": "国外所在地の変更",
    "21": "登記記録の閉鎖等",
    "22": "登記記録の復活等",
    "71": "吸収合併",
    "72": "吸収合併無効",
    "81": "商号の登記の抹消",
    "99": "削除",
}
KIND_CODES: dict[str, str] = {
    "101": "国の機関",
    "201": "地方公共団体",
    "301": "株式会社",
    "302": "有限会社",
    "303": "合名会社",
    "304": "合資会社",
    "305": "合同会社",
    "399": "その他の設立登記法人",
    "401": "外国会社等",
    "499": "その他",
}
CLOSE_CAUSES: dict[str, str] = {
    "01": "清算の結了等",
    "11": "合併による解散等",
    "21": "登記官による閉鎖",
    "31": "その他の清算の結了等",
}

MAX_ERRORS = 1000

_FLAGS = {"1": True, "0": False}
_PREFECTURE_CODE_TEXT = frozenset(f"{p:02d}" for p in PREFECTURE_CODES)

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)
_ZERO_HINT_JA = "（Excel で開いて保存すると先頭の0が消えます。元のファイルを使ってください）"
_ZERO_HINT_EN = " (Excel drops leading zeros when it saves a CSV: use the original file)"

# Column positions, so that the hot loop indexes a list instead of looking names up.
(
    _SEQ,
    _NUMBER,
    _PROCESS,
    _CORRECT,
    _UPDATE,
    _CHANGE,
    _NAME,
    _NAME_IMAGE,
    _KIND,
    _PREF_NAME,
    _CITY_NAME,
    _STREET,
    _ADDRESS_IMAGE,
    _PREF_CODE,
    _CITY_CODE,
    _POST,
    _OUTSIDE,
    _OUTSIDE_IMAGE,
    _CLOSE_DATE,
    _CLOSE_CAUSE,
    _SUCCESSOR,
    _CHANGE_CAUSE,
    _ASSIGNMENT,
    _LATEST,
    _EN_NAME,
    _EN_PREF,
    _EN_CITY,
    _EN_OUTSIDE,
    _FURIGANA,
    _HIHYOJI,
) = range(30)


@dataclass(slots=True)
class NtaRecord:
    """One row of a 法人番号 file. Codes stay strings ("01", "08"): their zeros matter.

    Treat it as read-only. It is not a frozen dataclass on purpose: a frozen one's __init__
    sets each of its 31 fields through object.__setattr__, which made creating the records
    of a 100,000-row file cost half a second, ten times as much as a plain one."""

    sequence_number: int
    corporate_number: str
    process: str
    correct: str  # kept, not interpreted (unreliable in real files)
    update_date: date
    change_date: date | None
    name: str
    name_image_id: str
    kind: str
    prefecture_name: str
    city_name: str
    street_number: str
    address_image_id: str
    prefecture_code: str
    city_code: str
    post_code: str
    address_outside: str
    address_outside_image_id: str
    close_date: date | None
    close_cause: str
    successor: str  # successorCorporateNumber
    change_cause: str
    assignment_date: date | None
    latest: bool
    en_name: str
    en_prefecture_name: str
    en_city_name: str
    en_address_outside: str
    furigana: str
    hihyoji: bool | None  # None in 29-column files (and when the cell is empty)
    line: int = field(default=0, compare=False)  # line in the source file

    @property
    def lg_code5(self) -> str | None:
        """The 5-digit 団体コード (no check digit); None for a corporation without a domestic
        address (国外所在地 only)."""
        if not (self.prefecture_code and self.city_code):
            return None
        return self.prefecture_code + self.city_code

    @property
    def address(self) -> str:
        return self.prefecture_name + self.city_name + self.street_number

    @property
    def process_label(self) -> str:
        return PROCESS_CODES[self.process]

    @property
    def kind_label(self) -> str:
        return KIND_CODES[self.kind]

    @property
    def closed(self) -> bool:
        return self.close_date is not None


@dataclass(frozen=True, slots=True)
class RowError:
    line: int  # 1-based line in the file; 0 for file-level notes
    column: str | None  # column name as in COLUMNS
    message_ja: str
    message_en: str


@dataclass(slots=True)
class NtaParseResult:
    encoding: str
    records: list[NtaRecord]
    errors: list[RowError]
    error_count: int = 0  # all errors found, including those beyond MAX_ERRORS

    @property
    def ok(self) -> bool:
        return not self.errors


class _Row:
    """Validation of one row; collects (column, ja, en) problems."""

    __slots__ = ("dates", "problems")

    def __init__(self, dates: dict[str, date | tuple[str, str]]):
        self.dates = dates
        self.problems: list[tuple[str | None, str, str]] = []

    def fail(self, column: str | None, ja: str, en: str) -> None:
        self.problems.append((column, ja, en))

    def date(self, column: str, value: str, *, required: bool) -> date | None:
        if not value:
            if required:
                label = COLUMN_LABELS[column]
                self.fail(column, f"{label}が空です", f"{column} is empty")
            return None
        parsed = self.dates.get(value)
        if parsed is None:
            parsed = _parse_iso_date(value)
            self.dates[value] = parsed
        if isinstance(parsed, date):
            return parsed
        label = COLUMN_LABELS[column]
        ja, en = parsed
        self.fail(column, f"{label}「{value}」: {ja}", f"{column} '{value}': {en}")
        return None

    def code(self, column: str, value: str, known: dict[str, str], *, required: bool) -> str | None:
        if value in known:
            return value
        label = COLUMN_LABELS[column]
        if not value:
            if required:
                self.fail(column, f"{label}が空です", f"{column} is empty")
            return None if required else ""
        width = len(next(iter(known)))
        listed = ", ".join(known)
        hint_ja = hint_en = ""
        if value.isascii() and value.isdigit() and len(value) < width:
            hint_ja, hint_en = _ZERO_HINT_JA, _ZERO_HINT_EN
        self.fail(
            column,
            f"{label}「{value}」は不明なコードです（{listed} のいずれか）{hint_ja}",
            f"{column} '{value}' is not a known code (one of {listed}){hint_en}",
        )
        return None

    def digits(self, column: str, value: str, width: int) -> bool:
        if len(value) == width and value.isascii() and value.isdigit():
            return True
        label = COLUMN_LABELS[column]
        hint_ja = hint_en = ""
        if value.isascii() and value.isdigit() and len(value) < width:
            hint_ja, hint_en = _ZERO_HINT_JA, _ZERO_HINT_EN
        self.fail(
            column,
            f"{label}「{value}」は半角数字{width}桁ではありません{hint_ja}",
            f"{column} '{value}' is not {width} ASCII digits{hint_en}",
        )
        return False

    def corporate_number(self, column: str, value: str, *, required: bool) -> str | None:
        label = COLUMN_LABELS[column]
        if not value:
            if required:
                self.fail(column, f"{label}が空です", f"{column} is empty")
            return None
        try:
            return validate_corporate_number(value)
        except CodeError as e:
            en = _corporate_number_problem_en(value)
            hint_ja = hint_en = ""
            if "E+" in value.upper():
                hint_ja = "（Excel で開いて保存すると番号が指数表記に変わります。元のファイルを使ってください）"
                hint_en = " (Excel turned it into scientific notation: use the original file)"
            self.fail(
                column,
                f"{label}「{value}」: {e}{hint_ja}",
                f"{column} '{value}': {en}{hint_en}",
            )
            return None


def _parse_iso_date(value: str) -> date | tuple[str, str]:
    """A date, or (ja, en) messages saying why not."""
    if _ISO_DATE.fullmatch(value):
        try:
            return date(int(value[:4]), int(value[5:7]), int(value[8:10]))
        except ValueError:
            # parse_date knows how to say why in Japanese (「2019年2月30日は存在しない日付です」).
            try:
                parse_date(value)
            except WarekiError as e:
                return str(e), "no such date"
            return "存在しない日付です", "no such date"  # pragma: no cover
    return (
        "日付は YYYY-MM-DD の形で書かれている必要があります（例: 2024-04-01）",
        "dates must be written YYYY-MM-DD",
    )


def _corporate_number_problem_en(value: str) -> str:
    """English counterpart of the CodeError that validate_corporate_number raised."""
    text = unicodedata.normalize("NFKC", value)
    digits = "".join(c for c in text if "0" <= c <= "9")
    if len(digits) == 13:
        return f"wrong check digit (expected {corporate_number_check_digit(digits[1:])})"
    if any(not ("0" <= c <= "9" or c in "- " or c.isspace()) for c in text):
        return "contains a character that is not a digit"
    return f"a corporate number is 13 digits (found {len(digits)})"


def _is_summary_line(values: list[str]) -> bool:
    """lastUpdateDate,count,divideNumber,divideSize (Web-API CSV)."""
    return (
        len(values) == 4
        and _ISO_DATE.fullmatch(values[0]) is not None
        and all(v.isascii() and v.isdigit() for v in values[1:])
    )


def _flag(row: _Row, column: str, value: str, *, required: bool) -> bool | None:
    if value == "1":
        return True
    if value == "0":
        return False
    if not value and not required:
        return None
    label = COLUMN_LABELS[column]
    row.fail(
        column,
        f"{label}「{value}」は 1 または 0 でなければなりません",
        f"{column} '{value}' must be 1 or 0",
    )
    return None


def _plain_valid_number(value: str) -> bool:
    """A 13-digit ASCII corporate number with the right check digit: the usual case, checked
    without validate_corporate_number's normalisation (which then runs, with its messages,
    only for anything else)."""
    if len(value) != 13 or not value.isascii() or not value.isdigit():
        return False
    # The 12 base digits counted from the right: odd places weigh 1, even places 2. Summing
    # the ASCII bytes (digit + 48 each, six of each kind) avoids an int() per digit.
    raw = value.encode("ascii")
    total = sum(raw[12:0:-2]) + 2 * sum(raw[11:0:-2]) - 48 * 18
    return raw[0] - 48 == 9 - total % 9


def _parse_row(line: int, v: list[str], dates: dict) -> tuple[NtaRecord | None, list]:
    # Fast paths are inlined (a dict lookup or a str method); the _Row methods run only for
    # empty, uncached or wrong values, and produce the messages.
    row = _Row(dates)
    n = len(v)
    if n != 30 and n != 29:
        row.fail(
            None,
            f"列数が{n}列です（国税庁の法人番号データは30列、古い形式では29列です）",
            f"found {n} columns (expected 30, or 29 in older files)",
        )
        return None, row.problems

    seq_text = v[_SEQ]
    sequence = 0
    if seq_text.isascii() and seq_text.isdigit():
        sequence = int(seq_text)
    else:
        row.fail(
            "sequenceNumber",
            f"一連番号「{seq_text}」は半角数字ではありません",
            f"sequenceNumber '{seq_text}' is not a number",
        )
    number = v[_NUMBER]
    if not _plain_valid_number(number):
        number = row.corporate_number("corporateNumber", number, required=True)
    process = v[_PROCESS]
    if process not in PROCESS_CODES:
        process = row.code("process", process, PROCESS_CODES, required=True)
    update_date = dates.get(v[_UPDATE])
    if update_date.__class__ is not date:
        update_date = row.date("updateDate", v[_UPDATE], required=True)
    change_date = dates.get(v[_CHANGE])
    if change_date.__class__ is not date:
        change_date = row.date("changeDate", v[_CHANGE], required=False)
    name = v[_NAME]
    if not name and process != "99":
        row.fail("name", "商号又は名称が空です", "name is empty")
    kind = v[_KIND]
    if kind not in KIND_CODES:
        kind = row.code("kind", kind, KIND_CODES, required=True)

    pref_code, city_code = v[_PREF_CODE], v[_CITY_CODE]
    if pref_code or city_code:
        # Two digits but outside 01–47 needs its own message; digits() reports the rest.
        if pref_code not in _PREFECTURE_CODE_TEXT and row.digits("prefectureCode", pref_code, 2):
            row.fail(
                "prefectureCode",
                f"都道府県コード「{pref_code}」は01〜47ではありません",
                f"prefectureCode '{pref_code}' is not 01-47",
            )
        if not (len(city_code) == 3 and city_code.isascii() and city_code.isdigit()):
            row.digits("cityCode", city_code, 3)
    post_code = v[_POST]
    if post_code and not (len(post_code) == 7 and post_code.isascii() and post_code.isdigit()):
        row.digits("postCode", post_code, 7)

    close_date = None
    if v[_CLOSE_DATE]:
        close_date = row.date("closeDate", v[_CLOSE_DATE], required=False)
    close_cause = v[_CLOSE_CAUSE]
    if close_cause and close_cause not in CLOSE_CAUSES:
        close_cause = row.code("closeCause", close_cause, CLOSE_CAUSES, required=False)
    successor = v[_SUCCESSOR]
    if successor:
        successor = row.corporate_number("successorCorporateNumber", successor, required=False)
    assignment_date = dates.get(v[_ASSIGNMENT])
    if assignment_date.__class__ is not date:
        assignment_date = row.date("assignmentDate", v[_ASSIGNMENT], required=False)
    latest = _FLAGS.get(v[_LATEST])
    if latest is None:
        latest = _flag(row, "latest", v[_LATEST], required=True)
    hihyoji = None
    if n == 30:
        hihyoji = _FLAGS.get(v[_HIHYOJI])
        if hihyoji is None:
            hihyoji = _flag(row, "hihyoji", v[_HIHYOJI], required=False)

    if row.problems:
        return None, row.problems
    return (
        NtaRecord(
            sequence,
            number,  # type: ignore[arg-type]  # validated above
            process,  # type: ignore[arg-type]
            v[_CORRECT],
            update_date,  # type: ignore[arg-type]
            change_date,
            name,
            v[_NAME_IMAGE],
            kind,  # type: ignore[arg-type]
            v[_PREF_NAME],
            v[_CITY_NAME],
            v[_STREET],
            v[_ADDRESS_IMAGE],
            pref_code,
            city_code,
            post_code,
            v[_OUTSIDE],
            v[_OUTSIDE_IMAGE],
            close_date,
            close_cause,  # type: ignore[arg-type]
            successor or "",
            v[_CHANGE_CAUSE],
            assignment_date,
            latest,  # type: ignore[arg-type]
            v[_EN_NAME],
            v[_EN_PREF],
            v[_EN_CITY],
            v[_EN_OUTSIDE],
            v[_FURIGANA],
            hihyoji,
            line,
        ),
        row.problems,
    )


@contextmanager
def gc_paused() -> Iterator[None]:
    """Parsing allocates a few million acyclic objects (lists, strings, records); the cyclic
    garbage collector would rescan them again and again for nothing (about a third of the
    parse time at 100,000 rows). Reference counting still frees everything as usual."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def parse_nta(data: bytes) -> NtaParseResult:
    """Parse and validate a whole 法人番号 CSV file.

    Every row is checked (column count, check digits, codes, real ISO dates, code widths) and
    every problem reported with its line, up to MAX_ERRORS messages followed by a note saying
    how many more there were; `records` holds only the rows without problems. A file that
    cannot be decoded or is not CSV gives a single error (line of the problem, or 0).
    Callers should write nothing unless `result.ok`.
    """
    with gc_paused():
        return _parse_nta(data)


def _parse_nta(data: bytes) -> NtaParseResult:
    try:
        table = read_csv(data, header=False)
    except TabularError as e:
        message = str(e)
        return NtaParseResult(
            "", [], [RowError(e.row or 0, None, message, f"unreadable file: {message}")], 1
        )
    rows = table.rows
    if rows and _is_summary_line(rows[0].values):
        rows = rows[1:]

    records: list[NtaRecord] = []
    errors: list[RowError] = []
    total = 0
    dates: dict[str, date | tuple[str, str]] = {}
    for r in rows:
        record, problems = _parse_row(r.number, r.values, dates)
        if record is not None:
            records.append(record)
            continue
        for column, ja, en in problems:
            total += 1
            if total <= MAX_ERRORS:
                errors.append(
                    RowError(r.number, column, f"{r.number}行目: {ja}", f"line {r.number}: {en}")
                )
    if total > MAX_ERRORS:
        more = total - MAX_ERRORS
        errors.append(
            RowError(
                0,
                None,
                f"ほかに{more:,}件のエラーがあります（最初の{MAX_ERRORS:,}件だけを表示しています）",
                f"{more:,} more errors not shown (only the first {MAX_ERRORS:,} are listed)",
            )
        )
    return NtaParseResult(table.encoding, records, errors, total)


def filter_city(records: Iterable[NtaRecord], lg_code: str) -> list[NtaRecord]:
    """Records located in one municipality. `lg_code` is the 5-digit 団体コード ("08220") or the
    6-digit one with its check digit ("082201"); it is validated (CodeError when wrong)."""
    code5 = validate_lg_code(lg_code)[:5]
    return [r for r in records if r.prefecture_code + r.city_code == code5]


def latest_per_number(records: Iterable[NtaRecord]) -> list[NtaRecord]:
    """One record per corporate number: among its rows with latest == 1, the one with the
    greatest (updateDate, sequenceNumber); a later row wins a tie. Rows with latest == 0 are
    history and never chosen, so a number that only has history rows is left out.
    Numbers come out in the order of their first latest row in the input."""
    chosen: dict[str, NtaRecord] = {}
    for r in records:
        if not r.latest:
            continue
        current = chosen.get(r.corporate_number)
        if current is None or (r.update_date, r.sequence_number) >= (
            current.update_date,
            current.sequence_number,
        ):
            chosen[r.corporate_number] = r
    return list(chosen.values())
