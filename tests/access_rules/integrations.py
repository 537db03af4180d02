"""Access rules for the API operations added with the staff integrations (helper "api"):
the public events, calls and certified products; the staff API, which takes only bearer
tokens (a signed-in session is not enough: every role gets 401, see
sangyo/integrations/tests for tokens and scopes); and the token pages, for administrators."""

from tests.access_rules import PUBLIC, everyone, post_redirects, staff_only

API = "/api/v1"
NO_BEARER = everyone(401)

RULES = {
    "api:list_events": ("get", f"{API}/events", PUBLIC),
    "api:get_event": ("get", lambda o: f"{API}/events/{o['api_world']['event'].pk}", PUBLIC),
    "api:list_calls": ("get", f"{API}/calls", PUBLIC),
    "api:get_call": ("get", lambda o: f"{API}/calls/{o['api_world']['call'].pk}", PUBLIC),
    "api:list_certified_products": ("get", f"{API}/certified-products", PUBLIC),
    "api:get_certified_product": (
        "get",
        lambda o: f"{API}/certified-products/{o['api_world']['product'].pk}",
        PUBLIC,
    ),
    "api:staff_businesses": ("get", f"{API}/staff/businesses", NO_BEARER),
    "api:staff_business": (
        "get",
        lambda o: f"{API}/staff/businesses/{o['api_world']['business'].pk}",
        NO_BEARER,
    ),
    "api:staff_applications": ("get", f"{API}/staff/applications", NO_BEARER),
    "api:staff_support_records": ("get", f"{API}/staff/support-records", NO_BEARER),
    "api:staff_support_record_create": ("post", f"{API}/staff/support-records", NO_BEARER),
    "api:staff_observation_put": (
        "put",
        lambda o: f"{API}/staff/indicators/{o['api_world']['indicator'].pk}/observations/2025",
        NO_BEARER,
    ),
    "integrations:tokens": ("get", "/staff/integrations/tokens/", staff_only("admin")),
    "integrations:revoke": (
        "post",
        lambda o: f"/staff/integrations/tokens/{o['api_token'].pk}/revoke/",
        post_redirects("admin"),
    ),
}


def objects(users, tsukuba):
    from sangyo.indicators.models import Indicator
    from sangyo.integrations.tests.factories import api_world, token

    world = api_world(tsukuba)
    world["indicator"] = Indicator.objects.get(strategy=tsukuba, code="gross-municipal-product")
    return {"api_world": world, "api_token": token(owner=users["admin"], actor=users["admin"])[0]}
