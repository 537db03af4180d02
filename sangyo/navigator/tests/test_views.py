"""The public questionnaire and results pages, the staff pages, the anonymous counts and the
signal for the yearly evaluation."""

import datetime

import pytest
from django.utils import timezone

from sangyo.core.fiscal import fiscal_year
from sangyo.core.models import AuditEvent
from sangyo.navigator import selectors, services
from sangyo.navigator.models import ChallengeCount, Need, Synonym

RESULT_URL = "/navigator/results/?stage=established&industry=E&employees=30&in_city=yes&challenge=sales&challenge=it"


@pytest.mark.django_db
def test_questionnaire_is_a_get_form_with_labels(navigator, client):
    html = client.get("/navigator/").content.decode()
    assert 'method="get" action="/navigator/results/"' in html
    assert "販路拡大・海外展開をしたい" in html and "<legend>" in html
    assert "製造業（ものづくり・食品加工など）" in html


@pytest.mark.django_db
def test_questionnaire_in_english(navigator, client):
    client.cookies["django_language"] = "en"
    html = client.get("/navigator/").content.decode()
    assert "I want to find new customers or sell abroad" in html
    assert "Manufacturing (including food processing)" in html


@pytest.mark.django_db
def test_business_user_gets_registry_answers(navigator, client, make_user):
    from sangyo.consultations.tests.factories import member
    from sangyo.registry.tests.factories import business

    b = business(
        jsic_code="0911",
        employee_number=14,
        capital_stock=5_000_000,
        date_of_establishment=timezone.localdate() - datetime.timedelta(days=365 * 2),
    )
    client.force_login(member(make_user, b))
    html = client.get("/navigator/").content.decode()
    assert "事業者台帳に登録された内容" in html
    assert 'value="14"' in html and 'value="5000000"' in html
    assert 'value="E" selected' in html
    assert 'value="young" id="id_stage_1" checked' in html or (
        'value="young"' in html and "checked" in html
    )
    assert 'value="yes"' in html
    # Nothing about the business goes into the form's URL: it is not in the page at all.
    assert b.name not in html and f"business={b.pk}" not in html


@pytest.mark.django_db
def test_results_page_is_shareable_and_counts_challenges_once(navigator, client):
    response = client.get(RESULT_URL)
    html = response.content.decode()
    assert response.status_code == 200
    assert "産業創出支援補助金（展示会出展支援）" in html
    assert "課題「販路拡大・海外展開をしたい」を選んだため" in html
    assert 'href="/navigator/?stage=established&amp;industry=E' in html
    assert "navigator/navigator.css" in html  # the print stylesheet
    client.get(RESULT_URL)  # a reload is not counted again
    fy = fiscal_year(timezone.localdate())
    assert {c.code: c.count for c in ChallengeCount.objects.filter(fiscal_year=fy)} == {
        "sales": 1,
        "it": 1,
    }
    # Another visitor opening the shared URL sees the same page.
    from django.test import Client

    other = Client().get(RESULT_URL).content.decode()
    assert other.count('class="card navigator-suggestion') == html.count(
        'class="card navigator-suggestion'
    )


@pytest.mark.django_db
def test_results_ignore_unknown_values(navigator, client):
    response = client.get("/navigator/results/?stage=x&industry=ZZ&employees=-3&challenge=nope")
    assert response.status_code == 200
    assert not ChallengeCount.objects.exists()


@pytest.mark.django_db
def test_english_results(navigator, client):
    client.cookies["django_language"] = "en"
    html = client.get(RESULT_URL).content.decode()
    assert "You chose the challenge" in html


@pytest.mark.django_db
def test_evaluation_signal_per_measure(navigator):
    from sangyo.evaluation.contrib import signals_for

    services.challenges_count(codes=["sales", "it"], on=datetime.date(2025, 6, 1))
    services.challenges_count(codes=["sales"], on=datetime.date(2025, 7, 1))
    services.challenges_count(codes=["sales"], on=datetime.date(2024, 7, 1))
    found = [
        s
        for s in signals_for(strategy=navigator["strategy"], fiscal_year=2025)
        if s.source == "navigator.challenges"
    ]
    by_measure = {s.measure_code: s.value for s in found}
    assert by_measure == {"05": 2, "06": 2, "03": 1, "01": 1}
    assert selectors.challenge_counts(2024)[0]["count"] == 1


@pytest.mark.django_db
def test_staff_index_shows_counts_and_missed_searches(navigator, client, users):
    from sangyo.navigator import search

    services.challenges_count(codes=["sales"])
    search.search("どこにもない語")
    client.force_login(users["viewer"])
    html = client.get("/staff/navigator/").content.decode()
    assert "販路拡大・海外展開をしたい" in html and "どこにもない語" in html


@pytest.mark.django_db
def test_officer_edits_a_need(navigator, client, users):
    need = Need.objects.get(kind="challenge", code="finance")
    client.force_login(users["officer"])
    url = f"/staff/navigator/needs/{need.pk}/"
    data = {
        "label_ja": need.label_ja,
        "label_en": need.label_en,
        "use_purpose": need.use_purpose,
        "why_ja": "",
        "why_en": "",
        "order": 3,
        "is_active": "on",
        "measures_text": "02, 11",
    }
    assert client.post(url, data | {"measures_text": "99"}).status_code == 200
    assert Need.objects.get(pk=need.pk).measures == ["02"]
    assert client.post(url, data).status_code == 302
    assert Need.objects.get(pk=need.pk).measures == ["02", "11"]
    assert AuditEvent.objects.filter(code="navigator.need.updated").exists()


@pytest.mark.django_db
def test_officer_manages_synonyms(navigator, client, users):
    client.force_login(users["officer"])
    before = Synonym.objects.count()
    response = client.post("/staff/navigator/synonyms/new/", {"terms": "ひとつだけ"})
    assert response.status_code == 200 and Synonym.objects.count() == before
    assert (
        client.post("/staff/navigator/synonyms/new/", {"terms": "物産展、展示会"}).status_code
        == 302
    )
    s = Synonym.objects.get(terms="物産展,展示会")
    client.post(f"/staff/navigator/synonyms/{s.pk}/", {"delete": "1"})
    assert not Synonym.objects.filter(pk=s.pk).exists()
    assert AuditEvent.objects.filter(code="navigator.synonym.deleted").exists()


@pytest.mark.django_db
def test_reindex_page(navigator, client, users):
    from sangyo.navigator.models import SearchDocument

    client.force_login(users["admin"])
    assert client.post("/staff/navigator/reindex/").status_code == 302
    assert SearchDocument.objects.filter(kind="program").exists()
    assert AuditEvent.objects.filter(code="navigator.index.rebuilt").exists()


@pytest.mark.django_db
def test_management_command(navigator):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("navigator", "reindex", stdout=out)
    assert "indexed" in out.getvalue()
    out = StringIO()
    call_command("navigator", "load-needs", stdout=out)
    assert "0 created, 0 updated" in out.getvalue()


@pytest.mark.django_db
def test_demo_is_idempotent(navigator):
    from sangyo.navigator.demo import load_demo

    load_demo(strategy=navigator["strategy"])
    counts = (ChallengeCount.objects.count(), AuditEvent.objects.count())
    load_demo(strategy=navigator["strategy"])
    assert (ChallengeCount.objects.count(), AuditEvent.objects.count()) == counts
    assert all(c.is_synthetic for c in ChallengeCount.objects.all())


@pytest.mark.django_db
def test_results_run_a_bounded_number_of_queries(navigator, client, django_assert_max_num_queries):
    from sangyo.consultations.tests.factories import desk
    from sangyo.events.tests.factories import event

    client.get(RESULT_URL)
    with django_assert_max_num_queries(20) as few:
        client.get(RESULT_URL)
    for i in range(5):
        event(strategy=navigator["strategy"], code="05-2", title_ja=f"合成データ 展示会{i}")
        desk(navigator["strategy"], code="06-2", name=f"合成データ窓口{i}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(RESULT_URL)
