"""Export of the staff list's current filter as CSV (UTF-8 with BOM, or CP932) or Excel.

Columns are headed in Japanese; where a column is a gBizINFO field its English field name is
added in brackets (「法人番号 [corporate_number]」), so a file can be mapped back to gBizINFO or
re-imported without guessing. The representative's name is personal data: it is included only
for users whose role may export personal data, and then the export is audited
(`registry.business.exported`, with the filter and the row count).

Rows are read from the database in chunks (`.iterator(chunk_size=2000)`). UTF-8 CSV is streamed
as it is read; CP932 CSV and Excel are built whole first, because a character CP932 cannot hold
must become an error page rather than a file cut off in the middle.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from sangyo.core.audit import audit
from sangyo.core.tabular import chunked, write_csv, write_xlsx

from .classification import founder_stage
from .models import Business, CorporateType
from .selectors import BusinessFilter
from .services import jsic_table

CHUNK = 2000
FORMATS = ("csv_utf8", "csv_cp932", "xlsx")
CONTENT_TYPES = {
    "csv_utf8": "text/csv; charset=utf-8",
    "csv_cp932": "text/csv; charset=Shift_JIS",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@dataclass(frozen=True)
class Column:
    header_ja: str
    gbiz: str  # gBizINFO field name, or "" when the column is Sangyo's own
    value: Callable[[Business], Any]
    personal: bool = False

    @property
    def header(self) -> str:
        return f"{self.header_ja} [{self.gbiz}]" if self.gbiz else self.header_ja


def _jsic_name(b: Business) -> str:
    if not b.jsic_code:
        return ""
    try:
        return jsic_table().label(b.jsic_code)
    except ValueError:
        return b.jsic_code


_TYPES = dict(CorporateType.choices)
_SIZES = dict(Business.Size.choices)
_STATUSES = dict(Business.Status.choices)


# The size reason is Sangyo's own sentence ("従業員 12人 ≤ 300人"); its ≤ and ≥ have no place in
# CP932, whose JIS X 0208 forms ≦ and ≧ say the same. Only for that column and that encoding:
# data people typed is never altered (write_csv refuses it instead).
_CP932_REASON = str.maketrans({"≤": "≦", "≥": "≧"})


def columns(*, personal: bool, today: datetime.date, cp932: bool = False) -> list[Column]:
    def reason(b: Business) -> str:
        return b.size_reason.translate(_CP932_REASON) if cp932 else b.size_reason

    def stage(b: Business) -> str:
        return founder_stage(
            corporate_type=b.corporate_type, date_of_establishment=b.date_of_establishment, on=today
        ).label_ja

    cols = [
        Column("台帳ID", "", lambda b: b.pk),
        Column("法人番号", "corporate_number", lambda b: b.corporate_number or ""),
        Column("名称", "name", lambda b: b.name),
        Column("フリガナ", "kana", lambda b: b.kana),
        Column("英語名称", "name_en", lambda b: b.name_en),
        Column("法人種別コード", "", lambda b: b.corporate_type),
        Column("法人種別", "", lambda b: str(_TYPES.get(b.corporate_type, b.corporate_type))),
        Column("代表者名", "representative_name", lambda b: b.representative_name, personal=True),
        Column("代表者役職", "representative_position", lambda b: b.representative_position),
        Column("郵便番号", "postal_code", lambda b: b.postal_code),
        Column("所在地", "location", lambda b: b.location),
        Column("市区町村コード", "", lambda b: b.city_code),
        Column("市内・市外", "", lambda b: "市内" if b.in_city else "市外"),
        Column("地区", "", lambda b: b.district.name_ja if b.district_id else ""),
        Column("産業分類コード", "", lambda b: b.jsic_code),
        Column("産業分類", "", _jsic_name),
        Column("産業分類の改定", "", lambda b: b.jsic_revision),
        Column("資本金（円）", "capital_stock", lambda b: b.capital_stock),
        Column("常時使用する従業員数", "employee_number", lambda b: b.employee_number),
        Column("設立・創業日", "date_of_establishment", lambda b: b.date_of_establishment),
        Column("決算月", "", lambda b: b.fiscal_year_end_month),
        Column("ウェブサイト", "company_url", lambda b: b.company_url),
        Column("状態", "status", lambda b: str(_STATUSES.get(b.status, b.status))),
        Column("閉鎖日", "close_date", lambda b: b.close_date),
        Column("閉鎖事由", "close_cause", lambda b: b.close_cause),
        Column("規模区分", "", lambda b: str(_SIZES.get(b.size_class, b.size_class))),
        Column("規模区分の根拠", "", reason),
        Column("創業段階", "", stage),
        Column("タグ", "", lambda b: "、".join(t.name for t in b.tags.all())),
        Column("合成データ", "", lambda b: b.is_synthetic),
        Column(
            "更新日",
            "update_date",
            lambda b: timezone.localtime(b.updated_at).date() if b.updated_at else None,
        ),
    ]
    return [c for c in cols if personal or not c.personal]


def iter_rows(qs, cols: list[Column]) -> Iterator[list[Any]]:
    """The rows, read CHUNK businesses at a time with their district and tags."""
    qs = qs.select_related("district").prefetch_related("tags")
    for business in qs.iterator(chunk_size=CHUNK):
        yield [c.value(business) for c in cols]


def stream_csv_utf8(header: list[str], rows: Iterable[list[Any]]) -> Iterator[bytes]:
    """UTF-8 CSV with one BOM at the start, a chunk of rows at a time."""
    yield write_csv(header, [], encoding="utf-8-sig")
    bom = len(write_csv(None, [], encoding="utf-8-sig"))
    for chunk in chunked(rows, CHUNK):
        yield write_csv(None, chunk, encoding="utf-8-sig")[bom:]


def build(fmt: str, header: list[str], rows: Iterable[list[Any]]) -> tuple[bytes, int]:
    """The whole file and its row count (CP932 CSV, Excel). Raises TabularError."""
    materialised = list(rows)
    if fmt == "xlsx":
        return write_xlsx(header, materialised, sheet_title="事業者"), len(materialised)
    return write_csv(header, materialised, encoding="cp932"), len(materialised)


def filename(fmt: str, today: datetime.date) -> str:
    ext = "xlsx" if fmt == "xlsx" else "csv"
    suffix = "-sjis" if fmt == "csv_cp932" else ""
    return f"businesses-{today:%Y%m%d}{suffix}.{ext}"


def filter_summary(f: BusinessFilter) -> dict[str, Any]:
    """The filter as the audit event records it (only the fields in use)."""
    data = {
        "q": f.q,
        "corporate_number": f.corporate_number,
        "district": f.district,
        "jsic": f.jsic,
        "jsic_major": f.extra.get("jsic_major", ""),
        "size": f.size,
        "stage": f.stage,
        "tag": f.tag,
        "status": f.status,
        "in_city": f.in_city,
    }
    return {k: v for k, v in data.items() if v not in ("", None)}


@transaction.atomic
def record_export(*, actor, f: BusinessFilter, fmt: str, rows: int) -> None:
    """Audit an export that contained personal data."""
    audit(
        "registry.business.exported",
        actor=actor,
        data={"filter": filter_summary(f), "format": fmt, "rows": rows, "personal_data": True},
    )
