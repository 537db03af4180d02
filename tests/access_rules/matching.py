"""Access rules for matching.

Public: the needs/seeds board, published postings, properties, jobs, the abuse report form
and a seeker's token page. Business pages (post, my postings, conversations, applications to
my jobs) are for business users acting for the business concerned (a member or a delegated
proxy, matching.policies): the owner business's representative and proxy act on its
posting, job and conversation; another business posts and lists its own but gets 404 on
the owner's records; staff roles get 404 there (officers and administrators may open a
conversation to follow it). Staff pages: viewers see
lists without people; officers and administrators act, and see applicants and enquirers.

POSTs carry no data, as the matrix sends them: every POST-only view answers with a redirect
back (the refusal is shown as a message), so allowed roles get 302 as anonymous users do.
"""

from tests.access_rules import (
    PUBLIC,
    business_side,
    own,
    owner_side,
    post_redirects,
    staff_only,
)

VIEWERS = staff_only("viewer", "officer", "admin")
EDITORS = staff_only("officer", "admin")
EDITORS_POST = post_redirects("officer", "admin")
ANY_BUSINESS = business_side()  # any business account, for the businesses it acts for
OWNER = owner_side()  # the owner business's representative and proxy
OWNER_POST = owner_side(status=302)
STAFF = "/staff/matching"


RULES = {
    "matching:board": ("get", "/matching/", PUBLIC),
    "matching:posting_create": ("get", "/matching/postings/new/", ANY_BUSINESS),
    "matching:posting": ("get", lambda o: f"/matching/postings/{o['m_posting'].pk}/", PUBLIC),
    "matching:posting_manage": (
        "get",
        lambda o: f"/matching/postings/{o['m_posting'].pk}/manage/",
        OWNER,
    ),
    "matching:mine": ("get", "/matching/mine/", ANY_BUSINESS),
    "matching:interest": (
        "get",
        lambda o: f"/matching/interests/{o['m_interest'].pk}/",
        owner_side("officer", "admin"),
    ),
    "matching:deal": (
        "post",
        lambda o: f"/matching/interests/{o['m_interest'].pk}/deal/",
        owner_side("officer", "admin", status=302),
    ),
    "matching:report": (
        "get",
        lambda o: f"/matching/report/posting/{o['m_posting'].pk}/",
        PUBLIC,
    ),
    "matching:properties": ("get", "/matching/properties/", PUBLIC),
    "matching:property": (
        "get",
        lambda o: f"/matching/properties/{o['m_property'].pk}/",
        PUBLIC,
    ),
    "matching:jobs": ("get", "/matching/jobs/", PUBLIC),
    "matching:job_create": ("get", "/matching/jobs/new/", ANY_BUSINESS),
    "matching:job": ("get", lambda o: f"/matching/jobs/{o['m_job'].pk}/", PUBLIC),
    "matching:job_applications": (
        "get",
        lambda o: f"/matching/jobs/{o['m_job'].pk}/applications/",
        OWNER,
    ),
    "matching:application_update": (
        "post",
        lambda o: f"/matching/applications/{o['m_application'].pk}/status/",
        OWNER_POST,
    ),
    # The token is the seeker's secret link; the page shows no personal data.
    "matching:application_status": (
        "get",
        lambda o: f"/matching/applied/{o['m_application'].token}/",
        PUBLIC,
    ),
    "api:matching_postings": ("get", "/api/v1/matching/postings", PUBLIC),
    "api:matching_posting": (
        "get",
        lambda o: f"/api/v1/matching/postings/{o['m_posting'].pk}",
        PUBLIC,
    ),
    "api:matching_properties": ("get", "/api/v1/matching/properties", PUBLIC),
    "api:matching_property": (
        "get",
        lambda o: f"/api/v1/matching/properties/{o['m_property'].pk}",
        PUBLIC,
    ),
    "api:matching_jobs": ("get", "/api/v1/matching/jobs", PUBLIC),
    "api:matching_job": ("get", lambda o: f"/api/v1/matching/jobs/{o['m_job'].pk}", PUBLIC),
    "matching_staff:queue": ("get", f"{STAFF}/", VIEWERS),
    "matching_staff:postings": ("get", f"{STAFF}/postings/", VIEWERS),
    "matching_staff:posting": (
        "get",
        lambda o: f"{STAFF}/postings/{o['m_posting'].pk}/",
        VIEWERS,
    ),
    "matching_staff:posting_moderate": (
        "post",
        lambda o: f"{STAFF}/postings/{o['m_posting'].pk}/moderate/",
        EDITORS_POST,
    ),
    "matching_staff:introduce": (
        "post",
        lambda o: f"{STAFF}/interests/{o['m_interest'].pk}/introduce/",
        EDITORS_POST,
    ),
    "matching_staff:introductions": ("get", f"{STAFF}/introductions/", VIEWERS),
    "matching_staff:jobs": ("get", f"{STAFF}/jobs/", VIEWERS),
    "matching_staff:job": ("get", lambda o: f"{STAFF}/jobs/{o['m_job'].pk}/", VIEWERS),
    "matching_staff:job_moderate": (
        "post",
        lambda o: f"{STAFF}/jobs/{o['m_job'].pk}/moderate/",
        EDITORS_POST,
    ),
    "matching_staff:application_update": (
        "post",
        lambda o: f"{STAFF}/applications/{o['m_application'].pk}/status/",
        EDITORS_POST,
    ),
    "matching_staff:placements": ("get", f"{STAFF}/placements/", EDITORS),
    "matching_staff:properties": ("get", f"{STAFF}/properties/", VIEWERS),
    "matching_staff:property_create": ("get", f"{STAFF}/properties/new/", EDITORS),
    "matching_staff:property": (
        "get",
        lambda o: f"{STAFF}/properties/{o['m_property'].pk}/",
        VIEWERS,
    ),
    "matching_staff:property_edit": (
        "get",
        lambda o: f"{STAFF}/properties/{o['m_property'].pk}/edit/",
        EDITORS,
    ),
    "matching_staff:reports": ("get", f"{STAFF}/reports/", EDITORS),
    "matching_staff:report_resolve": (
        "post",
        lambda o: f"{STAFF}/reports/{o['m_report'].pk}/resolve/",
        EDITORS_POST,
    ),
    "matching_staff:rules": ("get", f"{STAFF}/rules/", VIEWERS),
}


def objects(users, tsukuba):
    from sangyo.matching.tests.factories import world

    w = world(owner_user=users["business"])
    own(w["owner"], users)  # the posting's business, with the matrix's proxy
    return {
        "m_posting": w["posting"],
        "m_interest": w["interest"],
        "m_property": w["property"],
        "m_job": w["job"],
        "m_application": w["application"],
        "m_report": w["report"],
    }
