"""Access rules for the registry's staff screens (/staff/businesses/) and the business side's
own pages (/staff/businesses/my/).

Viewers see businesses but not people; administrators and officers see personal data and
edit; only administrators merge. Business accounts see none of the staff pages (404) but do
see the businesses they act for (`my/`, any business account); only the representative names
proxies (views.can_delegate), so the owner business's proxy gets 404 on its delegation page
like another business does."""

from tests.access_rules import business_side, owner_business, owner_side, staff_only

BASE = "/staff/businesses"
VIEWERS = staff_only("viewer", "officer", "admin")
EDITORS = staff_only("officer", "admin")  # also the roles that see personal data
ADMINS = staff_only("admin")

RULES = {
    "registry:business_list": ("get", f"{BASE}/", VIEWERS),
    "registry:business_export": ("get", f"{BASE}/export/?format=csv_utf8", VIEWERS),
    "registry:business_create": ("get", f"{BASE}/new/", EDITORS),
    "registry:business_detail": (
        "get",
        lambda o: f"{BASE}/{o['registry_business'].pk}/",
        VIEWERS,
    ),
    "registry:business_edit": (
        "get",
        lambda o: f"{BASE}/{o['registry_business'].pk}/edit/",
        EDITORS,
    ),
    "registry:contact_create": (
        "get",
        lambda o: f"{BASE}/{o['registry_business'].pk}/contacts/new/",
        EDITORS,
    ),
    "registry:contact_edit": (
        "get",
        lambda o: f"{BASE}/contacts/{o['registry_contact'].pk}/edit/",
        EDITORS,
    ),
    "registry:contact_anonymize": (
        "get",
        lambda o: f"{BASE}/contacts/{o['registry_contact'].pk}/anonymize/",
        EDITORS,
    ),
    # An empty POST: editors get the detail page back with the form's errors.
    "registry:member_add": (
        "post",
        lambda o: f"{BASE}/{o['registry_business'].pk}/members/add/",
        EDITORS,
    ),
    "registry:duplicates": ("get", f"{BASE}/duplicates/", ADMINS),
    "registry:business_merge": (
        "get",
        lambda o: (
            f"{BASE}/merge/?keep={o['registry_business'].pk}&duplicate={o['registry_duplicate'].pk}"
        ),
        ADMINS,
    ),
    "registry:partners": ("get", f"{BASE}/partners/", VIEWERS),
    "registry:my_businesses": ("get", f"{BASE}/my/", business_side()),
    # The business user of the matrix is the representative of registry_business.
    "registry:my_delegate": (
        "get",
        lambda o: f"{BASE}/my/{o['registry_business'].pk}/delegate/",
        owner_side(proxy=False),
    ),
}


def objects(users, tsukuba):
    from sangyo.registry import services
    from sangyo.registry.tests.factories import business

    kept = owner_business(users)
    duplicate = business(name="合成データアクセス確認株式会社")
    contact = services.contact_create(business=kept, actor="test", name="合成 担当")
    return {
        "registry_business": kept,
        "registry_duplicate": duplicate,
        "registry_contact": contact,
    }
