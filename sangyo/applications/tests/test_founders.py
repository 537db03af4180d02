"""特定創業支援等事業: the certificate rule, recording sessions, issuing and numbering
certificates, what issuing counts, and the staff pages. All data is synthetic (合成データ)."""

from __future__ import annotations

import datetime
import threading

import pytest
from django.db import connection

from sangyo.applications import eligibility, founders
from sangyo.applications.models import FounderCertificate, FounderSession
from sangyo.core.models import AuditEvent
from sangyo.registry.models import PartnerOrganisation, SupportRecord
from sangyo.registry.tests.factories import business as make_business

D = datetime.date
MGMT, FIN, HR, SALES = "management", "finance", "hr", "sales"


def founder(**fields):
    defaults = {
        "name": "合成データ創業予定者",
        "corporate_type": "pre_founding",
        "date_of_establishment": None,
        "capital_stock": None,
    }
    return make_business(**(defaults | fields))


def record(business, date, areas, **extra):
    return founders.founder_session_record(
        business=business, date=date, areas=areas, actor="test", is_synthetic=True, **extra
    )


START = D(2025, 4, 15)


def met_sessions(business, start=START):
    """Four sessions covering the four areas over more than a month from `start`."""
    for offset, areas in ((0, [MGMT]), (10, [FIN]), (20, [HR]), (40, [SALES])):
        record(business, start + datetime.timedelta(days=offset), areas)


# -- the rule --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("first", "eligible_from"),
    [
        (D(2025, 4, 15), D(2025, 5, 15)),  # the documented boundary
        (D(2025, 1, 31), D(2025, 3, 1)),  # no 31 February: the month ends on 28 February
        (D(2024, 1, 31), D(2024, 3, 1)),  # leap year: ends on 29 February
        (D(2024, 1, 29), D(2024, 2, 29)),
        (D(2025, 3, 31), D(2025, 5, 1)),  # no 31 April
        (D(2025, 12, 31), D(2026, 1, 31)),  # across the year
        (D(2025, 2, 28), D(2025, 3, 28)),
    ],
)
def test_one_month_after(first, eligible_from):
    assert founders.one_month_after(first) == eligible_from


@pytest.mark.django_db
def test_three_areas_are_not_enough_and_the_missing_area_is_named(tsukuba):
    b = founder()
    for date, areas in ((D(2025, 4, 1), [MGMT]), (D(2025, 4, 20), [FIN]), (D(2025, 5, 10), [HR])):
        record(b, date, areas)
    record(b, D(2025, 6, 1), [MGMT, FIN])
    progress = founders.founder_progress(b)
    assert progress.session_count == 4 and progress.span_met
    assert progress.missing_areas == [SALES]
    assert not progress.rule_met
    assert len(progress.rule_reasons) == 1
    assert "販路開拓" in progress.rule_reasons[0]


@pytest.mark.django_db
def test_four_areas_in_three_sessions_are_not_enough(tsukuba):
    b = founder()
    record(b, D(2025, 4, 1), [MGMT, FIN])
    record(b, D(2025, 4, 20), [HR])
    record(b, D(2025, 6, 1), [SALES])
    progress = founders.founder_progress(b)
    assert progress.areas_met and progress.span_met
    assert not progress.sessions_met and not progress.rule_met
    assert progress.rule_reasons == ["受講回数が3回です（4回以上必要です）"]


@pytest.mark.django_db
def test_four_sessions_within_twenty_days_are_not_enough(tsukuba):
    b = founder()
    for offset, areas in ((0, [MGMT]), (5, [FIN]), (12, [HR]), (20, [SALES])):
        record(b, D(2025, 4, 1) + datetime.timedelta(days=offset), areas)
    progress = founders.founder_progress(b)
    assert progress.areas_met and progress.sessions_met
    assert not progress.span_met and not progress.rule_met
    (reason,) = progress.rule_reasons
    assert "1か月に達していません" in reason
    assert "2025年5月1日" in reason  # eligible from the same day of the next month


@pytest.mark.django_db
@pytest.mark.parametrize(("last", "met"), [(D(2025, 5, 14), False), (D(2025, 5, 15), True)])
def test_the_rule_is_met_exactly_one_calendar_month_after_the_first_session(tsukuba, last, met):
    b = founder()
    record(b, D(2025, 4, 15), [MGMT])
    record(b, D(2025, 4, 20), [FIN])
    record(b, D(2025, 5, 1), [HR])
    record(b, last, [SALES])
    progress = founders.founder_progress(b)
    assert progress.eligible_from == D(2025, 5, 15)
    assert progress.rule_met is met
    assert progress.can_issue is met


@pytest.mark.django_db
def test_no_sessions_says_so(tsukuba):
    progress = founders.founder_progress(founder())
    assert not progress.rule_met
    assert progress.rule_reasons[0].startswith("受講記録がありません")


@pytest.mark.django_db
def test_progress_on_a_day_counts_only_sessions_held_by_then(tsukuba):
    b = founder()
    met_sessions(b)
    assert founders.founder_progress(b).rule_met
    early = founders.founder_progress(b, on=D(2025, 5, 10))
    assert early.session_count == 3 and not early.rule_met


# -- recording sessions ----------------------------------------------------------------------


@pytest.mark.django_db
def test_recording_is_idempotent_per_source_and_audited(tsukuba):
    b = founder()
    partner = PartnerOrganisation.objects.create(
        name="合成データ支援機関", kind="startup", is_synthetic=True
    )
    first = record(
        b, D(2025, 4, 1), [SALES, MGMT], source="consultations.session:1", provider=partner
    )
    again = record(b, D(2025, 4, 2), [HR], source="consultations.session:1")
    assert again.pk == first.pk
    assert FounderSession.objects.filter(business=b).count() == 1
    # Areas are kept in the fixed order whatever order they came in.
    assert first.areas == [MGMT, SALES]
    events = AuditEvent.objects.filter(code="applications.founder_session.recorded")
    assert events.count() == 1
    assert events.get().data["source"] == "consultations.session:1"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("date", "areas", "message"),
    [
        (D(2025, 4, 1), [], "分野を1つ以上選んでください"),
        (D(2025, 4, 1), ["marketing"], "分野「marketing」は定義されていません"),
        (datetime.date.today() + datetime.timedelta(days=2), [MGMT], "未来の日付"),
    ],
)
def test_recording_refuses_bad_input(tsukuba, date, areas, message):
    with pytest.raises(founders.FounderError, match=message):
        record(founder(), date, areas)


# -- issuing ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_issue_numbers_writes_a_support_record_and_audits(tsukuba, users):
    b = founder()
    met_sessions(b)
    cert = founders.founder_certificate_issue(
        business=b, actor=users["officer"], issued_on=D(2025, 7, 1)
    )
    assert cert.number == "つ産振第R7-0001号"
    assert cert.issued_on == D(2025, 7, 1)
    assert cert.issued_by == users["officer"]
    assert cert.holder_address == b.location
    assert cert.sessions.count() == 4
    record_ = SupportRecord.objects.get(source=f"applications.founder_certificate:{cert.pk}")
    assert (record_.kind, record_.program.code, record_.fiscal_year) == (
        "certificate",
        "10-1",
        2025,
    )
    assert record_.outcome == cert.number
    event = AuditEvent.objects.get(code="applications.founder_certificate.issued")
    assert event.data["number"] == cert.number
    assert event.actor == users["officer"]


@pytest.mark.django_db
def test_issuing_twice_is_refused_and_counted_once(tsukuba, users):
    b = founder()
    met_sessions(b)
    cert = founders.founder_certificate_issue(business=b, actor=users["officer"])
    with pytest.raises(founders.FounderError, match="交付済みです") as exc:
        founders.founder_certificate_issue(business=b, actor=users["admin"])
    assert cert.number in str(exc.value)
    assert FounderCertificate.objects.filter(business=b).count() == 1
    assert SupportRecord.objects.filter(business=b, kind="certificate").count() == 1


@pytest.mark.django_db
def test_certificates_count_towards_the_founders_indicator(tsukuba, users):
    from sangyo.indicators.computed import get_computation

    params = {"programs": ["10-1"], "kinds": ["certificate"], "distinct_businesses": True}
    compute = get_computation("registry.support_records").compute
    assert compute(tsukuba, params) == {}
    for issued_on in (D(2025, 7, 1), D(2025, 9, 1), D(2026, 4, 1)):
        b = founder()
        met_sessions(b)
        founders.founder_certificate_issue(business=b, actor=users["officer"], issued_on=issued_on)
    assert compute(tsukuba, params) == {2025: 2, 2026: 1}


@pytest.mark.django_db
def test_numbers_run_per_fiscal_year(tsukuba, users):
    numbers = []
    for issued_on in (D(2025, 6, 1), D(2026, 3, 31), D(2026, 4, 1), D(2026, 5, 1)):
        b = founder()
        met_sessions(b)
        numbers.append(
            founders.founder_certificate_issue(
                business=b, actor=users["officer"], issued_on=issued_on
            ).number
        )
    assert numbers == [
        "つ産振第R7-0001号",
        "つ産振第R7-0002号",  # 31 March 2026 still belongs to 令和7年度
        "つ産振第R8-0001号",
        "つ産振第R8-0002号",
    ]


def test_fiscal_year_codes_follow_the_fiscal_year_labels():
    assert founders.fiscal_year_code(2019) == "R1"  # 令和元年度
    assert founders.fiscal_year_code(2018) == "H30"
    assert founders.fiscal_year_code(2025) == "R7"
    assert founders.certificate_number("つ産振", 2025, 12) == "つ産振第R7-0012号"


def test_the_prefix_is_looked_up_by_municipality_code():
    assert founders.issuer_for("08220").number_prefix == "つ産振"
    assert founders.issuer_for("082201").title == "つくば市長"  # with the check digit
    assert founders.issuer_for("13101") == founders.DEFAULT_ISSUER


@pytest.mark.django_db
def test_issue_refuses_when_the_rule_is_not_met_with_the_reason(tsukuba, users):
    b = founder()
    record(b, D(2025, 4, 1), [MGMT, FIN, HR])
    with pytest.raises(founders.FounderError) as exc:
        founders.founder_certificate_issue(business=b, actor=users["officer"])
    message = str(exc.value)
    assert message.startswith("証明書を交付できません：")
    assert "販路開拓" in message and "受講回数が1回" in message
    assert not FounderCertificate.objects.exists()
    assert not SupportRecord.objects.filter(kind="certificate").exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("fields", "message"),
    [
        (
            {"corporate_type": "301", "date_of_establishment": D(2015, 4, 1)},
            "創業5年以上のため対象外です",
        ),
        (
            {"corporate_type": "301", "date_of_establishment": None},
            "設立・創業日が登録されていない",
        ),
        ({"location": ""}, "住所・所在地が登録されていません"),
    ],
)
def test_issue_refuses_businesses_that_are_not_founders(tsukuba, users, fields, message):
    b = founder(**fields)
    met_sessions(b)
    with pytest.raises(founders.FounderError, match=message):
        founders.founder_certificate_issue(business=b, actor=users["officer"])


@pytest.mark.django_db
def test_a_young_company_may_receive_it(tsukuba, users):
    b = founder(corporate_type="305", date_of_establishment=D(2023, 1, 10))
    met_sessions(b)
    cert = founders.founder_certificate_issue(
        business=b, actor=users["officer"], issued_on=D(2025, 7, 1)
    )
    assert cert.number.startswith("つ産振第R7-")


@pytest.mark.django_db
def test_holders_pass_the_new_founder_subsidy_rule(tsukuba, users):
    b = founder()
    met_sessions(b)
    ctx = eligibility.Context(business=b, call=None, answers={})
    spec = [{"rule": "holds_founder_certificate"}]
    (before,) = eligibility.evaluate(spec, ctx)
    assert before.status == eligibility.FAIL
    cert = founders.founder_certificate_issue(business=b, actor=users["officer"])
    (after,) = eligibility.evaluate(spec, ctx)
    assert after.status == eligibility.PASS
    assert cert.number in after.reason_ja


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_issues_get_unique_consecutive_numbers(tsukuba):
    """Six staff issue at the same moment: every number is used once, none is skipped."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL (SQLite serialises writers differently)")
    from sangyo.accounts.models import User

    officer = User.objects.create_user(
        email="concurrent-officer@example.test", password="x", role="officer"
    )
    businesses = []
    for _ in range(6):
        b = founder()
        met_sessions(b)
        businesses.append(b)
    barrier = threading.Barrier(len(businesses) + 1)  # the extra party issues a duplicate
    results, errors = [], []

    def issue(b):
        from django.db import connections

        try:
            barrier.wait()
            results.append(
                founders.founder_certificate_issue(
                    business=b, actor=officer, issued_on=D(2025, 7, 1)
                ).number
            )
        except founders.FounderError as exc:
            errors.append(str(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=issue, args=(b,)) for b in [*businesses, businesses[0]]]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == [f"つ産振第R7-{n:04d}号" for n in range(1, 7)]
    assert len(errors) == 1 and "交付済み" in errors[0]
    assert SupportRecord.objects.filter(kind="certificate").count() == 6


# -- pages -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_progress_page_shows_reasons_and_disables_the_button(client, tsukuba, users):
    b = founder()
    record(b, D(2025, 4, 1), [MGMT, FIN, HR])
    client.force_login(users["officer"])
    html = client.get(f"/staff/founders/{b.pk}/").content.decode()
    assert "受講していない分野があります：販路開拓" in html
    assert 'disabled aria-describedby="issue-blockers"' in html
    assert 'name="action" value="issue"' not in html


@pytest.mark.django_db
def test_recording_a_session_through_the_page(client, tsukuba, users):
    b = founder()
    partner = PartnerOrganisation.objects.create(
        name="合成データ支援機関", kind="startup", is_synthetic=True
    )
    client.force_login(users["officer"])
    form = {
        "action": "record",
        "date": "令和7年4月15日",
        "areas": [MGMT, SALES],
        "provider": str(partner.pk),
        "note": "合成データの創業セミナー",
        "token": "abc123",
    }
    response = client.post(f"/staff/founders/{b.pk}/", form)
    assert response.status_code == 302
    # A second submit of the same rendered form does not record the session twice.
    client.post(f"/staff/founders/{b.pk}/", form)
    (session,) = FounderSession.objects.filter(business=b)
    assert (session.date, session.areas, session.provider) == (
        D(2025, 4, 15),
        [MGMT, SALES],
        partner,
    )
    assert session.recorded_by == users["officer"]


@pytest.mark.django_db
def test_recording_errors_are_shown(client, tsukuba, users):
    b = founder()
    client.force_login(users["officer"])
    response = client.post(
        f"/staff/founders/{b.pk}/", {"action": "record", "date": "令和7年2月30日", "areas": []}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'role="alert"' in html
    assert "エラー：" in html and "存在しない日付" in html
    assert "分野を1つ以上選んでください" in html
    assert not FounderSession.objects.exists()


@pytest.mark.django_db
def test_issuing_through_the_page(client, tsukuba, users):
    b = founder()
    met_sessions(b)
    client.force_login(users["officer"])
    html = client.get(f"/staff/founders/{b.pk}/").content.decode()
    assert 'name="action" value="issue"' in html
    response = client.post(f"/staff/founders/{b.pk}/", {"action": "issue", "issued_on": "R7.7.1"})
    assert response.status_code == 302
    cert = FounderCertificate.objects.get(business=b)
    assert cert.issued_on == D(2025, 7, 1)
    html = client.get(f"/staff/founders/{b.pk}/").content.decode()
    assert cert.number in html
    assert f"/staff/founders/certificates/{cert.pk}.pdf" in html


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["viewer", "reviewer", "business"])
def test_only_officers_and_admins_may_post(client, tsukuba, users, role):
    b = founder()
    met_sessions(b)
    client.force_login(users[role])
    response = client.post(f"/staff/founders/{b.pk}/", {"action": "issue"})
    assert response.status_code == 404
    assert not FounderCertificate.objects.exists()


@pytest.mark.django_db
def test_anonymous_posts_are_sent_to_log_in(client, tsukuba):
    b = founder()
    response = client.post(f"/staff/founders/{b.pk}/", {"action": "issue"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.django_db
def test_list_shows_founders_only_and_runs_a_fixed_number_of_queries(
    client, tsukuba, users, django_assert_max_num_queries
):
    make_business(name="合成データ老舗株式会社", date_of_establishment=D(1990, 4, 1))
    founder(name="合成データ未受講の創業予定者")  # created first: earlier in kana order
    young = founder(
        name="合成データ若手合同会社", corporate_type="305", date_of_establishment=D(2024, 4, 1)
    )
    met_sessions(young)
    client.force_login(users["viewer"])

    def page():
        return client.get("/staff/founders/")

    with django_assert_max_num_queries(12):
        html = page().content.decode()
    assert "合成データ若手合同会社" in html
    assert "合成データ老舗株式会社" not in html
    # Founders with recent sessions come first (NULLs last on every database).
    assert html.index("合成データ若手合同会社") < html.index("合成データ未受講の創業予定者")
    assert "交付可能" in html
    # Viewers read the list but get no links to the pages that write.
    assert f"/staff/founders/{young.pk}/" not in html
    for n in range(15):
        met_sessions(founder(name=f"合成データ創業予定者{n}"))
    with django_assert_max_num_queries(12):
        page()
