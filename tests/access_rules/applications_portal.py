"""Access rules for the applicant portal (/apply/).

Only business users get in; staff are not applicants and get 404 (they use the staff
screens). The one exception is the document download, the single door through which files
leave the system: staff screens link to it, so administrators and officers may use it
(reviewers only for calls they are assigned to — not here). The applications belong to the
owner business: its representative and its delegated proxy act on them (applications
.policies: members and unexpired proxies); another business gets 404 on them but uses the
lists and starts applications of its own.

POSTs here carry no data, as the matrix sends them: an empty save, withdrawal, report or
upload is refused on the page (200, with the error), a start, submission, resubmission or
deletion redirects back to the application (302).
"""

from tests.access_rules import business_side, other_business, owner_business, owner_side


def _app(key: str, suffix: str = ""):
    return lambda o: f"/apply/applications/{o[key].pk}/{suffix}"


RULES = {
    "portal:calls": ("get", "/apply/", business_side()),
    "portal:call": ("get", lambda o: f"/apply/calls/{o['portal_call'].pk}/", business_side()),
    "portal:start": (
        "post",
        lambda o: f"/apply/calls/{o['portal_call'].pk}/start/",
        business_side(status=302),
    ),
    "portal:my_applications": ("get", "/apply/applications/", business_side()),
    "portal:application": ("get", _app("portal_draft"), owner_side()),
    "portal:save": ("post", _app("portal_draft", "save/"), owner_side()),
    "portal:submit": ("post", _app("portal_draft", "submit/"), owner_side(status=302)),
    "portal:resubmit": ("post", _app("portal_returned", "resubmit/"), owner_side(status=302)),
    "portal:withdraw": ("post", _app("portal_draft", "withdraw/"), owner_side()),
    "portal:report": ("post", _app("portal_granted", "report/"), owner_side()),
    "portal:decision": ("get", _app("portal_granted", "decision/"), owner_side()),
    "portal:document_upload": ("post", _app("portal_draft", "documents/"), owner_side()),
    "portal:document_download": (
        "get",
        lambda o: (
            f"/apply/applications/{o['portal_draft'].pk}/documents/{o['portal_document'].pk}/"
        ),
        owner_side("officer", "admin"),
    ),
    "portal:document_delete": (
        "post",
        lambda o: (
            f"/apply/applications/{o['portal_draft'].pk}/documents/"
            f"{o['portal_document'].pk}/delete/"
        ),
        owner_side(status=302),
    ),
}


def objects(users, tsukuba):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from sangyo.applications import uploads
    from sangyo.applications.tests import factories as app_factories
    from sangyo.strategy.models import Program

    # A program no other rule shapes, so its detail is ours.
    program = Program.objects.get(code="14-2", measure__strategy=tsukuba)
    app_factories.program_detail(
        program,
        title_ja="合成データ制度（申請者ポータルのアクセス確認用）",
        eligibility=[{"rule": "in_city"}],
    )
    call = app_factories.open_call(program, title_ja="合成データ募集（ポータル確認用）")
    company = owner_business(users)
    user = users["business"]
    draft = app_factories.application(call, company, user, status="draft")
    document = uploads.document_add(
        application=draft,
        actor=user,
        upload=SimpleUploadedFile("合成データ.pdf", b"%PDF-1.4\n%%EOF\n"),
        kind="other",
    )
    # The other business has an application of its own: its list shows that one only.
    app_factories.application(call, other_business(users), users["other_business"])
    return {
        "portal_call": call,
        "portal_draft": draft,
        "portal_document": document,
        "portal_returned": app_factories.application(call, company, user, status="returned"),
        "portal_granted": app_factories.application(call, company, user, status="grant_decided"),
    }
