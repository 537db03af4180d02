"""Only the representative names or revokes proxies — checked in the service, not only in
the view: a proxy (or an ordinary member) cannot cancel a business's delegations."""

import datetime

import pytest

from sangyo.core.models import AuditEvent
from sangyo.registry import policies, services
from sangyo.registry.models import Delegation
from sangyo.registry.tests.factories import business

pytestmark = pytest.mark.django_db


@pytest.fixture
def delegated(make_user):
    b = business()
    rep = make_user("business", email="rep@example.test")
    member = make_user("business", email="member@example.test")
    proxy = make_user("business", email="proxy@example.test")
    services.membership_add(user=rep, business=b, role="representative", actor="test")
    services.membership_add(user=member, business=b, role="member", actor="test")
    delegation = services.delegation_grant(
        business=b,
        proxy=proxy,
        valid_until=datetime.date.today() + datetime.timedelta(days=30),
        scope="合成データ",
        actor=rep,
    )
    return {"business": b, "rep": rep, "member": member, "proxy": proxy, "d": delegation}


@pytest.mark.parametrize("who", ["proxy", "member"])
def test_a_proxy_or_member_cannot_revoke(delegated, who):
    assert not policies.can_manage_delegations(delegated[who], delegated["business"])
    with pytest.raises(services.RegistryError, match="代表者だけ"):
        services.delegation_revoke(delegation=delegated["d"], actor=delegated[who])
    assert Delegation.objects.get(pk=delegated["d"].pk).revoked_at is None
    assert policies.can_act_for(delegated["proxy"], delegated["business"])
    assert not AuditEvent.objects.filter(code="registry.delegation.revoked").exists()


def test_another_business_representative_cannot_revoke(delegated, make_user):
    other_rep = make_user("business", email="other@example.test")
    services.membership_add(user=other_rep, business=business(), role="representative", actor="t")
    with pytest.raises(services.RegistryError):
        services.delegation_revoke(delegation=delegated["d"], actor=other_rep)


@pytest.mark.parametrize("who", ["rep", "officer", "cli"])
def test_the_representative_staff_or_a_command_revokes(delegated, make_user, who):
    actor = {"rep": delegated["rep"], "officer": make_user("officer"), "cli": "cli"}[who]
    services.delegation_revoke(delegation=delegated["d"], actor=actor)
    assert Delegation.objects.get(pk=delegated["d"].pk).revoked_at is not None
    assert not policies.can_act_for(delegated["proxy"], delegated["business"])


def test_viewers_cannot_revoke(delegated, make_user):
    with pytest.raises(services.RegistryError):
        services.delegation_revoke(delegation=delegated["d"], actor=make_user("viewer"))
