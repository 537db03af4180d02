"""Access rules for consultations: public booking pages and the staff pages."""

from tests.access_rules import PUBLIC, owner_business, owner_side, signed_in, staff_only

LOGGED_IN = signed_in()
STAFF_VIEW = staff_only("viewer", "officer", "admin")
STAFF_MANAGE = staff_only("officer", "admin")

RULES = {
    "consult:index": ("get", "/consult/", PUBLIC),
    # Any signed-in user sees the form; only businesses they act for can be chosen.
    "consult:book": ("get", lambda o: f"/consult/slots/{o['consult_slot'].pk}/book/", LOGGED_IN),
    "consult:my_bookings": ("get", "/consult/bookings/", LOGGED_IN),
    # The business's member or proxy and the desk's staff may cancel (then go back to a
    # list, 302); others cannot see the booking.
    "consult:cancel": (
        "post",
        lambda o: f"/consult/bookings/{o['consult_booking'].pk}/cancel/",
        owner_side("officer", "admin", status=302),
    ),
    "consultations_staff:index": ("get", "/staff/consultations/", STAFF_VIEW),
    "consultations_staff:desk": (
        "get",
        lambda o: f"/staff/consultations/desks/{o['consult_desk'].pk}/",
        STAFF_VIEW,
    ),
    "consultations_staff:book": (
        "get",
        lambda o: f"/staff/consultations/slots/{o['consult_slot'].pk}/book/",
        STAFF_MANAGE,
    ),
    "consultations_staff:cases": ("get", "/staff/consultations/cases/", STAFF_VIEW),
    "consultations_staff:case": (
        "get",
        lambda o: f"/staff/consultations/cases/{o['consult_case'].pk}/",
        STAFF_VIEW,
    ),
    # An empty close form re-renders the case with its errors.
    "consultations_staff:case_action": (
        "post",
        lambda o: f"/staff/consultations/cases/{o['consult_case'].pk}/close/",
        STAFF_MANAGE,
    ),
}


def objects(users, tsukuba):
    from sangyo.consultations import services
    from sangyo.consultations.tests import factories as f

    desk = f.desk(tsukuba)
    company = owner_business(users)
    booking = services.booking_create(
        slot=f.slot(desk, days=2), business=company, actor=users["business"], name="合成データ"
    )
    case = services.case_create(
        business=company, program=desk.program, title="合成データ案件", actor="test"
    )
    return {
        "consult_desk": desk,
        "consult_slot": f.slot(desk, days=3),
        "consult_booking": booking,
        "consult_case": case,
    }
