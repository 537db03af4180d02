"""Access rules for the platform's own pages: strategy, staff menu, accounts, API, admin."""

from tests.access_rules import PUBLIC, everyone, staff_only, with_roles

# name → (method, path, {role: status}); a path may be a function of the `objects` fixture
# for URLs that name a record.
RULES = {
    "home": ("get", "/", PUBLIC),
    "strategy:tree": ("get", "/strategy/", PUBLIC),
    "strategy:vision": ("get", "/strategy/visions/I/", PUBLIC),
    "strategy:measure": ("get", "/strategy/measures/01/", PUBLIC),
    "strategy:ordinance": ("get", "/strategy/ordinance/", PUBLIC),
    "strategy:situation": ("get", "/strategy/situation/", PUBLIC),
    "strategies:list": ("get", "/strategies/", PUBLIC),
    "strategies_by_code:tree": ("get", "/strategies/tsukuba-2025/", PUBLIC),
    "strategies_by_code:vision": ("get", "/strategies/tsukuba-2025/visions/II/", PUBLIC),
    "strategies_by_code:measure": ("get", "/strategies/tsukuba-2025/measures/17/", PUBLIC),
    "strategies_by_code:ordinance": ("get", "/strategies/tsukuba-2025/ordinance/", PUBLIC),
    "strategies_by_code:situation": ("get", "/strategies/tsukuba-2025/situation/", PUBLIC),
    "staff_home": ("get", "/staff/", staff_only("viewer", "reviewer", "officer", "admin")),
    # The audit log: administrators and officers (accounts.policies.can_view_audit_log).
    "audit_log": ("get", "/staff/audit/", staff_only("officer", "admin")),
    "audit_export": ("get", "/staff/audit/export/?code=core.", staff_only("officer", "admin")),
    # A job is visible to whoever started it (here the officer) and to administrators.
    "job_detail": ("get", lambda o: f"/staff/jobs/{o['job'].pk}/", staff_only("officer", "admin")),
    "accounts:login": ("get", "/accounts/login/", PUBLIC),
    # Logging out is a POST; a GET is refused for everyone.
    "accounts:logout": ("get", "/accounts/logout/", everyone(405)),
    "set_language": ("post", "/i18n/setlang/", everyone(302)),
    "healthz": ("get", "/healthz", PUBLIC),
    "readyz": ("get", "/readyz", PUBLIC),
    "api:current_strategy": ("get", "/api/v1/strategy", PUBLIC),
    "api:list_strategies": ("get", "/api/v1/strategies", PUBLIC),
    "api:strategy_by_code": ("get", "/api/v1/strategies/tsukuba-2025", PUBLIC),
    "api:openapi-json": ("get", "/api/v1/openapi.json", PUBLIC),
    "api:openapi-view": ("get", "/api/v1/docs", PUBLIC),
    # The bare prefix has no content of its own.
    "api:api-root": ("get", "/api/v1/", everyone(404)),
    # Django's admin: only the admin role gets in; everyone else is sent to its login.
    "admin:index": ("get", "/admin/", with_roles(everyone(302), admin=200)),
}


def objects(users, tsukuba):
    from sangyo.core.models import Job

    return {"job": Job.objects.create(kind="test.kind", created_by=users["officer"])}
