"""A fast bulk generator of SYNTHETIC businesses for benchmarks (事業者台帳の合成データ).

Every row is invented and says so: names start with 「合成」, representatives are 「合成 代表…」,
`is_synthetic` is true. Corporate numbers have valid check digits but are made up, so some may
coincide with real corporations' numbers: never load this data into a production registry.

Derived fields are computed by the same functions the services use (`normalize_for_match`,
`normalize_kana`, `classify`, `match_district`), cached per distinct input, so the rows are
what `business_create` would have stored, without its per-row queries and audit events.
On PostgreSQL rows go in with COPY (about a million rows in a few minutes); elsewhere with
`bulk_create` in batches of 10,000.

Used by `sangyo seed synthetic` and the benchmarks, after `django.setup()`:

    from sangyo.registry import synthetic
    result = synthetic.load(100_000, seed=1)
    records = synthetic.load_support_records(per_business=10, years=[2024, 2025], seed=1)
"""

from __future__ import annotations

import datetime
import random
import time
from collections.abc import Callable, Iterator
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

import yaml

HOME_CODE = "082201"  # つくば市
OUTSIDE_CITIES = (("茨城県土浦市大和町", "082031"), ("茨城県つくばみらい市紫峰ヶ丘", "082350"))
STARTUP_TAG = "スタートアップ"
TAGS = ((STARTUP_TAG, 0.0), ("つくばクオリティ", 0.02), ("輸出", 0.01), ("DX推進", 0.03))

# (kanji, katakana): two stems and a word make a name; 30 × 30 × 10 = 9,000 stems, so one stem
# matches about 1/15 of all rows, a pair about 1/900, and the serial number exactly one.
STEMS = (
    ("筑波", "ツクバ"), ("学園", "ガクエン"), ("研究", "ケンキュウ"), ("精密", "セイミツ"),
    ("技研", "ギケン"), ("電子", "デンシ"), ("食品", "ショクヒン"), ("商事", "ショウジ"),
    ("建設", "ケンセツ"), ("物流", "ブツリュウ"), ("バイオ", "バイオ"), ("ソフト", "ソフト"),
    ("光学", "コウガク"), ("素材", "ソザイ"), ("農園", "ノウエン"), ("環境", "カンキョウ"),
    ("医療", "イリョウ"), ("設計", "セッケイ"), ("宇宙", "ウチュウ"), ("ロボット", "ロボット"),
    ("桜", "サクラ"), ("北斗", "ホクト"), ("未来", "ミライ"), ("創造", "ソウゾウ"),
    ("東光", "トウコウ"), ("大和", "ヤマト"), ("青葉", "アオバ"), ("若葉", "ワカバ"),
    ("緑", "ミドリ"), ("星", "ホシ"),
)  # fmt: skip
WORDS = (
    ("工業", "コウギョウ"), ("製作所", "セイサクショ"), ("研究所", "ケンキュウジョ"),
    ("システムズ", "システムズ"), ("ラボ", "ラボ"), ("商店", "ショウテン"),
    ("サービス", "サービス"), ("デザイン", "デザイン"), ("ファーム", "ファーム"),
    ("テクノロジー", "テクノロジー"),
)  # fmt: skip
# (corporate type, suffix in the name, weight)
KINDS = (("301", "株式会社", 62), ("305", "合同会社", 12), ("302", "有限会社", 6),
         ("sole", "（個人）", 16), ("pre_founding", "（創業予定）", 4))  # fmt: skip
JSIC_CODES = ("0111", "0611", "0911", "1911", "2694", "3711", "3911", "3921", "4211", "4411",
              "4711", "5011", "5611", "5891", "6821", "7121", "7261", "7511", "7671", "7911",
              "8011", "8311", "8511", "9011", "9121")  # fmt: skip
CAPITALS = (1_000_000, 3_000_000, 5_000_000, 10_000_000, 30_000_000, 50_000_000,
            100_000_000, 300_000_000, 1_000_000_000)  # fmt: skip
EMPLOYEES = (0, 1, 2, 3, 4, 5, 6, 8, 10, 12, 15, 20, 25, 30, 40, 50, 60, 80, 100, 150, 200,
             300, 500, 1000)  # fmt: skip
EMPLOYEE_WEIGHTS = (6, 10, 10, 9, 8, 8, 6, 6, 6, 5, 5, 4, 3, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1, 1)

COLUMNS = (
    "id", "corporate_number", "name", "kana", "name_en", "corporate_type",
    "representative_name", "representative_position", "postal_code", "location", "city_code",
    "in_city", "district_id", "jsic_code", "jsic_revision", "capital_stock", "employee_number",
    "date_of_establishment", "fiscal_year_end_month", "company_url", "status", "close_date",
    "close_cause", "notes", "size_class", "size_reason", "search_name", "search_kana",
    "nta_update_date", "is_synthetic", "created_at", "updated_at",
)  # fmt: skip

DISTRICTS_FILE = Path(__file__).resolve().parent / "data" / "districts"


def corporate_number(i: int) -> str:
    """A distinct, check-digit-valid 法人番号 for each i (a bijection of 0 … 10^12−1)."""
    from sangyo.core.codes import corporate_number_check_digit

    base = f"{(i * 829_348_727 + 123_456_789) % 10**12:012d}"
    return f"{corporate_number_check_digit(base)}{base}"


def ensure_districts(municipality_code: str = HOME_CODE) -> list:
    """The city's districts, created from data/districts/<code>.yaml when missing."""
    from sangyo.registry.models import District

    districts = list(District.objects.filter(municipality_code=municipality_code))
    if districts:
        return districts
    path = DISTRICTS_FILE / f"{municipality_code}.yaml"
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    for order, d in enumerate(doc["districts"]):
        District.objects.update_or_create(
            municipality_code=municipality_code,
            code=d["code"],
            defaults={
                "name_ja": d["name_ja"],
                "name_en": d.get("name_en", ""),
                "address_prefixes": d.get("address_prefixes", []),
                "order": order,
            },
        )
    return list(District.objects.filter(municipality_code=municipality_code))


def ensure_tags() -> dict[str, int]:
    from sangyo.registry.models import Tag

    return {name: Tag.objects.get_or_create(name=name)[0].pk for name, _ in TAGS}


@lru_cache(maxsize=200_000)
def _size(jsic: str, capital: int | None, employees: int | None, kind: str) -> tuple[str, str]:
    from sangyo.registry.classification import classify
    from sangyo.registry.services import jsic_table

    result = classify(
        jsic_code=jsic,
        capital_yen=capital,
        employees=employees,
        corporate_type=kind,
        table=jsic_table(),
    )
    return result.size, result.reason_ja[:300]


def synthetic_rows(
    n: int,
    *,
    seed: int = 1,
    start_id: int = 1,
    districts: list,
    tag_ids: dict[str, int],
    today: datetime.date | None = None,
) -> Iterator[tuple[tuple, list[int]]]:
    """(row in COLUMNS order, tag ids) for n synthetic businesses with ids from start_id."""
    from django.utils import timezone

    from sangyo.core.text import normalize_for_match, normalize_kana
    from sangyo.registry.services import match_district

    rng = random.Random(seed)
    today = today or timezone.localdate()
    now = timezone.now()
    norm = lru_cache(maxsize=20_000)(normalize_for_match)
    places = [(p, d) for d in districts for p in d.address_prefixes]
    place_district = {p: match_district(f"つくば市{p}", districts) for p, _ in places}
    kind_weights = [w for *_, w in KINDS]
    young_from = today.toordinal() - 5 * 365
    first_day = datetime.date(1950, 1, 1).toordinal()
    for i in range(n):
        pk = start_id + i
        kind, suffix, _ = rng.choices(KINDS, kind_weights)[0]
        (s1, r1), (s2, r2), (w, rw) = rng.choice(STEMS), rng.choice(STEMS), rng.choice(WORDS)
        stem, stem_kana = f"合成{s1}{s2}{w}", f"ゴウセイ{r1}{r2}{rw}"
        serial = f"{pk:07d}"
        name = f"{stem}{serial}{suffix}"
        kana = normalize_kana(f"{stem_kana}{serial}")
        search_name = f"{norm(stem)}{serial}{norm(suffix)}"
        search_kana = f"{norm(stem_kana)}{serial}"
        has_number = kind not in ("sole", "pre_founding")
        jsic = rng.choice(JSIC_CODES)
        capital = rng.choice(CAPITALS) if has_number else None
        employees = rng.choices(EMPLOYEES, EMPLOYEE_WEIGHTS)[0] if kind != "pre_founding" else None
        size, reason = _size(jsic, capital, employees, kind)
        established = None
        if kind != "pre_founding" and rng.random() > 0.03:
            # About a tenth founded in the last five years.
            lo = young_from if rng.random() < 0.1 else first_day
            established = datetime.date.fromordinal(rng.randint(lo, today.toordinal()))
        if rng.random() < 0.85:
            place, _ = rng.choice(places)
            location = f"茨城県つくば市{place}{rng.randint(1, 3000)}番地"
            city, in_city, district = HOME_CODE, True, place_district[place]
        else:
            town, city = rng.choice(OUTSIDE_CITIES)
            location = f"{town}{rng.randint(1, 5)}丁目{rng.randint(1, 30)}番地"
            in_city, district = False, None
        closed = rng.random() < 0.02
        close_date = (
            datetime.date.fromordinal(rng.randint(today.toordinal() - 3650, today.toordinal()))
            if closed
            else None
        )
        updated = now - datetime.timedelta(seconds=rng.randint(0, 3 * 365 * 86400))
        row = (
            pk,
            corporate_number(pk) if has_number else None,
            name,
            kana,
            "",
            kind,
            f"合成 代表{serial}",
            "代表取締役" if kind in ("301", "302") else ("代表社員" if kind == "305" else ""),
            f"305{rng.randint(0, 9999):04d}",
            location,
            city,
            in_city,
            district.pk if district else None,
            jsic,
            14,
            capital,
            employees,
            established,
            3 if has_number else 12,
            "",
            "closed" if closed else "active",
            close_date,
            "合成データ（廃業）" if closed else "",
            "",
            size,
            reason,
            search_name[:300],
            search_kana[:300],
            None,
            True,
            updated,
            updated,
        )
        tags = []
        if established and established.toordinal() > young_from and rng.random() < 0.4:
            tags.append(tag_ids[STARTUP_TAG])
        for tag, share in TAGS[1:]:
            if rng.random() < share:
                tags.append(tag_ids[tag])
        yield row, tags


class LoadResult(NamedTuple):
    rows: int  # businesses, or support records
    tags: int
    seconds: float


def load(
    n: int,
    *,
    seed: int = 1,
    batch: int = 100_000,
    progress: Callable[[int, float], None] | None = None,
) -> LoadResult:
    """Add n synthetic businesses (and their tags) to the default database."""
    from django.db import connection, transaction
    from django.db.models import Max

    from sangyo.registry.models import Business

    started = time.perf_counter()
    districts = ensure_districts()
    tag_ids = ensure_tags()
    start_id = (Business.objects.aggregate(m=Max("id"))["m"] or 0) + 1
    rows = synthetic_rows(
        n, seed=seed + start_id, start_id=start_id, districts=districts, tag_ids=tag_ids
    )
    done = tags = 0
    postgres = connection.vendor == "postgresql"
    while done < n:
        size = min(batch if postgres else 10_000, n - done)
        chunk = [next(rows) for _ in range(size)]
        with transaction.atomic():
            if postgres:
                tags += _copy_chunk(connection, chunk)
            else:
                tags += _bulk_chunk(chunk)
        done += size
        if progress:
            progress(done, time.perf_counter() - started)
    if postgres:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence('registry_business', 'id'), "
                "(SELECT MAX(id) FROM registry_business))"
            )
    return LoadResult(n, tags, time.perf_counter() - started)


def _copy_chunk(connection, chunk) -> int:
    tag_rows = [(row[0], tag) for row, tags in chunk for tag in tags]
    with connection.cursor() as cursor:
        raw = cursor.cursor  # psycopg 3
        with raw.copy(f"COPY registry_business ({', '.join(COLUMNS)}) FROM STDIN") as copy:
            for row, _ in chunk:
                copy.write_row(row)
        with raw.copy("COPY registry_business_tags (business_id, tag_id) FROM STDIN") as copy:
            for row in tag_rows:
                copy.write_row(row)
    return len(tag_rows)


def _bulk_chunk(chunk) -> int:
    from sangyo.registry.models import Business

    through = Business.tags.through
    objs = [Business(**dict(zip(COLUMNS, row, strict=True))) for row, _ in chunk]
    Business.objects.bulk_create(objs, batch_size=10_000)
    links = [through(business_id=row[0], tag_id=t) for row, tags in chunk for t in tags]
    through.objects.bulk_create(links, batch_size=10_000)
    return len(links)


# --- support records --------------------------------------------------------------------

SUPPORT_COLUMNS = (
    "business_id", "program_id", "date", "fiscal_year", "kind", "summary", "outcome",
    "amount", "source", "is_synthetic", "created_at",
)  # fmt: skip
# (kind, weight, amount range in yen or None)
SUPPORT_KINDS = (
    ("consultation", 45, None), ("event", 25, None), ("information", 10, None),
    ("application", 6, None), ("subsidy", 5, (100_000, 2_000_000)), ("certification", 2, None),
    ("certificate", 2, None), ("matching", 3, None), ("referral", 2, None),
)  # fmt: skip


def support_rows(
    business_ids: list[int],
    program_ids: list[int],
    years: list[int],
    *,
    per_business: int,
    seed: int = 1,
) -> Iterator[tuple]:
    """Rows in SUPPORT_COLUMNS order: about `per_business` records for each business, spread
    over the fiscal years given (April–March), programs and kinds drawn at random."""
    from django.utils import timezone

    rng = random.Random(seed)
    now = timezone.now()
    weights = [w for _, w, _ in SUPPORT_KINDS]
    starts = {fy: datetime.date(fy, 4, 1).toordinal() for fy in years}
    serial = 0
    for business_id in business_ids:
        for _ in range(rng.randint(max(0, per_business - 2), per_business + 2)):
            serial += 1
            fy = rng.choice(years)
            day = datetime.date.fromordinal(starts[fy] + rng.randint(0, 364))
            kind, _, amounts = rng.choices(SUPPORT_KINDS, weights)[0]
            yield (
                business_id,
                rng.choice(program_ids),
                day,
                fy,
                kind,
                "合成データの支援記録",
                "",
                rng.randint(*amounts) // 1000 * 1000 if amounts else None,
                f"synthetic:{seed}:{serial}",
                True,
                now,
            )


def load_support_records(
    *,
    per_business: int,
    years: list[int],
    seed: int = 1,
    batch: int = 200_000,
    progress: Callable[[int, float], None] | None = None,
) -> LoadResult:
    """Add synthetic support records for every synthetic business, on the current strategy's
    programs. COPY on PostgreSQL, bulk_create elsewhere; one transaction per batch."""
    from django.db import connection, transaction

    from sangyo.registry.models import Business, SupportRecord
    from sangyo.strategy.models import Program

    started = time.perf_counter()
    program_ids = list(
        Program.objects.filter(measure__strategy__is_current=True).values_list("id", flat=True)
    )
    if not program_ids:
        raise ValueError("no current strategy is loaded (sangyo strategy load … --make-current)")
    business_ids = list(
        Business.objects.filter(is_synthetic=True).order_by("id").values_list("id", flat=True)
    )
    rows = support_rows(business_ids, program_ids, years, per_business=per_business, seed=seed)
    done = 0
    postgres = connection.vendor == "postgresql"
    while True:
        chunk = [row for _, row in zip(range(batch), rows, strict=False)]
        if not chunk:
            break
        with transaction.atomic():
            if postgres:
                with (
                    connection.cursor() as cursor,
                    cursor.cursor.copy(
                        f"COPY registry_supportrecord ({', '.join(SUPPORT_COLUMNS)}) FROM STDIN"
                    ) as copy,
                ):
                    for row in chunk:
                        copy.write_row(row)
            else:
                SupportRecord.objects.bulk_create(
                    [
                        SupportRecord(**dict(zip(SUPPORT_COLUMNS, row, strict=True)))
                        for row in chunk
                    ],
                    batch_size=10_000,
                )
        done += len(chunk)
        if progress:
            progress(done, time.perf_counter() - started)
    return LoadResult(done, 0, time.perf_counter() - started)
