"""Access rules for the public program pages, the programs API, and the staff pages of
founder support (特定創業支援等事業) with the certificate PDF."""

from tests.access_rules import PUBLIC, own, owner_side, staff_only

RULES = {
    "programs:list": ("get", "/programs/", PUBLIC),
    "programs:detail": ("get", lambda o: f"/programs/{o['programs_program'].pk}/", PUBLIC),
    "programs:catalogue": ("get", "/programs/catalogue/", PUBLIC),
    "api:list_programs": ("get", "/api/v1/programs", PUBLIC),
    "api:get_program": ("get", lambda o: f"/api/v1/programs/{o['programs_program'].pk}", PUBLIC),
    # Viewers read the list (no personal data); only those who issue certificates open a
    # founder's page.
    "founders:list": ("get", "/staff/founders/", staff_only("viewer", "officer", "admin")),
    "founders:progress": (
        "get",
        lambda o: f"/staff/founders/{o['founders_business'].pk}/",
        staff_only("officer", "admin"),
    ),
    # The certificate: staff who issue it, and the holder business's own member or proxy
    # (founders.can_download_certificate).
    "founders:certificate_pdf": (
        "get",
        lambda o: f"/staff/founders/certificates/{o['founders_certificate'].pk}.pdf",
        owner_side("officer", "admin"),
    ),
}


def objects(users, tsukuba):
    import datetime

    from sangyo.applications import founders
    from sangyo.applications.tests import factories as app_factories
    from sangyo.registry.tests.factories import business
    from sangyo.strategy.models import Program

    # A program few other rules touch, so its detail is ours to shape.
    program = Program.objects.get(code="17-2", measure__strategy=tsukuba)
    app_factories.program_detail(program, title_ja="合成データ制度（アクセス確認用）")
    app_factories.open_call(program)

    # A founder is a business of its own kind (not yet established), owned like the others.
    founder = own(
        business(
            name="合成データ創業予定者（アクセス確認用）",
            corporate_type="pre_founding",
            date_of_establishment=None,
            capital_stock=None,
        ),
        users,
    )
    today = datetime.date.today()
    for days, areas in ((60, ["management", "finance"]), (50, ["hr"]), (40, ["sales"]), (20, [])):
        founders.founder_session_record(
            business=founder,
            date=today - datetime.timedelta(days=days),
            areas=areas or ["management"],
            actor="test",
            is_synthetic=True,
        )
    certificate = founders.founder_certificate_issue(business=founder, actor=users["officer"])
    return {
        "programs_program": program,
        "founders_business": founder,
        "founders_certificate": certificate,
    }
