"""Public indicator pages: the strategy dashboard, an indicator's page, the measure panel."""

from __future__ import annotations

import datetime
import html
import importlib.util
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sangyo.indicators import services
from sangyo.indicators.models import Indicator
from sangyo.indicators.tests.factories import indicator, observe

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[3]


def bench_module():
    spec = importlib.util.spec_from_file_location(
        "bench_dashboard", ROOT / "bench" / "bench_dashboard.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def page(client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, url
    return html.unescape(response.content.decode())


def card(text: str, name: str) -> str:
    """The dashboard card whose heading links to `name`."""
    for article in re.findall(r"<article.*?</article>", text, re.S):
        if f">{name}</a></h4>" in article:
            return article
    raise AssertionError(f"no card for {name}")


def without_svg(text: str) -> str:
    return re.sub(r"<svg.*?</svg>", "", text, flags=re.S)


@pytest.fixture
def gmp(tsukuba):
    return Indicator.objects.get(strategy=tsukuba, code="gross-municipal-product")


def test_dashboard_is_public_and_shows_every_vision_kpi(client, tsukuba):
    text = page(client, "/indicators/")
    for ind in Indicator.objects.filter(strategy=tsukuba, level="outcome_kpi"):
        article = card(text, ind.name_ja)
        assert f'href="/indicators/{ind.pk}/"' in article
        assert "<svg" in article and 'role="img"' in article
        # The same data as a table, for screen readers, beside the chart.
        assert "<table" in article and "<caption" in article
        target = ind.revisions.get()
        assert f"{target.target_value:,.0f} {ind.unit_ja}（令和11年度（2029年度））" in article
    assert "実績なし" in text  # nothing entered yet: said so, not a failure


def test_kpi_card_shows_latest_value_target_status_reason_and_chart(client, gmp):
    observe(gmp, 2025, 14800, source="茨城県 市町村民経済計算")
    observe(gmp, 2026, 14900, status="preliminary", published_on=datetime.date(2027, 6, 1))
    article = card(page(client, "/indicators/"), "市内総生産")
    visible = without_svg(article)
    assert "14,900" in visible and "令和8年度（2026年度）" in visible
    assert "速報値" in visible  # the vintage of the latest figure
    assert "16,234 億円（令和11年度（2029年度））" in visible
    assert "▲ 概ね順調" in re.sub(r"<[^>]+>", "", visible)  # shape and words, not colour
    assert "計画どおりの進捗の 69.8%" in visible  # the reason, in words
    assert "2026年度の速報値（2027年6月1日公表）による判定" in visible
    # The table beside the chart carries the same figures.
    table = re.search(r"<table.*?</table>", article, re.S).group(0)
    assert "14,800" in table and "14,900" in table and "速報" in table and "確定" in table
    assert "15,123.4" in table  # the path's expected value for FY2026


def test_preliminary_and_final_are_told_apart(client, gmp):
    observe(gmp, 2025, 14800)
    text = without_svg(card(page(client, "/indicators/"), "市内総生産"))
    assert "確定値" in text and "速報値" not in text.split("<figure")[0]


def test_baseline_year_not_stated_is_noted_on_both_pages(client, gmp):
    observe(gmp, 2025, 14800)
    note = "基準値の年度が示されていないため、計画開始の前年度（2024年度）の値とみなして"
    assert note in card(page(client, "/indicators/"), "市内総生産")
    detail = page(client, f"/indicators/{gmp.pk}/")
    assert note in detail
    assert "記載なし" in detail  # in the revision table's baseline year


def test_revised_figure_shows_its_history_and_the_dashboard_uses_the_latest(client, gmp):
    observe(gmp, 2025, 14700, status="preliminary", source="速報")
    observe(gmp, 2025, 14750, status="final", source="確報")
    observe(gmp, 2025, 14810, status="final", source="確報（遡及改定）")
    visible = without_svg(card(page(client, "/indicators/"), "市内総生産"))
    assert "14,810" in visible and "14,700" not in visible and "14,750" not in visible
    assert "2回改定後の値" in visible
    detail = page(client, f"/indicators/{gmp.pk}/")
    assert "この数値は2回改定されています" in detail
    history = detail[detail.index("改定の履歴</h3>") :]
    assert history.index("14,810") < history.index("14,750") < history.index("14,700")
    assert "確報（遡及改定）" in history and "速報" in history


@pytest.mark.parametrize(("years", "shown"), [(2, False), (3, True)])
def test_projection_only_with_three_points(client, gmp, years, shown):
    for fy, value in list({2025: 14800, 2026: 15100, 2027: 15450}.items())[:years]:
        observe(gmp, fy, value)
    article = without_svg(card(page(client, "/indicators/"), "市内総生産"))
    assert ("見通し（参考）</span>" in article) is shown
    assert ("95%予測区間" in article) is shown
    detail = page(client, f"/indicators/{gmp.pk}/")
    assert ("<h3>見通し（参考）</h3>" in detail) is shown
    if not shown:
        assert "実績が3年度分以上あり" in detail


def test_detail_page_traces_the_dashboard_figure(client, gmp):
    observe(
        gmp, 2025, 14800, source="茨城県 市町村民経済計算", published_on=datetime.date(2027, 3, 1)
    )
    observe(gmp, 2026, 14900, source="茨城県 市町村民経済計算")
    dashboard = without_svg(card(page(client, "/indicators/"), "市内総生産"))
    detail = page(client, f"/indicators/{gmp.pk}/")
    share = re.search(r"計画どおりの進捗の ([\d.]+)%", dashboard).group(1)
    trace = detail[detail.index("この数値の求め方") : detail.index('id="definition-heading"')]
    # Observation → expected value on the path → share → band, with the same numbers.
    assert "2026年度の最新の版の値 14,900" in trace
    assert "基準値 14,383 ＋（目標値 16,234 − 基準値 14,383）× 経過年数 2 ÷ 全体の年数 5" in trace
    assert f"× 100 ＝ {share}%" in trace
    assert "達成率 27.9%" in trace  # the declared (baseline-relative) method
    # Method, definition, source and the full history.
    assert "基準値からの進捗率（(実績−基準)÷(目標−基準)）" in detail
    assert "茨城県「市町村民経済計算」" in detail
    assert "職員が入力" in detail
    assert "計画どおりの進捗の100%以上" in detail and "上記以外" in detail
    assert "2027年3月1日" in detail


def test_detail_shows_target_revisions_with_reason_and_approver(client, gmp):
    services.target_revise(
        indicator=gmp,
        baseline_value=Decimal(14383),
        baseline_fy=2023,
        target_value=Decimal(16500),
        target_fy=2029,
        decided_on=datetime.date(2026, 4, 1),
        reason="合成データ：中間見直しによる上方修正",
        approved_by="産業戦略推進会議（合成データ）",
        actor="test",
    )
    detail = page(client, f"/indicators/{gmp.pk}/")
    revisions = detail[
        detail.index('id="revisions-heading"') : detail.index('id="observations-heading"')
    ]
    assert revisions.index("16,500") < revisions.index("16,234")  # newest first
    assert "合成データ：中間見直しによる上方修正" in revisions
    assert "産業戦略推進会議（合成データ）" in revisions
    assert "戦略ファイルに記載の基準値・目標値" in revisions
    assert "目標値は1回改定されています" in revisions
    # The dashboard judges against the revision in force.
    assert "16,500 億円" in card(page(client, "/indicators/"), "市内総生産")


def test_maintain_kpi_shows_tolerance(client, tsukuba):
    founders = Indicator.objects.get(strategy=tsukuba, code="new-founders")
    observe(founders, 2025, 70)
    article = without_svg(card(page(client, "/indicators/"), "市内における新規創業者数"))
    assert "■ 要改善" in re.sub(r"<[^>]+>", "", article)
    assert "許容幅 ±10% を超える" in article
    detail = page(client, f"/indicators/{founders.pk}/")
    assert "維持の許容幅" in detail and "±10%" in detail
    assert "許容幅以内" in detail


def test_inconsistent_definition_shows_cannot_judge_not_an_error(client, tsukuba):
    measure = tsukuba.measures.get(number="03")
    ind = indicator(strategy=tsukuba, measure=measure, baseline="100", target="90")
    observe(ind, 2025, 95)
    dashboard = page(client, "/indicators/")
    assert "？ 判定できません" in re.sub(r"<[^>]+>", "", dashboard)
    detail = page(client, f"/indicators/{ind.pk}/")
    assert "判定できません" in detail
    assert "目標値 90 が基準値 100 を下回っている" in detail
    assert "95" in detail  # the figure is still shown
    # The measure page and the API carry on too.
    assert "判定できません" in page(client, "/strategy/measures/03/")
    assert client.get(f"/api/v1/indicators/{ind.pk}").json()["assessment"]["status"] == "not_judged"


def test_computed_indicator_definition_in_words(client, tsukuba):
    measure = tsukuba.measures.get(number="06")
    ind = indicator(
        strategy=tsukuba,
        measure=measure,
        obtained=Indicator.Obtained.COMPUTED,
        computation="registry.support_records",
        computation_params={"measures": ["06"]},
    )
    detail = page(client, f"/indicators/{ind.pk}/")
    assert "支援実績などから自動集計" in detail
    assert "支援実績（施策06）の件数（年度ごと）" in detail


def test_measure_level_indicators_listed_by_measure_without_charts(client, tsukuba):
    m1, m2 = tsukuba.measures.get(number="01"), tsukuba.measures.get(number="12")
    a = indicator(strategy=tsukuba, measure=m1, name_ja="合成データ 相談件数")
    b = indicator(strategy=tsukuba, measure=m2, name_ja="合成データ 参加者数")
    observe(a, 2025, 105)
    text = page(client, "/indicators/")
    section = text[text.index('id="measure-indicators"') : text.index('id="open-data"')]
    assert "<svg" not in section
    assert section.index("施策01") < section.index("合成データ 相談件数") < section.index("施策12")
    assert section.index("施策12") < section.index("合成データ 参加者数")
    assert f'href="/indicators/{a.pk}/"' in section and f'href="/indicators/{b.pk}/"' in section
    assert "● 順調" in re.sub(r"<[^>]+>", "", section)
    assert "－ 実績なし" in re.sub(r"<[^>]+>", "", section)


def test_dashboard_runs_the_same_queries_for_20_and_200_indicators(client, tsukuba):
    bench = bench_module()

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/indicators/").status_code == 200
        return len(ctx.captured_queries)

    assert bench.create_synthetic(tsukuba, total=20, years=10) == 20
    small = count()
    assert bench.create_synthetic(tsukuba, total=200, years=10) == 200
    large = count()
    assert small == large <= 8
    text = page(client, "/indicators/")
    assert text.count("<svg") == 4  # charts for the vision KPIs only
    assert "合成データ指標 196" in text


def test_measure_panel_lists_indicators_or_nothing(client, tsukuba, django_assert_max_num_queries):
    measure = tsukuba.measures.get(number="05")
    assert "この施策の指標" not in page(client, "/strategy/measures/05/")
    ind = indicator(strategy=tsukuba, measure=measure, name_ja="合成データ 出店支援件数")
    observe(ind, 2025, 104, status="preliminary")
    text = page(client, "/strategy/measures/05/")
    panel = text[text.index("この施策の指標") :]
    assert f'<a href="/indicators/{ind.pk}/">合成データ 出店支援件数</a>' in panel
    assert "104 件" in panel and "速報値" in panel and "順調" in panel
    with CaptureQueriesContext(connection) as one:
        client.get("/strategy/measures/05/")
    for n in range(5):
        extra = indicator(strategy=tsukuba, measure=measure)
        observe(extra, 2025, 100 + n)
        observe(extra, 2026, 101 + n)
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert client.get("/strategy/measures/05/").status_code == 200


def test_detail_page_runs_a_fixed_number_of_queries(client, gmp, django_assert_max_num_queries):
    for fy in range(2016, 2026):
        observe(gmp, fy, 14000 + fy)
        observe(gmp, fy, 14001 + fy, status="final")
    with django_assert_max_num_queries(6):
        assert client.get(f"/indicators/{gmp.pk}/").status_code == 200


def test_unknown_indicator_is_404(client, tsukuba):
    assert client.get("/indicators/999999/").status_code == 404


def test_english_uses_the_english_texts(client, gmp):
    observe(gmp, 2025, 14800)
    client.cookies["django_language"] = "en"
    text = page(client, "/indicators/")
    article = without_svg(card(text, "Gross municipal product"))
    assert "Expected value for FY2025" in article
    assert "On track" in article
    assert "The baseline year is not stated" in article


def test_open_data_section_with_licence_from_settings(client, tsukuba, settings):
    text = page(client, "/indicators/")
    section = text[text.index('id="open-data"') :]
    assert 'href="/indicators/download.csv"' in section
    assert 'href="/indicators/download.json"' in section
    assert "CC BY 4.0" in section
    settings.SANGYO_OPEN_DATA_LICENCE = "CC BY 4.0（つくば市・合成データ）"
    assert "CC BY 4.0（つくば市・合成データ）" in page(client, "/indicators/")
