"""Sheets move draft → section head → committee → published through services; a published
sheet is frozen, and a correction is a new version while the old one stays readable."""

from decimal import Decimal

import pytest

from sangyo.core.models import AuditEvent
from sangyo.evaluation import selectors, services
from sangyo.evaluation.models import CommitteeMember, Sheet


def sheet_of(strategy, number, fy=2026):
    return (
        Sheet.objects.filter(strategy=strategy, measure__number=number, fiscal_year=fy)
        .order_by("-version")
        .first()
    )


FILLED = {
    "relevance": "A",
    "relevance_reason": "理由",
    "effectiveness": "B",
    "effectiveness_reason": "理由",
    "efficiency": "B",
    "efficiency_reason": "理由",
    "direction": "continue",
}


@pytest.mark.django_db
def test_workflow_roles_and_required_judgement(evaluation_data, users):
    sheet = sheet_of(evaluation_data, "04")  # untouched by the demo
    assert sheet.status == "draft"
    with pytest.raises(services.EvaluationError, match="妥当性"):
        services.sheet_transition(sheet=sheet, target="submitted", actor=users["officer"])
    services.sheet_update(sheet=sheet, data=FILLED, actor=users["officer"])
    # A viewer cannot submit; an officer can, but cannot confirm or publish.
    with pytest.raises(services.EvaluationError, match="権限"):
        services.sheet_transition(sheet=sheet, target="submitted", actor=users["viewer"])
    services.sheet_transition(sheet=sheet, target="submitted", actor=users["officer"])
    with pytest.raises(services.EvaluationError, match="権限"):
        services.sheet_transition(sheet=sheet, target="reviewed", actor=users["officer"])
    with pytest.raises(services.EvaluationError, match="この状態からは"):
        services.sheet_transition(sheet=sheet, target="published", actor=users["admin"])
    # Opinions only while the committee is consulted.
    member = CommitteeMember.objects.first()
    with pytest.raises(services.EvaluationError, match="委員の意見"):
        services.opinion_save(sheet=sheet, member=member, text="意見", actor=users["admin"])
    services.sheet_transition(sheet=sheet, target="reviewed", actor=users["admin"])
    services.opinion_save(sheet=sheet, member=member, text="合成 意見", actor=users["officer"])
    services.sheet_transition(sheet=sheet, target="published", actor=users["admin"])
    codes = set(
        AuditEvent.objects.filter(
            target_id=str(sheet.pk), code__startswith="evaluation."
        ).values_list("code", flat=True)
    )
    assert {
        "evaluation.sheet.updated",
        "evaluation.sheet.submitted",
        "evaluation.sheet.reviewed",
        "evaluation.opinion.recorded",
        "evaluation.sheet.published",
    } <= codes


@pytest.mark.django_db
def test_publishing_freezes_and_a_correction_is_a_new_version(evaluation_data, users, client):
    v1 = sheet_of(evaluation_data, "05")
    assert v1.status == "published"
    old_general = v1.cost_general
    officer = users["officer"]
    with pytest.raises(services.EvaluationError, match="公表済み"):
        services.sheet_update(sheet=v1, data={"cost_general": 1}, actor=officer)
    with pytest.raises(services.EvaluationError, match="公表済み"):
        services.opinion_save(
            sheet=v1, member=CommitteeMember.objects.first(), text="x", actor=users["admin"]
        )
    with pytest.raises(services.EvaluationError, match="公表済み"):
        services.sheet_transition(sheet=v1, target="draft", actor=users["admin"])
    # Through the web too: the edit page refuses and nothing changes.
    client.force_login(officer)
    response = client.post(f"/staff/evaluation/sheets/{v1.pk}/edit/", {"cost_general": "1"})
    assert response.status_code == 302
    v1.refresh_from_db()
    assert v1.cost_general == old_general

    with pytest.raises(services.EvaluationError, match="訂正の理由"):
        services.sheet_correct(sheet=v1, reason="  ", actor=officer)
    response = client.post(
        f"/staff/evaluation/sheets/{v1.pk}/correct/", {"reason": "一般財源の誤記を訂正"}
    )
    v2 = sheet_of(evaluation_data, "05")
    assert response.status_code == 302 and response.url == f"/staff/evaluation/sheets/{v2.pk}/edit/"
    assert (v2.version, v2.previous_id, v2.status) == (2, v1.pk, "draft")
    assert v2.correction_reason == "一般財源の誤記を訂正"
    assert [i.text for i in v2.improvements.all()] == [i.text for i in v1.improvements.all()]
    with pytest.raises(services.EvaluationError, match="新しい版"):
        services.sheet_correct(sheet=v1, reason="もう一度", actor=officer)
    services.sheet_update(sheet=v2, data={"cost_general": old_general + 1000}, actor=officer)

    # Until v2 is published the public still sees v1, and v2 is not public.
    client.logout()
    assert client.get(f"/evaluation/sheets/{v2.pk}/").status_code == 404
    year = selectors.year_figures(evaluation_data, 2026, public=True)
    assert year.for_measure(v1.measure_id).sheet.pk == v1.pk

    for target in ("submitted", "reviewed", "published"):
        services.sheet_transition(sheet=v2, target=target, actor=users["admin"])
    year = selectors.year_figures(evaluation_data, 2026, public=True)
    mf = year.for_measure(v1.measure_id)
    assert mf.sheet.pk == v2.pk
    assert mf.costs.project_cost == v1.project_cost + 1000
    # Both versions stay readable, each with its own inputs.
    old_page = client.get(f"/evaluation/sheets/{v1.pk}/").content.decode()
    new_page = client.get(f"/evaluation/sheets/{v2.pk}/").content.decode()
    assert f'data-figure="cost_general">{old_general:,}<' in old_page
    assert "より新しい版があります" in old_page
    assert f'data-figure="cost_general">{old_general + 1000:,}<' in new_page
    assert "一般財源の誤記を訂正" in new_page
    assert "第1版" in new_page and "第2版" in new_page
    client.force_login(users["viewer"])
    assert client.get(f"/staff/evaluation/sheets/{v1.pk}/").status_code == 200
    assert AuditEvent.objects.filter(
        code="evaluation.sheet.corrected", target_id=str(v2.pk)
    ).exists()


@pytest.mark.django_db
def test_demo_has_a_published_correction(evaluation_data):
    v2 = sheet_of(evaluation_data, "01", fy=2025)
    assert v2.version == 2 and v2.status == "published" and v2.previous.status == "published"
    assert "合成データ" in v2.correction_reason


@pytest.mark.django_db
def test_costs_personnel_and_follow_ups(evaluation_data, users):
    sheet = sheet_of(evaluation_data, "03")  # drafted by the demo, not submitted
    services.year_setting_save(
        strategy=evaluation_data, fiscal_year=2026, hourly_cost=4321, actor=users["admin"]
    )
    services.sheet_update(
        sheet=sheet,
        data={"staff_hours": Decimal("10.5"), **dict.fromkeys(Sheet.COST_FIELDS, 1000)},
        actor=users["officer"],
    )
    year = selectors.year_figures(evaluation_data, 2026, public=False)
    mf = year.for_measure(sheet.measure_id)
    # 10.5 h × 4,321 円 = 45,370.5 → 45,371 円 (rounded half up, to the yen).
    assert mf.costs.personnel_cost == 45_371
    assert mf.costs.project_cost == 5_000
    assert mf.costs.total_cost == 50_371
    # Last year's improvements are listed with what became of them.
    assert [f.status for _i, f in mf.follow_ups] == ["done", "ongoing"]
    last = sheet_of(evaluation_data, "03", fy=2025)
    other = sheet_of(evaluation_data, "04", fy=2025)
    with pytest.raises(services.EvaluationError, match="前年度の同じ施策"):
        services.follow_up_save(
            sheet=sheet,
            improvement=other.improvements.first(),
            status="done",
            note="",
            actor=users["officer"],
        )
    services.follow_up_save(
        sheet=sheet,
        improvement=last.improvements.last(),
        status="done",
        note="完了",
        actor=users["officer"],
    )
    mf = selectors.year_figures(evaluation_data, 2026, public=False).for_measure(sheet.measure_id)
    assert [f.status for _i, f in mf.follow_ups] == ["done", "done"]


@pytest.mark.django_db
def test_edit_form_shows_japanese_errors(evaluation_data, users, client):
    sheet = sheet_of(evaluation_data, "04")
    client.force_login(users["officer"])
    response = client.post(
        f"/staff/evaluation/sheets/{sheet.pk}/edit/",
        {
            "cost_national": "-5",
            "cost_prefectural": "0",
            "cost_bonds": "0",
            "cost_other": "0",
            "cost_general": "abc",
            "staff_hours": "1",
            "relevance": "A",
            "relevance_reason": "",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "入力内容を確認してください" in page
    assert "0円以上で入力してください。" in page
    assert "評価を選んだ場合は理由を書いてください。" in page
    assert "整数を入力してください。" in page
    # A viewer cannot open the form at all.
    client.force_login(users["viewer"])
    assert client.get(f"/staff/evaluation/sheets/{sheet.pk}/edit/").status_code == 404


@pytest.mark.django_db
def test_year_figures_queries_are_bounded(evaluation_data, django_assert_max_num_queries):
    with django_assert_max_num_queries(20):
        year = selectors.year_figures(evaluation_data, 2026, public=True)
        for mf in year.measures:
            if mf.sheet:
                list(mf.sheet.opinions.all())
                list(mf.sheet.improvements.all())


@pytest.mark.django_db
def test_strategy_guard_protects_measures_with_sheets(evaluation_data):
    from sangyo.strategy.models import Program

    programs = Program.objects.filter(measure__number="05", measure__strategy=evaluation_data)
    assert services.evaluation_guard(programs) == ["施策05には評価シートが2件あります"]
    assert services.evaluation_guard(programs[:1]) == []


@pytest.mark.django_db
def test_measure_page_links_its_published_sheets(evaluation_data, client):
    v2 = sheet_of(evaluation_data, "01", fy=2025)
    latest = sheet_of(evaluation_data, "01", fy=2026)
    page = client.get(f"/strategies/{evaluation_data.code}/measures/01/").content.decode()
    assert "この施策の評価" in page
    assert f"/evaluation/sheets/{v2.pk}/" in page and f"/evaluation/sheets/{latest.pk}/" in page
    assert f"/evaluation/sheets/{v2.previous_id}/" not in page  # the newest version only


@pytest.mark.django_db
def test_registered_signal_sources_reach_the_sheet(evaluation_data, client):
    from sangyo.evaluation import contrib

    def demand(*, strategy, fiscal_year):
        return [
            contrib.Signal("test.demand", "05", "合成 需要シグナル", 42, "件"),
            contrib.Signal("test.demand", None, "戦略全体", 1),
        ]

    contrib.register_signal_source("test.demand", demand)
    try:
        year = selectors.year_figures(evaluation_data, 2026, public=True)
        mf = year.for_measure(sheet_of(evaluation_data, "05").measure_id)
        assert [s.label for s in mf.signals] == ["合成 需要シグナル"]
        page = client.get(f"/evaluation/sheets/{mf.sheet.pk}/").content.decode()
        assert "合成 需要シグナル：42件" in page
    finally:
        contrib._SOURCES.pop("test.demand", None)


@pytest.mark.django_db
def test_pages_run_a_bounded_number_of_queries(
    evaluation_data, client, users, django_assert_max_num_queries
):
    sheet = sheet_of(evaluation_data, "05")
    with django_assert_max_num_queries(25):
        assert client.get("/evaluation/2026/").status_code == 200
    with django_assert_max_num_queries(25):
        assert client.get(f"/evaluation/sheets/{sheet.pk}/").status_code == 200
    client.force_login(users["viewer"])
    with django_assert_max_num_queries(30):
        assert client.get(f"/staff/evaluation/sheets/{sheet.pk}/").status_code == 200
