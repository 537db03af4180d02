"""Access rules for evaluation: the public reads years, published sheets, reports and open
data; staff (viewers, officers, administrators) read every sheet; officers and
administrators draft, record opinions and corrections; administrators (the section head)
manage the committee and the year settings."""

from tests.access_rules import PUBLIC, post_redirects, staff_only

VIEWERS = staff_only("viewer", "officer", "admin")
EDITORS = staff_only("officer", "admin")
ADMINS = staff_only("admin")
STAFF = "/staff/evaluation"


RULES = {
    "evaluation:index": ("get", "/evaluation/", PUBLIC),
    "api:evaluation_year": ("get", "/api/v1/evaluation/2025", PUBLIC),
    "evaluation:schema": ("get", "/evaluation/opendata.schema.json", PUBLIC),
    "evaluation:year": ("get", "/evaluation/2025/", PUBLIC),
    "evaluation:opendata_csv": ("get", "/evaluation/2025/opendata.csv", PUBLIC),
    "evaluation:opendata_json": ("get", "/evaluation/2025/opendata.json", PUBLIC),
    "evaluation:sheet": (
        "get",
        lambda o: f"/evaluation/sheets/{o['evaluation_published'].pk}/",
        PUBLIC,
    ),
    "evaluation:report_file": (
        "get",
        lambda o: f"/evaluation/reports/{o['evaluation_report'].pk}/report.pdf",
        PUBLIC,
    ),
    "evaluation_staff:list": ("get", f"{STAFF}/", VIEWERS),
    "evaluation_staff:prepare": ("post", f"{STAFF}/prepare/", post_redirects("officer", "admin")),
    "evaluation_staff:sheet": (
        "get",
        lambda o: f"{STAFF}/sheets/{o['evaluation_draft'].pk}/",
        VIEWERS,
    ),
    "evaluation_staff:edit": (
        "get",
        lambda o: f"{STAFF}/sheets/{o['evaluation_draft'].pk}/edit/",
        EDITORS,
    ),
    "evaluation_staff:transition": (
        "post",
        lambda o: f"{STAFF}/sheets/{o['evaluation_draft'].pk}/transition/",
        post_redirects("viewer", "officer", "admin"),
    ),
    "evaluation_staff:opinion": (
        "get",
        lambda o: f"{STAFF}/sheets/{o['evaluation_draft'].pk}/opinion/",
        EDITORS,
    ),
    "evaluation_staff:correct": (
        "get",
        lambda o: f"{STAFF}/sheets/{o['evaluation_published'].pk}/correct/",
        EDITORS,
    ),
    "evaluation_staff:followup": (
        "get",
        lambda o: f"{STAFF}/sheets/{o['evaluation_draft'].pk}/follow-up/",
        EDITORS,
    ),
    "evaluation_staff:members": ("get", f"{STAFF}/committee/", ADMINS),
    "evaluation_staff:member_edit": (
        "get",
        lambda o: f"{STAFF}/committee/{o['evaluation_member'].pk}/",
        ADMINS,
    ),
    "evaluation_staff:settings": ("get", f"{STAFF}/settings/2025/", ADMINS),
    "evaluation_staff:reports": ("get", f"{STAFF}/reports/", VIEWERS),
}


def objects(users, tsukuba):
    from django.core.files.base import ContentFile

    from sangyo.evaluation import services
    from sangyo.evaluation.models import Report, Sheet
    from sangyo.strategy.models import Measure

    admin = users["admin"]
    measures = list(Measure.objects.filter(strategy=tsukuba).order_by("number")[:2])
    published = Sheet.objects.create(
        strategy=tsukuba,
        measure=measures[0],
        fiscal_year=2025,
        relevance="A",
        effectiveness="B",
        efficiency="B",
        direction="continue",
        is_synthetic=True,
    )
    for target in ("submitted", "reviewed", "published"):
        services.sheet_transition(sheet=published, target=target, actor=admin)
    draft = Sheet.objects.create(
        strategy=tsukuba, measure=measures[1], fiscal_year=2025, is_synthetic=True
    )
    member = services.member_save(
        member=None,
        data={"name": "合成 委員", "affiliation": "（合成データ）大学", "sector": "academia"},
        actor=admin,
    )
    report = Report(strategy=tsukuba, fiscal_year=2025, pages=1)
    report.pdf.save("access.pdf", ContentFile(b"%PDF-1.7 synthetic"), save=False)
    report.xlsx.save("access.xlsx", ContentFile(b"PK synthetic"), save=False)
    report.save()
    return {
        "evaluation_published": published,
        "evaluation_draft": draft,
        "evaluation_member": member,
        "evaluation_report": report,
    }
