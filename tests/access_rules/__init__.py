"""Access rules, one module per app: each defines RULES (URL name → (method, path,
{role: expected status})) and optionally objects(users, tsukuba) → dict of records that
paths can refer to (a path may be a function of that dict)."""

ROLES = ("anon", "business", "viewer", "reviewer", "officer", "admin")
PUBLIC = dict.fromkeys(ROLES, 200)


def staff_only(*allowed):
    """Anonymous → login (302); allowed roles → 200; every other role → 404."""
    return {r: (302 if r == "anon" else 200 if r in allowed else 404) for r in ROLES}
