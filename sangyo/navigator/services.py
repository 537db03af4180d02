"""Writes of the navigator: loading the needs→measures mapping, editing needs and synonyms,
importing outside programs (jGrants-shaped JSON), counting challenges chosen (anonymous),
rebuilding the search index. Each is atomic and audited where it changes public data."""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass
from pathlib import Path

import yaml
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from sangyo.core.audit import audit
from sangyo.core.errors import DomainError
from sangyo.core.fiscal import fiscal_year
from sangyo.core.jgrants import EMPLOYEE_BANDS, USE_PURPOSES

from . import search
from .models import ChallengeCount, Need, OutsideProgram, Synonym

DATA_DIR = Path(__file__).resolve().parent / "data"
NEEDS_FILE = DATA_DIR / "needs-tsukuba.yaml"
SAMPLE_FILE = DATA_DIR / "outside-programs-sample.json"

JGRANTS_PURPOSES = USE_PURPOSES


class NavigatorError(DomainError):
    pass


# -- the mapping ----------------------------------------------------------------------------


@transaction.atomic
def needs_load(*, doc: dict, actor, replace_synonyms: bool = False) -> dict:
    """Create or update needs (and synonyms) from a mapping document; idempotent."""
    counts = {"created": 0, "updated": 0, "synonyms": 0}
    for kind, key in ((Need.Kind.CHALLENGE, "challenges"), (Need.Kind.STAGE, "stages")):
        for order, row in enumerate(doc.get(key) or []):
            code = str(row.get("code", "")).strip()
            if not code:
                raise NavigatorError(f"{key}[{order}]: code がありません")
            purpose = row.get("use_purpose") or ""
            if purpose and purpose not in JGRANTS_PURPOSES:
                raise NavigatorError(
                    f"{key}[{order}]: use_purpose「{purpose}」はjGrantsの利用目的にありません"
                )
            measures = [str(m).zfill(2) for m in row.get("measures") or []]
            label = row.get("label") or {}
            why = row.get("why") or {}
            values = {
                "label_ja": label.get("ja", code),
                "label_en": label.get("en", ""),
                "use_purpose": purpose,
                "measures": measures,
                "why_ja": why.get("ja", ""),
                "why_en": why.get("en", ""),
                "order": order,
            }
            need = Need.objects.filter(kind=kind, code=code).first()
            if need is None:
                Need.objects.create(kind=kind, code=code, **values)
                counts["created"] += 1
            elif any(getattr(need, k) != v for k, v in values.items()):
                for k, v in values.items():
                    setattr(need, k, v)
                need.save()
                counts["updated"] += 1
    groups = [str(g) for g in doc.get("synonyms") or []]
    if replace_synonyms:
        Synonym.objects.all().delete()
    existing = set(Synonym.objects.values_list("terms", flat=True))
    for g in groups:
        if g not in existing:
            Synonym.objects.create(terms=g)
            counts["synonyms"] += 1
    if counts["created"] or counts["updated"] or counts["synonyms"]:
        audit("navigator.needs.loaded", actor=actor, target=None, data=counts)
    return counts


def needs_load_file(*, path: str | Path = NEEDS_FILE, actor) -> dict:
    with open(path, encoding="utf-8") as fh:
        return needs_load(doc=yaml.safe_load(fh) or {}, actor=actor)


@transaction.atomic
def need_update(*, need: Need, actor, **values) -> Need:
    measures = values.get("measures")
    if measures is not None:
        values["measures"] = [str(m).strip().zfill(2) for m in measures if str(m).strip()]
    before = {k: getattr(need, k) for k in values}
    for k, v in values.items():
        setattr(need, k, v)
    need.save()
    audit(
        "navigator.need.updated",
        actor=actor,
        target=need,
        data={"before": before, "after": {k: getattr(need, k) for k in values}},
    )
    return need


@transaction.atomic
def synonym_save(*, actor, terms: str, synonym: Synonym | None = None, note: str = "") -> Synonym:
    created = synonym is None
    synonym = synonym or Synonym()
    synonym.terms = terms
    synonym.note = note
    if len(synonym.term_list()) < 2:
        raise NavigatorError("同義語は2つ以上の語をカンマで区切って入力してください")
    synonym.save()
    audit(
        "navigator.synonym.created" if created else "navigator.synonym.updated",
        actor=actor,
        target=synonym,
        data={"terms": terms},
    )
    return synonym


@transaction.atomic
def synonym_delete(*, actor, synonym: Synonym) -> None:
    audit("navigator.synonym.deleted", actor=actor, target=synonym, data={"terms": synonym.terms})
    synonym.delete()


# -- anonymous counts -----------------------------------------------------------------------


def challenges_count(*, codes: list[str], on: datetime.date | None = None) -> None:
    """Count each chosen challenge once for the fiscal year of `on` (no person recorded)."""
    fy = fiscal_year(on or timezone.localdate())
    for code in codes:
        updated = ChallengeCount.objects.filter(fiscal_year=fy, code=code).update(
            count=F("count") + 1
        )
        if not updated:
            try:
                with transaction.atomic():
                    ChallengeCount.objects.create(fiscal_year=fy, code=code, count=1)
            except Exception:  # created concurrently: count on that row
                ChallengeCount.objects.filter(fiscal_year=fy, code=code).update(
                    count=F("count") + 1
                )


# -- outside programs (jGrants shape) -------------------------------------------------------


@dataclass
class ImportResult:
    created: int
    updated: int
    unchanged: int


REQUIRED = ("id", "title")
STRING_FIELDS = (
    "id",
    "name",
    "title",
    "subsidy_catch_phrase",
    "detail",
    "subsidy_rate",
    "target_area_search",
    "target_number_of_employees",
    "use_purpose",
    "industry",
    "institution_name",
    "front_subsidy_detail_page_url",
    "acceptance_start_datetime",
    "acceptance_end_datetime",
)


def _split(value) -> list[str]:
    if isinstance(value, list):
        return [str(v).strip() for v in value if str(v).strip()]
    return [v.strip() for v in str(value or "").split(" / ") if v.strip()]


BIGINT_MAX = 2**63 - 1  # OutsideProgram.subsidy_max_limit is a BigIntegerField
SOURCE_ID_MAX = OutsideProgram._meta.get_field("source_id").max_length


def _unstorable(value) -> bool:
    """True when a JSON value holds text no database can store (NUL, lone surrogates).
    Iterative: the value may be nested as deeply as json.loads allows."""
    stack = [value]
    while stack:
        v = stack.pop()
        if isinstance(v, dict):
            stack.extend(v.keys())
            stack.extend(v.values())
        elif isinstance(v, list):
            stack.extend(v)
        elif isinstance(v, str):
            if "\x00" in v:
                return True
            try:
                v.encode("utf-8")
            except UnicodeEncodeError:
                return True
    return False


def parse_outside_file(raw: bytes | str) -> list[dict]:
    """Validate the whole file; return the rows to write, or raise NavigatorError with
    every problem (record index and field) in Japanese. Nothing is written here."""
    if isinstance(raw, bytes):
        # UTF-16 first when its BOM says so: CP932 would otherwise "decode" it as nonsense.
        utf16 = raw.startswith((b"\xff\xfe", b"\xfe\xff"))
        for encoding in ("utf-16",) * utf16 + ("utf-8-sig", "cp932", "utf-16"):
            try:
                raw = raw.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise NavigatorError("ファイルの文字コードを読み取れません（UTF-8で保存してください）")
    try:
        doc = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise NavigatorError(
            f"JSONとして読み取れません（{exc.lineno}行目 {exc.colno}文字目）"
        ) from None
    except RecursionError:
        raise NavigatorError("JSONの入れ子が深すぎます") from None
    records = doc.get("result") if isinstance(doc, dict) else doc
    if not isinstance(records, list):
        raise NavigatorError("JSONの形が違います：result の配列（または配列そのもの）が必要です")
    errors: list[str] = []
    rows: list[dict] = []
    seen: set[str] = set()
    for i, rec in enumerate(records, start=1):
        where = f"{i}件目"
        if not isinstance(rec, dict):
            errors.append(f"{where}：オブジェクト（{{…}}）ではありません")
            continue
        bad = False
        if _unstorable(rec):
            # The record is stored as it came (raw): NUL and lone surrogates (\u0000,
            # \ud800 in the JSON) cannot be saved by either database.
            errors.append(f"{where}：使えない文字（NUL や不正なサロゲート）が含まれています")
            continue
        for f in REQUIRED:
            if rec.get(f) in (None, ""):
                errors.append(f"{where}：必須の項目「{f}」がありません")
                bad = True
        for f in STRING_FIELDS:
            v = rec.get(f)
            if (v is not None and not isinstance(v, (str, int))) or isinstance(v, bool):
                if f in ("use_purpose", "industry") and isinstance(v, list):
                    continue
                errors.append(f"{where}：項目「{f}」は文字列である必要があります")
                bad = True
        limit = rec.get("subsidy_max_limit", 0)
        if limit in (None, ""):
            limit = 0
        if isinstance(limit, bool) or not isinstance(limit, int) or not 0 <= limit <= BIGINT_MAX:
            errors.append(
                f"{where}：項目「subsidy_max_limit」は0以上の整数（円）である必要があります"
            )
            bad = True
        dates = {}
        for f in ("acceptance_start_datetime", "acceptance_end_datetime"):
            v = rec.get(f)
            if v in (None, ""):
                dates[f] = None
                continue
            try:
                d = parse_datetime(v) if isinstance(v, str) else None
            except ValueError:  # well formed but impossible: 2025-02-30, +99:00
                d = None
            if d is None:
                errors.append(
                    f"{where}：項目「{f}」の日時を読み取れません（例 2025-04-01T00:00:00Z）"
                )
                bad = True
            else:
                if timezone.is_naive(d):
                    d = timezone.make_aware(d, datetime.UTC)
                dates[f] = d
        band = str(rec.get("target_number_of_employees") or "")
        if band and band not in EMPLOYEE_BANDS:
            errors.append(f"{where}：項目「target_number_of_employees」の値「{band}」は使えません")
            bad = True
        purposes = _split(rec.get("use_purpose"))
        for p in purposes:
            if p not in JGRANTS_PURPOSES:
                errors.append(
                    f"{where}：項目「use_purpose」の「{p}」はjGrantsの利用目的にありません"
                )
                bad = True
        url = str(rec.get("front_subsidy_detail_page_url") or "")
        if url and not url.startswith(("https://", "http://")):
            errors.append(f"{where}：項目「front_subsidy_detail_page_url」はURLではありません")
            bad = True
        sid = str(rec.get("id") or "")
        if len(sid) > SOURCE_ID_MAX:
            errors.append(f"{where}：id は{SOURCE_ID_MAX}文字以内である必要があります")
            bad = True
        if sid in seen:
            errors.append(f"{where}：id「{sid}」が重複しています")
            bad = True
        seen.add(sid)
        if bad:
            continue
        rows.append(
            {
                "source_id": sid,
                "name": str(rec.get("name") or "")[:200],
                "title": str(rec["title"])[:300],
                "catch_phrase": str(rec.get("subsidy_catch_phrase") or "")[:300],
                "detail": str(rec.get("detail") or ""),
                "institution_name": str(rec.get("institution_name") or "")[:200],
                "subsidy_max_limit": limit,
                "subsidy_rate": str(rec.get("subsidy_rate") or "")[:100],
                "acceptance_start": dates["acceptance_start_datetime"],
                "acceptance_end": dates["acceptance_end_datetime"],
                "target_area": str(rec.get("target_area_search") or "")[:300],
                "target_number_of_employees": band,
                "use_purposes": purposes,
                "industries": _split(rec.get("industry")),
                "detail_url": url[:500],
                "raw": rec,
            }
        )
    if errors:
        raise NavigatorError("取り込めません。" + " / ".join(errors[:50]))
    return rows


@transaction.atomic
def outside_import(
    *, raw: bytes | str, actor, source: str = "jgrants", is_synthetic: bool = False
) -> ImportResult:
    """Validate the whole file, then upsert by (source, id). Idempotent; audited."""
    rows = parse_outside_file(raw)
    created = updated = unchanged = 0
    changed_ids = []
    for row in rows:
        obj = OutsideProgram.objects.filter(source=source, source_id=row["source_id"]).first()
        if obj is None:
            obj = OutsideProgram.objects.create(source=source, is_synthetic=is_synthetic, **row)
            created += 1
            changed_ids.append(obj.pk)
            continue
        if all(getattr(obj, k) == v for k, v in row.items()):
            unchanged += 1
            continue
        for k, v in row.items():
            setattr(obj, k, v)
        obj.save()
        updated += 1
        changed_ids.append(obj.pk)
    result = ImportResult(created, updated, unchanged)
    if not (created or updated):
        return result
    audit(
        "navigator.outside.imported",
        actor=actor,
        target=None,
        data={"source": source, **result.__dict__, "ids": changed_ids[:200]},
    )
    return result


# -- the index -------------------------------------------------------------------------------


def reindex(*, actor) -> int:
    count = search.rebuild()
    audit("navigator.index.rebuilt", actor=actor, target=None, data={"documents": count})
    return count
