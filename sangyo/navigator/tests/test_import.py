"""Importing outside programs from jGrants-shaped JSON: the whole file is validated first,
errors are clear Japanese with the record and field, nothing is written on error, a second
import of the same file changes nothing, and every import that changes something is audited."""

import json

import pytest

from sangyo.core.models import AuditEvent
from sangyo.navigator import services
from sangyo.navigator.models import OutsideProgram

GOOD = {
    "id": "X-1",
    "title": "（合成データ）テスト補助金",
    "subsidy_max_limit": 500000,
    "acceptance_start_datetime": "2025-04-01T00:00:00Z",
    "acceptance_end_datetime": "2099-03-31T00:00:00Z",
    "target_number_of_employees": "20名以下",
    "use_purpose": "販路拡大・海外展開をしたい / 人材育成を行いたい",
    "industry": "製造業",
    "institution_name": "（合成）茨城県",
    "front_subsidy_detail_page_url": "https://example.org/x-1",
}


def _raw(*records, wrap=True):
    return json.dumps({"result": list(records)} if wrap else list(records), ensure_ascii=False)


@pytest.mark.django_db
def test_sample_file_imports_and_is_idempotent():
    first = services.outside_import(
        raw=services.SAMPLE_FILE.read_bytes(), actor="test", is_synthetic=True
    )
    assert first.created == 4
    events = AuditEvent.objects.filter(code="navigator.outside.imported").count()
    again = services.outside_import(raw=services.SAMPLE_FILE.read_bytes(), actor="test")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 4)
    assert AuditEvent.objects.filter(code="navigator.outside.imported").count() == events == 1
    p = OutsideProgram.objects.get(source_id="SYN-0002")
    assert p.use_purposes == ["販路拡大・海外展開をしたい"]
    assert p.subsidy_max_limit == 2_000_000 and p.acceptance_end.year == 2099
    assert "合成" in p.title and p.source_label == "jGrants / （合成）日本商工会議所"


@pytest.mark.django_db
def test_upsert_by_source_id():
    services.outside_import(raw=_raw(GOOD), actor="test")
    changed = dict(GOOD, title="（合成データ）改称した補助金")
    result = services.outside_import(raw=_raw(changed, wrap=False), actor="test")
    assert (result.created, result.updated) == (0, 1)
    assert OutsideProgram.objects.get().title == "（合成データ）改称した補助金"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "raw, message",
    [
        ("{not json", "JSONとして読み取れません（1行目"),
        (json.dumps({"result": {"id": "x"}}), "result の配列"),
        (
            _raw(GOOD, {k: v for k, v in GOOD.items() if k != "title"} | {"id": "X-2"}),
            "2件目：必須の項目「title」がありません",
        ),
        (
            _raw(dict(GOOD, subsidy_max_limit="五十万")),
            "1件目：項目「subsidy_max_limit」は0以上の整数（円）である必要があります",
        ),
        (_raw(dict(GOOD, title=["a"])), "1件目：項目「title」は文字列である必要があります"),
        (
            _raw(dict(GOOD, acceptance_end_datetime="来年")),
            "1件目：項目「acceptance_end_datetime」の日時を読み取れません",
        ),
        (
            _raw(dict(GOOD, use_purpose="お金がほしい")),
            "1件目：項目「use_purpose」の「お金がほしい」はjGrantsの利用目的にありません",
        ),
        (
            _raw(dict(GOOD, target_number_of_employees="10人")),
            "1件目：項目「target_number_of_employees」の値「10人」は使えません",
        ),
        (_raw(GOOD, GOOD), "2件目：id「X-1」が重複しています"),
        (_raw("text"), "1件目：オブジェクト"),
    ],
)
def test_bad_files_write_nothing(raw, message):
    with pytest.raises(services.NavigatorError) as exc:
        services.outside_import(raw=raw, actor="test")
    assert message in str(exc.value)
    assert str(exc.value).startswith("取り込めません") or "JSON" in str(exc.value)
    assert not OutsideProgram.objects.exists()
    assert not AuditEvent.objects.filter(code="navigator.outside.imported").exists()


@pytest.mark.django_db
def test_one_bad_record_blocks_the_good_ones():
    with pytest.raises(services.NavigatorError):
        services.outside_import(raw=_raw(GOOD, dict(GOOD, id="X-2", title="")), actor="test")
    assert not OutsideProgram.objects.exists()


@pytest.mark.django_db
def test_cp932_file_is_read():
    raw = _raw(GOOD).encode("cp932")
    assert services.outside_import(raw=raw, actor="test").created == 1


@pytest.mark.django_db
def test_staff_upload_page(users, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(users["officer"])
    bad = SimpleUploadedFile("p.json", b'{"result": [{"id": "1"}]}', "application/json")
    html = client.post("/staff/navigator/outside/import/", {"file": bad, "source": "jgrants"})
    assert "1件目：必須の項目「title」がありません" in html.content.decode()
    good = SimpleUploadedFile("p.json", _raw(GOOD).encode(), "application/json")
    html = client.post("/staff/navigator/outside/import/", {"file": good, "source": "ibaraki"})
    assert html.status_code == 200
    assert OutsideProgram.objects.get().source == "ibaraki"
    event = AuditEvent.objects.get(code="navigator.outside.imported")
    assert event.actor == users["officer"]
