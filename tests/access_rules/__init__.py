"""Access rules, one module per app: each defines RULES (URL name → (method, path,
{role: expected status})) and optionally objects(users, tsukuba) → dict of records that
paths can refer to (a path may be a function of that dict). An API path with operations of
several methods under one URL name gets one rule per method: key the extra ones
"<url name>|<method>" (e.g. "api:staff_support_records|post").

The roles of the matrix (tests/test_access_matrix.py builds one user for each):

- anon: not signed in.
- business: the representative of the *owner business*, the business that owns the records
  the rules refer to (`owner_business(users)`; a module that needs a business of its own
  kind makes it owned with `own(business, users)`).
- other_business: the representative of a different business, with records of its own.
- proxy: a business account with an active registry Delegation from the owner business
  (no membership): by policy (registry.policies.can_act_for) it acts for the business, but
  only the representative names or revokes proxies.
- viewer, reviewer, officer, admin: the staff roles.

Build expectations with the helpers below rather than hand-written dicts, so that a role
added later is decided in one place. Every rule must name every role (checked on import of
the matrix).
"""

ROLES = ("anon", "business", "other_business", "proxy", "viewer", "reviewer", "officer", "admin")
BUSINESS_ROLES = ("business", "other_business", "proxy")
STAFF_ROLES = ("viewer", "reviewer", "officer", "admin")
PUBLIC = dict.fromkeys(ROLES, 200)

OWNER_NAME = "合成データ所有事業者株式会社（アクセス確認用）"
OTHER_NAME = "合成データ他社株式会社（アクセス確認用）"


def everyone(status: int) -> dict:
    """The same answer for every role (e.g. 405 for a method nobody may use)."""
    return dict.fromkeys(ROLES, status)


def staff_only(*allowed, status: int = 200):
    """Anonymous → login (302); allowed roles → `status`; every other role → 404."""
    return {r: (302 if r == "anon" else status if r in allowed else 404) for r in ROLES}


def signed_in(status: int = 200) -> dict:
    """Anonymous → login (302); every signed-in role → `status`."""
    return {r: (302 if r == "anon" else status) for r in ROLES}


def post_redirects(*allowed) -> dict:
    """POST-only actions answered with a redirect whether the service agreed or said why not:
    anonymous → login (302), allowed roles → back to a page (302), everyone else → 404."""
    return {r: (302 if r == "anon" or r in allowed else 404) for r in ROLES}


def owner_side(*staff, proxy: bool = True, status: int = 200, staff_status: int | None = None):
    """A page of the owner business's own record: its representative (and, unless
    `proxy=False`, its delegated proxy) → `status`; another business → 404 (it cannot tell
    the record from a missing one); anonymous → login (302); the listed staff roles →
    `staff_status` (default `status`); other staff → 404."""
    allowed = {"business"} | ({"proxy"} if proxy else set())
    staff_status = status if staff_status is None else staff_status
    rule = {r: 404 for r in ROLES} | {"anon": 302}
    rule |= dict.fromkeys(allowed, status) | dict.fromkeys(staff, staff_status)
    return rule


def business_side(*staff, status: int = 200, staff_status: int | None = None):
    """A business-account page not about one record (a list of "my" things, a form to start
    something): every business account → `status`, whichever business it acts for;
    anonymous → login (302); listed staff → `staff_status` (default `status`); other staff
    → 404."""
    staff_status = status if staff_status is None else staff_status
    rule = {r: 404 for r in ROLES} | {"anon": 302}
    rule |= dict.fromkeys(BUSINESS_ROLES, status) | dict.fromkeys(staff, staff_status)
    return rule


def with_roles(rule: dict, **overrides) -> dict:
    """`rule` with some roles' answers changed (only roles that exist)."""
    unknown = set(overrides) - set(ROLES)
    if unknown:
        raise KeyError(f"unknown roles: {sorted(unknown)}")
    return rule | overrides


# --- the businesses of the matrix ------------------------------------------------------


def own(business, users):
    """Make `business` owned by the matrix's owner side: `business` its representative,
    `proxy` (when the users include one) its delegated proxy until next year."""
    import datetime

    from django.utils import timezone

    from sangyo.registry.models import Delegation, Membership
    from sangyo.registry.services import delegation_grant, membership_add

    rep = users["business"]
    if not Membership.objects.filter(user=rep, business=business).exists():
        membership_add(user=rep, business=business, role="representative", actor="test")
    proxy = users.get("proxy")
    if proxy is not None and not Delegation.objects.filter(business=business, proxy=proxy).exists():
        delegation_grant(
            business=business,
            proxy=proxy,
            valid_until=timezone.localdate() + datetime.timedelta(days=365),
            scope="合成データ（アクセス確認用）",
            actor=rep,
        )
    return business


def _business_named(name: str):
    from sangyo.registry.models import Business
    from sangyo.registry.tests.factories import business

    found = Business.objects.filter(name=name).order_by("pk").first()
    return found or business(name=name)


def owner_business(users):
    """The one business that owns the records of the rules (created on first use)."""
    return own(_business_named(OWNER_NAME), users)


def other_business(users):
    """The different business that `other_business` represents (created on first use)."""
    from sangyo.registry.models import Membership
    from sangyo.registry.services import membership_add

    company = _business_named(OTHER_NAME)
    user = users.get("other_business")
    if user is not None and not Membership.objects.filter(user=user, business=company).exists():
        membership_add(user=user, business=company, role="representative", actor="test")
    return company
