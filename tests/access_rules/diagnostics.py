"""Access rules for diagnostics (ロカベン, 事業承継診断): administrators and officers write;
viewers read (list, result, PDF); everyone else is refused."""

from tests.access_rules import owner_business, staff_only

READ = staff_only("viewer", "officer", "admin")
WRITE = staff_only("officer", "admin")

RULES = {
    "diagnostics:list": ("get", "/staff/diagnostics/", READ),
    "diagnostics:new": (
        "get",
        lambda o: f"/staff/diagnostics/new/?business={o['diagnosis'].business_id}",
        WRITE,
    ),
    "diagnostics:succession_new": (
        "get",
        lambda o: f"/staff/diagnostics/succession/new/?business={o['diagnosis'].business_id}",
        WRITE,
    ),
    "diagnostics:detail": ("get", lambda o: f"/staff/diagnostics/{o['diagnosis'].pk}/", READ),
    "diagnostics:pdf": ("get", lambda o: f"/staff/diagnostics/{o['diagnosis'].pk}.pdf", READ),
}


def objects(users, tsukuba):
    import datetime

    from sangyo.diagnostics.services import diagnosis_create

    diagnosis = diagnosis_create(
        business=owner_business(users),
        kind="succession",
        actor=users["officer"],
        answers={"owner_age": 65, "has_candidates": True},
        date=datetime.date(2025, 6, 1),
    )
    return {"diagnosis": diagnosis}
