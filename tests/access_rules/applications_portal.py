"""Access rules for the applicant portal (/apply/).

Only business users get in; staff are not applicants and get 404 (they use the staff
screens). The one exception is the document download, the single door through which files
leave the system: staff screens link to it, so administrators and officers may use it
(reviewers only for calls they are assigned to — not here). The `business` role is the
representative of the business whose applications `objects()` creates.

POSTs here carry no data, as the matrix sends them: an empty save, withdrawal, report or
upload is refused on the page (200, with the error), a start, submission, resubmission or
deletion redirects back to the application (302).
"""

from tests.access_rules import ROLES


def applicant(business_status: int, **others) -> dict:
    """Anonymous → login (302); the applicant → `business_status`; everyone else → 404."""
    rule = {r: 404 for r in ROLES} | {"anon": 302, "business": business_status}
    return rule | others


def _app(key: str, suffix: str = ""):
    return lambda o: f"/apply/applications/{o[key].pk}/{suffix}"


RULES = {
    "portal:calls": ("get", "/apply/", applicant(200)),
    "portal:call": ("get", lambda o: f"/apply/calls/{o['portal_call'].pk}/", applicant(200)),
    "portal:start": (
        "post",
        lambda o: f"/apply/calls/{o['portal_call'].pk}/start/",
        applicant(302),
    ),
    "portal:my_applications": ("get", "/apply/applications/", applicant(200)),
    "portal:application": ("get", _app("portal_draft"), applicant(200)),
    "portal:save": ("post", _app("portal_draft", "save/"), applicant(200)),
    "portal:submit": ("post", _app("portal_draft", "submit/"), applicant(302)),
    "portal:resubmit": ("post", _app("portal_returned", "resubmit/"), applicant(302)),
    "portal:withdraw": ("post", _app("portal_draft", "withdraw/"), applicant(200)),
    "portal:report": ("post", _app("portal_granted", "report/"), applicant(200)),
    "portal:decision": ("get", _app("portal_granted", "decision/"), applicant(200)),
    "portal:document_upload": ("post", _app("portal_draft", "documents/"), applicant(200)),
    "portal:document_download": (
        "get",
        lambda o: (
            f"/apply/applications/{o['portal_draft'].pk}/documents/{o['portal_document'].pk}/"
        ),
        applicant(200, officer=200, admin=200),
    ),
    "portal:document_delete": (
        "post",
        lambda o: (
            f"/apply/applications/{o['portal_draft'].pk}/documents/"
            f"{o['portal_document'].pk}/delete/"
        ),
        applicant(302),
    ),
}
for _method, _path, _expected in RULES.values():
    assert set(_expected) == set(ROLES)


def objects(users, tsukuba):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from sangyo.applications import uploads
    from sangyo.applications.tests import factories as app_factories
    from sangyo.registry.services import membership_add
    from sangyo.registry.tests.factories import business
    from sangyo.strategy.models import Program

    # A program no other rule shapes, so its detail is ours.
    program = Program.objects.get(code="14-2", measure__strategy=tsukuba)
    app_factories.program_detail(
        program,
        title_ja="合成データ制度（申請者ポータルのアクセス確認用）",
        eligibility=[{"rule": "in_city"}],
    )
    call = app_factories.open_call(program, title_ja="合成データ募集（ポータル確認用）")
    company = business(name="合成データ申請者株式会社（アクセス確認用）")
    user = users["business"]
    membership_add(user=user, business=company, role="representative", actor="test")
    draft = app_factories.application(call, company, user, status="draft")
    document = uploads.document_add(
        application=draft,
        actor=user,
        upload=SimpleUploadedFile("合成データ.pdf", b"%PDF-1.4\n%%EOF\n"),
        kind="other",
    )
    return {
        "portal_call": call,
        "portal_draft": draft,
        "portal_document": document,
        "portal_returned": app_factories.application(call, company, user, status="returned"),
        "portal_granted": app_factories.application(call, company, user, status="grant_decided"),
    }
