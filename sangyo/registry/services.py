"""Writes to the business registry. Every change is audited; derived fields (size class,
search keys, district, in-city flag) are recomputed here and nowhere else."""

from __future__ import annotations

import datetime
from functools import lru_cache
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sangyo.core.audit import audit
from sangyo.core.codes import CodeError, validate_corporate_number, validate_lg_code
from sangyo.core.errors import DomainError
from sangyo.core.fiscal import fiscal_year
from sangyo.core.text import normalize_for_match, normalize_kana

from . import policies
from .classification import classify
from .jsic import load_jsic
from .models import (
    Business,
    Contact,
    CorporateType,
    Delegation,
    District,
    Membership,
    SupportRecord,
)


class RegistryError(DomainError):
    pass


@lru_cache(maxsize=1)
def jsic_table():
    return load_jsic()


def home_municipality_code() -> str:
    """The 6-digit code of the city running this platform: the current strategy's."""
    from sangyo.strategy.models import Strategy

    return (
        Strategy.objects.filter(is_current=True).values_list("municipality_code", flat=True).first()
        or ""
    )


def match_district(location: str, districts: list[District]) -> District | None:
    """The district whose town-name prefixes appear in the address (longest match wins)."""
    key = normalize_for_match(location)
    best, best_len = None, 0
    for district in districts:
        for prefix in district.address_prefixes:
            p = normalize_for_match(prefix)
            if p and p in key and len(p) > best_len:
                best, best_len = district, len(p)
    return best


def derive(business: Business, *, home_code: str | None = None, districts=None) -> None:
    """Recompute every derived field from the typed ones (no save)."""
    result = classify(
        jsic_code=business.jsic_code or None,
        capital_yen=business.capital_stock,
        employees=business.employee_number,
        corporate_type=business.corporate_type,
        table=jsic_table(),
    )
    business.size_class = result.size
    business.size_reason = result.reason_ja[:300]
    business.search_name = normalize_for_match(business.name)[:300]
    business.search_kana = normalize_for_match(business.kana)[:300]
    if business.kana:
        business.kana = normalize_kana(business.kana)
    home = home_municipality_code() if home_code is None else home_code
    if business.city_code and home:
        business.in_city = business.city_code == home
    if business.in_city and business.location:
        if districts is None:
            districts = list(District.objects.filter(municipality_code=home)) if home else []
        business.district = match_district(business.location, districts) or business.district
    elif not business.in_city:
        business.district = None


_EDITABLE = [
    "corporate_number",
    "name",
    "kana",
    "name_en",
    "corporate_type",
    "representative_name",
    "representative_position",
    "postal_code",
    "location",
    "city_code",
    "in_city",
    "district",
    "jsic_code",
    "jsic_revision",
    "capital_stock",
    "employee_number",
    "date_of_establishment",
    "fiscal_year_end_month",
    "company_url",
    "status",
    "close_date",
    "close_cause",
    "notes",
    "is_synthetic",
    "nta_update_date",
]


def _clean(business: Business) -> None:
    if business.corporate_number:
        try:
            business.corporate_number = validate_corporate_number(business.corporate_number)
        except CodeError as exc:
            raise RegistryError(str(exc)) from exc
    else:
        business.corporate_number = None
    if business.corporate_type in (CorporateType.SOLE, CorporateType.PRE_FOUNDING) and (
        business.corporate_number
    ):
        raise RegistryError(_("個人事業主・創業予定者には法人番号はありません"))
    if business.city_code:
        try:
            business.city_code = validate_lg_code(business.city_code)
        except CodeError as exc:
            raise RegistryError(str(exc)) from exc
    if business.postal_code:
        digits = business.postal_code.replace("-", "").replace("ー", "").strip()
        if not (len(digits) == 7 and digits.isdigit()):
            raise RegistryError(_("郵便番号は7桁の数字で入力してください（例: 305-8555）"))
        business.postal_code = digits
    if business.jsic_code:
        try:
            business.jsic_code = jsic_table().validate_code(business.jsic_code)
        except ValueError as exc:
            raise RegistryError(str(exc)) from exc
    if business.status == Business.Status.CLOSED and not business.close_date:
        raise RegistryError(_("閉鎖・廃業の場合は閉鎖日を入力してください"))
    if business.status == Business.Status.ACTIVE:
        business.close_date, business.close_cause = None, ""
    try:
        # Uniqueness of the corporate number is checked below, with a message naming the
        # business that already has it (Django's would only say that one exists).
        business.full_clean(
            exclude=["district", "tags"], validate_unique=False, validate_constraints=False
        )
        business.validate_constraints(exclude={"district", "tags", "corporate_number"})
    except ValidationError as exc:
        raise RegistryError(
            "; ".join(
                f"{business._meta.get_field(f).verbose_name}: {' '.join(m)}"
                if f != "__all__"
                else " ".join(m)
                for f, m in exc.message_dict.items()
            )
        ) from exc
    if business.corporate_number:
        clash = Business.objects.filter(corporate_number=business.corporate_number)
        if business.pk:
            clash = clash.exclude(pk=business.pk)
        other = clash.first()
        if other:
            raise RegistryError(
                _("法人番号 %(number)s は既に「%(name)s」として登録されています")
                % {"number": business.corporate_number, "name": other.name}
            )


@transaction.atomic
def business_create(*, actor: Any, tags: list[str] | None = None, **fields) -> Business:
    unknown = set(fields) - set(_EDITABLE)
    if unknown:
        raise TypeError(f"unknown business fields: {sorted(unknown)}")
    business = Business(**fields)
    _clean(business)
    derive(business)
    business.save()
    if tags:
        _set_tags(business, tags)
    audit("registry.business.created", actor=actor, target=business)
    return business


@transaction.atomic
def business_update(
    *, business: Business, actor: Any, tags: list[str] | None = None, **changes
) -> Business:
    unknown = set(changes) - set(_EDITABLE)
    if unknown:
        raise TypeError(f"unknown business fields: {sorted(unknown)}")
    before = {f: getattr(business, f) for f in changes}
    for field, value in changes.items():
        setattr(business, field, value)
    _clean(business)
    derive(business)
    business.save()
    changed = sorted(f for f in changes if before[f] != getattr(business, f))
    if tags is not None:
        old = sorted(business.tags.values_list("name", flat=True))
        _set_tags(business, tags)
        if sorted(set(tags)) != old:
            changed.append("tags")
    if changed:
        audit("registry.business.updated", actor=actor, target=business, data={"fields": changed})
    return business


def _set_tags(business: Business, names: list[str]) -> None:
    from .models import Tag

    tags = [Tag.objects.get_or_create(name=n.strip()[:50])[0] for n in names if n.strip()]
    business.tags.set(tags)


@transaction.atomic
def business_close(
    *, business: Business, close_date: datetime.date, cause: str, actor: Any
) -> Business:
    return business_update(
        business=business,
        actor=actor,
        status=Business.Status.CLOSED,
        close_date=close_date,
        close_cause=cause,
    )


def _move_other_references(keep: Business, duplicate: Business, *, done: set) -> dict[str, int]:
    """Point every other record that refers to the duplicate (bookings, cases, applications,
    registrations, postings … of the apps above) at the kept business, so a merge needs no
    list of apps. A row that would break a uniqueness rule of its own (e.g. both businesses
    showed interest in the same posting) stops the merge with the name of what clashes."""
    from django.db import IntegrityError

    moved: dict[str, int] = {}
    for rel in Business._meta.related_objects:
        if rel.many_to_many or rel.related_model in done:
            continue
        model, field = rel.related_model, rel.field.name
        rows = model._default_manager.filter(**{field: duplicate})
        try:
            with transaction.atomic():
                count = rows.update(**{field: keep})
        except IntegrityError:
            raise RegistryError(
                _("「%(what)s」に両方の事業者の記録があり、重複するため統合できません")
                % {"what": model._meta.verbose_name}
            ) from None
        if count:
            moved[model._meta.label_lower] = count
    return moved


@transaction.atomic
def business_merge(*, keep: Business, duplicate: Business, actor: Any) -> Business:
    """Fold `duplicate` into `keep`: every record that pointed at the duplicate now points at
    the kept business; empty fields of the kept one are filled from the duplicate."""
    if keep.pk == duplicate.pk:
        raise RegistryError(_("同じ事業者同士は統合できません"))
    keep = Business.objects.select_for_update().get(pk=keep.pk)
    duplicate = Business.objects.select_for_update().get(pk=duplicate.pk)
    if (
        keep.corporate_number
        and duplicate.corporate_number
        and keep.corporate_number != duplicate.corporate_number
    ):
        raise RegistryError(
            _("法人番号が異なる事業者は統合できません（%(a)s と %(b)s）")
            % {"a": keep.corporate_number, "b": duplicate.corporate_number}
        )
    moved = {
        "support_records": SupportRecord.objects.filter(business=duplicate).update(business=keep),
        "contacts": Contact.objects.filter(business=duplicate).update(business=keep),
        "delegations": Delegation.objects.filter(business=duplicate).update(business=keep),
    }
    existing_members = set(
        Membership.objects.filter(business=keep).values_list("user_id", flat=True)
    )
    moved["memberships"] = (
        Membership.objects.filter(business=duplicate)
        .exclude(user_id__in=existing_members)
        .update(business=keep)
    )
    moved |= _move_other_references(keep, duplicate, done={Membership})
    filled = []
    dup_number = duplicate.corporate_number
    for field in _EDITABLE:
        if field in ("status", "close_date", "close_cause", "is_synthetic", "in_city"):
            continue
        if getattr(keep, field) in (None, "") and getattr(duplicate, field) not in (None, ""):
            setattr(keep, field, getattr(duplicate, field))
            filled.append(field)
    keep.tags.add(*duplicate.tags.all())
    duplicate_label = f"{duplicate.name} (#{duplicate.pk})"
    duplicate.delete()
    if "corporate_number" in filled:
        keep.corporate_number = dup_number
    _clean(keep)
    derive(keep)
    keep.save()
    audit(
        "registry.business.merged",
        actor=actor,
        target=keep,
        data={"merged": duplicate_label, "moved": moved, "filled": filled},
    )
    return keep


# --- contacts (personal data) ----------------------------------------------------------


@transaction.atomic
def contact_create(*, business: Business, actor: Any, **fields) -> Contact:
    contact = Contact(business=business, **fields)
    contact.full_clean()
    contact.save()
    audit("registry.contact.created", actor=actor, target=contact, data={"business": business.pk})
    return contact


@transaction.atomic
def contact_update(*, contact: Contact, actor: Any, **changes) -> Contact:
    if contact.anonymized_at:
        raise RegistryError(_("匿名化した連絡先は編集できません"))
    for field, value in changes.items():
        setattr(contact, field, value)
    contact.full_clean()
    contact.save()
    audit("registry.contact.updated", actor=actor, target=contact, data={"fields": sorted(changes)})
    return contact


@transaction.atomic
def contact_anonymize(*, contact: Contact, actor: Any, reason: str) -> Contact:
    """Erase a person's data on request while keeping the row, so records that point at
    the contact (and the statistics built on them) still add up."""
    if contact.anonymized_at:
        return contact
    contact.name = _("（匿名化済み）")
    contact.kana = ""
    contact.email = ""
    contact.phone = ""
    contact.role = ""
    contact.consent_scope = ""
    contact.consent_at = None
    contact.anonymized_at = timezone.now()
    contact.save()
    audit("registry.contact.anonymized", actor=actor, target=contact, data={"reason": reason})
    return contact


# --- support records -------------------------------------------------------------------


def support_record_create(**kwargs: Any) -> SupportRecord:
    """Record that support reached a business. The one way support is counted (see
    `support_record_ensure`, which also says whether the record is new)."""
    return support_record_ensure(**kwargs)[0]


@transaction.atomic
def support_record_ensure(
    *,
    business: Business,
    program,
    date: datetime.date,
    kind: str,
    actor: Any,
    summary: str = "",
    outcome: str = "",
    amount: int | None = None,
    source: str = "",
    partner=None,
    is_synthetic: bool = False,
) -> tuple[SupportRecord, bool]:
    """Record that support reached a business; returns (record, created).

    Idempotent per `source`: a service that records the same source object twice gets the
    first record back, so a retried job never double-counts, even when two retries arrive
    at once (the loser of the unique constraint gets the winner's record)."""
    from django.db import IntegrityError

    if kind not in SupportRecord.Kind.values:
        raise RegistryError(_("支援の種類「%(kind)s」は定義されていません") % {"kind": kind})
    if source:
        existing = SupportRecord.objects.filter(source=source, kind=kind).first()
        if existing:
            return existing, False
    try:
        with transaction.atomic():
            record = SupportRecord.objects.create(
                business=business,
                program=program,
                date=date,
                fiscal_year=fiscal_year(date),
                kind=kind,
                summary=summary[:300],
                outcome=outcome[:300],
                amount=amount,
                source=source,
                partner=partner,
                staff=actor if getattr(actor, "pk", None) else None,
                is_synthetic=is_synthetic,
            )
    except IntegrityError:
        if not source:
            raise
        return SupportRecord.objects.get(source=source, kind=kind), False
    audit(
        "registry.support_record.created",
        actor=actor,
        target=record,
        data={"business": business.pk, "program": program.code, "kind": kind},
    )
    return record, True


def support_records_guard(programs: models.QuerySet) -> list[str]:
    """Refuse a strategy load that would delete programs support records point to."""
    rows = (
        SupportRecord.objects.filter(program__in=programs)
        .values("program__code", "program__name_ja")
        .annotate(n=models.Count("id"))
        .order_by("program__code")
    )
    return [
        _("事業「%(code)s %(name)s」には支援実績が%(n)s件あります")
        % {"code": r["program__code"], "name": r["program__name_ja"], "n": r["n"]}
        for r in rows
    ]


# --- members and proxies ---------------------------------------------------------------


@transaction.atomic
def membership_add(*, user, business: Business, role: str, actor: Any) -> Membership:
    if role not in Membership.Role.values:
        raise RegistryError(_("立場「%(role)s」は定義されていません") % {"role": role})
    membership, created = Membership.objects.get_or_create(
        user=user, business=business, defaults={"role": role}
    )
    if not created and membership.role != role:
        membership.role = role
        membership.save(update_fields=["role"])
    audit(
        "registry.membership.saved",
        actor=actor,
        target=business,
        data={"user": user.pk, "role": role},
    )
    return membership


@transaction.atomic
def delegation_grant(
    *, business: Business, proxy, valid_until: datetime.date, scope: str, actor
) -> Delegation:
    """A representative lets a proxy act for the business until a date (GビズID style)."""
    if not Membership.objects.filter(
        user=actor, business=business, role=Membership.Role.REPRESENTATIVE
    ).exists():
        raise RegistryError(_("委任できるのは事業者の代表者だけです"))
    if valid_until <= timezone.localdate():
        raise RegistryError(_("有効期限は明日以降の日付にしてください"))
    delegation = Delegation.objects.create(
        business=business, proxy=proxy, granted_by=actor, valid_until=valid_until, scope=scope
    )
    audit(
        "registry.delegation.granted",
        actor=actor,
        target=business,
        data={"proxy": proxy.pk, "until": valid_until},
    )
    return delegation


@transaction.atomic
def delegation_revoke(*, delegation: Delegation, actor: Any) -> Delegation:
    """The representative (or an officer/administrator) ends a delegation. A user actor is
    checked here, not only in the view: a proxy cannot cancel the delegations of a business
    it acts for. A non-user actor ("cli") is a command run by operators."""
    if isinstance(actor, models.Model) and not (
        policies.can_manage_delegations(actor, delegation.business)
        or policies.can_edit_businesses(actor)
    ):
        raise RegistryError(_("委任を取り消せるのは事業者の代表者だけです"))
    if delegation.revoked_at is None:
        delegation.revoked_at = timezone.now()
        delegation.save(update_fields=["revoked_at"])
        audit(
            "registry.delegation.revoked",
            actor=actor,
            target=delegation.business,
            data={"proxy": delegation.proxy_id},
        )
    return delegation
