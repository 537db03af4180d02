"""Access rules for personal-data requests (APPI).

/privacy/ is for every signed-in person, each seeing only their own requests: the download
of a copy answers the requester and nobody else (staff use their own download on the staff
page). /staff/privacy/ is for officers and administrators only: the requests are personal
data themselves, so reviewers and viewers are refused like everyone else.

POSTs carry no data, as the matrix sends them: an empty deletion request is refused on the
page (200 with the error); an export request is filed and redirects (302); an apply without
the confirmation redirects back to the request (302).
"""

from tests.access_rules import ROLES, post_redirects, signed_in, staff_only

HANDLERS = staff_only("officer", "admin")
REQUESTER_ONLY = {r: 404 for r in ROLES} | {"anon": 302, "business": 200}

RULES = {
    "privacy:index": ("get", "/privacy/", signed_in(200)),
    "privacy:export": ("post", "/privacy/export/", signed_in(302)),
    "privacy:deletion": ("post", "/privacy/deletion/", signed_in(200)),
    "privacy:download": (
        "get",
        lambda o: f"/privacy/requests/{o['privacy_export'].pk}/download/",
        REQUESTER_ONLY,
    ),
    "privacy_staff:list": ("get", "/staff/privacy/", HANDLERS),
    "privacy_staff:new": ("get", "/staff/privacy/new/", HANDLERS),
    "privacy_staff:detail": (
        "get",
        lambda o: f"/staff/privacy/{o['privacy_deletion'].pk}/",
        HANDLERS,
    ),
    "privacy_staff:apply": (
        "post",
        lambda o: f"/staff/privacy/{o['privacy_deletion'].pk}/apply/",
        post_redirects("officer", "admin"),
    ),
    "privacy_staff:download": (
        "get",
        lambda o: f"/staff/privacy/{o['privacy_export'].pk}/download/",
        HANDLERS,
    ),
}


def objects(users, tsukuba):
    from sangyo.privacy.services import request_file_own

    person = users["business"]
    return {
        "privacy_export": request_file_own(user=person, kind="export"),
        "privacy_deletion": request_file_own(user=person, kind="deletion", reason="合成データ"),
    }
