"""Access rules for the staff pages of indicators (/staff/indicators/)."""

from tests.access_rules import post_redirects, staff_only

EDITORS = staff_only("officer", "admin")
# A POST that succeeds redirects (302); refused roles get 404, anonymous users the login page.
POST_EDITORS = post_redirects("officer", "admin")

RULES = {
    "indicators_staff:index": (
        "get",
        "/staff/indicators/",
        staff_only("viewer", "officer", "admin"),
    ),
    "indicators_staff:create": ("get", "/staff/indicators/new/", EDITORS),
    "indicators_staff:observe": (
        "get",
        lambda o: f"/staff/indicators/{o['indicators_staff_entered'].pk}/observe/",
        EDITORS,
    ),
    "indicators_staff:revise": (
        "get",
        lambda o: f"/staff/indicators/{o['indicators_staff_entered'].pk}/revise/",
        EDITORS,
    ),
    "indicators_staff:refresh": (
        "post",
        lambda o: f"/staff/indicators/{o['indicators_staff_computed'].pk}/refresh/",
        POST_EDITORS,
    ),
    "indicators_staff:import": ("get", "/staff/indicators/import/", EDITORS),
    "indicators_staff:import_template": ("get", "/staff/indicators/import/template/", EDITORS),
    # An import's result is visible to whoever started it (here the officer) and to admins.
    "indicators_staff:import_result": (
        "get",
        lambda o: f"/staff/indicators/import/{o['indicators_staff_job'].pk}/",
        EDITORS,
    ),
    "indicators_staff:import_estat": ("get", "/staff/indicators/import/estat/", EDITORS),
}


def objects(users, tsukuba):
    from sangyo.core.models import Job
    from sangyo.indicators.models import Indicator
    from sangyo.indicators.tests.factories import indicator

    entered = (
        Indicator.objects.filter(strategy=tsukuba)
        .exclude(obtained=Indicator.Obtained.COMPUTED)
        .order_by("pk")
        .first()
    )
    computed = indicator(
        strategy=tsukuba,
        measure=tsukuba.measures.order_by("number").first(),
        obtained=Indicator.Obtained.COMPUTED,
        computation="registry.support_records",
        computation_params={},
    )
    job = Job.objects.create(
        kind="indicators.import",
        created_by=users["officer"],
        status=Job.Status.SUCCEEDED,
        params={"strategy": tsukuba.pk, "dry_run": True},
        result={"dry_run": True, "counts": {"added": 0, "revised": 0, "unchanged": 0}},
    )
    return {
        "indicators_staff_entered": entered,
        "indicators_staff_computed": computed,
        "indicators_staff_job": job,
    }
