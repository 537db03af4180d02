"""Reading observation files: the CSV/Excel layout shared with the public export, and saved
e-Stat API 3.0 `getStatsData` JSON responses.

Parsing writes nothing. It returns the `(Indicator, ObservationInput)` pairs that
`services.observations_plan` / `observations_apply` take, or row-level errors in Japanese that
name the row and the column as the person sees them in Excel (「3行目「value」: …」). A file
with any error yields no items: an import is all or nothing.

Import layout (one row per indicator and fiscal year; header required, order free):

    strategy,indicator_code,fiscal_year,value,status,source,published_on,note

The public export (/indicators/download.csv) has more columns; unknown columns are ignored,
so an exported file can be imported back unchanged. A column that is missing altogether
(the export has no `note`, for example) keeps the stored figure's value for that field,
while a column that is present but empty clears it.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import PurePath
from typing import Any

from django.utils.translation import gettext as _

from sangyo.core.tabular import TabularError, read_table
from sangyo.core.wareki import ERAS, WarekiError, parse_date

from .models import Indicator, Observation
from .services import ObservationInput

IMPORT_COLUMNS = (
    "strategy",
    "indicator_code",
    "fiscal_year",
    "value",
    "status",
    "source",
    "published_on",
    "note",
)
REQUIRED_COLUMNS = ("indicator_code", "fiscal_year", "value")
# Fields of an observation a file may leave out entirely (then the stored value is kept).
OPTIONAL_FIELDS = ("status", "source", "published_on", "note")
TEXT_LIMIT = 300  # source and note are CharField(300)
# Observations of years this far around the plan period are accepted.
YEARS_AROUND_PLAN = 10
# Values must fit DecimalField(max_digits=20, decimal_places=4).
MAX_DECIMALS = 4
MAX_INTEGER_DIGITS = 16

STATUS_WORDS = {
    "preliminary": Observation.Status.PRELIMINARY,
    "速報": Observation.Status.PRELIMINARY,
    "速報値": Observation.Status.PRELIMINARY,
    "final": Observation.Status.FINAL,
    "確定": Observation.Status.FINAL,
    "確定値": Observation.Status.FINAL,
    "確報": Observation.Status.FINAL,
    "確報値": Observation.Status.FINAL,
}

Item = tuple[Indicator, ObservationInput]
Progress = Callable[..., None]


@dataclass(frozen=True)
class RowError:
    """One problem in a file; `row` is the line (CSV) or Excel row number, header = 1."""

    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        if self.row and self.column:
            return _("%(row)s行目「%(column)s」: %(message)s") % {
                "row": self.row,
                "column": self.column,
                "message": self.message,
            }
        if self.row:
            return _("%(row)s行目: %(message)s") % {"row": self.row, "message": self.message}
        return self.message


@dataclass
class ParseResult:
    items: list[Item]
    errors: list[RowError]
    encoding: str = ""
    warnings: list[str] = field(default_factory=list)
    rows: int = 0  # data rows read (header excluded)
    skipped: int = 0  # rows without a value (not an error)
    skipped_computed: int = 0  # rows of computed indicators repeating the stored figure
    source: str = ""  # label for the audit event
    # e-Stat only: what each accepted or skipped value was, for the preview table.
    preview: list[dict[str, Any]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


# --------------------------------------------------------------------------- values


_NUMBER_RE = re.compile(r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?")
_MINUS_SIGNS = str.maketrans({"−": "-", "‐": "-", "‒": "-", "–": "-", "—": "-"})


def parse_number(text: str) -> Decimal | None:
    """'14,383', '１４３８３', '△12' (Japanese accounting minus), '-0.5' → Decimal; None when
    the text is not a number (placeholders such as '***' or 'X' included)."""
    t = unicodedata.normalize("NFKC", text).strip().replace(" ", "").translate(_MINUS_SIGNS)
    if t[:1] in ("△", "▲") and len(t) > 1:
        t = "-" + t[1:]
    if not _NUMBER_RE.fullmatch(t):
        return None
    try:
        return Decimal(t.replace(",", ""))
    except InvalidOperation:  # pragma: no cover - the pattern only lets numbers through
        return None


def value_problem(value: Decimal) -> str | None:
    """Why a number cannot be stored in Observation.value, or None."""
    # 12.50000 is fine: only significant decimals count.
    exponent = value.normalize().as_tuple().exponent
    if isinstance(exponent, int) and exponent < -MAX_DECIMALS:
        return _("小数点以下は%(n)s桁までです") % {"n": MAX_DECIMALS}
    if len(str(abs(int(value)))) > MAX_INTEGER_DIGITS:
        return _("桁数が多すぎます（整数部分は%(n)s桁まで）") % {"n": MAX_INTEGER_DIGITS}
    return None


_ERA_NAMES = "|".join([e.name for e in ERAS] + [e.letter for e in ERAS])
_FY_IN_PARENS = re.compile(r"\((\d{4})年度\)")
_FY_PLAIN = re.compile(r"(?:FY)?(\d{4})(?:年度|年)?", re.IGNORECASE)
_FY_ERA = re.compile(rf"({_ERA_NAMES})(元|\d{{1,2}})(?:年度|年)?", re.IGNORECASE)


def parse_fiscal_year(text: str) -> int | None:
    """'2024', '2024年度', 'FY2024', '令和6年度', 'R6', '令和6年度（2024年度）' → 2024."""
    t = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))
    if m := _FY_IN_PARENS.search(t):
        return int(m[1])
    if m := _FY_PLAIN.fullmatch(t):
        return int(m[1])
    if m := _FY_ERA.fullmatch(t):
        key = m[1].upper() if len(m[1]) == 1 else m[1]
        era = next(e for e in ERAS if key in (e.name, e.letter))
        n = 1 if m[2] == "元" else int(m[2])
        # 令和N年度 = FY(2018+N): a 年度 takes the era-year of the calendar year it starts in.
        return era.start.year + n - 1 if n >= 1 else None
    return None


def parse_status(text: str) -> str | None:
    t = unicodedata.normalize("NFKC", text).strip()
    return STATUS_WORDS.get(t.lower()) or STATUS_WORDS.get(t)


_TRAILING_PARENS = re.compile(r"\([^()]*\)$")


def parse_published(text: str) -> date:
    """parse_date, also accepting the site's own display form
    '2025年4月1日（令和7年4月1日）' (the part in brackets repeats the date)."""
    t = unicodedata.normalize("NFKC", text).strip()
    stripped = _TRAILING_PARENS.sub("", t).strip()
    return parse_date(stripped or t)


def fiscal_year_bounds(strategy) -> tuple[int, int]:
    return strategy.start_fy - YEARS_AROUND_PLAN, strategy.end_fy + YEARS_AROUND_PLAN


# Other names of the same columns (the public export says strategy_code).
HEADER_ALIASES = {"strategy_code": "strategy"}


def _normal_header(text: str) -> str:
    key = unicodedata.normalize("NFKC", text).strip().lower()
    return HEADER_ALIASES.get(key, key)


# --------------------------------------------------------------------------- CSV / Excel


def parse_observation_file(
    data: bytes, filename: str, strategy, *, progress: Progress | None = None
) -> ParseResult:
    """Validate an observation file for `strategy`; items only when every row is valid."""
    try:
        table = read_table(data, filename)
    except TabularError as exc:
        return ParseResult([], [RowError(exc.row, None, str(exc))])
    result = ParseResult([], [], encoding=table.encoding, source=PurePath(filename).name)
    if table.header is None:
        result.errors.append(RowError(None, None, _("ファイルが空です（見出しの行がありません）")))
        return result

    index: dict[str, int] = {}
    for i, name in enumerate(table.header):
        key = _normal_header(name)
        if not key:
            continue
        if key in index:
            result.errors.append(
                RowError(1, name, _("同じ名前の列が2つあります（%(n)s列目）") % {"n": i + 1})
            )
        index.setdefault(key, i)
    for column in REQUIRED_COLUMNS:
        if column not in index:
            result.errors.append(
                RowError(
                    1,
                    None,
                    _("列「%(column)s」がありません（見出しは %(layout)s）")
                    % {"column": column, "layout": ",".join(IMPORT_COLUMNS)},
                )
            )
    if result.errors:
        return result

    indicators = {i.code: i for i in Indicator.objects.filter(strategy=strategy)}
    absent = [f for f in OPTIONAL_FIELDS if f not in index]
    stored = {
        (o.indicator_id, o.fiscal_year): o
        for o in Observation.objects.filter(indicator__strategy=strategy)
    }
    low, high = fiscal_year_bounds(strategy)
    seen: dict[tuple[int, int], int] = {}
    total = len(table.rows)
    result.rows = total

    for count, row in enumerate(table.rows, 1):
        if progress and count % 1000 == 0:
            progress(count, total, _("検証中"))
        values = row.values

        def cell(column: str, values=values) -> str:
            i = index.get(column)
            return values[i].strip() if i is not None and i < len(values) else ""

        raw_value = cell("value")
        if not raw_value:
            result.skipped += 1
            continue
        errors: list[RowError] = []

        def error(column: str, message: str, row=row, errors=errors) -> None:
            errors.append(RowError(row.number, column, message))

        strategy_code = cell("strategy")
        if strategy_code and strategy_code != strategy.code:
            error(
                "strategy",
                _("戦略「%(found)s」の行です（取込先は「%(code)s」）")
                % {"found": strategy_code, "code": strategy.code},
            )

        code = cell("indicator_code")
        indicator = indicators.get(code)
        if not code:
            error("indicator_code", _("指標コードが空です"))
        elif indicator is None:
            error("indicator_code", _("指標「%(code)s」はありません") % {"code": code})

        raw_fy = cell("fiscal_year")
        fy = parse_fiscal_year(raw_fy) if raw_fy else None
        if not raw_fy:
            error("fiscal_year", _("年度が空です"))
        elif fy is None:
            error("fiscal_year", _("年度として読み取れません（「%(text)s」）") % {"text": raw_fy})
        elif not low <= fy <= high and (indicator is None or (indicator.pk, fy) not in stored):
            # A year already on record (in an exported file, say) is not a typing mistake.
            error(
                "fiscal_year",
                _("%(fy)s年度は範囲外です（%(low)s〜%(high)s年度）")
                % {"fy": fy, "low": low, "high": high},
            )
            fy = None

        value = parse_number(raw_value)
        if value is None:
            error("value", _('数値ではありません（"%(text)s"）') % {"text": raw_value})
        elif problem := value_problem(value):
            error("value", problem)

        if indicator is not None and indicator.obtained == Indicator.Obtained.COMPUTED:
            # Computed figures come from records. An exported file carries them too: a row
            # that repeats the stored figure is passed over; any other value is refused.
            previous = stored.get((indicator.pk, fy)) if fy is not None else None
            if (
                not errors
                and value is not None
                and previous is not None
                and Decimal(previous.value) == value
            ):
                result.skipped_computed += 1
                continue
            error(
                "indicator_code",
                _("指標「%(code)s」は支援実績などから自動集計するため、値を取り込めません")
                % {"code": code},
            )
            indicator = None

        fields: dict[str, Any] = {}
        if "status" in index:
            raw_status = cell("status")
            fields["status"] = parse_status(raw_status) if raw_status else Observation.Status.FINAL
            if fields["status"] is None:
                error(
                    "status",
                    _("「%(text)s」は使えません（preliminary・final・速報値・確定値のいずれか）")
                    % {"text": raw_status},
                )
        if "published_on" in index:
            raw_date = cell("published_on")
            fields["published_on"] = None
            if raw_date:
                try:
                    fields["published_on"] = parse_published(raw_date)
                except WarekiError as exc:
                    error("published_on", str(exc))
        for column in ("source", "note"):
            if column in index:
                fields[column] = cell(column)
                if len(fields[column]) > TEXT_LIMIT:
                    error(
                        column,
                        _("%(limit)s文字以内にしてください（%(n)s文字）")
                        % {"limit": TEXT_LIMIT, "n": len(fields[column])},
                    )

        if indicator is not None and fy is not None:
            key = (indicator.pk, fy)
            if key in seen:
                error(
                    "fiscal_year",
                    _("指標「%(code)s」の%(fy)s年度が%(first)s行目と重複しています")
                    % {"code": code, "fy": fy, "first": seen[key]},
                )
            else:
                seen[key] = row.number

        if errors:
            result.errors.extend(errors)
            continue
        if result.errors:
            continue  # no items once a file has an error; keep looking for more errors
        previous = stored.get((indicator.pk, fy))
        for name in absent:
            fields[name] = (
                getattr(previous, name)
                if previous is not None
                else ObservationInput.__dataclass_fields__[name].default
            )
        result.items.append((indicator, ObservationInput(fiscal_year=fy, value=value, **fields)))

    if result.skipped_computed:
        result.warnings.append(
            _(
                "自動集計の指標の%(n)s行は、登録済みの値と同じため読み飛ばしました"
                "（自動集計の値は支援実績などから数えます）"
            )
            % {"n": result.skipped_computed}
        )
    if result.errors:
        result.items = []
    if progress:
        progress(total, total, _("検証済み"), force=True)
    return result


def plan_changes(items: list[Item], *, limit: int = 200) -> list[dict[str, str]]:
    """The rows a dry run would add or revise, revisions first (old → new), for display."""
    ids = {ind.pk for ind, _d in items}
    stored = {
        (o.indicator_id, o.fiscal_year): o for o in Observation.objects.filter(indicator_id__in=ids)
    }
    revised, added = [], []
    for indicator, data in items:
        old = stored.get((indicator.pk, data.fiscal_year))
        row = {
            "code": indicator.code,
            "name": indicator.name_ja,
            "fiscal_year": data.fiscal_year,
            "new": str(data.value),
            "old": "" if old is None else str(old.value),
        }
        if old is None:
            added.append(row | {"change": "added"})
            continue
        changed = [
            f
            for f in ("value", "status", "source", "published_on", "note")
            if (
                Decimal(old.value) != data.value
                if f == "value"
                else getattr(old, f) != getattr(data, f)
            )
        ]
        if changed:
            revised.append(row | {"change": "revised", "fields": ",".join(changed)})
    return (revised + added)[:limit]


# --------------------------------------------------------------------------- e-Stat JSON


def _as_list(value: Any) -> list[Any]:
    """e-Stat writes a single CLASS/VALUE as an object rather than a one-item list."""
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _dict(value: Any) -> dict[str, Any]:
    """A JSON object, or {} when the file has something else there (a hand-edited or
    truncated response must give a message, not an AttributeError)."""
    return value if isinstance(value, dict) else {}


def _text(value: Any) -> str:
    """e-Stat text nodes are either strings or {"@no": …, "$": text}."""
    if isinstance(value, dict):
        return str(value.get("$", ""))
    return "" if value is None else str(value)


@dataclass(frozen=True)
class EstatTable:
    stats_data_id: str
    title: str
    statistics_name: str
    open_date: date | None
    classes: dict[str, dict[str, Any]]  # "@id" → {"name": …, "codes": {code: name}}
    values: list[dict[str, Any]]
    notes: dict[str, str]  # placeholder → its meaning
    next_key: str


def read_estat(data: bytes) -> EstatTable:
    """Read a saved getStatsData JSON response; ValueError with a Japanese message."""
    try:
        doc = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        raise ValueError(
            _(
                "JSON ファイルとして読み込めません。e-Stat API の getStatsData（JSON形式）の応答を保存したファイルを選んでください。"
            )
        ) from None
    root = doc.get("GET_STATS_DATA") if isinstance(doc, dict) else None
    if not isinstance(root, dict):
        raise ValueError(
            _("e-Stat API の getStatsData の応答ではありません（GET_STATS_DATA がありません）。")
        )
    result = _dict(root.get("RESULT"))
    status = result.get("STATUS")
    # 0–2 are successes (2: some parameters ignored); 100 and above are errors.
    if status is not None and not (str(status).isdigit() and int(status) < 100):
        raise ValueError(
            _("e-Stat API がエラーを返したときの応答です: %(message)s")
            % {"message": result.get("ERROR_MSG", "")}
        )
    stats = root.get("STATISTICAL_DATA")
    if not isinstance(stats, dict) or not isinstance(stats.get("DATA_INF"), dict):
        raise ValueError(_("統計データ（STATISTICAL_DATA.DATA_INF）がありません。"))
    table_inf = _dict(stats.get("TABLE_INF"))
    classes: dict[str, dict[str, Any]] = {}
    for obj in _as_list(_dict(stats.get("CLASS_INF")).get("CLASS_OBJ")):
        if not isinstance(obj, dict):
            continue
        classes[str(obj.get("@id", ""))] = {
            "name": obj.get("@name", ""),
            "codes": {
                str(c.get("@code", "")): c.get("@name", "")
                for c in _as_list(obj.get("CLASS"))
                if isinstance(c, dict)
            },
        }
    data_inf = stats["DATA_INF"]
    notes = {
        str(n.get("@char", "")): _text(n)
        for n in _as_list(data_inf.get("NOTE"))
        if isinstance(n, dict)
    }
    open_date = None
    if table_inf.get("OPEN_DATE"):
        try:
            open_date = date.fromisoformat(str(table_inf["OPEN_DATE"])[:10])
        except ValueError:
            open_date = None
    return EstatTable(
        stats_data_id=str(table_inf.get("@id", "")),
        title=_text(table_inf.get("TITLE")),
        statistics_name=_text(table_inf.get("STATISTICS_NAME"))
        or _text(table_inf.get("STAT_NAME")),
        open_date=open_date,
        classes=classes,
        values=[v for v in _as_list(data_inf.get("VALUE")) if isinstance(v, dict)],
        notes=notes,
        next_key=str(_dict(stats.get("RESULT_INF")).get("NEXT_KEY", "") or ""),
    )


_CAT_KEY = re.compile(r"tab|cat\d{2}|area|time")


def parse_cat_filters(text: str) -> tuple[dict[str, str], list[str]]:
    """'cat01=001' lines (or comma separated) → ({"cat01": "001"}, problems)."""
    filters: dict[str, str] = {}
    problems = []
    for part in re.split(r"[\n,、]+", unicodedata.normalize("NFKC", text or "")):
        part = part.strip()
        if not part:
            continue
        key, sep, code = (s.strip() for s in part.partition("="))
        key = key.lstrip("@").lower()
        if not sep or not code or not _CAT_KEY.fullmatch(key) or key in ("area", "time"):
            problems.append(
                _("「%(text)s」は分類の条件として読めません（例: cat01=001、tab=020）")
                % {"text": part}
            )
            continue
        filters[key] = code
    return filters, problems


def parse_estat_json(
    data: bytes,
    *,
    indicator: Indicator,
    area_code: str,
    year_type: str = "fiscal",
    cat_filters: dict[str, str] | None = None,
    filename: str = "",
) -> ParseResult:
    """Figures for one indicator and one area from a saved getStatsData response.

    `@time` codes (2020000000, 2020100000, …) give the year in their first four digits; the
    figure is stored for that fiscal year. `year_type="calendar"` says the statistic is for a
    calendar year, which is recorded in the note. Placeholders (-, ***, X, …) are skipped
    with a warning; years outside the plan period ±10 are skipped with a warning; two
    different figures for one year (classes not narrowed down) are an error.
    """
    cat_filters = cat_filters or {}
    result = ParseResult([], [], encoding="json")
    if indicator.obtained == Indicator.Obtained.COMPUTED:
        result.errors.append(RowError(None, None, _("自動集計の指標には統計の値を取り込めません")))
        return result
    try:
        table = read_estat(data)
    except ValueError as exc:
        result.errors.append(RowError(None, None, str(exc)))
        return result

    name = PurePath(filename).name if filename else ""
    label = " ".join(p for p in (table.statistics_name, table.title) if p)
    details = "、".join(p for p in (f"e-Stat {table.stats_data_id}".strip(), name) if p)
    source = f"{label}（{details}）" if label else details
    result.source = source[:TEXT_LIMIT]
    if table.next_key:
        result.warnings.append(
            _("この統計表には続きがあります（NEXT_KEY %(key)s）。続きのデータは含まれていません。")
            % {"key": table.next_key}
        )
    time_names = table.classes.get("time", {}).get("codes", {})
    area_code = unicodedata.normalize("NFKC", area_code or "").strip()
    matched = []
    for v in table.values:
        if area_code and "@area" in v and v["@area"] != area_code:
            continue
        if any(v.get("@" + k) != code for k, code in cat_filters.items()):
            continue
        matched.append(v)
    result.rows = len(matched)
    if not matched:
        areas = sorted({str(v.get("@area", "")) for v in table.values} - {""})
        area_names = table.classes.get("area", {}).get("codes", {})
        shown = "、".join(f"{a}（{area_names.get(a, '')}）" for a in areas[:10])
        message = _("地域コード「%(area)s」と分類の条件に合うデータがありません。") % {
            "area": area_code
        }
        if shown:
            message += _("ファイルにある地域: %(areas)s") % {"areas": shown}
        result.errors.append(RowError(None, None, message))
        return result

    low, high = fiscal_year_bounds(indicator.strategy)
    units = sorted({str(v.get("@unit", "")) for v in matched} - {""})
    if units and indicator.unit_ja and units != [indicator.unit_ja]:
        result.warnings.append(
            _("単位が指標と異なります（統計表: %(units)s、指標: %(unit)s）。値を確認してください。")
            % {"units": "・".join(units), "unit": indicator.unit_ja}
        )
    by_year: dict[int, list[dict[str, Any]]] = {}
    placeholders: list[str] = []
    for v in matched:
        time_code = str(v.get("@time", ""))
        raw = _text(v).strip()
        row = {
            "time": time_code,
            "time_name": time_names.get(time_code, ""),
            "raw": raw,
            "value": None,
            "fiscal_year": None,
            "skipped": "",
        }
        result.preview.append(row)
        if not (time_code[:4].isascii() and time_code[:4].isdigit()):
            row["skipped"] = _("時間軸コードから年を読み取れません")
            result.warnings.append(
                _("時間軸コード「%(code)s」から年を読み取れないため飛ばしました")
                % {"code": time_code}
            )
            continue
        year = int(time_code[:4])
        row["fiscal_year"] = year
        value = parse_number(raw)
        if value is None or value_problem(value):
            meaning = table.notes.get(raw, "")
            row["skipped"] = _("数値ではありません") + (f"（{meaning}）" if meaning else "")
            placeholders.append(
                f"{year}（{time_code}）: {raw or _('空欄')}" + (f" = {meaning}" if meaning else "")
            )
            continue
        if not low <= year <= high:
            row["skipped"] = _("対象期間外")
            result.warnings.append(
                _("%(year)s年は対象期間（%(low)s〜%(high)s年度）外のため飛ばしました")
                % {"year": year, "low": low, "high": high}
            )
            continue
        row["value"] = value
        by_year.setdefault(year, []).append(v)
    if placeholders:
        result.warnings.append(
            _("数値でない値（%(n)s件）は取り込みません: %(list)s")
            % {"n": len(placeholders), "list": "、".join(placeholders)}
        )

    for year, values in sorted(by_year.items()):
        distinct = {parse_number(_text(v)) for v in values}
        if len(distinct) > 1:
            dims = sorted(
                {
                    f"{k[1:]}={v[k]}"
                    for v in values
                    for k in v
                    if k.startswith("@") and k not in ("@area", "@unit")
                }
            )
            result.errors.append(
                RowError(
                    None,
                    None,
                    _("%(year)s年の値が複数あります（%(dims)s）。分類の条件で1つに絞ってください。")
                    % {"year": year, "dims": "、".join(dims[:8])},
                )
            )
            continue
        note = _("%(year)s年（暦年）の値") % {"year": year} if year_type == "calendar" else ""
        result.items.append(
            (
                indicator,
                ObservationInput(
                    fiscal_year=year,
                    value=distinct.pop(),
                    status=Observation.Status.FINAL,
                    source=result.source,
                    published_on=table.open_date,
                    note=note,
                ),
            )
        )
    if not result.items and not result.errors:
        result.errors.append(RowError(None, None, _("取り込める数値がありません")))
    if result.errors:
        result.items = []
    return result
