"""Access rules for navigator: the questionnaire, results and search are public; staff
viewers read the counts, the mapping, the synonyms and the outside programs; officers and
administrators edit the mapping and synonyms, import programs and rebuild the index."""

from tests.access_rules import PUBLIC, staff_only

VIEWERS = staff_only("viewer", "officer", "admin")
EDITORS = staff_only("officer", "admin")
STAFF = "/staff/navigator"

RULES = {
    "navigator:index": ("get", "/navigator/", PUBLIC),
    "navigator:results": (
        "get",
        "/navigator/results/?stage=young&in_city=yes&challenge=sales",
        PUBLIC,
    ),
    "navigator:search": ("get", "/navigator/search/?q=%E8%A3%9C%E5%8A%A9%E9%87%91", PUBLIC),
    "api:search_api": ("get", "/api/v1/search?q=%E8%A3%9C%E5%8A%A9%E9%87%91", PUBLIC),
    "navigator_staff:index": ("get", f"{STAFF}/", VIEWERS),
    "navigator_staff:needs": ("get", f"{STAFF}/needs/", VIEWERS),
    "navigator_staff:need_edit": (
        "get",
        lambda o: f"{STAFF}/needs/{o['navigator_need'].pk}/",
        EDITORS,
    ),
    "navigator_staff:synonyms": ("get", f"{STAFF}/synonyms/", VIEWERS),
    "navigator_staff:synonym_create": ("get", f"{STAFF}/synonyms/new/", EDITORS),
    "navigator_staff:synonym_edit": (
        "get",
        lambda o: f"{STAFF}/synonyms/{o['navigator_synonym'].pk}/",
        EDITORS,
    ),
    "navigator_staff:outside": ("get", f"{STAFF}/outside/", VIEWERS),
    "navigator_staff:import": ("get", f"{STAFF}/outside/import/", EDITORS),
    "navigator_staff:reindex": ("get", f"{STAFF}/reindex/", EDITORS),
}


def objects(users, tsukuba):
    from sangyo.navigator import services
    from sangyo.navigator.models import Need, Synonym

    services.needs_load_file(actor="test")
    return {
        "navigator_need": Need.objects.order_by("pk").first(),
        "navigator_synonym": Synonym.objects.order_by("pk").first(),
    }
