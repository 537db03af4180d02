"""Access rules for events: the public pages (list, detail, calendar file, open data, and
the token pages of a registrant) and the staff pages (viewers see events and counts;
administrators and officers create, edit and check in)."""

from tests.access_rules import PUBLIC, everyone, post_redirects, staff_only

VIEWERS = staff_only("viewer", "officer", "admin")
EDITORS = staff_only("officer", "admin")
STAFF = "/staff/events"

RULES = {
    "events:list": ("get", "/events/", PUBLIC),
    "events:opendata": ("get", "/events/opendata.csv", PUBLIC),
    "events:detail": ("get", lambda o: f"/events/{o['events_event'].pk}/", PUBLIC),
    "events:ics": ("get", lambda o: f"/events/{o['events_event'].pk}/ics", PUBLIC),
    # The confirmation page is only for the browser that registered (the session), so a
    # bare visit by anyone else is a 404.
    "events:done": (
        "get",
        lambda o: f"/events/registered/{o['events_registration'].token}/",
        everyone(404),
    ),
    "events:cancel": (
        "get",
        lambda o: f"/events/cancel/{o['events_registration'].token}/",
        PUBLIC,
    ),
    "events:survey": (
        "get",
        lambda o: f"/events/survey/{o['events_registration'].token}/",
        PUBLIC,
    ),
    "events_staff:list": ("get", f"{STAFF}/", VIEWERS),
    "events_staff:create": ("get", f"{STAFF}/new/", EDITORS),
    "events_staff:detail": ("get", lambda o: f"{STAFF}/{o['events_event'].pk}/", VIEWERS),
    "events_staff:edit": ("get", lambda o: f"{STAFF}/{o['events_event'].pk}/edit/", EDITORS),
    "events_staff:checkin": (
        "get",
        lambda o: f"{STAFF}/{o['events_event'].pk}/checkin/",
        EDITORS,
    ),
    # Deciding needs a decision; without one, managers are sent back with a message.
    "events_staff:decide": (
        "post",
        lambda o: (
            f"{STAFF}/{o['events_event'].pk}/registrations/{o['events_registration'].pk}/decide/"
        ),
        post_redirects("officer", "admin"),
    ),
}


def objects(users, tsukuba):
    from sangyo.events import services
    from sangyo.events.tests.factories import event

    e = event(strategy=tsukuba, title_ja="合成データ アクセス確認イベント")
    registration = services.registration_create(event=e, name="合成 アクセス確認", actor="test")
    return {"events_event": e, "events_registration": registration}
