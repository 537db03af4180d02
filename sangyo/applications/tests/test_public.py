"""Public program pages and the certified product catalogue. All data is synthetic."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from sangyo.applications.models import Call, CertifiedProduct
from sangyo.applications.tests import factories as f
from sangyo.registry.tests.factories import business as make_business
from sangyo.strategy.models import Program

D = datetime.date


def program(tsukuba, code):
    return Program.objects.get(code=code, measure__strategy=tsukuba)


@pytest.fixture
def programs(tsukuba):
    """A confirmed subsidy (11-1), an unconfirmed one (08-1) and a certification (06-1), with
    open, closed, draft and lapsed calls."""
    now = timezone.now()
    startup = program(tsukuba, "11-1")
    f.program_detail(
        startup,
        title_ja="合成データ新規創業促進補助金",
        catch_phrase_ja="創業時の登録免許税などを補助します",
        target_ja="特定創業支援等事業の証明書を受けた創業予定者",
        rate_numerator=10,
        rate_denominator=10,
        rate_text="10/10",
        rate_confirmed=True,
        cap_yen=125_000,
        eligibility=[{"rule": "holds_founder_certificate"}, {"rule": "before_incorporation"}],
    )
    expo = program(tsukuba, "05-1")
    f.program_detail(expo, title_ja="合成データ展示会出展支援", rate_confirmed=False, cap_yen=None)
    quality = program(tsukuba, "06-1")
    f.program_detail(
        quality, title_ja="合成データつくばクオリティ", workflow="certification", rate_text=""
    )
    open_call = f.open_call(startup, title_ja="合成データ令和7年度募集")
    closed = f.open_call(startup, title_ja="合成データ終了した募集", status=Call.Status.CLOSED)
    draft = f.open_call(startup, title_ja="合成データ準備中の募集", status=Call.Status.DRAFT)
    lapsed = f.open_call(
        expo,
        title_ja="合成データ期限切れの募集",
        opens_at=now - datetime.timedelta(days=40),
        closes_at=now - datetime.timedelta(days=1),
    )
    return {
        "startup": startup,
        "expo": expo,
        "quality": quality,
        "open": open_call,
        "hidden_calls": [closed, draft, lapsed],
    }


@pytest.mark.django_db
def test_program_list_groups_by_measure_with_money_rules_and_open_calls(client, programs):
    html = client.get("/programs/").content.decode()
    # Grouped by measure, in measure order.
    assert html.index("施策05") < html.index("施策06") < html.index("施策11")
    assert "合成データ新規創業促進補助金" in html
    assert "10/10" in html and "上限 125,000円" in html
    assert "要確認" in html  # the unconfirmed subsidy
    # Eligibility rules in words.
    assert "特定創業支援等事業の証明書を受けていること" in html
    assert "法人設立前に申請すること" in html
    # Open calls with their deadline and the link to apply; the others are not offered.
    assert f'href="/apply/calls/{programs["open"].pk}/"' in html
    assert "合成データ令和7年度募集" in html
    for call in programs["hidden_calls"]:
        assert call.title_ja not in html
        assert f"/apply/calls/{call.pk}/" not in html
    assert "締切" in html


@pytest.mark.django_db
def test_program_list_runs_a_fixed_number_of_queries(
    client, tsukuba, programs, django_assert_max_num_queries
):
    with django_assert_max_num_queries(6):
        client.get("/programs/")
    for code in ("01-1", "02-1", "03-1", "04-1", "07-1", "09-1"):
        p = program(tsukuba, code)
        f.program_detail(p)
        f.open_call(p)
        f.open_call(p)
    with django_assert_max_num_queries(6):
        assert client.get("/programs/").status_code == 200


@pytest.mark.django_db
def test_program_page(client, programs):
    response = client.get(f"/programs/{programs['startup'].pk}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "合成データ新規創業促進補助金" in html
    assert "創業時の登録免許税などを補助します" in html
    assert "特定創業支援等事業の証明書を受けた創業予定者" in html
    assert f'href="/apply/calls/{programs["open"].pk}/"' in html
    assert "合成データ終了した募集" not in html


@pytest.mark.django_db
def test_a_program_without_details_has_no_page(client, tsukuba, programs):
    assert client.get(f"/programs/{program(tsukuba, '17-1').pk}/").status_code == 404
    assert client.get("/programs/999999/").status_code == 404


@pytest.mark.django_db
def test_an_english_visitor_reads_the_english_title(client, programs):
    from sangyo.applications.models import ProgramDetail

    ProgramDetail.objects.filter(program=programs["startup"]).update(title_en="Startup subsidy")
    client.cookies["django_language"] = "en"
    html = client.get("/programs/").content.decode()
    assert "Startup subsidy" in html


# -- catalogue -------------------------------------------------------------------------------


@pytest.fixture
def catalogue(tsukuba, make_user, programs):
    """Certified products: valid, expired yesterday, valid until today, unpublished, and one
    whose certification staff marked expired."""
    call = f.open_call(programs["quality"], title_ja="合成データ認定の募集")
    today = timezone.localdate()

    def product(name, *, certified_on, valid_until, published=True, status="certified"):
        b = make_business(name=f"{name}の事業者")
        user = f.applicant(make_user, b)
        application = f.application(call, b, user, status=status)
        # The certify step published a product; set the dates this case needs.
        return CertifiedProduct.objects.update_or_create(
            application=application,
            defaults={
                "name_ja": name,
                "certified_on": certified_on,
                "valid_until": valid_until,
                "published": published,
            },
        )[0]

    year = datetime.timedelta(days=365)
    return {
        "valid": product(
            "合成データ筑波うどん", certified_on=D(2024, 6, 1), valid_until=today + year
        ),
        "last_day": product("合成データ研究学園茶", certified_on=D(2023, 6, 1), valid_until=today),
        "expired": product(
            "合成データ期限切れ饅頭",
            certified_on=D(2021, 6, 1),
            valid_until=today - datetime.timedelta(days=1),
        ),
        "unpublished": product(
            "合成データ非公開せんべい",
            certified_on=D(2024, 6, 1),
            valid_until=today + year,
            published=False,
        ),
        "marked_expired": product(
            "合成データ満了処理済み味噌",
            certified_on=D(2024, 6, 1),
            valid_until=today + year,
            status="expired",
        ),
    }


@pytest.mark.django_db
def test_catalogue_shows_valid_products_only(client, catalogue, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        html = client.get("/programs/catalogue/").content.decode()
    assert "合成データ筑波うどん" in html
    assert "合成データ筑波うどんの事業者" in html
    assert "合成データつくばクオリティ" in html  # the scheme
    assert "2024年6月1日" in html  # certified on, with the 和暦 next to it
    assert "令和6年6月1日" in html
    assert "合成データ研究学園茶" in html  # valid through today
    assert "合成データ期限切れ饅頭" not in html
    assert "合成データ非公開せんべい" not in html
    assert "合成データ満了処理済み味噌" not in html


@pytest.mark.django_db
def test_empty_catalogue_says_so(client, tsukuba):
    html = client.get("/programs/catalogue/").content.decode()
    assert "現在掲載している認定品はありません。" in html
