"""Mail tells people to look at the platform; it never carries the other side's personal
data or message text."""

import pytest
from django.core import mail

from sangyo.matching import services
from sangyo.matching.tests import factories as f
from sangyo.registry.services import membership_add
from sangyo.registry.tests.factories import business

pytestmark = pytest.mark.django_db(transaction=True)


def test_business_members_and_seekers_are_told(make_user):
    owner, other = business(), business()
    owner_user = make_user("business", email="owner@example.test")
    other_user = make_user("business", email="other@example.test")
    membership_add(user=owner_user, business=owner, role="representative", actor="t")
    membership_add(user=other_user, business=other, role="member", actor="t")

    p = f.posting(business_obj=owner)
    assert [m.to for m in mail.outbox] == [["owner@example.test"]]  # published
    mail.outbox.clear()

    interest = services.interest_create(
        posting=p, business=other, actor=other_user, message="秘密の提案本文です"
    )
    (told,) = mail.outbox
    assert told.to == ["owner@example.test"]
    assert "秘密の提案本文です" not in told.body and "other@example.test" not in told.body
    assert f"/matching/interests/{interest.pk}/" in told.body
    mail.outbox.clear()

    services.message_send(interest=interest, actor=owner_user, body="返信本文", business=owner)
    assert [m.to for m in mail.outbox] == [["other@example.test"]]
    mail.outbox.clear()

    job = f.job(business_obj=owner)
    mail.outbox.clear()
    application = services.job_apply(
        job=job,
        name="応募 太郎",
        email="seeker@example.test",
        message="m",
        consent=True,
        language="en",
    )
    to_seeker = next(m for m in mail.outbox if m.to == ["seeker@example.test"])
    to_owner = next(m for m in mail.outbox if m.to == ["owner@example.test"])
    assert f"/matching/applied/{application.token}/" in to_seeker.body
    assert "応募 太郎" not in to_owner.body and "seeker@example.test" not in to_owner.body
    assert application.token not in to_owner.body
