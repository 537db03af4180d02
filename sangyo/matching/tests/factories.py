"""Test data for matching, made through the services (so vectors, statuses and support
records are what production would produce)."""

from __future__ import annotations

import datetime
import itertools

from django.utils import timezone

from sangyo.matching import services
from sangyo.registry.tests.factories import business

_seq = itertools.count(1)

SEEKER_NAME = "応募者 秘密子"
SEEKER_EMAIL = "secret-seeker@example.test"


def today():
    return timezone.localdate()


def posting_fields(**overrides) -> dict:
    n = next(_seq)
    fields = {
        "purpose": "order",
        "category": "manufacturing",
        "title_ja": f"合成データ 切削加工の発注{n}",
        "body_ja": "アルミ部品の切削加工をお願いできる事業者を探しています。",
        "keywords": "切削加工、アルミ",
        "region": "city",
        "starts_on": today() - datetime.timedelta(days=1),
        "ends_on": today() + datetime.timedelta(days=30),
        "contact_consent": True,
        "is_synthetic": True,
    }
    return fields | overrides


def posting(*, business_obj=None, publish=True, **overrides):
    p = services.posting_create(
        business=business_obj or business(), actor="test", **posting_fields(**overrides)
    )
    if publish:
        p = services.posting_moderate(posting=p, action="publish", actor="test")
    return p


def partner():
    from sangyo.registry.models import PartnerOrganisation

    obj, _ = PartnerOrganisation.objects.get_or_create(
        name="合成データ 不動産協会", defaults={"kind": "real_estate", "is_synthetic": True}
    )
    return obj


def property_obj(**overrides):
    fields = {
        "partner": partner(),
        "title_ja": "合成データ 駅前オフィス",
        "use": "office",
        "area_m2": "30.00",
        "rent_yen": 80000,
        "address": "茨城県つくば市研究学園（合成データ）",
        "available_from": today(),
        "is_published": True,
        "is_synthetic": True,
    }
    return services.property_save(actor="test", **(fields | overrides))


def job_fields(**overrides) -> dict:
    fields = {
        "kind": "job",
        "employment_type": "full_time",
        "target": "general",
        "title_ja": "合成データ 機械加工オペレーター",
        "description_ja": "NC旋盤の操作です。",
        "place": "つくば市",
        "pay_unit": "month",
        "pay_min": 200000,
        "pay_max": 260000,
        "hours": "9:00〜18:00",
        "starts_on": today() - datetime.timedelta(days=1),
        "ends_on": today() + datetime.timedelta(days=30),
        "is_synthetic": True,
    }
    return fields | overrides


def job(*, business_obj=None, publish=True, **overrides):
    j = services.job_create(
        business=business_obj or business(), actor="test", **job_fields(**overrides)
    )
    if publish:
        j = services.job_moderate(job=j, action="publish", actor="test")
    return j


def world(*, owner_user=None) -> dict:
    """A business (with `owner_user` as its member) that posted a need and a job; another
    business showed interest; a seeker applied; someone reported the posting."""
    from sangyo.registry.services import membership_add

    owner = business(name="合成データ 掲載株式会社")
    other = business(name="合成データ 関心株式会社")
    if owner_user is not None:
        membership_add(user=owner_user, business=owner, role="representative", actor="test")
    p = posting(business_obj=owner)
    interest = services.interest_create(
        posting=p, business=other, actor="test", message="合成データ 対応できます"
    )
    j = job(business_obj=owner)
    application = services.job_apply(
        job=j,
        name=SEEKER_NAME,
        email=SEEKER_EMAIL,
        message="合成データ 応募します",
        consent=True,
        seeker_type="student",
    )
    prop = property_obj()
    services.property_enquire(
        property=prop,
        name="問合せ 秘密男",
        email="secret-enquirer@example.test",
        message="合成データ 内覧希望",
        consent=True,
    )
    report = services.report_create(
        target_type="posting", target_id=p.pk, reason="合成データ 確認してください", actor="test"
    )
    return {
        "owner": owner,
        "other": other,
        "posting": p,
        "interest": interest,
        "job": j,
        "application": application,
        "property": prop,
        "report": report,
    }
