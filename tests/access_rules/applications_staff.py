"""Access rules for the staff and reviewer screens of applications
(/staff/applications/).

Administrators and officers run calls and decide; viewers read (their POSTs answer 404);
reviewers see only the review pages of calls they are assigned to, and 404 on every
officer page. The reviewer of these rules is assigned to the call; what an unassigned
reviewer gets is tested in sangyo/applications/tests/test_reviews.py.
"""

from tests.access_rules import owner_business, post_redirects, staff_only

READERS = staff_only("viewer", "officer", "admin")
MANAGERS = staff_only("officer", "admin")
# A POST by a manager redirects back to the page (302) whether the service agreed or said
# why not; refused roles get 404, anonymous users the login page.
POST_MANAGERS = post_redirects("officer", "admin")
REVIEWER_ONLY = staff_only("reviewer")

RULES = {
    "applications_staff:index": ("get", "/staff/applications/", READERS),
    "applications_staff:budget": ("get", "/staff/applications/budget/", READERS),
    "applications_staff:call_new": ("get", "/staff/applications/calls/new/", MANAGERS),
    "applications_staff:call": (
        "get",
        lambda o: f"/staff/applications/calls/{o['apps_staff_call'].pk}/",
        READERS,
    ),
    "applications_staff:call_edit": (
        "get",
        lambda o: f"/staff/applications/calls/{o['apps_staff_call'].pk}/edit/",
        MANAGERS,
    ),
    "applications_staff:call_open": (
        "post",
        lambda o: f"/staff/applications/calls/{o['apps_staff_call'].pk}/open/",
        POST_MANAGERS,
    ),
    "applications_staff:call_close": (
        "post",
        lambda o: f"/staff/applications/calls/{o['apps_staff_call'].pk}/close/",
        POST_MANAGERS,
    ),
    "applications_staff:ranking": (
        "get",
        lambda o: f"/staff/applications/calls/{o['apps_staff_call'].pk}/ranking/",
        MANAGERS,
    ),
    "applications_staff:assign_reviewer": (
        "post",
        lambda o: f"/staff/applications/calls/{o['apps_staff_call'].pk}/reviewers/",
        POST_MANAGERS,
    ),
    # The reviewer has recorded a review at this stage, so removal is refused (and stays
    # refused for the next role): a 302 back to the call page with the reason.
    "applications_staff:unassign_reviewer": (
        "post",
        lambda o: (
            f"/staff/applications/calls/{o['apps_staff_call'].pk}/reviewers/"
            f"{o['apps_staff_assignment'].pk}/remove/"
        ),
        POST_MANAGERS,
    ),
    # Staff read every application; the assigned reviewer reads one under review.
    "applications_staff:application": (
        "get",
        lambda o: f"/staff/applications/applications/{o['apps_staff_application'].pk}/",
        staff_only("viewer", "reviewer", "officer", "admin"),
    ),
    # An empty POST names no step: the page answers with the reason (302).
    "applications_staff:transition": (
        "post",
        lambda o: f"/staff/applications/applications/{o['apps_staff_application'].pk}/transition/",
        POST_MANAGERS,
    ),
    "applications_staff:my_reviews": ("get", "/staff/applications/reviews/", REVIEWER_ONLY),
    "applications_staff:review": (
        "get",
        lambda o: f"/staff/applications/reviews/{o['apps_staff_application'].pk}/money/",
        REVIEWER_ONLY,
    ),
}


def objects(users, tsukuba):
    from sangyo.applications import reviews
    from sangyo.applications.tests import factories as app_factories
    from sangyo.strategy.models import Program

    program = Program.objects.get(code="09-2", measure__strategy=tsukuba)
    app_factories.program_detail(
        program,
        title_ja="合成データ補助金（職員画面のアクセス確認用）",
        rubric=[
            {"code": "plan", "ja": "事業計画", "en": "Plan", "max": 5},
            {"code": "effect", "ja": "効果", "en": "Effect", "max": 5},
        ],
    )
    call = app_factories.open_call(program, title_ja="合成データ募集（職員画面のアクセス確認用）")
    application = app_factories.application(
        call, owner_business(users), users["business"], status="under_review"
    )
    assignment = reviews.reviewer_assign(
        call=call, reviewer=users["reviewer"], stage="content", actor="test"
    )
    reviews.reviewer_assign(call=call, reviewer=users["reviewer"], stage="money", actor="test")
    reviews.review_save(
        application=application,
        reviewer=users["reviewer"],
        stage="content",
        conflict_declared=False,
        scores={"plan": 4},
        submit=False,
    )
    return {
        "apps_staff_call": call,
        "apps_staff_application": application,
        "apps_staff_assignment": assignment,
    }
