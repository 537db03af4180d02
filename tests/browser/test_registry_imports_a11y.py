"""The import screens in a real browser: each renders for an officer with no serious
accessibility violations (axe-core), including the forms in their error state; and a whole
NTA import can be done by keyboard alone (upload → job page → result → apply)."""

import importlib.util
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from tests.browser.test_pages_a11y import serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]


def _nta_file(rows: int) -> bytes:
    spec = importlib.util.spec_from_file_location("gen_nta", ROOT / "bench" / "gen_nta.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.generate(rows, seed=11, encoding="cp932", city="08220")


@pytest.fixture
def imports_site(live_server, tsukuba, users):
    from sangyo.registry import imports

    officer = users["officer"]
    data = _nta_file(40)
    dry = imports.nta_import(data=data, filename="合成.csv", actor=officer, dry_run=True)
    broken = data.replace(b",01,", b",55,", 3)
    failed = imports.nta_import(data=broken, filename="合成-誤り.csv", actor=officer, dry_run=True)
    csv = "商号,所在地,資本金\r\n合成データ株式会社,茨城県つくば市吾妻1,1000\r\n".encode("cp932")
    pending = imports.pending_upload_save(data=csv, filename="合成名簿.csv", actor=officer)
    return {
        "url": live_server.url,
        "officer": officer,
        "dry": dry,
        "failed": failed,
        "pending": pending,
        "data": data,
    }


def login(page, site):
    client = Client()
    client.force_login(site["officer"])
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": site["url"],
            }
        ]
    )


def pages(site):
    base = "/staff/businesses/imports/"
    return [
        base,
        base + "nta/",
        base + "generic/",
        f"{base}generic/{site['pending'].token}/map/",
        f"{base}{site['dry'].pk}/",
        f"{base}{site['failed'].pk}/",
    ]


def test_import_pages_have_no_serious_violations(page, imports_site):
    login(page, imports_site)
    for path in pages(imports_site):
        response = page.goto(imports_site["url"] + path)
        assert response.status == 200, path
        assert page.title(), path
        assert serious_violations(page) == [], path


def test_forms_in_their_error_state_pass_axe(page, imports_site):
    login(page, imports_site)
    base = imports_site["url"] + "/staff/businesses/imports/"
    page.goto(base + "nta/")
    page.get_by_role("button", name="試行する").click()
    page.wait_for_load_state()
    assert page.get_by_role("alert").count() == 1
    assert serious_violations(page) == []
    page.goto(f"{base}generic/{imports_site['pending'].token}/map/")
    page.select_option("#map_name", "")
    page.get_by_role("button", name="この対応で試行する").click()
    page.wait_for_load_state()
    assert "この項目に対応する列を選んでください" in page.get_by_role("alert").inner_text()
    assert serious_violations(page) == []


def test_an_nta_import_by_keyboard(page, imports_site, tmp_path):
    login(page, imports_site)
    upload = tmp_path / "合成データ.csv"
    upload.write_bytes(imports_site["data"])
    page.goto(imports_site["url"] + "/staff/businesses/imports/nta/")
    page.set_input_files("#nta_file", str(upload))
    page.focus("#nta_file")
    page.keyboard.press("Tab")
    with page.expect_navigation():
        page.keyboard.press("Enter")  # 試行する
    assert "/staff/jobs/" in page.url
    page.get_by_role("link", name="結果を見る").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.get_by_role("heading", name="件数").count() == 1
    page.get_by_role("button", name="この内容で反映する").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.get_by_role("link", name="結果を見る").click()
    assert "事業者台帳に反映しました" in page.content()
    assert serious_violations(page) == []
