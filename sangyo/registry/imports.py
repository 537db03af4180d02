"""Imports into the business registry: the 国税庁 法人番号 bulk file, and any CSV/Excel file
whose columns staff map to business fields.

Both importers work in the same three steps, so that a file can never half-apply:

1. validate every row and refuse the whole file when any row is wrong, with messages that
   name the row and the column in Japanese (the person who fixes the file needs both);
2. plan: compare each row with the registry and decide new / updated / closed / unchanged /
   rejected — a dry run stops here and writes nothing but its ImportRun;
3. apply: write the plan in ONE transaction, in bulk (a 100,000-row prefecture file must
   load in well under a minute), with one audit event for the whole import rather than one
   per business (a hundred thousand identical events would drown the audit log).

Every attempt, failed, dry run or applied, leaves an `ImportRun` (who, when, which file by
its SHA-256, counts, row errors), so "what did that file do?" always has an answer.

Validation rules are the services' own: each business is built unsaved and passed through
`services._clean` and `services.derive`, so an imported business obeys exactly the rules of
one typed into the form.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import logging
import operator
import re
import unicodedata
import uuid
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from pathlib import PurePath
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection, models, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from sangyo.core.audit import audit
from sangyo.core.codes import CodeError, lg_code6, validate_corporate_number, validate_lg_code
from sangyo.core.jobs import job_start
from sangyo.core.models import Job
from sangyo.core.tabular import Table, TabularError, read_table
from sangyo.core.text import normalize_for_match, normalize_kana, normalize_many_for_match
from sangyo.core.wareki import WarekiError, parse_date

from . import services
from .classification import classify
from .models import Business, CorporateType, District, ImportRun, Tag
from .nta import (
    CLOSE_CAUSES,
    COLUMN_LABELS,
    PROCESS_CODES,
    NtaRecord,
    filter_city,
    gc_paused,
    latest_per_number,
    parse_nta,
)
from .nta import MAX_ERRORS as NTA_MAX_ERRORS
from .services import RegistryError

logger = logging.getLogger(__name__)

NTA_JOB = "registry.nta_import"
GENERIC_JOB = "registry.generic_import"

# Rows per INSERT/UPDATE round trip: big enough that a 100,000-row file needs only ~50 of
# them, small enough to keep each statement and its memory modest (Django lowers it further
# on SQLite, whose statements take at most 999 parameters).
BATCH_SIZE = 2000
# Lookups by `__in` are chunked under SQLite's historical 999-parameter limit.
LOOKUP_CHUNK = 900
MAX_ERRORS = 1000
MAX_UPLOAD_BYTES = 50 * 1024 * 1024

ProgressFn = Callable[[int, int, str], None]

# Fields the 国税庁 file is the authority for; nothing else of a business is touched by it.
NTA_FIELDS = (
    "name",
    "kana",
    "name_en",
    "corporate_type",
    "location",
    "postal_code",
    "city_code",
    "nta_update_date",
)
STATUS_FIELDS = ("status", "close_date", "close_cause")
# What services.derive recomputes; written together with any change.
DERIVED_FIELDS = ("size_class", "size_reason", "search_name", "search_kana", "in_city", "district")
NTA_UPDATE_FIELDS = [*NTA_FIELDS, *STATUS_FIELDS, *DERIVED_FIELDS]

# Fields a generic file may fill, in the order the mapping screen shows them.
GENERIC_FIELDS = (
    "corporate_number",
    "name",
    "kana",
    "name_en",
    "corporate_type",
    "representative_name",
    "postal_code",
    "location",
    "city_code",
    "jsic_code",
    "capital_stock",
    "employee_number",
    "date_of_establishment",
    "fiscal_year_end_month",
    "company_url",
    "tags",
)
REQUIRED_GENERIC_FIELDS = ("name",)

# Header names (as offices write them) that suggest a field, best first. Compared after
# normalize_for_match, so フリガナ = ふりがな = ﾌﾘｶﾞﾅ and 資本金（円） = 資本金(円).
HEADER_GUESSES: dict[str, tuple[str, ...]] = {
    "corporate_number": ("法人番号", "corporate_number", "corporatenumber", "法人番号13桁"),
    "name": (
        "名称",
        "商号",
        "事業者名",
        "商号又は名称",
        "商号または名称",
        "会社名",
        "法人名",
        "企業名",
        "屋号",
        "名前",
        "name",
    ),
    "kana": ("フリガナ", "カナ", "よみがな", "名称カナ", "名称フリガナ", "kana", "furigana"),
    "name_en": ("英語名称", "英語名", "英文名称", "英文社名", "name_en", "enname"),
    "corporate_type": ("法人種別", "法人格", "法人区分", "組織形態", "事業形態", "corporate_type"),
    "representative_name": ("代表者名", "代表者", "代表者氏名", "representative_name"),
    "postal_code": ("郵便番号", "〒", "postal_code", "postcode", "zip"),
    "location": ("所在地", "住所", "本店所在地", "事業所所在地", "address", "location"),
    "city_code": ("市区町村コード", "地方公共団体コード", "団体コード", "city_code"),
    "jsic_code": (
        "業種",
        "産業分類",
        "産業分類コード",
        "業種コード",
        "日本標準産業分類",
        "jsic",
        "jsic_code",
    ),
    "capital_stock": ("資本金", "資本金(円)", "capital", "capital_stock"),
    "employee_number": (
        "従業員数",
        "従業員",
        "常時使用する従業員数",
        "社員数",
        "employees",
        "employee_number",
    ),
    "date_of_establishment": (
        "設立年月日",
        "設立日",
        "設立",
        "創業年月日",
        "創業日",
        "date_of_establishment",
    ),
    "fiscal_year_end_month": ("決算月", "決算期", "fiscal_year_end_month"),
    "company_url": ("ウェブサイト", "ホームページ", "url", "hp", "company_url", "website"),
    "tags": ("タグ", "tags"),
}

COUNT_KEYS = (
    "rows",
    "superseded",
    "skipped_other_city",
    "new",
    "new_closed",
    "updated",
    "closed",
    "unchanged",
    "stale",
    "rejected",
)


def _no_progress(done: int, total: int, message: str = "") -> None:
    return None


def file_sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _chunks(items: Sequence, size: int) -> Iterator[Sequence]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


class _Errors:
    """Row errors as stored in ImportRun.errors: the first MAX_ERRORS, and the total."""

    def __init__(self) -> None:
        self.items: list[dict[str, Any]] = []
        self.total = 0

    def add(self, line: int, column: str | None, message: str) -> None:
        self.total += 1
        if len(self.items) < MAX_ERRORS:
            self.items.append({"line": line, "column": column or "", "message": message})


def _user(actor: Any):
    return actor if isinstance(actor, models.Model) else None


def _record(
    *,
    kind: str,
    dry_run: bool,
    file_name: str,
    sha256: str,
    actor: Any,
    job: Job | None,
    encoding: str = "",
    counts: dict[str, int] | None = None,
    errors: list[dict[str, Any]] | None = None,
    succeeded: bool,
) -> ImportRun:
    return ImportRun.objects.create(
        kind=kind,
        mode=ImportRun.Mode.DRY_RUN if dry_run else ImportRun.Mode.APPLY,
        file_name=file_name[:300],
        sha256=sha256,
        encoding=encoding[:20],
        counts=counts or {},
        errors=(errors or [])[:MAX_ERRORS],
        succeeded=succeeded,
        actor=_user(actor),
        job=job,
    )


def _home_and_districts() -> tuple[str, list[District]]:
    """The platform's city (6-digit code) and its districts, loaded once per import so that
    derive() runs no query per business."""
    home = services.home_municipality_code()
    districts = list(District.objects.filter(municipality_code=home)) if home else []
    return home, districts


def _attach_districts(businesses: Iterable[Business], districts: list[District]) -> None:
    """Put the preloaded District objects on loaded businesses: derive() reads
    `business.district` when no town name matches, which would otherwise be one query each."""
    by_id = {d.pk: d for d in districts}
    for b in businesses:
        if b.district_id in by_id:
            b.district = by_id[b.district_id]


def _businesses_by_number(numbers: Iterable[str], districts: list[District]) -> dict[str, Business]:
    numbers = sorted(set(numbers))
    found: dict[str, Business] = {}
    for chunk in _chunks(numbers, LOOKUP_CHUNK):
        for b in Business.objects.filter(corporate_number__in=chunk):
            found[b.corporate_number] = b
    _attach_districts(found.values(), districts)
    return found


def _converters(fields: Sequence[models.Field]) -> list[Callable[[Any], Any] | None]:
    """How each field's value becomes a database value, decided once per import: Django's
    own get_db_prep_save for dates and anything unusual, nothing at all for text, numbers,
    flags and foreign-key ids, which both drivers take as they are. (That per-value ORM work,
    not the database, is most of bulk_create's time on SQLite.) psycopg adapts dates and
    aware datetimes itself, so on PostgreSQL nothing is converted."""
    plain = (models.CharField, models.TextField, models.IntegerField, models.BooleanField)
    if connection.vendor == "postgresql":
        return [None] * len(fields)
    return [
        None
        if f.is_relation or isinstance(f, plain)
        else functools.partial(f.get_db_prep_save, connection=connection)
        for f in fields
    ]


def _rows(objs: Sequence[Business], fields: Sequence[models.Field], extra=None) -> list[tuple]:
    get = operator.attrgetter(*(f.attname for f in fields))
    converters = _converters(fields)
    rows = []
    for obj in objs:
        values = get(obj) if len(fields) > 1 else (get(obj),)
        row = [
            v if c is None or v is None else c(v) for v, c in zip(values, converters, strict=True)
        ]
        if extra is not None:
            row.append(extra(obj))
        rows.append(tuple(row))
    return rows


def _convert_rows(rows: list[list], fields: Sequence[models.Field]) -> list[list]:
    """Plain rows (lists in `fields` order, possibly with extra trailing values) made ready
    for the driver, in place: only dates and datetimes need it, and only on SQLite."""
    todo = [(i, c) for i, c in enumerate(_converters(fields)) if c is not None]
    if todo:
        for row in rows:
            for i, convert in todo:
                if row[i] is not None:
                    row[i] = convert(row[i])
    return rows


def _insert_fields() -> list[models.Field]:
    """The columns of an INSERT, in model order (the id is the database's)."""
    return [f for f in Business._meta.concrete_fields if not f.primary_key]


def _insert_batch(
    objs: Sequence[Business] | Sequence[list], *, need_pks: bool, writer: _Writer | None = None
) -> None:
    """Insert businesses the fastest way the database offers when their ids are not needed
    afterwards: COPY on PostgreSQL (about three times bulk_create's speed there), one prepared
    INSERT run for every row (executemany) on SQLite. bulk_create, which returns the ids, when
    they are needed, and on any other database.

    `objs` are Business objects, or plain rows (lists in _insert_fields() order), which the
    国税庁 import builds without model instances (80,000 of those cost seconds). The COPY or
    INSERT goes through `writer` (by default one of its own, closed before returning)."""
    with contextlib.ExitStack() as own:
        if writer is None:
            writer = own.enter_context(_Writer.open())
        _insert_rows(objs, need_pks=need_pks, writer=writer)


def _insert_rows(
    objs: Sequence[Business] | Sequence[list], *, need_pks: bool, writer: _Writer
) -> None:
    """_insert_batch's work, with the writer given."""
    now = timezone.now()
    fields = _insert_fields()
    vendor = connection.vendor
    if objs and not isinstance(objs[0], Business):
        stamps = [i for i, f in enumerate(fields) if f.attname in ("created_at", "updated_at")]
        for row in objs:
            for i in stamps:
                row[i] = now  # what auto_now(_add) would set
        if vendor not in ("postgresql", "sqlite"):
            objs = [Business(None, *row) for row in objs]
            writer.wait()
            Business.objects.bulk_create(objs, batch_size=BATCH_SIZE)
            return
        rows = _convert_rows(list(objs), fields) if vendor == "sqlite" else objs
    else:
        for obj in objs:
            obj.created_at = obj.updated_at = now  # what auto_now(_add) would set
        if need_pks or vendor not in ("postgresql", "sqlite"):
            writer.wait()
            Business.objects.bulk_create(objs, batch_size=BATCH_SIZE)
            return
        rows = _rows(objs, fields)
    qn = connection.ops.quote_name
    table, columns = qn(Business._meta.db_table), ", ".join(qn(f.column) for f in fields)
    if writer.copies:
        writer.copy(table, columns, rows)
        return
    placeholders = ", ".join(["%s"] * len(fields))
    writer.executemany(f"INSERT INTO {table} ({columns}) VALUES ({placeholders})", rows)


_UPDATE_TABLE = "sangyo_import_update"


def _update_batch(
    objs: Sequence[Business] | Sequence[list],
    field_names: Sequence[str],
    writer: _Writer | None = None,
) -> None:
    """Update the given fields of each business.

    On PostgreSQL (psycopg 3) the new values go by COPY into a temporary table, and one
    UPDATE … FROM writes them all when the writer closes (the rows of every batch go into
    the same table); elsewhere one prepared UPDATE runs for every row (executemany). Both
    beat bulk_update, whose CASE WHEN statements grow with rows × fields.
    `objs` are Business objects, or plain rows: the values in `field_names` order, then the id.
    """
    now = timezone.now()
    meta = Business._meta
    names = [n for n in dict.fromkeys(field_names) if n != "updated_at"]
    fields = [meta.get_field(n) for n in [*names, "updated_at"]]
    if objs and isinstance(objs[0], Business):
        for obj in objs:
            obj.updated_at = now  # bulk writes do not run auto_now
        rows = _rows(objs, fields, extra=operator.attrgetter("pk"))
    else:
        rows = _convert_rows([[*row[:-1], now, row[-1]] for row in objs], fields)
    qn = connection.ops.quote_name
    table, pk = qn(meta.db_table), qn(meta.pk.column)
    with contextlib.ExitStack() as own:
        if writer is None:
            writer = own.enter_context(_Writer.open())
        if not writer.copies:
            sql = "UPDATE {} SET {} WHERE {} = %s".format(
                table, ", ".join(f"{qn(f.column)} = %s" for f in fields), pk
            )
            writer.executemany(sql, rows)
            return
        columns = ", ".join(qn(f.column) for f in fields)
        tmp = qn(_UPDATE_TABLE)
        if writer.once(tmp):
            writer.execute(f"DROP TABLE IF EXISTS {tmp}")
            writer.execute(
                f"CREATE TEMPORARY TABLE {tmp} AS SELECT {columns}, {pk} FROM {table} WITH NO DATA"
            )
            assignments = ", ".join(f"{c} = t.{c}" for c in columns.split(", "))
            writer.at_close(
                f"UPDATE {table} AS b SET {assignments} FROM {tmp} AS t WHERE b.{pk} = t.{pk}",
                f"DROP TABLE {tmp}",
            )
        writer.copy(tmp, f"{columns}, {pk}", rows)


def _write(
    creates: Sequence,
    updates: Sequence,
    update_fields: Sequence[str],
    progress: ProgressFn,
    *,
    need_pks: bool = False,
    prepare_creates: Callable[[Sequence], list] | None = None,
    prepare_updates: Callable[[Sequence], list] | None = None,
    writer: _Writer | None = None,
) -> None:
    """Insert and update in batches of BATCH_SIZE. Call inside a transaction: a failure in
    any batch must undo the batches before it.

    `prepare_…` turn a batch of the plan into what _insert_batch/_update_batch take, one
    batch at a time: on PostgreSQL the server then stores one batch while Python prepares
    the next (the machine's second core is not idle). `writer` is the caller's _Writer, when
    it has already started writing; by default a new one, closed at the end."""
    total, done = len(creates) + len(updates), 0
    message = _("事業者台帳に書き込んでいます")
    progress(0, total, message)
    own = contextlib.nullcontext(writer) if writer is not None else _Writer.open()
    with own as writer:
        for batch in _chunks(creates, BATCH_SIZE):
            rows = prepare_creates(batch) if prepare_creates else batch
            _insert_batch(rows, need_pks=need_pks, writer=writer)
            done += len(batch)
            progress(done, total, message)
        for batch in _chunks(updates, BATCH_SIZE):
            rows = prepare_updates(batch) if prepare_updates else batch
            _update_batch(rows, update_fields, writer=writer)
            done += len(batch)
            progress(done, total, message)


class _Writer:
    """Where an import's statements go. On PostgreSQL (psycopg 3) rows are written by COPY,
    and consecutive batches for the same COPY statement go into ONE open COPY: psycopg sends
    each batch as it is written and returns, so PostgreSQL stores and indexes the rows (in
    its own process, on the machine's other core) while Python prepares the next batch; the
    import then takes about the longer of the two rather than their sum. (A COPY per batch
    made Python wait for the server at the end of every batch.) Elsewhere each statement
    runs at once.

    While a COPY is open this connection can run nothing else: every other statement (and
    `wait()`, which callers use before the ORM) first ends it. Statements registered with
    `at_close` run when the writer closes, after the last COPY. If the block raises, the
    open COPY is abandoned (the server discards it) and the caller's transaction rolls
    back as usual.
    """

    def __init__(self) -> None:
        self.copies = connection.vendor == "postgresql"
        self._copy: Any = None  # psycopg's Copy of the open COPY
        self._copy_sql = ""
        self._stack: contextlib.ExitStack | None = None
        self._done: set[str] = set()
        self._closing: list[str] = []

    @classmethod
    @contextlib.contextmanager
    def open(cls) -> Iterator[_Writer]:
        writer = cls()
        try:
            yield writer
        except BaseException as exc:
            writer._end_copy(exc)
            raise
        writer.wait()

    def copy(self, table: str, columns: str, rows: Iterable[Sequence[Any]]) -> None:
        """Write `rows` into `table` (`columns`: quoted names, comma-separated) by COPY,
        continuing the open COPY when it is for the same table and columns.

        The binary format: about half the time of the text format for psycopg to encode and
        for PostgreSQL to decode (measured on the registry's rows, docs/operations.md). It
        needs each column's exact type, which is read from the catalogue."""
        sql = f"COPY {table} ({columns}) FROM STDIN (FORMAT BINARY)"
        if sql != self._copy_sql:
            self._end_copy()
            types = self._types(table, columns)
            stack = contextlib.ExitStack()
            cursor = stack.enter_context(connection.cursor())
            self._copy = stack.enter_context(cursor.cursor.copy(sql))
            self._copy.set_types(types)
            self._stack, self._copy_sql = stack, sql
        write = self._copy.write_row
        for row in rows:
            write(row)

    def _types(self, table: str, columns: str) -> list[str]:
        """The type names (pg_type.typname: varchar, int8, timestamptz…) of `columns`."""
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT a.attname, t.typname FROM pg_attribute a "
                "JOIN pg_type t ON t.oid = a.atttypid "
                "WHERE a.attrelid = %s::regclass AND a.attnum > 0 AND NOT a.attisdropped",
                [table],
            )
            typname = dict(cursor.fetchall())
        return [typname[c.strip().strip('"')] for c in columns.split(",")]

    def execute(self, sql: str) -> None:
        self._end_copy()
        with connection.cursor() as cursor:
            cursor.execute(sql)

    def executemany(self, sql: str, rows: list) -> None:
        self._end_copy()
        with connection.cursor() as cursor:
            cursor.executemany(sql, rows)

    def once(self, key: str) -> bool:
        """True the first time `key` is asked for (to set up a temporary table once)."""
        if key in self._done:
            return False
        self._done.add(key)
        return True

    def at_close(self, *sql: str) -> None:
        self._closing.extend(sql)

    def wait(self) -> None:
        """End the open COPY (waiting for the server to store its rows) and run what was
        left for the close, so that everything written so far is in the database and the
        connection is free for other queries."""
        self._end_copy()
        closing, self._closing = self._closing, []
        for sql in closing:
            self.execute(sql)
        self._done.clear()

    def _end_copy(self, exc: BaseException | None = None) -> None:
        stack, self._stack, self._copy, self._copy_sql = self._stack, None, None, ""
        if stack is None:
            return
        if exc is None:
            stack.close()
        else:
            stack.__exit__(type(exc), exc, exc.__traceback__)


class _DistrictIndex:
    """The districts worth passing to derive() for one address.

    services.match_district normalises every town name of every district on every call
    (about thirty for つくば市), which was most of derive()'s time on a prefecture file. The
    town names are normalised once here, and derive() gets only the districts one of whose
    names occurs in the address; it still makes the choice (longest match), so the result is
    the same as with the full list.
    """

    def __init__(self, districts: list[District]):
        self.prefixes = [
            (d, [p for p in (normalize_for_match(x) for x in d.address_prefixes) if p])
            for d in districts
        ]

    def candidates(self, location: str) -> list[District]:
        if not location or not self.prefixes:
            return []
        key = normalize_for_match(location)
        return [d for d, prefixes in self.prefixes if any(p in key for p in prefixes)]


def _derive(business: Business, home: str, index: _DistrictIndex) -> None:
    services.derive(business, home_code=home, districts=index.candidates(business.location))


def _failed_apply(exc: Exception) -> list[dict[str, Any]]:
    logger.exception("registry import failed while writing; rolled back")
    return [
        {
            "line": 0,
            "column": "",
            "message": _(
                "書き込み中にエラーが発生したため、すべて取り消しました（事業者台帳は変わって"
                "いません）: %(error)s"
            )
            % {"error": exc},
        }
    ]


# ======================================================================= 国税庁 法人番号


def _nta_values(
    record: NtaRecord, code6: dict[str, str], kana: Callable[[str], str] = normalize_kana
) -> dict[str, Any]:
    """What the registry should hold for this record, in Business field names.

    Furigana and the English name are optional in 国税庁 data (many corporations never
    registered them): an empty one means "not known", so it never erases what staff entered.
    Status changes only on a closure (process 21 or a closeDate) or a revival (22): many
    corporations that staff record as closed (休眠, 廃業) stay open in the national register.
    """
    code5 = record.lg_code5
    city_code = ""
    if code5:
        city_code = code6.get(code5) or code6.setdefault(code5, lg_code6(code5))
    values: dict[str, Any] = {
        "name": record.name,
        "corporate_type": record.kind,
        "location": record.address or record.address_outside,
        "postal_code": record.post_code,
        "city_code": city_code,
        "nta_update_date": record.update_date,
    }
    if record.furigana:
        values["kana"] = kana(record.furigana)
    if record.en_name:
        values["name_en"] = record.en_name
    if record.process == "21" or record.close_date:
        values["status"] = Business.Status.CLOSED
        values["close_date"] = record.close_date or record.change_date or record.update_date
        values["close_cause"] = CLOSE_CAUSES.get(record.close_cause) or PROCESS_CODES["21"]
    elif record.process == "22":
        values["status"] = Business.Status.ACTIVE
        values["close_date"] = None
        values["close_cause"] = ""
    return values


_MAX_LENGTHS = {
    f: Business._meta.get_field(f).max_length for f in ("name", "kana", "name_en", "location")
}


def _too_long(values: dict[str, Any]) -> str | None:
    for field, limit in _MAX_LENGTHS.items():
        value = values.get(field) or ""
        if len(value) > limit:
            label = Business._meta.get_field(field).verbose_name
            return _("%(label)sが%(n)s文字あり、登録できる%(limit)s文字を超えています") % {
                "label": label,
                "n": len(value),
                "limit": limit,
            }
    return None


@dataclass
class _Plan:
    creates: list[dict[str, Any]]  # values of each new business, by attribute name
    updates: list[dict[str, Any]]  # what the registry holds, with the file's values applied
    counts: Counter
    errors: _Errors
    changes: dict[str, list[str]]  # corporate number → changed fields (for the audit event)
    inserted: int = 0  # how many of `creates` the plan has already handed over for writing


class _Deriver:
    """services.derive for many rows of plain values, with the same result (a test compares
    the two on every row of an import) at a fraction of the cost:

    - the size classification depends only on (JSIC code, capital, employees, corporate
      type), and a 国税庁 file has none of the first three, so it is computed once per
      combination rather than 80,000 times;
    - the districts' town names are normalised once, and each address once (match_district
      normalises every town name of every district on every call).
    """

    # What derive() reads and writes, by attribute name.
    READS = (
        "jsic_code",
        "capital_stock",
        "employee_number",
        "corporate_type",
        "name",
        "kana",
        "city_code",
        "in_city",
        "location",
        "district_id",
    )

    def __init__(self, home: str, districts: list[District]):
        self.home = home
        self.table = services.jsic_table()
        self.sizes: dict[tuple, tuple[str, str]] = {}
        self.kana: dict[str, str] = {}
        self.kana_keys: dict[str, str] = {}
        # Every town name once, longest first (a stable sort keeps the districts' order
        # among names of the same length), so the first one found is match_district's.
        names = [
            (pk, p)
            for pk, prefixes in (
                (d.pk, [normalize_for_match(x) for x in d.address_prefixes]) for d in districts
            )
            for p in prefixes
            if p
        ]
        self.prefixes = sorted(names, key=lambda item: -len(item[1]))
        # Which of them occur in an address, in one scan: at every position the lookahead
        # yields the first alternative (in the order above) that starts there, so the
        # lowest-ranked name found over all positions is the first one `p in key` would find.
        self.rank: dict[str, int] = {}
        for i, (_pk, p) in enumerate(self.prefixes):
            self.rank.setdefault(p, i)
        self.towns = (
            re.compile("(?=(" + "|".join(re.escape(p) for _pk, p in self.prefixes) + "))")
            if self.prefixes
            else None
        )

    def size(self, jsic_code, capital, employees, corporate_type) -> tuple[str, str]:
        key = (jsic_code or None, capital, employees, corporate_type)
        found = self.sizes.get(key)
        if found is None:
            result = classify(
                jsic_code=key[0],
                capital_yen=capital,
                employees=employees,
                corporate_type=corporate_type,
                table=self.table,
            )
            found = self.sizes[key] = (result.size, result.reason_ja[:300])
        return found

    def district_id(self, location: str) -> int | None:
        """services.match_district: the longest town name found in the address wins, the
        first district in order on a tie."""
        return self.district_of_key(normalize_for_match(location))

    def district_of_key(self, key: str) -> int | None:
        """district_id for an address already normalised (normalize_for_match)."""
        if self.towns is None or not self.towns.search(key):
            return None
        rank = self.rank
        best = min((rank[m.group(1)] for m in self.towns.finditer(key)), default=None)
        return None if best is None else self.prefixes[best][0]

    def kana_key(self, kana: str) -> str:
        """normalize_for_match(kana)[:300], remembered (furigana repeat)."""
        found = self.kana_keys.get(kana)
        if found is None:
            found = self.kana_keys[kana] = normalize_for_match(kana)[:300]
        return found

    def normalize_kana(self, kana: str) -> str:
        """normalize_kana, remembered: furigana repeat (and normalising is idempotent, so
        the result is its own key too)."""
        found = self.kana.get(kana)
        if found is None:
            found = self.kana[kana] = normalize_kana(kana)
            self.kana.setdefault(found, found)
        return found

    def apply(self, vs: list[dict[str, Any]]) -> None:
        """Set the derived values in each of `vs` (which hold at least READS), as derive()
        would. The names and addresses of all of them are normalised at once
        (normalize_many_for_match), which costs a fraction of one call each."""
        home = self.home
        if home:
            for v in vs:
                if v["city_code"]:
                    v["in_city"] = v["city_code"] == home
        located = [v for v in vs if v["in_city"] and v["location"]]
        district_of_key = self.district_of_key
        for v, key in zip(
            located, normalize_many_for_match([v["location"] for v in located]), strict=True
        ):
            v["district_id"] = district_of_key(key) or v["district_id"]
        size, kana_key, normalize = self.size, self.kana_key, self.normalize_kana
        names = normalize_many_for_match([v["name"] for v in vs])
        for v, name_key in zip(vs, names, strict=True):
            v["size_class"], v["size_reason"] = size(
                v["jsic_code"], v["capital_stock"], v["employee_number"], v["corporate_type"]
            )
            v["search_name"] = name_key[:300]
            kana = v["kana"]
            if kana:
                v["search_kana"] = kana_key(kana)
                v["kana"] = normalize(kana)
            else:
                v["search_kana"] = ""
            if not v["in_city"]:
                v["district_id"] = None


def _attnames(names: Iterable[str]) -> list[str]:
    return [Business._meta.get_field(n).attname for n in names]


# What a new business holds before the file's values: the model's defaults.
@lru_cache(maxsize=1)
def _new_row_template() -> tuple[list[Any], dict[str, int]]:
    template = Business()
    fields = _insert_fields()
    return [getattr(template, f.attname) for f in fields], {
        f.attname: i for i, f in enumerate(fields)
    }


def _nta_insert_rows(creates: list[dict[str, Any]], deriver: _Deriver) -> list[list]:
    """Rows for _insert_batch (in _insert_fields() order) from the plan's new businesses:
    the model's defaults, the file's values, then the derived fields."""
    defaults, position = _new_row_template()
    base = dict(zip(position, defaults, strict=True))  # every column, with its default
    vs = [base | values for values in creates]
    deriver.apply(vs)
    row_of = operator.itemgetter(*position)
    return [list(row_of(v)) for v in vs]


def _nta_update_rows(updates: list[dict[str, Any]], deriver: _Deriver) -> list[list]:
    """Rows for _update_batch: NTA_UPDATE_FIELDS in order, then the id."""
    names = _attnames(NTA_UPDATE_FIELDS)
    deriver.apply(updates)
    return [[*(v[n] for n in names), v["id"]] for v in updates]


# What the plan needs of a registered business: the NTA-sourced fields to compare, and
# what derive() reads and writes, so that no model object is ever loaded.
_REGISTERED = tuple(
    dict.fromkeys(
        [
            "id",
            "corporate_number",
            *_attnames(NTA_FIELDS),
            *_attnames(STATUS_FIELDS),
            *_attnames(DERIVED_FIELDS),
            *_Deriver.READS,
        ]
    )
)


def _registered(numbers: Iterable[str]) -> dict[str, dict[str, Any]]:
    """What the registry holds of the businesses with these corporate numbers, as plain
    values by attribute name. On PostgreSQL one query for the whole file (`= ANY(array)`);
    elsewhere the ORM in chunks (SQLite returns dates and flags as text and numbers, which
    the ORM converts)."""
    numbers = sorted(set(numbers))
    found: dict[str, dict[str, Any]] = {}
    if connection.vendor == "postgresql":
        meta = Business._meta
        columns = {f.attname: f.column for f in meta.concrete_fields}
        qn = connection.ops.quote_name
        sql = "SELECT {} FROM {} WHERE {} = ANY(%s::varchar[])".format(
            ", ".join(qn(columns[n]) for n in _REGISTERED),
            qn(meta.db_table),
            qn(columns["corporate_number"]),
        )
        with connection.cursor() as cursor:
            for chunk in _chunks(numbers, 50_000):
                # The array as one text literal: the numbers are 13 checked digits, and
                # psycopg adapting 100,000 list items one by one took a third of a second.
                cursor.execute(sql, ["{" + ",".join(chunk) + "}"])
                for row in cursor.fetchall():
                    found[row[1]] = dict(zip(_REGISTERED, row, strict=True))
        return found
    for chunk in _chunks(numbers, LOOKUP_CHUNK):
        for row in Business.objects.filter(corporate_number__in=chunk).values(*_REGISTERED):
            found[row["corporate_number"]] = row
    return found


def _plan_nta(
    records: list[NtaRecord],
    in_city: set[str],
    deriver: _Deriver,
    progress: ProgressFn,
    *,
    insert: Callable[[list[dict[str, Any]]], None] | None = None,
) -> _Plan:
    """Compare each record with the registry. With `insert` (an apply), every BATCH_SIZE
    new businesses are handed to it as soon as they are planned, so that the database
    stores them while the rest of the file is compared; `plan.inserted` says how many were.
    It must not use this thread's connection: the registry was read before the first."""
    plan = _Plan([], [], Counter(), _Errors(), {})
    counts, code6 = plan.counts, {}
    registered = _registered(r.corporate_number for r in records)
    total = len(records)
    message = _("台帳と照合しています") if insert is None else _("台帳と照合し、書き込んでいます")
    closed = Business.Status.CLOSED
    creates = plan.creates
    for i, record in enumerate(records, 1):
        if i % 1000 == 0:
            progress(i, total, message)
        number = record.corporate_number
        current = registered.get(number)
        if current is None and number not in in_city:
            counts["skipped_other_city"] += 1
            continue
        if record.process == "99":
            where = (
                _("台帳の「%(name)s」は支援の記録が残る可能性があるため削除していません")
                % {"name": current["name"]}
                if current
                else _("台帳には登録していません")
            )
            plan.errors.add(
                record.line,
                COLUMN_LABELS["process"],
                _(
                    "%(line)s行目: 法人番号 %(number)s は削除された法人番号です（処理区分99）。%(where)s"
                )
                % {"line": record.line, "number": number, "where": where},
            )
            continue
        values = _nta_values(record, code6, deriver.normalize_kana)
        problem = _too_long(values)
        if problem:
            plan.errors.add(record.line, None, f"{record.line}行目: {problem}")
            continue
        if current is None:
            # No services._clean here: parse_nta has already checked every code, number and
            # date, and _clean's per-row queries would cost minutes on a prefecture file.
            values["corporate_number"] = number
            creates.append(values)
            counts["new"] += 1
            if values.get("status") == closed:
                counts["new_closed"] += 1
            if insert is not None and len(creates) - plan.inserted >= BATCH_SIZE:
                insert(creates[plan.inserted :])
                plan.inserted = len(creates)
            continue
        if current["nta_update_date"] and current["nta_update_date"] > record.update_date:
            # An older file than the one already imported: applying it would undo changes.
            counts["stale"] += 1
            continue
        changed = [f for f, v in values.items() if current[f] != v]
        if not changed:
            counts["unchanged"] += 1
            continue
        closing = values.get("status") == closed and current["status"] != closed
        counts["closed" if closing else "updated"] += 1
        current.update(values)
        plan.updates.append(current)
        if len(plan.changes) < MAX_ERRORS:
            plan.changes[number] = changed
    progress(total, total, message)
    counts["rejected"] = plan.errors.total
    return plan


def nta_import(
    *,
    data: bytes,
    filename: str,
    actor: Any,
    dry_run: bool,
    progress: ProgressFn | None = None,
    municipality_code: str | None = None,
    job: Job | None = None,
) -> ImportRun:
    """Import a 国税庁 法人番号 file (全件 or 差分) for one city.

    Any invalid row refuses the whole file (nothing but the failed ImportRun is written).
    Otherwise one record per corporate number (the latest) is compared with the registry:
    numbers in the city that are not registered are inserted; registered ones are updated
    when an NTA-sourced field differs, or closed on a closure record, wherever they now are
    (so a business that moved out of the city is seen to have moved); the rest is counted.
    A deleted number (process 99) is reported, never deleted: support records may point to
    the business. Importing the same file twice changes nothing the second time.

    Not @transaction.atomic as a whole on purpose: the writes are one transaction, but the
    ImportRun of an attempt whose writes failed must survive their rollback.

    The cyclic garbage collector is paused throughout (as parse_nta pauses it): the import
    allocates hundreds of thousands of acyclic rows and dicts, which it would otherwise
    rescan again and again (half a second of a 100,000-row apply).
    """
    with gc_paused():
        return _nta_import(
            data=data,
            filename=filename,
            actor=actor,
            dry_run=dry_run,
            progress=progress,
            municipality_code=municipality_code,
            job=job,
        )


def _nta_import(
    *,
    data: bytes,
    filename: str,
    actor: Any,
    dry_run: bool,
    progress: ProgressFn | None,
    municipality_code: str | None,
    job: Job | None,
) -> ImportRun:
    progress = progress or _no_progress
    record_run = {
        "kind": ImportRun.Kind.NTA,
        "dry_run": dry_run,
        "file_name": filename,
        "sha256": file_sha256(data),
        "actor": actor,
        "job": job,
    }
    home, districts = _home_and_districts()
    try:
        # Which city's corporations to take; "in the city" (Business.in_city) stays relative
        # to the platform's own city whatever is imported.
        target = validate_lg_code(municipality_code) if municipality_code else home
    except CodeError as exc:
        return _record(
            **record_run, errors=[{"line": 0, "column": "", "message": str(exc)}], succeeded=False
        )
    if not target:
        message = _("取り込む市区町村が決まっていません（現行の戦略が読み込まれていません）")
        return _record(
            **record_run, errors=[{"line": 0, "column": "", "message": message}], succeeded=False
        )

    progress(0, 0, _("ファイルを検査しています"))
    parsed = parse_nta(data)
    if not parsed.ok:
        errors = [
            {
                "line": e.line,
                "column": COLUMN_LABELS.get(e.column, e.column) if e.column else "",
                "message": e.message_ja,
            }
            # parse_nta ends an overflowing list with a note; the count below says the same.
            for e in parsed.errors[:NTA_MAX_ERRORS]
        ]
        counts = {"rejected": parsed.error_count}
        return _record(
            **record_run,
            encoding=parsed.encoding,
            counts=counts,
            errors=errors,
            succeeded=False,
        )

    # Latest first, then the city: a corporation that moved out of the city in the file's
    # history must be judged by where it is now, not by its last row inside the city.
    latest = latest_per_number(parsed.records)
    in_city = {r.corporate_number for r in filter_city(latest, target)}
    deriver = _Deriver(home, districts)
    counts = {"rows": len(parsed.records), "superseded": len(parsed.records) - len(latest)}
    record_run["encoding"] = parsed.encoding

    def counted(plan: _Plan) -> dict[str, int]:
        return counts | {k: plan.counts.get(k, 0) for k in COUNT_KEYS if k not in counts}

    if dry_run:
        plan = _plan_nta(latest, in_city, deriver, progress)
        return _record(**record_run, counts=counted(plan), errors=plan.errors.items, succeeded=True)
    prepare_creates = functools.partial(_nta_insert_rows, deriver=deriver)
    try:
        with transaction.atomic():
            # The plan and the writes overlap: new businesses go to the database (one open
            # COPY, _Writer) while the rest of the file is still being compared.
            with _Writer.open() as writer:

                def insert(batch: list[dict[str, Any]]) -> None:
                    _insert_batch(prepare_creates(batch), need_pks=False, writer=writer)

                plan = _plan_nta(latest, in_city, deriver, progress, insert=insert)
                _write(
                    plan.creates[plan.inserted :],
                    plan.updates,
                    NTA_UPDATE_FIELDS,
                    progress,
                    prepare_creates=prepare_creates,
                    prepare_updates=functools.partial(_nta_update_rows, deriver=deriver),
                    writer=writer,
                )
            counts = counted(plan)
            run = _record(**record_run, counts=counts, errors=plan.errors.items, succeeded=True)
            audit(
                "registry.import.applied",
                actor=actor,
                target=run,
                data={
                    "kind": run.kind,
                    "file": filename,
                    "sha256": run.sha256,
                    "counts": counts,
                    "municipality_code": target,
                    "changed": plan.changes,
                },
            )
    except Exception as exc:  # any failure rolls back everything; the attempt is recorded
        return _record(**record_run, counts=counts, errors=_failed_apply(exc), succeeded=False)
    return run


# ======================================================================= generic CSV / Excel


def field_label(field: str) -> str:
    if field == "tags":
        return _("タグ")
    return str(Business._meta.get_field(field).verbose_name)


def guess_mapping(headers: Sequence[str]) -> dict[str, str]:
    """A first guess of field → header from the header names; each header used once.

    Exact names (after normalisation) win over names that merely contain a known word, so
    「資本金」 goes to capital even when 「資本金（円）」 is also present, and 「承継先法人番号」
    is taken for the corporate number only when nothing better exists.
    """
    keys = {h: normalize_for_match(h).replace(" ", "") for h in headers if h}
    used: set[str] = set()
    mapping: dict[str, str] = {}
    for exact in (True, False):
        for field in GENERIC_FIELDS:
            if field in mapping:
                continue
            for word in HEADER_GUESSES[field]:
                w = normalize_for_match(word).replace(" ", "")
                hits = [
                    h
                    for h, k in keys.items()
                    if h not in used and (k == w if exact else (len(w) > 1 and w in k))
                ]
                if hits:
                    best = min(hits, key=len)
                    mapping[field] = best
                    used.add(best)
                    break
    return mapping


def mapping_problems(mapping: dict[str, str], headers: Sequence[str]) -> list[str]:
    """Why a mapping cannot be used with a file that has these headers (empty when fine)."""
    problems = []
    unknown = sorted(set(mapping) - set(GENERIC_FIELDS))
    if unknown:
        problems.append(_("取り込めない項目が指定されています: %(f)s") % {"f": ", ".join(unknown)})
    for field in REQUIRED_GENERIC_FIELDS:
        if not mapping.get(field):
            problems.append(
                _("「%(label)s」に対応する列を選んでください（必須）")
                % {"label": field_label(field)}
            )
    seen: dict[str, str] = {}
    for field, header in mapping.items():
        if not header or field not in GENERIC_FIELDS:
            continue
        if header not in headers:
            problems.append(_("列「%(header)s」はファイルにありません") % {"header": header})
        elif header in seen:
            problems.append(
                _("列「%(header)s」が「%(a)s」と「%(b)s」の両方に選ばれています")
                % {"header": header, "a": field_label(seen[header]), "b": field_label(field)}
            )
        else:
            seen[header] = field
    return problems


class _CellError(ValueError):
    pass


_INT_NOISE = re.compile(r"[,\s円人名]")
_CORPORATE_TYPE_EXTRA = {
    "個人": CorporateType.SOLE,
    "個人事業": CorporateType.SOLE,
    "個人事業者": CorporateType.SOLE,
    "創業予定": CorporateType.PRE_FOUNDING,
    "(株)": CorporateType.KABUSHIKI,
    "(有)": CorporateType.YUGEN,
    "(同)": CorporateType.GODO,
}


@lru_cache(maxsize=1)
def _corporate_type_words() -> dict[str, str]:
    """Every way a file may name a corporate type: codes, Japanese and English labels (the
    labels are lazy translations, so they are read under each language explicitly)."""
    words = {value: value for value in CorporateType.values}
    for language in ("ja", "en"):
        with translation.override(language):
            for value, label in CorporateType.choices:
                words[normalize_for_match(str(label)).replace(" ", "")] = value
    for text, value in _CORPORATE_TYPE_EXTRA.items():
        words[normalize_for_match(text)] = value
    return words


def _parse_int(text: str, example: str) -> int:
    s = _INT_NOISE.sub("", unicodedata.normalize("NFKC", text))
    if not s.isascii() or not s.isdigit():
        raise _CellError(_("数値で入力してください（例: %(example)s）") % {"example": example})
    return int(s)


def _parse_month(text: str) -> int:
    s = unicodedata.normalize("NFKC", text).strip().removesuffix("月")
    if not (s.isascii() and s.isdigit() and 1 <= int(s) <= 12):
        raise _CellError(_("決算月は1〜12の数字で入力してください（例: 3）"))
    return int(s)


def _parse_corporate_type(text: str) -> str:
    value = _corporate_type_words().get(normalize_for_match(text).replace(" ", ""))
    if value is None:
        raise _CellError(
            _(
                "「%(text)s」は法人種別として読み取れません（例: 株式会社、合同会社、個人事業主、301）"
            )
            % {"text": text}
        )
    return value


def _parse_date(text: str) -> date:
    try:
        return parse_date(text)
    except WarekiError as exc:
        raise _CellError(str(exc)) from None


def _parse_tags(text: str) -> list[str]:
    names = [t.strip() for t in re.split(r"[,、，;；]", text) if t.strip()]
    too_long = next((t for t in names if len(t) > 50), None)
    if too_long:
        raise _CellError(_("タグは1つ50文字までです（「%(tag)s」）") % {"tag": too_long[:60]})
    return names


_CELL_PARSERS: dict[str, Callable[[str], Any]] = {
    "capital_stock": lambda s: _parse_int(s, "10000000"),
    "employee_number": lambda s: _parse_int(s, "12"),
    "date_of_establishment": _parse_date,
    "fiscal_year_end_month": _parse_month,
    "corporate_type": _parse_corporate_type,
    "tags": _parse_tags,
}


@dataclass
class _GenericRow:
    line: int
    values: dict[str, Any]  # typed values of the non-empty mapped cells
    ok: bool


def _read_cells(table: Table, columns: dict[str, int], headers: dict[str, str], errors: _Errors):
    rows = []
    for row in table.rows:
        if not any(v.strip() for v in row.values):
            continue  # a row of empty cells (",,,,"), as Excel leaves below a list
        values: dict[str, Any] = {}
        ok = True
        for field, index in columns.items():
            text = row.values[index].strip() if index < len(row.values) else ""
            if not text:
                continue
            parser = _CELL_PARSERS.get(field)
            try:
                values[field] = parser(text) if parser else text
            except _CellError as exc:
                ok = False
                errors.add(
                    row.number, headers[field], f"{row.number}行目「{headers[field]}」: {exc}"
                )
        if "name" not in values:
            ok = False
            header = headers["name"]
            errors.add(
                row.number,
                header,
                f"{row.number}行目「{header}」: " + _("名称が空です（必須）"),
            )
        rows.append(_GenericRow(row.number, values, ok))
    return rows


def _location_key(text: str) -> str:
    return normalize_for_match(text or "")


def _name_key(text: str) -> str:
    return normalize_for_match(text or "")[:300]


def _blame(values: dict[str, Any], base: Business | None) -> list[tuple[str, str]]:
    """Which cells make `services._clean` refuse a row: each field is cleaned alone on a
    probe business, so the message can name the column instead of the whole row."""
    corporate_type = values.get(
        "corporate_type", base.corporate_type if base else CorporateType.KABUSHIKI
    )
    found = []
    for field, value in values.items():
        if field in ("tags", "corporate_type"):
            continue
        probe = Business(name="仮", corporate_type=corporate_type)
        probe.pk = base.pk if base else None
        setattr(probe, field, value)
        try:
            services._clean(probe)
        except RegistryError as exc:
            # full_clean's messages start with the field's name, which the row message
            # already gives as the column header.
            label = f"{Business._meta.get_field(field).verbose_name}: "
            found.append((field, str(exc).removeprefix(label)))
    return found


_COMPARED = [f for f in services._EDITABLE if f != "district"] + [
    "district_id",
    "size_class",
    "size_reason",
    "search_name",
    "search_kana",
]


def _snapshot(b: Business) -> dict[str, Any]:
    return {f: getattr(b, f) for f in _COMPARED}


def _preload_generic(rows: list[_GenericRow], districts: list[District]):
    """Existing businesses the file may refer to, by corporate number and by name, and
    their tags: three kinds of query in chunks, none per row."""
    numbers = []
    for r in rows:
        raw = r.values.get("corporate_number")
        if raw:
            with contextlib.suppress(CodeError):  # reported by the row loop
                numbers.append(validate_corporate_number(raw))
    by_number = _businesses_by_number(numbers, districts)
    names = sorted({_name_key(r.values["name"]) for r in rows if "name" in r.values})
    by_name: dict[tuple[str, str], list[Business]] = {}
    loaded = {b.pk: b for b in by_number.values()}
    for chunk in _chunks(names, LOOKUP_CHUNK):
        for b in Business.objects.filter(search_name__in=chunk):
            b = loaded.setdefault(b.pk, b)  # one object per row, whichever way it was found
            by_name.setdefault((b.search_name, _location_key(b.location)), []).append(b)
    _attach_districts(loaded.values(), districts)
    tags: dict[int, set[str]] = {}
    through = Business.tags.through
    for chunk in _chunks(sorted(loaded), LOOKUP_CHUNK):
        for business_id, name in through.objects.filter(business_id__in=chunk).values_list(
            "business_id", "tag__name"
        ):
            tags.setdefault(business_id, set()).add(name)
    return by_number, by_name, tags


def generic_import(
    *,
    data: bytes,
    filename: str,
    mapping: dict[str, str],
    actor: Any,
    dry_run: bool,
    progress: ProgressFn | None = None,
    job: Job | None = None,
) -> ImportRun:
    """Import businesses from a CSV (UTF-8, BOM, CP932) or Excel file with a header row.

    `mapping` is business field → column header. Rows are matched to the registry by
    corporate number, else by name and address (compared normalised); a matched business
    is updated with the file's non-empty cells (an empty cell leaves the value as it is, and
    tags are only added), an unmatched row becomes a new business. Any invalid cell, missing
    name or duplicate row refuses the whole file. Not atomic as a whole for the same reason
    as `nta_import`.
    """
    progress = progress or _no_progress
    record_run = {
        "kind": ImportRun.Kind.GENERIC,
        "dry_run": dry_run,
        "file_name": filename,
        "sha256": file_sha256(data),
        "actor": actor,
        "job": job,
    }

    def refuse(errors: _Errors | list[dict], **extra) -> ImportRun:
        items = errors.items if isinstance(errors, _Errors) else errors
        # Cells are checked for the whole file before rows are matched: put them back in
        # file order (stable, so a row's problems keep their column order).
        items = sorted(items, key=lambda e: e["line"])
        total = errors.total if isinstance(errors, _Errors) else len(errors)
        counts = extra.pop("counts", {}) | {"rejected": total}
        return _record(**record_run, counts=counts, errors=items, succeeded=False, **extra)

    progress(0, 0, _("ファイルを検査しています"))
    try:
        table = read_table(data, filename)
    except TabularError as exc:
        return refuse([{"line": exc.row or 0, "column": "", "message": str(exc)}])
    record_run["encoding"] = table.encoding
    headers = table.header or []
    mapping = {f: h for f, h in mapping.items() if h}
    problems = mapping_problems(mapping, headers)
    if problems:
        return refuse([{"line": 0, "column": "", "message": p} for p in problems])
    columns = {field: headers.index(header) for field, header in mapping.items()}
    home, districts = _home_and_districts()

    errors = _Errors()
    rows = _read_cells(table, columns, mapping, errors)
    by_number, by_name, existing_tags = _preload_generic(rows, districts)
    index = _DistrictIndex(districts)

    creates: list[Business] = []
    updates: list[Business] = []
    new_tags: list[tuple[Business, list[str]]] = []
    update_fields: set[str] = set()
    counts = Counter(rows=len(rows))
    seen_numbers: dict[str, int] = {}
    seen_names: dict[tuple[str, str], int] = {}
    seen_targets: dict[int, int] = {}
    total = len(rows)
    message = _("行を検査して台帳と照合しています")
    for i, row in enumerate(rows, 1):
        if i % 200 == 0:
            progress(i, total, message)
        values, line = row.values, row.line

        def fail(field: str | None, text: str, line=line) -> None:
            if field:
                header = mapping[field]
                errors.add(line, header, f"{line}行目「{header}」: {text}")
            else:
                errors.add(line, None, f"{line}行目: {text}")

        number = None
        if values.get("corporate_number"):
            try:
                number = validate_corporate_number(values["corporate_number"])
            except CodeError as exc:
                fail("corporate_number", str(exc))
                row.ok = False
                del values["corporate_number"]  # reported; _clean must not report it again
            else:
                if number in seen_numbers:
                    fail(
                        "corporate_number",
                        _(
                            "法人番号 %(number)s は%(other)s行目にもあります（同じ事業者が2行あります）"
                        )
                        % {"number": number, "other": seen_numbers[number]},
                    )
                    row.ok = False
                seen_numbers.setdefault(number, line)
        if "name" not in values:
            continue  # reported by _read_cells; nothing to match on
        key = (_name_key(values["name"]), _location_key(values.get("location", "")))
        target = by_number.get(number) if number else None
        if target is None:
            candidates = by_name.get(key, [])
            if number:
                # A registered business with this name and address but another number is a
                # different corporation; one without a number is this one, now numbered.
                candidates = [c for c in candidates if not c.corporate_number]
            if len(candidates) > 1:
                fail(
                    "name",
                    _(
                        "名称と所在地が同じ事業者が台帳に%(n)s件あります（ID: %(ids)s）。法人番号の列で区別してください"
                    )
                    % {"n": len(candidates), "ids": ", ".join(str(c.pk) for c in candidates)},
                )
                continue
            target = candidates[0] if candidates else None
        if not number:
            if key in seen_names:
                fail(
                    "name",
                    _("名称と所在地が%(other)s行目と同じです（同じ事業者が2行あります）")
                    % {"other": seen_names[key]},
                )
                continue
            seen_names[key] = line
        if target is not None:
            if target.pk in seen_targets:
                fail(
                    None,
                    _(
                        "%(other)s行目と同じ登録済みの事業者「%(name)s」に当たります（同じ事業者が2行あります）"
                    )
                    % {"other": seen_targets[target.pk], "name": target.name},
                )
                continue
            seen_targets[target.pk] = line

        fields = {f: v for f, v in values.items() if f != "tags"}
        if number:
            fields["corporate_number"] = number
        if target is None:
            business = Business(**fields)
            before = None
        else:
            business = target
            before = _snapshot(business)
            for field, value in fields.items():
                setattr(business, field, value)
        try:
            services._clean(business)
        except RegistryError as exc:
            blamed = _blame(fields, target)
            for field, text in blamed or [(None, str(exc))]:
                fail(field, text)
            continue
        if not row.ok:
            continue  # cleaned anyway above, so that every problem of the row is reported
        _derive(business, home, index)
        tags = values.get("tags", [])
        if target is None:
            creates.append(business)
            if tags:
                new_tags.append((business, tags))
            counts["new"] += 1
            continue
        added = sorted(set(tags) - existing_tags.get(target.pk, set()))
        after = _snapshot(business)
        changed = [f for f in _COMPARED if before[f] != after[f]]
        if added:
            new_tags.append((business, added))
        if changed:
            updates.append(business)
            update_fields.update("district" if f == "district_id" else f for f in changed)
        if changed or added:
            counts["updated"] += 1
        else:
            counts["unchanged"] += 1
    progress(total, total, message)

    if errors.total:
        return refuse(errors, counts={"rows": len(rows)})
    counts["rejected"] = 0
    counts = {k: counts.get(k, 0) for k in ("rows", "new", "updated", "unchanged", "rejected")}
    if dry_run:
        return _record(**record_run, counts=counts, succeeded=True)
    try:
        with transaction.atomic():
            _write(creates, updates, sorted(update_fields), progress, need_pks=True)
            _add_tags(new_tags)
            run = _record(**record_run, counts=counts, succeeded=True)
            audit(
                "registry.import.applied",
                actor=actor,
                target=run,
                data={
                    "kind": run.kind,
                    "file": filename,
                    "sha256": run.sha256,
                    "counts": counts,
                    "mapping": mapping,
                },
            )
    except Exception as exc:  # any failure rolls back everything; the attempt is recorded
        return _record(**record_run, counts=counts, errors=_failed_apply(exc), succeeded=False)
    return run


def _add_tags(pairs: list[tuple[Business, list[str]]]) -> None:
    """Add tags to businesses in three statements, whatever their number."""
    if not pairs:
        return
    names = sorted({n[:50] for _b, ns in pairs for n in ns})
    Tag.objects.bulk_create([Tag(name=n) for n in names], ignore_conflicts=True)
    ids = dict(Tag.objects.filter(name__in=names).values_list("name", "pk"))
    through = Business.tags.through
    links = [through(business_id=b.pk, tag_id=ids[n[:50]]) for b, ns in pairs for n in ns if b.pk]
    through.objects.bulk_create(links, ignore_conflicts=True, batch_size=BATCH_SIZE)


# ======================================================================= dry run → apply


def _run_input_path(run: ImportRun) -> str:
    job = run.job
    if job is None:
        return ""
    return job.input_file or job.params.get("input_file", "")


def run_file_available(run: ImportRun) -> bool:
    path = _run_input_path(run)
    return bool(path) and default_storage.exists(path)


def import_apply(*, run: ImportRun, actor: Any) -> Job:
    """Start applying a successful dry run to the registry, on the very file it checked.

    The file kept by the dry run's job is reused (no second upload) and its hash compared
    with the dry run's, so what is applied is exactly what was reviewed. The plan is made
    again when applying, because the registry may have changed since the dry run.
    """
    if run.mode != ImportRun.Mode.DRY_RUN:
        raise RegistryError(_("反映できるのは試行（書き込みなし）の記録だけです"))
    if not run.succeeded:
        raise RegistryError(
            _("試行でエラーがあったため反映できません。ファイルを直して、もう一度試行してください")
        )
    path = _run_input_path(run)
    if not path or not default_storage.exists(path):
        raise RegistryError(
            _("試行したファイルが残っていないため反映できません。もう一度アップロードしてください")
        )
    with default_storage.open(path, "rb") as fh:
        if file_sha256(fh.read()) != run.sha256:
            raise RegistryError(
                _(
                    "ファイルが試行したときと変わっているため反映できません。もう一度試行してください"
                )
            )
    params: dict[str, Any] = {
        "dry_run": False,
        "input_file": path,
        "sha256": run.sha256,
        "source_run": run.pk,
    }
    for key in ("mapping", "municipality_code"):
        if key in run.job.params:
            params[key] = run.job.params[key]
    kind = NTA_JOB if run.kind == ImportRun.Kind.NTA else GENERIC_JOB
    return job_start(kind=kind, actor=actor, params=params, filename=run.file_name)


def record_refused_attempt(
    *, kind: str, dry_run: bool, filename: str, actor: Any, job: Job | None, message: str
) -> ImportRun:
    """The ImportRun of an attempt refused before its file could be read (the stored file
    is gone, or no longer the one that was tried): every attempt leaves a record."""
    return _record(
        kind=kind,
        dry_run=dry_run,
        file_name=filename,
        sha256="",
        actor=actor,
        job=job,
        errors=[{"line": 0, "column": "", "message": message}],
        succeeded=False,
    )


# ======================================================================= pending generic uploads

# A generic file waits here between its upload and the mapping screen. Named by a random
# token; the metadata says whose it is, so only they (and administrators) can continue.
PENDING_DIR = "registry_imports"
PENDING_MAX_AGE = timedelta(days=1)
_TOKEN = re.compile(r"[0-9a-f]{32}")
SAMPLE_VALUES = 3


@dataclass(frozen=True)
class PendingUpload:
    token: str
    file_name: str
    owner_id: int | None
    encoding: str
    headers: list[str]
    samples: dict[str, list[str]]  # header → first few non-empty values
    rows: int

    @property
    def data_path(self) -> str:
        return f"{PENDING_DIR}/{self.token}.bin"


def _meta_path(token: str) -> str:
    return f"{PENDING_DIR}/{token}.json"


def pending_uploads_purge(*, now=None, dry_run: bool = False) -> int:
    """Delete the files of uploads abandoned before the mapping screen (they may hold
    personal data) once they are older than PENDING_MAX_AGE. Runs on every upload and daily
    under Celery beat. Returns how many files it deleted (with `dry_run`, would delete).

    A storage that cannot list or date its files (Django's API allows that and raises
    NotImplementedError) or an unreadable folder is logged, not raised: a failed purge must
    not block the upload that triggered it, and the daily run tries again."""
    cutoff = (now or timezone.now()) - PENDING_MAX_AGE
    deleted = 0
    try:
        _dirs, files = default_storage.listdir(PENDING_DIR)
        for name in files:
            path = f"{PENDING_DIR}/{name}"
            if default_storage.get_modified_time(path) < cutoff:
                if not dry_run:
                    default_storage.delete(path)
                deleted += 1
    except FileNotFoundError:
        return 0  # nothing was ever uploaded
    except (NotImplementedError, OSError):
        logger.warning("could not purge abandoned import uploads in %s", PENDING_DIR, exc_info=True)
    return deleted


def pending_upload_save(*, data: bytes, filename: str, actor: Any) -> PendingUpload:
    """Keep an uploaded CSV/Excel file for the mapping screen, after checking that it can be
    read and has a usable header row (the mapping is chosen by header name)."""
    try:
        table = read_table(data, filename)
    except TabularError as exc:
        raise RegistryError(str(exc)) from exc
    headers = table.header or []
    if not any(headers):
        raise RegistryError(_("1行目に見出し（列名）がありません。1行目を列名の行にしてください"))
    counts = Counter(h for h in headers if h)
    twice = sorted(h for h, n in counts.items() if n > 1)
    if twice:
        raise RegistryError(
            _("見出し「%(h)s」が複数の列にあります。列名を区別できるように直してください")
            % {"h": "」「".join(twice)}
        )
    if not table.rows:
        raise RegistryError(_("見出しの行のほかにデータの行がありません"))
    samples: dict[str, list[str]] = {h: [] for h in headers if h}
    for row in table.rows[:200]:
        for index, header in enumerate(headers):
            value = row.values[index].strip() if index < len(row.values) else ""
            if header and value and len(samples[header]) < SAMPLE_VALUES:
                samples[header].append(value[:60])
    pending_uploads_purge()
    pending = PendingUpload(
        token=uuid.uuid4().hex,
        file_name=PurePath(filename).name[:300],
        owner_id=getattr(actor, "pk", None),
        encoding=table.encoding,
        headers=[h for h in headers if h],
        samples=samples,
        rows=len(table.rows),
    )
    default_storage.save(pending.data_path, ContentFile(data))
    meta = json.dumps(pending.__dict__, ensure_ascii=False).encode()
    default_storage.save(_meta_path(pending.token), ContentFile(meta))
    return pending


def pending_upload_get(token: str, user: Any) -> PendingUpload | None:
    """The pending upload, if it exists and `user` may continue it (its owner or an
    administrator); None otherwise."""
    from sangyo.accounts.models import Role

    if not _TOKEN.fullmatch(token or "") or not default_storage.exists(_meta_path(token)):
        return None
    with default_storage.open(_meta_path(token), "rb") as fh:
        pending = PendingUpload(**json.loads(fh.read()))
    if pending.owner_id != getattr(user, "pk", None) and getattr(user, "role", None) != Role.ADMIN:
        return None
    return pending


def pending_upload_start(*, pending: PendingUpload, mapping: dict[str, str], actor: Any) -> Job:
    """Start the dry run of a pending upload with the chosen mapping; the job keeps its own
    copy of the file, so the pending one is removed."""
    mapping = {f: h for f, h in mapping.items() if h}
    problems = mapping_problems(mapping, pending.headers)
    if problems:
        raise RegistryError(" ".join(problems))
    with default_storage.open(pending.data_path, "rb") as fh:
        data = fh.read()
    job = job_start(
        kind=GENERIC_JOB,
        actor=actor,
        params={"dry_run": True, "mapping": mapping},
        data=data,
        filename=pending.file_name,
    )
    transaction.on_commit(lambda: _delete_pending(pending.token))
    return job


def _delete_pending(token: str) -> None:
    for path in (f"{PENDING_DIR}/{token}.bin", _meta_path(token)):
        if default_storage.exists(path):
            default_storage.delete(path)


# ======================================================================= reads


def import_runs():
    """The import log, newest first, with what the list shows in the same query."""
    return ImportRun.objects.select_related("actor").order_by("-created_at", "-id")


def import_run_detail(pk: int) -> ImportRun | None:
    return ImportRun.objects.select_related("actor", "job").filter(pk=pk).first()


def applied_from(run: ImportRun) -> list[ImportRun]:
    """Apply runs started from this dry run."""
    if run.mode != ImportRun.Mode.DRY_RUN:
        return []
    return list(
        ImportRun.objects.filter(job__params__source_run=run.pk).order_by("-created_at")[:10]
    )
