"""Test data for the API: tokens, and a small world of public and staff records (an event,
calls, a certified product, a business with a contact and support records, an entered
indicator figure), all synthetic."""

from __future__ import annotations

import datetime
import itertools

from django.utils import timezone

from sangyo.integrations import services
from sangyo.integrations.models import ApiToken, Scope

_seq = itertools.count(1)
ALL_SCOPES = list(Scope.values)


def admin_user():
    from sangyo.accounts.models import User

    user = User.objects.filter(role="admin", is_active=True).order_by("pk").first()
    return user or User.objects.create_user(
        email=f"api-admin{next(_seq)}@example.test", password="x-not-used-x", role="admin"
    )


def token(owner=None, scopes=None, **extra) -> tuple[ApiToken, str]:
    """(token, raw secret) made through the service by an administrator."""
    owner = owner or admin_user()
    return services.token_create(
        name=extra.pop("name", f"合成データ連携{next(_seq)}"),
        owner=owner,
        scopes=ALL_SCOPES if scopes is None else scopes,
        actor=extra.pop("actor", None) or admin_user(),
        **extra,
    )


def bearer(raw: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def certified_product(strategy, *, name="合成データ筑波うどん"):
    """A published product, valid for a year, of a certification program (06-1)."""
    from sangyo.accounts.models import User
    from sangyo.applications.models import CertifiedProduct
    from sangyo.applications.tests import factories as f
    from sangyo.registry.tests.factories import business
    from sangyo.strategy.models import Program

    program = Program.objects.get(code="06-1", measure__strategy=strategy)
    if not hasattr(program, "detail"):
        f.program_detail(
            program, title_ja="合成データつくばクオリティ", workflow="certification", rate_text=""
        )
    call = f.open_call(program, title_ja="合成データ認定の募集")
    company = business(name=f"{name}の事業者")
    user = User.objects.create_user(
        email=f"api-applicant{next(_seq)}@example.test", password="x-not-used-x", role="business"
    )
    from sangyo.registry.services import membership_add

    membership_add(user=user, business=company, role="representative", actor="test")
    application = f.application(call, company, user, status="certified")
    today = timezone.localdate()
    return CertifiedProduct.objects.update_or_create(
        application=application,
        defaults={
            "name_ja": name,
            "name_en": "Synthetic Tsukuba udon",
            "certified_on": today - datetime.timedelta(days=30),
            "valid_until": today + datetime.timedelta(days=365),
            "published": True,
        },
    )[0]


def api_world(strategy) -> dict:
    """One of each thing the API shows."""
    from sangyo.events.tests.factories import event
    from sangyo.registry.services import contact_create
    from sangyo.registry.tests.factories import business, support_record
    from sangyo.strategy.models import Program

    product = certified_product(strategy)
    program = Program.objects.get(code="11-1", measure__strategy=strategy)
    from sangyo.applications.tests import factories as f

    open_call = f.open_call(program, title_ja="合成データ令和7年度募集")
    company = business(name="合成データAPI商事株式会社", representative_name="合成 太郎")
    sole = business(
        name="合成データ個人商店",
        corporate_type="sole",
        location="茨城県つくば市天王台一丁目1番地1",
        postal_code="3050006",
    )
    contact_create(business=company, actor="test", name="合成 花子", email="hanako@example.test")
    record = support_record(business_obj=company, program=program, summary="合成データの相談")
    upcoming = event(strategy=strategy, capacity=5)
    now = timezone.now()
    past = event(
        strategy=strategy,
        starts_at=now - datetime.timedelta(days=10),
        ends_at=now - datetime.timedelta(days=10, hours=-2),
    )
    from sangyo.matching.tests import factories as m

    return {
        "posting": m.posting(business_obj=company),
        "property": m.property_obj(),
        "job": m.job(business_obj=company),
        "product": product,
        "call": open_call,
        "business": company,
        "sole": sole,
        "record": record,
        "event": upcoming,
        "past_event": past,
        "program": program,
    }
