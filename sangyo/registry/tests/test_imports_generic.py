"""The CSV/Excel importer with a column mapping: header guesses, typed cells (和暦 included),
matching with the registry, row-by-row refusals, and the screens from upload to apply.
Every business here is SYNTHETIC (合成データ…)."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from sangyo.core.codes import corporate_number_check_digit
from sangyo.core.models import Job
from sangyo.core.tabular import write_csv, write_xlsx
from sangyo.registry import imports
from sangyo.registry.imports import generic_import, guess_mapping
from sangyo.registry.models import Business, ImportRun
from sangyo.registry.tests.factories import business


def synthetic_number(base12: str) -> str:
    return f"{corporate_number_check_digit(base12)}{base12}"


NUMBER = synthetic_number("123456789012")  # SYNTHETIC, valid check digit
OTHER_NUMBER = synthetic_number("210987654321")

HEADER = [
    "法人番号",
    "商号",
    "フリガナ",
    "所在地",
    "資本金（円）",
    "従業員数",
    "設立年月日",
    "業種",
    "決算月",
    "タグ",
]
MAPPING = {
    "corporate_number": "法人番号",
    "name": "商号",
    "kana": "フリガナ",
    "location": "所在地",
    "capital_stock": "資本金（円）",
    "employee_number": "従業員数",
    "date_of_establishment": "設立年月日",
    "jsic_code": "業種",
    "fiscal_year_end_month": "決算月",
    "tags": "タグ",
}
ROWS = [
    [
        NUMBER,
        "合成データ株式会社 一号",
        "ごうせいでーた",
        "茨城県つくば市研究学園一丁目1番地",
        "10,000,000",
        "12",
        "令和2年4月1日",
        "3911",
        "3",
        "創業支援, 合成",
    ],
    [
        "",
        "合成データ商店",
        "ｺﾞｳｾｲﾃﾞｰﾀｼｮｳﾃﾝ",
        "茨城県つくば市北条1番地",
        "",
        "3人",
        "2015/4/1",
        "",
        "",
        "",
    ],
]


def run_generic(data, *, name="list.csv", mapping=MAPPING, dry_run=False, actor="test"):
    return generic_import(data=data, filename=name, mapping=mapping, actor=actor, dry_run=dry_run)


def cp932(rows, header=HEADER):
    return write_csv(header, rows, encoding="cp932")


def test_header_guesses():
    headers = [*HEADER, "承継先法人番号", "代表者氏名", "郵便番号", "ホームページ", "備考"]
    guessed = guess_mapping(headers)
    assert guessed == MAPPING | {
        "representative_name": "代表者氏名",
        "postal_code": "郵便番号",
        "company_url": "ホームページ",
    }
    assert guess_mapping(["事業者名", "住所", "ﾌﾘｶﾞﾅ", "資本金"]) == {
        "name": "事業者名",
        "location": "住所",
        "kana": "ﾌﾘｶﾞﾅ",
        "capital_stock": "資本金",
    }


def test_cp932_csv_creates_businesses(tsukuba):
    dry = run_generic(cp932(ROWS), dry_run=True)
    assert dry.succeeded and dry.encoding == "cp932"
    assert dry.counts == {"rows": 2, "new": 2, "updated": 0, "unchanged": 0, "rejected": 0}
    assert Business.objects.count() == 0
    run = run_generic(cp932(ROWS))
    assert run.succeeded and run.mode == ImportRun.Mode.APPLY
    one = Business.objects.get(corporate_number=NUMBER)
    assert one.capital_stock == 10_000_000 and one.employee_number == 12
    assert one.date_of_establishment == date(2020, 4, 1)  # 令和2年4月1日
    assert one.fiscal_year_end_month == 3 and one.jsic_code == "3911"
    assert one.kana == "ゴウセイデータ"  # stored as full-width katakana
    assert one.size_class == Business.Size.SME  # derived like any other business
    assert sorted(one.tags.values_list("name", flat=True)) == ["創業支援", "合成"]
    shop = Business.objects.get(name="合成データ商店")
    assert shop.corporate_number is None and shop.employee_number == 3
    assert shop.kana == "ゴウセイデータショウテン"
    assert shop.date_of_establishment == date(2015, 4, 1)


def test_xlsx_imports_and_reimport_changes_nothing(tsukuba):
    data = write_xlsx(HEADER, ROWS)
    run = run_generic(data, name="list.xlsx")
    assert run.succeeded and run.encoding == "xlsx" and run.counts["new"] == 2
    before = dict(Business.objects.values_list("pk", "updated_at"))
    again = run_generic(data, name="list.xlsx")
    assert again.counts == {"rows": 2, "new": 0, "updated": 0, "unchanged": 2, "rejected": 0}
    assert dict(Business.objects.values_list("pk", "updated_at")) == before


def test_rows_match_by_number_then_by_name_and_address(tsukuba):
    numbered = business(corporate_number=NUMBER, name="旧名称", capital_stock=1)
    unnumbered = business(
        corporate_number=None,
        name="合成データ商店",
        location="茨城県つくば市北条1番地",
        corporate_type="sole",
        capital_stock=None,
        employee_number=1,
    )
    unnumbered.tags.set([])
    run = run_generic(cp932(ROWS))
    assert run.counts == {"rows": 2, "new": 0, "updated": 2, "unchanged": 0, "rejected": 0}
    numbered.refresh_from_db()
    assert numbered.name == "合成データ株式会社 一号" and numbered.capital_stock == 10_000_000
    unnumbered.refresh_from_db()
    assert unnumbered.employee_number == 3
    assert unnumbered.corporate_type == "sole"  # not in the file: kept
    assert Business.objects.count() == 2


def test_empty_cells_keep_values_and_tags_are_only_added(tsukuba):
    existing = business(corporate_number=NUMBER, representative_name="合成 太郎")
    from sangyo.registry.services import _set_tags

    _set_tags(existing, ["既存"])
    mapping = MAPPING | {"representative_name": "代表者"}
    row = [*ROWS[0], ""]
    run = run_generic(cp932([row], header=[*HEADER, "代表者"]), mapping=mapping)
    assert run.counts["updated"] == 1
    existing.refresh_from_db()
    assert existing.representative_name == "合成 太郎"
    assert sorted(existing.tags.values_list("name", flat=True)) == ["創業支援", "合成", "既存"]


def _refused(run):
    assert not run.succeeded
    assert Business.objects.count() == 0
    return [(e["line"], e["column"], e["message"]) for e in run.errors]


def test_reiwa_1_april_is_refused_with_row_and_column(tsukuba):
    rows = [ROWS[1], [*ROWS[0][:6], "令和元年4月1日", *ROWS[0][7:]]]
    errors = _refused(run_generic(cp932(rows)))
    assert errors == [
        (
            3,
            "設立年月日",
            "3行目「設立年月日」: 令和元年4月1日は存在しません（令和は元年5月1日から）",
        )
    ]


def test_every_problem_of_every_row_is_reported(tsukuba):
    wrong = str(int(NUMBER[0]) % 9 + 1) + NUMBER[1:]
    rows = [
        [wrong, "合成データ甲", "", "茨城県つくば市1", "1千万", "", "", "", "13", ""],
        ["", "", "", "", "", "", "", "", "", ""],  # skipped: Excel leaves such rows
        ["", "", "", "茨城県つくば市2", "", "-3", "2019/2/30", "99999", "", ""],
        ["", "合成データ丙", "", "茨城県つくば市3", "", "", "", "", "", ""],
        ["", "合成データ丙", "", "茨城県つくば市3", "", "", "", "", "", ""],
    ]
    errors = _refused(run_generic(cp932(rows)))
    assert [(line, column) for line, column, _m in errors] == [
        (2, "資本金（円）"),
        (2, "決算月"),
        (2, "法人番号"),
        (4, "従業員数"),
        (4, "設立年月日"),
        (4, "商号"),
        (6, "商号"),
    ]
    messages = [m for _l, _c, m in errors]
    assert messages[0] == "2行目「資本金（円）」: 数値で入力してください（例: 10000000）"
    assert messages[1] == "2行目「決算月」: 決算月は1〜12の数字で入力してください（例: 3）"
    assert messages[2].startswith(
        "2行目「法人番号」: 法人番号のチェックデジット（先頭の1桁）が合いません"
    )
    assert messages[3] == "4行目「従業員数」: 数値で入力してください（例: 12）"
    assert messages[4] == "4行目「設立年月日」: 2019年2月30日は存在しない日付です"
    assert messages[5] == "4行目「商号」: 名称が空です（必須）"
    assert messages[6] == "6行目「商号」: 名称と所在地が5行目と同じです（同じ事業者が2行あります）"


def test_a_bad_industry_code_names_its_column(tsukuba):
    rows = [[*ROWS[0][:7], "99999", *ROWS[0][8:]]]
    ((line, column, message),) = _refused(run_generic(cp932(rows)))
    assert (line, column) == (2, "業種")
    assert message.startswith("2行目「業種」: 産業分類コード「99999」の桁数が正しくありません")


def test_duplicate_numbers_and_bad_codes_name_their_column(tsukuba):
    header = ["法人番号", "商号", "郵便番号", "ウェブサイト"]
    mapping = {
        "corporate_number": "法人番号",
        "name": "商号",
        "postal_code": "郵便番号",
        "company_url": "ウェブサイト",
    }
    rows = [
        [NUMBER, "合成データ甲", "305-8555", "https://example.test/"],
        [f"{NUMBER[0]}-{NUMBER[1:5]}-{NUMBER[5:9]}-{NUMBER[9:]}", "合成データ乙", "12345", "x"],
    ]
    errors = _refused(run_generic(cp932(rows, header=header), mapping=mapping))
    assert [(line, column) for line, column, _m in errors] == [
        (3, "法人番号"),
        (3, "郵便番号"),
        (3, "ウェブサイト"),
    ]
    assert "1行目" not in errors[0][2] and "2行目にもあります" in errors[0][2]
    assert (
        errors[1][2] == "3行目「郵便番号」: 郵便番号は7桁の数字で入力してください（例: 305-8555）"
    )
    assert errors[2][2] == "3行目「ウェブサイト」: URLを正しく入力してください。"


def test_a_mapping_without_the_name_or_with_unknown_columns_is_refused(tsukuba):
    run = run_generic(cp932(ROWS), mapping={"location": "所在地", "kana": "ない列"})
    assert not run.succeeded
    messages = [e["message"] for e in run.errors]
    assert any("「名称」に対応する列を選んでください" in m for m in messages)
    assert any("列「ない列」はファイルにありません" in m for m in messages)


def test_an_unreadable_file_is_refused(tsukuba):
    run = run_generic(b"\x81\x20broken", name="list.csv")
    assert not run.succeeded and "文字コード" in run.errors[0]["message"]
    assert Business.objects.count() == 0


# --------------------------------------------------------------------------- screens

BASE = "/staff/businesses/imports/"


def test_upload_map_dry_run_apply(client, users, tsukuba, django_capture_on_commit_callbacks):
    client.force_login(users["officer"])
    response = client.post(
        BASE + "generic/", {"file": SimpleUploadedFile("会員名簿.csv", cp932(ROWS))}
    )
    assert response.status_code == 302 and response["Location"].endswith("/map/")
    page = client.get(response["Location"])
    html = page.content.decode()
    assert page.status_code == 200 and "会員名簿.csv" in html
    # The guesses are preselected; samples of each column are shown.
    assert '<option value="資本金（円）" selected>' in html
    assert "10,000,000" in html
    post = {f: "" for f in imports.GENERIC_FIELDS} | MAPPING
    with django_capture_on_commit_callbacks(execute=True):
        started = client.post(response["Location"], post)
    job = Job.objects.get(kind=imports.GENERIC_JOB)
    assert started["Location"] == f"/staff/jobs/{job.pk}/"
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED, job.error
    assert job.params == {"dry_run": True, "mapping": MAPPING}
    run = ImportRun.objects.get()
    assert run.succeeded and run.kind == "generic" and run.counts["new"] == 2
    detail = client.get(job.result["next_url"]).content.decode()
    assert "資本金（円）" in detail  # the mapping is shown with the run
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"{BASE}{run.pk}/apply/")
    assert Business.objects.count() == 2
    applied = ImportRun.objects.get(mode="apply")
    assert applied.succeeded and applied.job.params["mapping"] == MAPPING
    # The pending upload was removed once its dry run had its own copy.
    token = response["Location"].split("/")[-3]
    assert client.get(response["Location"]).status_code == 404
    assert imports.pending_upload_get(token, users["officer"]) is None


def test_mapping_errors_are_shown_on_the_form(client, users, tsukuba):
    client.force_login(users["officer"])
    pending = imports.pending_upload_save(
        data=cp932(ROWS), filename="a.csv", actor=users["officer"]
    )
    url = f"{BASE}generic/{pending.token}/map/"
    post = {f: "" for f in imports.GENERIC_FIELDS} | {"kana": "商号", "location": "商号"}
    html = client.post(url, post).content.decode()
    assert 'role="alert"' in html
    assert "この項目に対応する列を選んでください（必須）" in html
    assert 'aria-describedby="map_name_error"' in html
    post["name"] = "商号"
    html = client.post(url, post).content.decode()
    assert "が「名称」と「フリガナ」の両方に選ばれています" in html
    assert not Job.objects.exists()


def test_only_the_uploader_or_an_admin_may_continue_a_pending_upload(client, users, tsukuba):
    pending = imports.pending_upload_save(
        data=cp932(ROWS), filename="a.csv", actor=users["officer"]
    )
    url = f"{BASE}generic/{pending.token}/map/"
    other = users["officer"].__class__.objects.create_user(
        email="officer2@example.test", password="x" * 12, role="officer"
    )
    client.force_login(other)
    assert client.get(url).status_code == 404
    client.force_login(users["admin"])
    assert client.get(url).status_code == 200
    assert client.get(f"{BASE}generic/not-a-token/map/").status_code == 404


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("list.xls", b"\xd0\xcf\x11\xe0", "取り込めない種類のファイルです"),
        ("list.csv", "法人番号\r\n".encode(), "データの行がありません"),
        ("list.csv", "商号,商号\r\nA,B\r\n".encode(), "見出し「商号」が複数の列にあります"),
        ("list.xlsx", b"not excel", "Excel"),
    ],
)
def test_generic_upload_refusals(client, users, tsukuba, name, data, message):
    client.force_login(users["officer"])
    response = client.post(BASE + "generic/", {"file": SimpleUploadedFile(name, data)})
    assert response.status_code == 200
    assert message in response.content.decode()


@pytest.mark.django_db
def test_abandoned_uploads_are_purged_after_a_day_and_a_storage_that_cannot_list_is_logged(
    tmp_path, settings, caplog
):
    import datetime

    from django.core.files.storage import default_storage
    from django.utils import timezone

    settings.MEDIA_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
    assert imports.pending_uploads_purge() == 0  # nothing uploaded yet
    kept = imports.pending_upload_save(
        data=write_csv(["法人名"], [["合成データ株式会社"]]), filename="a.csv", actor="t"
    )
    later = timezone.now() + imports.PENDING_MAX_AGE + datetime.timedelta(minutes=1)
    assert imports.pending_uploads_purge() == 0
    assert imports.pending_uploads_purge(now=later, dry_run=True) == 2  # counts, keeps
    assert len(default_storage.listdir(imports.PENDING_DIR)[1]) == 2
    assert imports.pending_uploads_purge(now=later) == 2  # the file and its description
    assert default_storage.listdir(imports.PENDING_DIR)[1] == []
    assert kept.token

    from unittest import mock

    with mock.patch.object(default_storage, "listdir", side_effect=NotImplementedError):
        assert imports.pending_uploads_purge() == 0
    assert "could not purge abandoned import uploads" in caplog.text
