"""The 国税庁 法人番号 importer: plan, dry run, apply, re-import, refusals, and the screens
from upload to apply. Files are SYNTHETIC (bench/gen_nta.py: 「合成データ株式会社 00042」)."""

import csv
import importlib.util
import io
import zipfile
from datetime import date
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sangyo.core.models import AuditEvent, Job
from sangyo.core.text import normalize_for_match
from sangyo.registry import imports
from sangyo.registry.imports import nta_import
from sangyo.registry.models import Business, ImportRun
from sangyo.registry.nta import COLUMNS
from sangyo.registry.tests.factories import DistrictFactory

ROOT = Path(__file__).resolve().parents[3]
TSUKUBA5 = "08220"


def _gen_nta():
    spec = importlib.util.spec_from_file_location("gen_nta", ROOT / "bench" / "gen_nta.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


gen_nta = _gen_nta()
col = COLUMNS.index


def rows_of(data: bytes, encoding: str = "cp932") -> list[list[str]]:
    return [r for r in csv.reader(io.StringIO(data.decode(encoding))) if r]


def to_bytes(rows: list[list[str]], encoding: str = "cp932") -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue().encode(encoding)


def in_city(rows):
    return [r for r in rows if r[col("prefectureCode")] + r[col("cityCode")] == TSUKUBA5]


def edit(data: bytes, number: str, **changes: str) -> bytes:
    """The file with the row of one corporate number changed (column name → new value)."""
    rows = rows_of(data)
    for r in rows:
        if r[col("corporateNumber")] == number:
            for column, value in changes.items():
                r[col(column)] = value
    return to_bytes(rows)


def run_nta(data: bytes, *, dry_run: bool = False, actor="test", **kw) -> ImportRun:
    return nta_import(data=data, filename="nta.csv", actor=actor, dry_run=dry_run, **kw)


@pytest.fixture
def small():
    """200 synthetic rows, about 80% in つくば市."""
    return gen_nta.generate(200, seed=7, encoding="cp932", city=TSUKUBA5)


# --------------------------------------------------------------------------- plan and apply


def test_dry_run_counts_and_writes_no_business(tsukuba, small):
    rows = rows_of(small)
    here = in_city(rows)
    closed = [r for r in here if r[col("process")] == "21"]
    run = run_nta(small, dry_run=True)
    assert run.succeeded and run.mode == ImportRun.Mode.DRY_RUN
    assert run.counts["rows"] == 200
    assert run.counts["new"] == len(here) and run.counts["new_closed"] == len(closed)
    assert run.counts["skipped_other_city"] == 200 - len(here)
    assert run.counts["updated"] == run.counts["unchanged"] == run.counts["rejected"] == 0
    assert run.encoding == "cp932"
    assert Business.objects.count() == 0
    assert not AuditEvent.objects.filter(code="registry.import.applied").exists()


def test_apply_creates_businesses_with_derived_fields(tsukuba, small):
    district = DistrictFactory(municipality_code="082201", address_prefixes=["合成町3丁目"])
    run = run_nta(small)
    assert run.succeeded and run.mode == ImportRun.Mode.APPLY
    here = in_city(rows_of(small))
    assert Business.objects.count() == len(here) == run.counts["new"]
    # Only the city's corporations: none of another municipality came in.
    assert set(Business.objects.values_list("city_code", flat=True)) == {"082201"}
    row = next(r for r in here if r[col("process")] == "01")
    b = Business.objects.get(corporate_number=row[col("corporateNumber")])
    assert b.name == row[col("name")] and b.name_en == row[col("enName")]
    assert b.kana == "ゴウセイデータ" and b.search_kana == "ごうせいでーた"
    assert b.search_name == normalize_for_match(b.name)
    assert b.corporate_type == row[col("kind")]
    assert b.location == "茨城県つくば市" + row[col("streetNumber")]
    assert b.postal_code == row[col("postCode")]
    assert b.nta_update_date == date.fromisoformat(row[col("updateDate")])
    assert b.in_city and b.status == Business.Status.ACTIVE
    assert b.size_class == Business.Size.UNKNOWN  # no JSIC code, capital or employees yet
    with_district = [r for r in here if "合成町3丁目" in r[col("streetNumber")]]
    assert with_district
    assert Business.objects.filter(district=district).count() == len(with_district)
    closed_row = next(r for r in here if r[col("process")] == "21")
    closed = Business.objects.get(corporate_number=closed_row[col("corporateNumber")])
    assert closed.status == Business.Status.CLOSED
    assert closed.close_date == date.fromisoformat(closed_row[col("closeDate")])
    # One audit event for the whole import, with the counts.
    (event,) = AuditEvent.objects.filter(code="registry.import.applied")
    assert event.data["counts"]["new"] == len(here)
    assert event.target_id == str(run.pk)


DERIVED = (
    "size_class",
    "size_reason",
    "search_name",
    "search_kana",
    "kana",
    "in_city",
    "district_id",
)


def _as_derive_would(business: Business) -> dict:
    from sangyo.registry import services

    copy = Business.objects.get(pk=business.pk)
    services.derive(copy)
    return {f: getattr(copy, f) for f in DERIVED}


def test_the_fast_derivation_equals_services_derive(tsukuba, small):
    """The import derives fields from plain values without model objects (_Deriver): every
    business it writes, new or updated, must hold what services.derive would compute."""
    DistrictFactory(municipality_code="082201", address_prefixes=["合成町3丁目", "合成町"])
    DistrictFactory(municipality_code="082201", address_prefixes=["合成町3丁目1"])
    run_nta(small)
    rows = in_city(rows_of(small))
    staff_typed = Business.objects.get(corporate_number=rows[0][col("corporateNumber")])
    # What staff typed (JSIC code, capital, employees, hiragana furigana) must be derived
    # from too when the file updates the business.
    Business.objects.filter(pk=staff_typed.pk).update(
        jsic_code="E", capital_stock=30_000_000, employee_number=12, kana="ごうせい　でーた"
    )
    edited = edit(small, rows[0][col("corporateNumber")], name="改称", updateDate="2026-01-01")
    edited = edit(edited, rows[1][col("corporateNumber")], furigana="", updateDate="2026-01-01")
    assert run_nta(edited).counts["updated"] == 2
    for b in Business.objects.all():
        assert {f: getattr(b, f) for f in DERIVED} == _as_derive_would(b), b.corporate_number
    assert Business.objects.get(pk=staff_typed.pk).size_class == Business.Size.SMALL


def test_reimport_changes_nothing(tsukuba, small):
    run_nta(small)
    before = dict(Business.objects.values_list("pk", "updated_at"))
    with CaptureQueriesContext(connection) as queries:
        again = run_nta(small)
    assert again.succeeded
    assert again.counts["unchanged"] == len(before)
    assert again.counts["new"] == again.counts["updated"] == again.counts["closed"] == 0
    assert dict(Business.objects.values_list("pk", "updated_at")) == before
    writes = [
        q["sql"]
        for q in queries.captured_queries
        if "registry_business" in q["sql"]
        and q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]
    assert writes == []


def test_an_edited_name_updates_one_business(tsukuba, small):
    run_nta(small)
    row = in_city(rows_of(small))[0]
    number = row[col("corporateNumber")]
    edited = edit(
        small, number, name="合成データ株式会社 改称", process="11", updateDate="2025-06-01"
    )
    run = run_nta(edited)
    assert run.counts["updated"] == 1 and run.counts["new"] == 0
    assert run.counts["unchanged"] == Business.objects.count() - 1
    b = Business.objects.get(corporate_number=number)
    assert b.name == "合成データ株式会社 改称" and b.search_name.endswith("改称")
    assert b.nta_update_date == date(2025, 6, 1)
    (event,) = AuditEvent.objects.filter(code="registry.import.applied", target_id=str(run.pk))
    assert event.data["changed"] == {number: ["name", "nta_update_date"]}


def test_a_closure_row_closes_the_business(tsukuba, small):
    run_nta(small)
    row = next(r for r in in_city(rows_of(small)) if r[col("process")] == "01")
    number = row[col("corporateNumber")]
    edited = edit(
        small,
        number,
        process="21",
        closeDate="2025-03-31",
        closeCause="01",
        updateDate="2025-04-02",
    )
    run = run_nta(edited)
    assert run.counts["closed"] == 1 and run.counts["updated"] == 0
    b = Business.objects.get(corporate_number=number)
    assert b.status == Business.Status.CLOSED
    assert b.close_date == date(2025, 3, 31) and b.close_cause == "清算の結了等"


def test_a_deleted_number_is_reported_and_never_deleted(tsukuba, small):
    run_nta(small)
    number = in_city(rows_of(small))[0][col("corporateNumber")]
    run = run_nta(edit(small, number, process="99", updateDate="2025-06-01"))
    assert run.succeeded and run.counts["rejected"] == 1
    (error,) = run.errors
    assert "削除された法人番号" in error["message"] and number in error["message"]
    assert error["column"] == "処理区分" and error["line"] > 0
    assert Business.objects.filter(corporate_number=number).exists()


def test_a_business_that_moved_out_is_updated_not_skipped(tsukuba, small):
    run_nta(small)
    number = in_city(rows_of(small))[0][col("corporateNumber")]
    moved = edit(
        small,
        number,
        prefectureCode="08",
        cityCode="201",
        cityName="水戸市",
        process="12",
        updateDate="2025-06-01",
    )
    run = run_nta(moved)
    assert run.counts["updated"] == 1
    b = Business.objects.get(corporate_number=number)
    assert b.city_code == "082015" and not b.in_city and b.district is None


def test_an_older_file_does_not_undo_a_newer_one(tsukuba, small):
    number = in_city(rows_of(small))[0][col("corporateNumber")]
    run_nta(edit(small, number, name="新しい名称", updateDate="2030-01-01"))
    run = run_nta(small)
    assert run.counts["stale"] == 1 and run.counts["updated"] == 0
    assert Business.objects.get(corporate_number=number).name == "新しい名称"


def test_latest_row_wins_and_history_rows_are_counted(tsukuba, small):
    rows = rows_of(small)
    first = in_city(rows)[0]
    history = [*first]
    history[col("latest")] = "0"
    history[col("name")] = "旧商号"
    newer = [*first]
    newer[col("sequenceNumber")] = "9999"
    newer[col("updateDate")] = "2030-01-01"
    newer[col("name")] = "最新の商号"
    run = run_nta(to_bytes([*rows, history, newer]))
    assert run.counts["superseded"] == 2
    assert Business.objects.get(corporate_number=first[col("corporateNumber")]).name == "最新の商号"


def test_older_29_column_files_import(tsukuba):
    data = gen_nta.generate(50, seed=2, encoding="utf-8", city=TSUKUBA5, columns=29)
    run = run_nta(data)
    assert run.succeeded and run.encoding == "utf-8"
    assert Business.objects.count() == run.counts["new"] > 0


def test_municipality_code_can_be_given(tsukuba):
    data = gen_nta.generate(100, seed=4, encoding="cp932", city="08201", other_city_share=0.5)
    run = run_nta(data, municipality_code="08201")
    assert run.succeeded and Business.objects.count() == run.counts["new"] > 0
    assert not Business.objects.filter(in_city=True).exists()  # 水戸市 is not the home city


def test_progress_is_reported(tsukuba, small):
    calls = []
    run_nta(small, progress=lambda done, total, message: calls.append((done, total, message)))
    assert calls and calls[-1][0] == calls[-1][1] > 0
    assert any("書き込んで" in m for _d, _t, m in calls)


# --------------------------------------------------------------------------- refusals


def _refused(run: ImportRun) -> dict:
    assert not run.succeeded
    assert Business.objects.count() == 0
    assert run.errors, "a refused file must say why"
    return run.errors[0]


def test_broken_encoding_is_refused_with_its_line(tsukuba, small):
    lines = small.split(b"\r\n")
    lines[4] = lines[4].replace("合成".encode("cp932"), b"\x81\x20", 1)
    error = _refused(run_nta(b"\r\n".join(lines)))
    assert error["line"] == 5
    assert "5行目" in error["message"] and "文字コード" in error["message"]


def test_wrong_column_count_is_refused_row_by_row(tsukuba, small):
    rows = rows_of(small)
    rows[2] = rows[2][:28]
    rows[9] = [*rows[9], "余分", "余分"]
    run = run_nta(to_bytes(rows))
    _refused(run)
    assert [(e["line"], e["message"]) for e in run.errors] == [
        (3, "3行目: 列数が28列です（国税庁の法人番号データは30列、古い形式では29列です）"),
        (10, "10行目: 列数が32列です（国税庁の法人番号データは30列、古い形式では29列です）"),
    ]
    assert run.counts["rejected"] == 2


def test_invalid_check_digit_is_refused(tsukuba, small):
    rows = rows_of(small)
    number = rows[6][col("corporateNumber")]
    wrong = str((int(number[0]) % 9) + 1) + number[1:]
    rows[6][col("corporateNumber")] = wrong
    error = _refused(run_nta(to_bytes(rows)))
    assert error["line"] == 7 and error["column"] == "法人番号"
    assert error["message"].startswith("7行目: 法人番号「")
    assert "チェックデジット" in error["message"]


def test_a_non_existent_date_is_refused(tsukuba, small):
    rows = rows_of(small)
    rows[0][col("updateDate")] = "2019-02-30"
    error = _refused(run_nta(to_bytes(rows)))
    assert error["line"] == 1 and error["column"] == "更新年月日"
    assert "2019年2月30日は存在しない日付です" in error["message"]


def test_errors_are_capped_with_the_total_counted(tsukuba):
    rows = rows_of(gen_nta.generate(1100, seed=5, encoding="cp932"))
    for r in rows:
        r[col("process")] = "55"
    run = run_nta(to_bytes(rows))
    _refused(run)
    assert len(run.errors) == imports.MAX_ERRORS
    assert run.counts["rejected"] == 1100


def test_no_home_city_refuses(db, small):
    run = run_nta(small)
    assert not run.succeeded and "市区町村" in run.errors[0]["message"]


def test_apply_is_all_or_nothing(tsukuba, small, monkeypatch):
    monkeypatch.setattr(imports, "BATCH_SIZE", 20)
    original = imports._insert_batch
    calls = []

    def failing_insert_batch(objs, **kwargs):
        calls.append(len(objs))
        if len(calls) == 3:
            raise RuntimeError("simulated failure in the third batch")
        return original(objs, **kwargs)

    monkeypatch.setattr(imports, "_insert_batch", failing_insert_batch)
    run = run_nta(small)
    assert calls == [20, 20, 20]  # two batches were written before the failure…
    assert Business.objects.count() == 0  # …and rolled back with it
    assert not run.succeeded and run.mode == ImportRun.Mode.APPLY
    assert "すべて取り消しました" in run.errors[0]["message"]
    assert "simulated failure" in run.errors[0]["message"]
    assert not AuditEvent.objects.filter(code="registry.import.applied").exists()


def test_a_statement_failing_in_the_database_rolls_everything_back(tsukuba, small, monkeypatch):
    """On PostgreSQL the COPY statements run on the writer thread: a row the database refuses
    in the third batch (a corporate number already in that batch) must still undo the two
    batches before it, leave the connection usable and record the failed attempt."""
    monkeypatch.setattr(imports, "BATCH_SIZE", 20)
    original = imports._nta_insert_rows
    batches = []

    def duplicate_in_third_batch(creates, deriver):
        rows = original(creates, deriver)
        batches.append(len(rows))
        if len(batches) == 3:
            at = imports._new_row_template()[1]["corporate_number"]
            rows[1][at] = rows[0][at]
        return rows

    monkeypatch.setattr(imports, "_nta_insert_rows", duplicate_in_third_batch)
    run = run_nta(small)
    assert len(batches) >= 3
    assert not run.succeeded and "すべて取り消しました" in run.errors[0]["message"]
    assert Business.objects.count() == 0
    assert ImportRun.objects.filter(pk=run.pk, succeeded=False).exists()  # still usable
    assert not AuditEvent.objects.filter(code="registry.import.applied").exists()
    monkeypatch.setattr(imports, "_nta_insert_rows", original)
    assert run_nta(small).succeeded  # and a retry of the same file goes through
    assert Business.objects.count() > 60


def test_updates_are_atomic_too(tsukuba, small, monkeypatch):
    run_nta(small)
    numbers = [r[col("corporateNumber")] for r in in_city(rows_of(small))[:3]]
    edited = small
    for number in numbers:
        edited = edit(edited, number, name=f"改称 {number}", updateDate="2030-01-01")
    monkeypatch.setattr(imports, "BATCH_SIZE", 2)
    original = imports._update_batch
    calls = []

    def failing_update_batch(objs, fields, writer=None):
        calls.append(len(objs))
        if len(calls) == 2:
            raise RuntimeError("simulated failure")
        return original(objs, fields, writer)

    monkeypatch.setattr(imports, "_update_batch", failing_update_batch)
    run = run_nta(edited)
    assert calls == [2, 1] and not run.succeeded
    assert not Business.objects.filter(name__startswith="改称").exists()


def test_every_attempt_is_recorded(tsukuba, small, users):
    officer = users["officer"]
    broken = small.replace(b",01,", b",55,", 1)
    run_nta(broken, actor=officer)
    run_nta(small, dry_run=True, actor=officer)
    run_nta(small, actor=officer)
    runs = list(ImportRun.objects.order_by("pk"))
    assert [(r.mode, r.succeeded) for r in runs] == [
        ("apply", False),
        ("dry_run", True),
        ("apply", True),
    ]
    assert all(r.actor == officer and r.kind == "nta" for r in runs)
    assert runs[1].sha256 == runs[2].sha256 == imports.file_sha256(small) != runs[0].sha256


# --------------------------------------------------------------------------- screens

BASE = "/staff/businesses/imports/"


@pytest.fixture
def officer_client(client, users):
    client.force_login(users["officer"])
    return client


def _upload(client, url, name, data, capture):
    with capture(execute=True):
        return client.post(url, {"file": SimpleUploadedFile(name, data)})


def test_upload_job_page_run_page_apply(
    officer_client, tsukuba, small, django_capture_on_commit_callbacks
):
    response = _upload(
        officer_client, BASE + "nta/", "nta.csv", small, django_capture_on_commit_callbacks
    )
    job = Job.objects.get(kind=imports.NTA_JOB)
    assert response.status_code == 302 and response["Location"] == f"/staff/jobs/{job.pk}/"
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED, job.error
    page = officer_client.get(response["Location"])
    assert page.status_code == 200
    next_url = job.result["next_url"]
    assert next_url in page.content.decode()
    run = ImportRun.objects.get(mode="dry_run")
    assert next_url == f"{BASE}{run.pk}/" and run.job == job
    assert Business.objects.count() == 0

    detail = officer_client.get(next_url)
    html = detail.content.decode()
    assert detail.status_code == 200
    assert "新規登録" in html and f"{run.counts['new']}" in html
    assert f'action="{BASE}{run.pk}/apply/"' in html

    with django_capture_on_commit_callbacks(execute=True):
        applied = officer_client.post(f"{BASE}{run.pk}/apply/")
    apply_job = Job.objects.exclude(pk=job.pk).get()
    assert applied["Location"] == f"/staff/jobs/{apply_job.pk}/"
    apply_job.refresh_from_db()
    assert apply_job.status == Job.Status.SUCCEEDED, apply_job.error
    assert apply_job.params["source_run"] == run.pk and not apply_job.input_file
    assert Business.objects.count() == run.counts["new"]
    apply_run = ImportRun.objects.get(mode="apply")
    assert apply_run.sha256 == run.sha256 and apply_run.actor.role == "officer"
    # The dry run's page now links to its apply.
    assert f"{BASE}{apply_run.pk}/" in officer_client.get(next_url).content.decode()


def test_apply_is_refused_when_the_file_changed(
    officer_client, tsukuba, small, django_capture_on_commit_callbacks
):
    _upload(officer_client, BASE + "nta/", "nta.csv", small, django_capture_on_commit_callbacks)
    run = ImportRun.objects.get()
    path = run.job.input_file
    default_storage.delete(path)
    default_storage.save(path, io.BytesIO(small + b"\r\n"))
    response = officer_client.post(f"{BASE}{run.pk}/apply/", follow=True)
    assert "ファイルが試行したときと変わっている" in response.content.decode()
    assert Job.objects.count() == 1 and Business.objects.count() == 0


def test_apply_is_refused_for_a_failed_dry_run(
    officer_client, tsukuba, small, django_capture_on_commit_callbacks
):
    broken = small.replace(b",01,", b",55,", 1)
    _upload(officer_client, BASE + "nta/", "nta.csv", broken, django_capture_on_commit_callbacks)
    run = ImportRun.objects.get()
    page = officer_client.get(f"{BASE}{run.pk}/").content.decode()
    assert "処理区分「55」は不明なコードです" in page and "/apply/" not in page
    response = officer_client.post(f"{BASE}{run.pk}/apply/", follow=True)
    assert "試行でエラーがあったため反映できません" in response.content.decode()
    assert Job.objects.count() == 1


def test_an_apply_job_whose_file_changed_records_a_refused_attempt(
    officer_client, tsukuba, small, users, django_capture_on_commit_callbacks
):
    from sangyo.core.jobs import execute

    _upload(officer_client, BASE + "nta/", "nta.csv", small, django_capture_on_commit_callbacks)
    run = ImportRun.objects.get()
    job = imports.import_apply(run=run, actor=users["officer"])  # checked: file unchanged
    path = run.job.input_file
    default_storage.delete(path)  # …and then it changes before the job runs
    default_storage.save(path, io.BytesIO(b"other"))
    execute(job.pk)
    refused = ImportRun.objects.get(job=job)
    assert refused.mode == "apply" and not refused.succeeded
    assert "変わっている" in refused.errors[0]["message"]
    assert Business.objects.count() == 0


def test_the_zip_from_the_nta_site_is_accepted(
    officer_client, tsukuba, small, django_capture_on_commit_callbacks
):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("08_ibaraki_all_20250630.csv", small)
    _upload(
        officer_client,
        BASE + "nta/",
        "08_ibaraki_all_20250630.zip",
        buffer.getvalue(),
        django_capture_on_commit_callbacks,
    )
    run = ImportRun.objects.get()
    assert run.succeeded and run.sha256 == imports.file_sha256(small)
    assert run.file_name == "08_ibaraki_all_20250630.zip/08_ibaraki_all_20250630.csv"


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("nta.pdf", b"%PDF", "取り込めない種類のファイルです"),
        ("nta.csv", b"", "選ばれたファイルは空です"),
        ("nta.zip", b"not a zip", "ZIPファイルとして読めません"),
    ],
)
def test_upload_refusals_are_explained(officer_client, tsukuba, name, data, message):
    response = officer_client.post(BASE + "nta/", {"file": SimpleUploadedFile(name, data)})
    html = response.content.decode()
    assert response.status_code == 200 and message in html
    assert 'role="alert"' in html and 'aria-invalid="true"' in html
    assert not Job.objects.exists()


def test_a_file_over_the_limit_is_refused(officer_client, tsukuba, small, monkeypatch):
    monkeypatch.setattr(imports, "MAX_UPLOAD_BYTES", 1000)
    response = officer_client.post(BASE + "nta/", {"file": SimpleUploadedFile("n.csv", small)})
    assert "ファイルが大きすぎます" in response.content.decode()
    assert not Job.objects.exists()


def test_the_import_list_runs_a_bounded_number_of_queries(
    officer_client, tsukuba, small, users, django_assert_max_num_queries
):
    for _ in range(3):
        run_nta(small, dry_run=True, actor=users["officer"])
    with django_assert_max_num_queries(12):
        response = officer_client.get(BASE)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('href="/staff/businesses/imports/') >= 3
    assert 'accept=".csv,.txt,.zip"' in html and 'id="nta_file"' in html
    assert 'id="generic_file"' in html


def test_the_run_page_lists_errors_with_row_and_column(officer_client, tsukuba, small):
    rows = rows_of(small)
    rows[6][col("corporateNumber")] = "1234567890123"
    run = run_nta(to_bytes(rows), dry_run=True)
    html = officer_client.get(f"{BASE}{run.pk}/").content.decode()
    assert "<td>法人番号</td>" in html and "7行目: 法人番号「1234567890123」" in html
    assert "事業者台帳には何も書き込まれていません" in html


def test_the_one_scan_district_match_equals_services_match_district(db):
    """_Deriver finds an address's district with one regex scan; it must choose exactly what
    services.match_district chooses (the longest town name, the first district on a tie),
    also when names overlap, nest or occur twice."""
    from itertools import product

    from sangyo.registry import services

    districts = [
        DistrictFactory(municipality_code="082201", address_prefixes=p)
        for p in (["合成町", "合成町3丁目"], ["合成町3丁目1"], ["町3", "丁目"], ["合成町"], ["A-1"])
    ]
    deriver = imports._Deriver("082201", districts)
    parts = ["合成町", "3丁目", "1", "町3", "Ａ－１", "つくば市", ""]
    for a, b, c in product(parts, repeat=3):
        address = f"茨城県{a}{b}{c}"
        expected = services.match_district(address, districts)
        assert deriver.district_id(address) == (expected.pk if expected else None), address
    assert imports._Deriver("082201", []).district_id("合成町") is None
