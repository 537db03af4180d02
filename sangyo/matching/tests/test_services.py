"""Rules of matching: input checks, moderation and visibility, counting support on the
right program, expiry, suggestions."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command

from sangyo.matching import forms, selectors, services, similarity
from sangyo.matching.models import CountingRule, Interest, Job, Moderation, Posting
from sangyo.matching.tests import factories as f
from sangyo.registry.models import SupportRecord
from sangyo.registry.selectors import support_counts_for_measure
from sangyo.registry.tests.factories import business

pytestmark = pytest.mark.django_db


# --- input checks (forms and services refuse the same input) ----------------------------


def _data(fields: dict) -> dict:
    return {k: ("on" if v is True else "" if v is False else v) for k, v in fields.items()}


@pytest.mark.parametrize(
    ("form_cls", "base", "change", "field", "words"),
    [
        (
            forms.PostingForm,
            f.posting_fields,
            {"contact_consent": False},
            "contact_consent",
            "同意",
        ),
        (
            forms.PostingForm,
            f.posting_fields,
            {"ends_on": f.today() - datetime.timedelta(days=5)},
            "ends_on",
            "掲載終了日は掲載開始日以降",
        ),
        (
            forms.JobForm,
            f.job_fields,
            {"pay_min": 300000, "pay_max": 200000},
            "pay_max",
            "上限は下限以上",
        ),
        (forms.JobForm, f.job_fields, {"pay_min": -1}, "pay_min", "0円以上"),
        (
            forms.JobForm,
            f.job_fields,
            {"ends_on": f.today() - datetime.timedelta(days=5)},
            "ends_on",
            "掲載終了日",
        ),
    ],
)
def test_forms_reject_bad_input_with_clear_words(form_cls, base, change, field, words):
    fields = base(**change)
    fields.pop("is_synthetic")
    form = form_cls(data=_data(fields))
    assert not form.is_valid()
    assert words in " ".join(form.errors[field])


def test_property_form_rejects_negative_rent(tsukuba):
    data = {
        "partner": f.partner().pk,
        "title_ja": "合成データ 物件",
        "use": "office",
        "area_m2": "20",
        "rent_yen": "-1",
        "address": "つくば市",
        "available_from": f.today().isoformat(),
        "is_published": "on",
    }
    form = forms.PropertyForm(data=data)
    assert not form.is_valid()
    assert "賃料は0円以上" in " ".join(form.errors["rent_yen"])
    with pytest.raises(services.MatchingError, match="賃料は0円以上"):
        f.property_obj(rent_yen=-5)


def test_services_refuse_what_forms_refuse():
    with pytest.raises(services.MatchingError, match="同意"):
        f.posting(contact_consent=False)
    with pytest.raises(services.MatchingError, match="上限は下限以上"):
        f.job(pay_min=5, pay_max=4)
    with pytest.raises(services.MatchingError, match="産業分類"):
        f.posting(jsic_code="ZZZ")


def test_apply_needs_consent():
    job = f.job()
    with pytest.raises(services.MatchingError, match="同意"):
        services.job_apply(job=job, name="a", email="a@example.test", message="m", consent=False)


# --- moderation and visibility -----------------------------------------------------------


def test_board_and_api_show_only_published_current_postings(client):
    shown = f.posting(title_ja="合成データ 公開中の掲載")
    pending = f.posting(publish=False, title_ja="合成データ 審査待ちの掲載")
    hidden = f.posting(title_ja="合成データ 非表示の掲載")
    services.posting_moderate(posting=hidden, action="hide", actor="test", reason="重複")
    rejected = f.posting(publish=False, title_ja="合成データ 差戻しの掲載")
    services.posting_moderate(posting=rejected, action="reject", actor="test", reason="不備")
    expired = f.posting(title_ja="合成データ 期限切れの掲載")
    Posting.objects.filter(pk=expired.pk).update(ends_on=f.today() - datetime.timedelta(days=1))
    future = f.posting(
        title_ja="合成データ 掲載前の掲載",
        starts_on=f.today() + datetime.timedelta(days=3),
        ends_on=f.today() + datetime.timedelta(days=9),
    )
    invisible = [pending, hidden, rejected, expired, future]

    page = client.get("/matching/").content.decode()
    api = client.get("/api/v1/matching/postings?limit=100").json()
    assert shown.title_ja in page
    assert [r["id"] for r in api["results"]] == [shown.pk]
    for p in invisible:
        assert p.title_ja not in page
        assert client.get(f"/matching/postings/{p.pk}/").status_code == 404
        assert client.get(f"/api/v1/matching/postings/{p.pk}").status_code == 404


def test_jobs_hidden_or_expired_are_not_public(client):
    shown = f.job(title_ja="合成データ 公開求人", english_ok=True)
    pending = f.job(publish=False, title_ja="合成データ 審査待ち求人")
    expired = f.job(title_ja="合成データ 期限切れ求人")
    Job.objects.filter(pk=expired.pk).update(ends_on=f.today() - datetime.timedelta(days=2))
    api = client.get("/api/v1/matching/jobs").json()
    assert [r["id"] for r in api["results"]] == [shown.pk]
    assert client.get(f"/api/v1/matching/jobs/{pending.pk}").status_code == 404
    english = client.get("/matching/jobs/?english=1").content.decode()
    assert shown.title_ja in english
    assert expired.title_ja not in client.get("/matching/jobs/").content.decode()


def test_moderation_transitions_are_checked():
    p = f.posting(publish=False)
    with pytest.raises(services.MatchingError, match="理由"):
        services.posting_moderate(posting=p, action="reject", actor="test")
    p = services.posting_moderate(posting=p, action="publish", actor="test")
    with pytest.raises(services.MatchingError):
        services.posting_moderate(posting=p, action="reject", actor="test", reason="x")
    old = f.posting(publish=False)
    Posting.objects.filter(pk=old.pk).update(ends_on=f.today() - datetime.timedelta(days=1))
    old.refresh_from_db()
    with pytest.raises(services.MatchingError, match="掲載終了日を過ぎている"):
        services.posting_moderate(posting=old, action="publish", actor="test")


def test_expire_command_marks_postings_and_jobs_once():
    p = f.posting()
    j = f.job()
    past = f.today() - datetime.timedelta(days=1)
    Posting.objects.filter(pk=p.pk).update(ends_on=past)
    Job.objects.filter(pk=j.pk).update(ends_on=past)
    out = StringIO()
    call_command("matching", "expire", stdout=out)
    assert "1件" in out.getvalue()
    p.refresh_from_db()
    j.refresh_from_db()
    assert p.status == j.status == Moderation.EXPIRED
    assert services.expire_postings(actor="test") == {"postings": 0, "jobs": 0}


def test_celery_task_expires():
    from sangyo.matching.tasks import expire_postings

    p = f.posting()
    Posting.objects.filter(pk=p.pk).update(ends_on=f.today() - datetime.timedelta(days=3))
    assert expire_postings() == {"postings": 1, "jobs": 0}


def test_abuse_report_can_hide_the_posting(users):
    p = f.posting()
    report = services.report_create(
        target_type="posting", target_id=p.pk, reason="詐欺の疑い", actor="public"
    )
    services.report_resolve(report=report, actor=users["officer"], resolution="確認", hide=True)
    p.refresh_from_db()
    assert p.status == Moderation.HIDDEN
    assert selectors.public_posting(p.pk) is None


# --- conversations and counting ---------------------------------------------------------


def test_interest_introduction_and_deal_count_on_measure_09(tsukuba, users):
    owner, other = business(), business()
    p = f.posting(business_obj=owner)
    with pytest.raises(services.MatchingError, match="自社"):
        services.interest_create(posting=p, business=owner, actor="test", message="x")
    interest = services.interest_create(posting=p, business=other, actor="test", message="はい")
    measure = tsukuba.measures.get(number="09")

    def count():
        return sum(r["records"] for r in support_counts_for_measure(measure))

    services.introduction_create(interest=interest, actor=users["officer"])
    assert count() == 1
    services.deal_report(interest=interest, actor=users["officer"], summary="試作を受注")
    assert count() == 2
    with pytest.raises(services.MatchingError):
        services.deal_report(interest=interest, actor="test", summary="again")
    assert count() == 2
    record = SupportRecord.objects.get(source__startswith="matching.deal:")
    assert record.kind == "matching" and record.business == owner
    assert record.program.code == "09-2"
    interest.refresh_from_db()
    assert interest.status == Interest.Status.DEAL


def test_contact_is_shared_only_when_both_agree():
    owner, other = business(), business()
    interest = services.interest_create(
        posting=f.posting(business_obj=owner), business=other, actor="test", message="m"
    )
    interest = services.contact_share(interest=interest, business=owner, actor="test")
    assert not interest.contact_shared
    interest = services.contact_share(interest=interest, business=other, actor="test")
    assert interest.contact_shared
    with pytest.raises(services.MatchingError):
        services.contact_share(interest=interest, business=business(), actor="test")


def test_counting_rules_are_data(tsukuba, users):
    services.counting_rule_set(
        strategy=tsukuba, event="deal", program_code="09-1", actor=users["admin"]
    )
    assert services.program_for("deal").code == "09-1"
    assert services.program_for("introduction").code == "09-2"  # default
    with pytest.raises(services.MatchingError):
        services.counting_rule_set(
            strategy=tsukuba, event="deal", program_code="99-9", actor=users["admin"]
        )
    assert CountingRule.objects.get(event="deal").program_code == "09-1"


@pytest.mark.parametrize(
    ("kind", "target", "code"),
    [
        ("job", "general", "14-1"),
        ("internship", "general", "14-2"),
        ("job", "disabled", "15-1"),
        ("job", "foreign", "15-2"),
    ],
)
def test_placement_counts_on_measure_14_or_15_by_the_jobs_data(tsukuba, kind, target, code):
    job = f.job(kind=kind, target=target)
    application = services.job_apply(
        job=job, name="合成", email="s@example.test", message="m", consent=True
    )
    services.application_set_status(application=application, status="hired", actor="test")
    services.application_set_status(application=application, status="hired", actor="test")
    records = SupportRecord.objects.filter(source=f"matching.placement:{application.pk}")
    assert records.count() == 1 and records.get().program.code == code


def test_property_proposal_counts_on_measure_12(tsukuba, users):
    shop = f.property_obj(is_challenge_shop=True, use="shop")
    office = f.property_obj()
    founder = business()
    services.property_propose(property=shop, business=founder, actor=users["officer"])
    services.property_propose(property=office, business=founder, actor=users["officer"])
    codes = sorted(
        SupportRecord.objects.filter(source__startswith="matching.proposal:").values_list(
            "program__code", flat=True
        )
    )
    assert codes == ["12-1", "12-2"]


def test_property_filters(client):
    f.property_obj(title_ja="合成データ 安い小さな店舗", use="shop", rent_yen=30000, area_m2="10")
    f.property_obj(title_ja="合成データ 広いラボ", use="lab", rent_yen=300000, area_m2="120")
    page = client.get("/matching/properties/?rent_max=50000").content.decode()
    assert "安い小さな店舗" in page and "広いラボ" not in page
    page = client.get("/matching/properties/?area_min=100&use=lab").content.decode()
    assert "広いラボ" in page and "安い小さな店舗" not in page
    api = client.get("/api/v1/matching/properties?rent_max=50000").json()
    assert [r["title"]["ja"] for r in api["results"]] == ["合成データ 安い小さな店舗"]


# --- suggestions ------------------------------------------------------------------------


def test_terms_are_nfkc_bigrams():
    assert similarity.terms("ＩｏＴセンサー") == similarity.terms("iotせんさー")
    assert "切削" in similarity.terms("切削加工")
    assert "iot" in similarity.terms("IoT センサ")


def test_suggestions_prefer_complementary_similar_postings_with_reasons():
    need = f.posting(
        purpose="order",
        title_ja="合成データ 精密部品の切削加工を発注したい",
        body_ja="アルミの精密部品を切削加工できる会社を探しています",
        keywords="切削加工、アルミ",
    )
    good = f.posting(
        purpose="take_order",
        title_ja="合成データ アルミ部品の切削加工を受注します",
        body_ja="精密部品の切削加工に対応",
        keywords="切削加工、アルミ",
    )
    unrelated = f.posting(
        purpose="offer",
        category="food",
        region="kanto",
        title_ja="合成データ 焼き菓子の製造",
        body_ja="洋菓子の製造を提供します",
        keywords="菓子",
    )
    same_kind = f.posting(purpose="order", title_ja="合成データ 切削加工を発注したい（別社）")
    suggestions = selectors.suggestions_for(need)
    pks = [s.posting.pk for s in suggestions]
    assert pks[0] == good.pk
    assert same_kind.pk not in pks
    assert unrelated.pk not in pks or pks.index(unrelated.pk) > 0
    reasons = " ".join(suggestions[0].reasons)
    assert "「発注したい」に対して「受注できる」" in reasons
    assert "分野が同じ" in reasons and "共通するキーワード：アルミ、切削加工" in reasons
    # A hidden posting drops out of suggestions at once.
    services.posting_moderate(posting=good, action="hide", actor="test", reason="x")
    assert good.pk not in [s.posting.pk for s in selectors.suggestions_for(need)]


def test_index_follows_changes_without_a_full_rebuild():
    need = f.posting(
        purpose="order", keywords="レーザー加工", title_ja="合成データ レーザー加工の発注"
    )
    f.posting(purpose="take_order", keywords="溶接", title_ja="合成データ 溶接を受注します")
    selectors.suggestions_for(need)
    built_at = selectors._state["built_at"]
    fresh = f.posting(
        purpose="take_order", keywords="レーザー加工", title_ja="合成データ レーザー加工を受注"
    )
    assert selectors.suggestions_for(need)[0].posting.pk == fresh.pk
    assert selectors._state["built_at"] == built_at  # applied, not rebuilt
    services.posting_moderate(posting=fresh, action="hide", actor="test", reason="x")
    assert fresh.pk not in [s.posting.pk for s in selectors.suggestions_for(need)]
    assert selectors._state["built_at"] == built_at
