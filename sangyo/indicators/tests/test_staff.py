"""Staff pages for indicators, through the views: entering and revising figures, revising
targets, defining (computed) indicators, and imports as background jobs (Celery runs
eagerly in tests; `on_commit` callbacks are executed explicitly)."""

from __future__ import annotations

import datetime
import json
import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import NoReverseMatch, reverse

import sangyo.indicators.jobs  # noqa: F401 - registers the job handlers, as apps.ready() will
from sangyo.core.models import AuditEvent, Job
from sangyo.core.tabular import write_csv
from sangyo.indicators.imports import IMPORT_COLUMNS
from sangyo.indicators.models import Indicator, Observation, ObservationRevision
from sangyo.indicators.services import current_target
from sangyo.indicators.tests.factories import indicator, observe

pytestmark = pytest.mark.django_db

INDEX = "/staff/indicators/"
IMPORT = "/staff/indicators/import/"


@pytest.fixture
def officer(client, users):
    client.force_login(users["officer"])
    return client


@pytest.fixture
def ind(tsukuba):
    return indicator(
        strategy=tsukuba,
        measure=tsukuba.measures.get(number="06"),
        code="synthetic-m06-consultations",
        name_ja="合成データ相談件数",
    )


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


# --------------------------------------------------------------------------- index


def test_index_lists_indicators_with_latest_value_in_bounded_queries(
    officer, tsukuba, ind, django_assert_max_num_queries
):
    observe(ind, 2024, "1234", status="preliminary")
    with django_assert_max_num_queries(12):
        response = officer.get(INDEX)
    html = response.content.decode()
    assert "合成データ相談件数" in html
    assert "1,234" in html
    assert reverse("indicators_staff:observe", args=[ind.pk]) in html
    # More indicators do not mean more queries.
    for n in range(10):
        observe(indicator(strategy=tsukuba, code=f"synthetic-extra-{n}"), 2024, n)
    with django_assert_max_num_queries(12):
        officer.get(INDEX)


def test_viewer_sees_the_list_without_edit_links(client, users, ind):
    client.force_login(users["viewer"])
    html = client.get(INDEX).content.decode()
    assert "合成データ相談件数" in html
    assert reverse("indicators_staff:observe", args=[ind.pk]) not in html
    assert reverse("indicators_staff:import") not in html


# --------------------------------------------------------------------------- one observation


def test_observation_form_adds_then_reports_unchanged_then_revises_keeping_history(officer, ind):
    url = reverse("indicators_staff:observe", args=[ind.pk])
    form = {
        "fiscal_year": "2024",
        "value": "１４，３８３",
        "status": "preliminary",
        "source": "合成データ統計",
        "published_on": "令和7年6月30日",
        "note": "",
    }
    r = officer.post(url, form, follow=True)
    assert "2024年度の値を登録しました。" in messages_of(r)
    obs = Observation.objects.get(indicator=ind, fiscal_year=2024)
    assert obs.value == Decimal("14383")
    assert obs.published_on == datetime.date(2025, 6, 30)

    r = officer.post(url, form | {"value": "14383"}, follow=True)
    assert any("変更はありません" in m for m in messages_of(r))
    assert not ObservationRevision.objects.exists()

    r = officer.post(url, form | {"value": "14520", "status": "final"}, follow=True)
    assert any("以前の値（14,383）は履歴に残しています" in m for m in messages_of(r))
    obs.refresh_from_db()
    assert (obs.value, obs.status) == (Decimal("14520"), "final")
    assert ObservationRevision.objects.get(observation=obs).value == Decimal("14383")
    # The page shows the figure and its history.
    html = r.content.decode()
    assert "14,520" in html and "14,383" in html


def test_observation_form_errors_are_in_japanese_and_linked(officer, ind):
    url = reverse("indicators_staff:observe", args=[ind.pk])
    r = officer.post(
        url,
        {
            "fiscal_year": "2024",
            "value": "***",
            "status": "final",
            "published_on": "令和7年2月30日",
        },
    )
    html = r.content.decode()
    assert r.status_code == 200
    assert 'role="alert"' in html
    assert "エラー：" in html
    assert "数値を入力してください" in html
    assert "存在しない日付です" in html
    assert 'aria-describedby="id_value_error"' in html
    assert not Observation.objects.filter(indicator=ind).exists()


# --------------------------------------------------------------------------- targets


def test_target_revision_with_baseline_year_not_stated(officer, users, ind):
    url = reverse("indicators_staff:revise", args=[ind.pk])
    page = officer.get(url)
    assert page.context["form"].initial["baseline_value"] == "100"
    r = officer.post(
        url,
        {
            "baseline_value": "100",
            "baseline_fy_not_stated": "on",
            "target_value": "15,000",
            "target_fy": "2029",
            "decided_on": "令和8年4月1日",
            "reason": "中間見直し（合成データ）",
            "approved_by": "産業振興審議会",
        },
        follow=True,
    )
    assert any("目標値の改定を記録しました" in m for m in messages_of(r))
    current = current_target(ind)
    assert current.baseline_fy is None
    assert current.target_value == Decimal("15000")
    assert current.decided_on == datetime.date(2026, 4, 1)
    assert current.recorded_by == users["officer"]
    assert ind.revisions.count() == 2
    event = AuditEvent.objects.filter(code="indicators.target.revised").latest("id")
    assert event.actor == users["officer"]
    html = r.content.decode()
    assert "記載なし" in html and "中間見直し（合成データ）" in html


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"baseline_fy": "", "baseline_fy_not_stated": ""},
            "「基準年度は記載なし」を選んでください",
        ),
        ({"baseline_fy": "2024", "baseline_fy_not_stated": "on"}, "どちらか一方にしてください"),
        ({"reason": ""}, "このフィールドは必須です"),
        ({"approved_by": ""}, "このフィールドは必須です"),
    ],
)
def test_target_revision_form_errors(officer, ind, changes, message):
    form = {
        "baseline_value": "100",
        "baseline_fy": "2024",
        "target_value": "150",
        "target_fy": "2029",
        "decided_on": "2026-04-01",
        "reason": "合成データ",
        "approved_by": "部長",
    }
    r = officer.post(reverse("indicators_staff:revise", args=[ind.pk]), form | changes)
    assert message in r.content.decode()
    assert ind.revisions.count() == 1


def test_maintain_indicator_target_must_equal_baseline(officer, tsukuba):
    ind = indicator(strategy=tsukuba, direction="maintain", baseline="79", target="79")
    r = officer.post(
        reverse("indicators_staff:revise", args=[ind.pk]),
        {
            "baseline_value": "79",
            "baseline_fy_not_stated": "on",
            "target_value": "80",
            "target_fy": "2029",
            "decided_on": "2026-04-01",
            "reason": "合成データ",
            "approved_by": "部長",
        },
    )
    assert "「維持」の指標は基準値と目標値を同じにしてください" in r.content.decode()
    assert ind.revisions.count() == 1


# --------------------------------------------------------------------------- definitions


def create_form(**changes):
    return {
        "measure": "",
        "level": "measure_output",
        "code": "synthetic-m06-support",
        "name_ja": "合成データ支援事業者数",
        "name_en": "Synthetic supported businesses",
        "unit_ja": "社",
        "unit_en": "businesses",
        "kind": "flow",
        "direction": "increase",
        "tolerance_pct": "10",
        "method": "ratio",
        "path": "linear",
        "steps": "",
        "source_ja": "",
        "obtained": "entered",
        "computation": "",
        "baseline_value": "10",
        "baseline_fy": "2024",
        "target_value": "20",
        "target_fy": "2029",
        "decided_on": "2025-04-01",
        "reason": "指標の新設（合成データ）",
        "approved_by": "経済部長",
    } | changes


def test_computed_indicator_is_defined_refreshed_and_described(officer, tsukuba, users):
    from sangyo.registry.tests.factories import business, support_record

    measure = tsukuba.measures.get(number="06")
    program = measure.programs.order_by("order").first()
    r = officer.post(
        reverse("indicators_staff:create"),
        create_form(
            measure=str(measure.pk),
            obtained="computed",
            computation="registry.support_records",
            comp_measures=["06"],
            comp_kinds=["consultation", "subsidy"],
            comp_distinct="on",
            path="stepped",
            steps="2026=12\n令和9年度=14",
        ),
        follow=True,
    )
    ind = Indicator.objects.get(strategy=tsukuba, code="synthetic-m06-support")
    assert ind.computation_params == {
        "measures": ["06"],
        "kinds": ["consultation", "subsidy"],
        "distinct_businesses": True,
    }
    assert ind.steps == {"2026": "12", "2027": "14"}
    assert current_target(ind).reason == "指標の新設（合成データ）"
    definition = "支援実績（施策06、種類「相談・伴走支援・補助金の交付」）を受けた事業者の数（年度ごと、重複を除く）"
    assert any(definition in m for m in messages_of(r))
    assert definition in r.content.decode()  # the indicator page states it too

    a, b = business(), business()
    support_record(business_obj=a, program=program, date=datetime.date(2025, 5, 1))
    support_record(business_obj=a, program=program, date=datetime.date(2025, 6, 1))
    support_record(business_obj=b, program=program, date=datetime.date(2025, 7, 1), kind="event")
    r = officer.post(reverse("indicators_staff:refresh", args=[ind.pk]), follow=True)
    assert any("再集計しました: 追加1件" in m for m in messages_of(r))
    assert dict(ind.observations.values_list("fiscal_year", "value")) == {2025: Decimal(1)}
    # Computed figures cannot be typed in.
    r = officer.post(
        reverse("indicators_staff:observe", args=[ind.pk]),
        {"fiscal_year": "2025", "value": "5", "status": "final"},
    )
    assert "自動集計の指標には値を入力できません" in r.content.decode()
    assert ind.observations.get().value == Decimal(1)


def test_refresh_is_post_only(officer, ind):
    assert officer.get(reverse("indicators_staff:refresh", args=[ind.pk])).status_code == 405


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"path": "stepped"}, "中間目標を1つ以上入力してください"),
        ({"steps": "2026 15000", "path": "stepped"}, "「年度=値」として読めません"),
        ({"obtained": "computed"}, "集計定義を選んでください"),
        ({"direction": "maintain"}, "「維持」の指標は基準値と目標値を同じにしてください"),
        ({"code": "not a slug"}, "半角の英数字・ハイフン・アンダースコアだけで入力してください"),
    ],
)
def test_indicator_form_errors_create_nothing(officer, tsukuba, changes, message):
    measure = tsukuba.measures.get(number="06")
    before = Indicator.objects.count()
    r = officer.post(
        reverse("indicators_staff:create"), create_form(measure=str(measure.pk), **changes)
    )
    assert r.status_code == 200
    assert message in r.content.decode()
    assert Indicator.objects.count() == before


def test_duplicate_code_is_refused(officer, tsukuba, ind):
    measure = tsukuba.measures.get(number="06")
    r = officer.post(
        reverse("indicators_staff:create"), create_form(measure=str(measure.pk), code=ind.code)
    )
    assert r.status_code == 200
    assert "エラー：" in r.content.decode()
    assert Indicator.objects.filter(code=ind.code).count() == 1


# --------------------------------------------------------------------------- bulk import


def upload(client, django_capture_on_commit_callbacks, data, name="obs.csv", dry_run=True):
    form = {"file": SimpleUploadedFile(name, data)}
    if dry_run:
        form["dry_run"] = "on"
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(IMPORT, form)
    assert r.status_code == 302, r.content.decode()[:2000]
    job = Job.objects.get(pk=int(re.search(r"/staff/jobs/(\d+)/", r.url)[1]))
    assert job.status == Job.Status.SUCCEEDED, job.error
    return job


def apply(client, django_capture_on_commit_callbacks, job):
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(reverse("indicators_staff:import_result", args=[job.pk]))
    assert r.status_code == 302
    new = Job.objects.get(pk=int(re.search(r"/staff/jobs/(\d+)/", r.url)[1]))
    assert new.status == Job.Status.SUCCEEDED, new.error
    return new


N_INDICATORS, YEARS = 400, list(range(2015, 2040))  # 400 × 25 = 10,000 rows
BAD_INDEX = 6_789  # data row (0-based) that gets "***"


@pytest.fixture
def many(tsukuba):
    return [
        indicator(strategy=tsukuba, code=f"synthetic-{n:03d}", name_ja=f"合成データ指標{n:03d}")
        for n in range(N_INDICATORS)
    ]


def ten_thousand_rows(strategy, indicators, bad_index=None) -> bytes:
    rows = []
    for ind in indicators:
        for fy in YEARS:
            value = f"{(len(rows) * 7) % 100_000:,}"
            if len(rows) == bad_index:
                value = "***"
            rows.append(
                [strategy.code, ind.code, fy, value, "final", "合成データ", "2025-06-30", ""]
            )
    assert len(rows) == 10_000
    return write_csv(IMPORT_COLUMNS, rows)


def test_ten_thousand_rows_with_one_bad_row_then_fixed_then_reimported(
    officer, tsukuba, many, django_capture_on_commit_callbacks
):
    bad = ten_thousand_rows(tsukuba, many, bad_index=BAD_INDEX)
    line = BAD_INDEX + 2  # the header is line 1
    for dry_run in (True, False):
        job = upload(officer, django_capture_on_commit_callbacks, bad, dry_run=dry_run)
        assert job.result["error_count"] == 1
        assert job.result["errors"] == [f'{line}行目「value」: 数値ではありません（"***"）']
        assert not Observation.objects.filter(indicator__in=many).exists()
    # The job page leads to the result page, which names the row and offers no apply.
    page = officer.get(reverse("job_detail", args=[job.pk])).content.decode()
    assert job.result["next_url"] in page
    result_page = officer.get(job.result["next_url"]).content.decode()
    assert f"{line}行目「value」" in result_page
    assert "この内容で反映する" not in result_page

    fixed = ten_thousand_rows(tsukuba, many)
    dry = upload(officer, django_capture_on_commit_callbacks, fixed)
    assert dry.result["counts"] == {"added": 10_000, "revised": 0, "unchanged": 0}
    assert not Observation.objects.filter(indicator__in=many).exists()
    assert "この内容で反映する" in officer.get(dry.result["next_url"]).content.decode()

    applied = apply(officer, django_capture_on_commit_callbacks, dry)
    assert applied.result["counts"] == {"added": 10_000, "revised": 0, "unchanged": 0}
    assert Observation.objects.filter(indicator__in=many).count() == 10_000
    assert AuditEvent.objects.filter(code="indicators.observation.imported").count() == 1
    # The dry run cannot be applied twice.
    assert "すでに反映" in officer.get(dry.result["next_url"]).content.decode()

    again = upload(officer, django_capture_on_commit_callbacks, fixed)
    assert again.result["counts"] == {"added": 0, "revised": 0, "unchanged": 10_000}


def test_revisions_through_an_import_keep_history(
    officer, tsukuba, ind, django_capture_on_commit_callbacks
):
    observe(ind, 2024, "100", status="preliminary")
    data = write_csv(
        IMPORT_COLUMNS,
        [
            [tsukuba.code, ind.code, 2024, "110", "確定値", "合成データ確報", "R7.6.30", ""],
            [tsukuba.code, ind.code, 2025, "120", "速報値", "", "", ""],
        ],
        encoding="cp932",
    )
    dry = upload(officer, django_capture_on_commit_callbacks, data)
    assert dry.result["counts"] == {"added": 1, "revised": 1, "unchanged": 0}
    assert dry.result["changes"][0]["change"] == "revised"
    html = officer.get(dry.result["next_url"]).content.decode()
    assert "改定" in html and "110" in html
    apply(officer, django_capture_on_commit_callbacks, dry)
    obs = Observation.objects.get(indicator=ind, fiscal_year=2024)
    assert (obs.value, obs.status, obs.published_on) == (
        Decimal(110),
        "final",
        datetime.date(2025, 6, 30),
    )
    assert obs.history.get().value == Decimal(100)


def test_import_result_is_only_for_its_owner_or_an_admin(
    client, users, make_user, tsukuba, ind, django_capture_on_commit_callbacks
):
    client.force_login(users["officer"])
    data = write_csv(IMPORT_COLUMNS, [[tsukuba.code, ind.code, 2024, "1", "", "", "", ""]])
    job = upload(client, django_capture_on_commit_callbacks, data)
    url = reverse("indicators_staff:import_result", args=[job.pk])
    client.force_login(make_user("officer", email="other-officer@example.test"))
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    client.force_login(users["admin"])
    assert client.get(url).status_code == 200


def test_import_form_refuses_other_file_types(officer, tsukuba):
    r = officer.post(IMPORT, {"file": SimpleUploadedFile("obs.pdf", b"%PDF"), "dry_run": "on"})
    assert r.status_code == 200
    assert "のファイルを選んでください" in r.content.decode()
    assert not Job.objects.exists()


def test_public_export_reimports_without_changes(
    officer, tsukuba, ind, django_capture_on_commit_callbacks
):
    try:
        url = reverse("indicators:download_csv")
    except NoReverseMatch:
        pytest.skip("the public CSV export is not there yet")
    kpi = Indicator.objects.filter(strategy=tsukuba, level="outcome_kpi").first()
    observe(
        kpi, 2024, "14520.5", status="preliminary", source="合成データ", note="注記（合成データ）"
    )
    observe(ind, 2025, "12", published_on=datetime.date(2026, 5, 1))
    computed = indicator(
        strategy=tsukuba,
        obtained=Indicator.Obtained.COMPUTED,
        computation="registry.support_records",
        computation_params={},
    )
    from sangyo.indicators.services import ObservationInput, _apply_observation

    _apply_observation(computed, ObservationInput(fiscal_year=2025, value=Decimal(3)), None, "test")
    exported = officer.get(url)
    assert exported.status_code == 200
    data = b"".join(exported.streaming_content) if exported.streaming else exported.content
    job = upload(officer, django_capture_on_commit_callbacks, data, name="export.csv")
    assert job.result["error_count"] == 0, job.result["errors"]
    assert job.result["counts"] == {"added": 0, "revised": 0, "unchanged": 2}
    assert job.result["skipped_computed"] == 1


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_staff_template_download_reimports_without_changes(
    officer, tsukuba, ind, fmt, django_capture_on_commit_callbacks
):
    observe(
        ind,
        2024,
        "1234.5",
        source="合成データ",
        note="注記",
        published_on=datetime.date(2025, 6, 1),
    )
    r = officer.get(reverse("indicators_staff:import_template") + f"?format={fmt}")
    assert r.status_code == 200
    job = upload(officer, django_capture_on_commit_callbacks, r.content, name=f"template.{fmt}")
    assert job.result["counts"] == {"added": 0, "revised": 0, "unchanged": 1}
    assert job.result["skipped"] > 0  # the empty years of the plan


# --------------------------------------------------------------------------- e-Stat


def estat_file(values) -> SimpleUploadedFile:
    doc = {
        "GET_STATS_DATA": {
            "RESULT": {"STATUS": 0},
            "STATISTICAL_DATA": {
                "TABLE_INF": {
                    "@id": "0000000002",
                    "STATISTICS_NAME": "合成データ 経済センサス",
                    "TITLE": "事業所数（合成データ）",
                    "OPEN_DATE": "2023-06-27",
                },
                "CLASS_INF": {
                    "CLASS_OBJ": {
                        "@id": "time",
                        "@name": "時間軸",
                        "CLASS": {"@code": "2021100000", "@name": "2021年度"},
                    }
                },
                "DATA_INF": {"VALUE": values},
            },
        }
    }
    return SimpleUploadedFile("estat.json", json.dumps(doc, ensure_ascii=False).encode())


def test_estat_preview_writes_nothing_then_apply(officer, client, users, tsukuba, ind):
    url = reverse("indicators_staff:import_estat")
    page = officer.get(url)
    assert page.context["form"]["area_code"].initial == "08220"
    values = [
        {"@area": "08220", "@time": "2021100000", "@unit": "件", "$": "9,876"},
        {"@area": "08220", "@time": "2022100000", "@unit": "件", "$": "***"},
        {"@area": "08201", "@time": "2021100000", "@unit": "件", "$": "5"},
    ]
    r = officer.post(
        url,
        {
            "file": estat_file(values),
            "indicator": str(ind.pk),
            "area_code": "08220",
            "year_type": "fiscal",
            "cat_filters": "",
        },
    )
    html = r.content.decode()
    assert r.status_code == 200
    assert "2021年度" in html and "9,876" in html and "***" in html
    assert "数値でない値（1件）" in html
    assert r.context["counts"] == {"added": 1, "revised": 0, "unchanged": 0}
    assert not Observation.objects.filter(indicator=ind).exists()
    token = r.context["token"]

    r = officer.post(url, {"token": token}, follow=True)
    assert any("追加1件" in m for m in messages_of(r))
    obs = Observation.objects.get(indicator=ind)
    assert (obs.fiscal_year, obs.value, obs.published_on) == (
        2021,
        Decimal(9876),
        datetime.date(2023, 6, 27),
    )
    assert "事業所数（合成データ）" in obs.source
    # A token is bound to the person who previewed.
    client.force_login(users["admin"])
    assert client.post(url, {"token": token}).status_code == 404


def test_estat_bad_token_is_refused(officer, tsukuba):
    r = officer.post(reverse("indicators_staff:import_estat"), {"token": "forged"}, follow=True)
    assert any("有効期限" in m for m in messages_of(r))
