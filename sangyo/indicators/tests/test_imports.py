"""Parsing observation files (CSV/Excel) and saved e-Stat JSON: what is accepted, and the
row-level Japanese errors for what is not. Parsing never writes."""

from __future__ import annotations

import datetime
import json
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from hypothesis import given
from hypothesis import strategies as st

from sangyo.core.tabular import write_csv, write_xlsx
from sangyo.indicators.imports import (
    IMPORT_COLUMNS,
    parse_estat_json,
    parse_fiscal_year,
    parse_number,
    parse_observation_file,
)
from sangyo.indicators.models import Indicator, Observation
from sangyo.indicators.tests.factories import indicator, observe

pytestmark = pytest.mark.django_db

HEADER = ",".join(IMPORT_COLUMNS)


def csv_bytes(lines: list[str], *, encoding="utf-8", header=HEADER) -> bytes:
    return ("\r\n".join([header, *lines]) + "\r\n").encode(encoding)


@pytest.fixture
def ind(tsukuba):
    return indicator(strategy=tsukuba, code="synthetic-consultations", name_ja="合成データ相談件数")


@pytest.fixture
def ind2(tsukuba):
    return indicator(strategy=tsukuba, code="synthetic-visitors", name_ja="合成データ来場者数")


# --------------------------------------------------------------------------- values


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("14383", "14383"),
        ("14,383", "14383"),
        ("１４，３８３", "14383"),
        ("１４３８３．５", "14383.5"),
        (" -12.25 ", "-12.25"),
        ("△12", "-12"),
        ("1,234,567.0001", "1234567.0001"),
    ],
)
def test_numbers_with_separators_and_full_width_digits(text, expected):
    assert parse_number(text) == Decimal(expected)


@pytest.mark.parametrize(
    "text", ["-", "***", "X", "…", "", "1,23", "12a", "NaN", "1e5", "14.383.1"]
)
def test_placeholders_and_malformed_numbers_are_not_numbers(text):
    assert parse_number(text) is None


@given(st.decimals(min_value=-(10**12), max_value=10**12, places=4, allow_nan=False))
def test_any_number_written_with_separators_or_full_width_reads_back(value):
    text = f"{value:,f}"
    full_width = text.translate(str.maketrans("0123456789,.-", "０１２３４５６７８９，．－"))
    assert parse_number(text) == value
    assert parse_number(full_width) == value


@pytest.mark.parametrize(
    ("text", "fy"),
    [
        ("2024", 2024),
        ("２０２４", 2024),
        ("2024年度", 2024),
        ("FY2024", 2024),
        ("令和6年度", 2024),
        ("令和元年度", 2019),
        ("R6", 2024),
        ("平成30年度", 2018),
        ("令和7年度（2025年度）", 2025),
    ],
)
def test_fiscal_year_forms(text, fy):
    assert parse_fiscal_year(text) == fy


# --------------------------------------------------------------------------- CSV / Excel


def test_valid_file_gives_items_and_writes_nothing(tsukuba, ind, ind2):
    data = csv_bytes(
        [
            f'{tsukuba.code},{ind.code},2024,"14,383",final,合成データ統計,2025-06-30,',
            f"{tsukuba.code},{ind.code},2025,１５０００,速報値,,令和7年7月1日,暫定",
            f",{ind2.code},令和6年度,12,確定,,R7.3.31,",
        ]
    )
    result = parse_observation_file(data, "obs.csv", tsukuba)
    assert result.errors == []
    assert result.encoding == "utf-8"
    got = {(i.code, d.fiscal_year): d for i, d in result.items}
    assert got[(ind.code, 2024)].value == Decimal("14383")
    assert got[(ind.code, 2024)].source == "合成データ統計"
    assert got[(ind.code, 2025)].status == Observation.Status.PRELIMINARY
    assert got[(ind.code, 2025)].published_on == datetime.date(2025, 7, 1)
    assert got[(ind.code, 2025)].note == "暫定"
    assert got[(ind2.code, 2024)].status == Observation.Status.FINAL
    assert got[(ind2.code, 2024)].published_on == datetime.date(2025, 3, 31)
    assert not Observation.objects.filter(indicator__in=[ind, ind2]).exists()


def test_row_errors_name_the_row_and_the_column(tsukuba, ind):
    data = csv_bytes(
        [
            f"{tsukuba.code},{ind.code},2024,***,final,,,",  # line 2
            f"{tsukuba.code},xyz,2025,10,final,,,",  # line 3
            f"{tsukuba.code},{ind.code},2040,10,final,,,",  # line 4
            f"{tsukuba.code},{ind.code},2026,10,暫定,,,",  # line 5
            f"{tsukuba.code},{ind.code},2027,10,final,,2025-02-30,",  # line 6
            f"{tsukuba.code},{ind.code},2028,10,,,,",  # line 7
            f"{tsukuba.code},{ind.code},2028,11,,,,",  # line 8: same year again
            f"other-plan,{ind.code},2029,10,,,,",  # line 9
            f"{tsukuba.code},{ind.code},2030,0.123456,,,,",  # line 10
        ]
    )
    result = parse_observation_file(data, "obs.csv", tsukuba)
    messages = [str(e) for e in result.errors]
    assert result.items == []
    assert '2行目「value」: 数値ではありません（"***"）' in messages
    assert "3行目「indicator_code」: 指標「xyz」はありません" in messages
    assert any(m.startswith("4行目「fiscal_year」: 2040年度は範囲外です") for m in messages)
    assert any(m.startswith("5行目「status」: 「暫定」は使えません") for m in messages)
    assert any(
        m.startswith("6行目「published_on」: 2025年2月30日は存在しない日付です") for m in messages
    )
    assert any(m.startswith("8行目「fiscal_year」:") and "7行目と重複" in m for m in messages)
    assert any(m.startswith("9行目「strategy」:") for m in messages)
    assert any(m.startswith("10行目「value」: 小数点以下は4桁まで") for m in messages)
    assert len(messages) == 8


def test_rows_without_a_value_are_skipped_not_errors(tsukuba, ind):
    data = csv_bytes(
        [f"{tsukuba.code},{ind.code},2024,,,,,", f"{tsukuba.code},{ind.code},2025,5,,,,"]
    )
    result = parse_observation_file(data, "obs.csv", tsukuba)
    assert result.errors == []
    assert result.skipped == 1
    assert [(d.fiscal_year, d.value) for _i, d in result.items] == [(2025, Decimal(5))]


def test_missing_required_column_is_reported_on_the_header(tsukuba, ind):
    data = csv_bytes([f"{ind.code},2024"], header="indicator_code,fiscal_year")
    result = parse_observation_file(data, "obs.csv", tsukuba)
    assert [str(e) for e in result.errors] == [
        "1行目: 列「value」がありません（見出しは " + HEADER + "）"
    ]


def test_unreadable_files_are_errors_not_crashes(tsukuba):
    assert parse_observation_file(b"", "obs.csv", tsukuba).errors
    result = parse_observation_file(b"PK\x03\x04junk", "obs.xlsx", tsukuba)
    assert "Excel" in str(result.errors[0])
    assert parse_observation_file(b"a,b", "obs.pdf", tsukuba).errors


@pytest.mark.parametrize("encoding", ["utf-8-sig", "cp932"])
def test_bom_and_cp932_files(tsukuba, ind, encoding):
    data = csv_bytes(
        [
            f"{tsukuba.code},{ind.code},2024,１２，３４５,速報値,つくば市統計（合成データ）,令和7年4月1日,髙橋さん確認"
        ],
        encoding=encoding,
    )
    result = parse_observation_file(data, "obs.csv", tsukuba)
    assert result.errors == []
    assert result.encoding == encoding
    (_, item) = result.items[0]
    assert item.value == Decimal("12345")
    assert item.status == Observation.Status.PRELIMINARY
    assert item.source == "つくば市統計（合成データ）"
    assert item.note == "髙橋さん確認"
    assert item.published_on == datetime.date(2025, 4, 1)


def test_excel_file_in_the_same_layout(tsukuba, ind):
    data = write_xlsx(
        IMPORT_COLUMNS,
        [
            [
                tsukuba.code,
                ind.code,
                2024,
                14383,
                "final",
                "合成データ",
                datetime.date(2025, 6, 30),
                "",
            ],
            [tsukuba.code, ind.code, 2025, 15000.5, "速報値", "", "", ""],
            [tsukuba.code, ind.code, 2026, "***", "", "", "", ""],
        ],
    )
    result = parse_observation_file(data, "obs.xlsx", tsukuba)
    assert [str(e) for e in result.errors] == ['4行目「value」: 数値ではありません（"***"）']
    fixed = write_xlsx(
        IMPORT_COLUMNS,
        [
            [
                tsukuba.code,
                ind.code,
                2024,
                14383,
                "final",
                "合成データ",
                datetime.date(2025, 6, 30),
                "",
            ],
            [tsukuba.code, ind.code, 2025, 15000.5, "速報値", "", "", ""],
        ],
    )
    result = parse_observation_file(fixed, "obs.xlsx", tsukuba)
    assert result.errors == []
    assert result.encoding == "xlsx"
    values = {d.fiscal_year: (d.value, d.published_on) for _i, d in result.items}
    assert values == {
        2024: (Decimal("14383"), datetime.date(2025, 6, 30)),
        2025: (Decimal("15000.5"), None),
    }


def test_export_layout_with_extra_columns_and_no_note_keeps_stored_notes(tsukuba, ind):
    observe(ind, 2024, "100", note="合成データの注記", source="合成統計")
    header = (
        "strategy_code,vision_code,measure_number,indicator_code,indicator_level,name_ja,"
        "name_en,unit_ja,unit_en,kind,direction,method,baseline,baseline_fy,target,target_fy,"
        "fiscal_year,expected,value,status,source,published_on,pace_status,indicator_source_ja"
    )
    line = f"{tsukuba.code},,,{ind.code},outcome_kpi,名,name,件,cases,flow,increase,ratio,100,2024,120,2029,2024,100,100.0000,final,合成統計,,,"
    result = parse_observation_file(csv_bytes([line], header=header), "export.csv", tsukuba)
    assert result.errors == []
    (_, item) = result.items[0]
    assert item.note == "合成データの注記"  # no note column: the stored note stays
    from sangyo.indicators.services import observations_plan

    assert observations_plan(result.items).as_dict() == {"added": 0, "revised": 0, "unchanged": 1}


def test_computed_indicators_are_refused_unless_the_row_repeats_the_stored_figure(tsukuba):
    from sangyo.indicators.services import ObservationInput, _apply_observation

    computed = indicator(
        strategy=tsukuba,
        code="synthetic-computed",
        obtained=Indicator.Obtained.COMPUTED,
        computation="registry.support_records",
        computation_params={},
    )
    # As a recount would have stored it.
    _apply_observation(computed, ObservationInput(fiscal_year=2025, value=Decimal(3)), None, "test")
    same = parse_observation_file(csv_bytes([f",{computed.code},2025,3,,,,"]), "a.csv", tsukuba)
    assert same.errors == [] and same.items == [] and same.skipped_computed == 1
    assert "自動集計" in same.warnings[0]
    other = parse_observation_file(csv_bytes([f",{computed.code},2025,4,,,,"]), "a.csv", tsukuba)
    assert [str(e) for e in other.errors] == [
        "2行目「indicator_code」: 指標「synthetic-computed」は支援実績などから自動集計するため、値を取り込めません"
    ]


# --------------------------------------------------------------------------- e-Stat


def estat(values, *, classes=None, notes=None, next_key=None) -> bytes:
    doc = {
        "GET_STATS_DATA": {
            "RESULT": {"STATUS": 0, "ERROR_MSG": "正常に終了しました。"},
            "STATISTICAL_DATA": {
                "RESULT_INF": {"TOTAL_NUMBER": 9, **({"NEXT_KEY": next_key} if next_key else {})},
                "TABLE_INF": {
                    "@id": "0000000001",
                    "STAT_NAME": {"@code": "00200521", "$": "国勢調査"},
                    "STATISTICS_NAME": "合成データ 国勢調査",
                    "TITLE": {"@no": "1", "$": "就業者数（合成データ）"},
                    "OPEN_DATE": "2022-06-24",
                },
                "CLASS_INF": {
                    "CLASS_OBJ": classes
                    or [
                        {
                            "@id": "cat01",
                            "@name": "産業",
                            "CLASS": {"@code": "000", "@name": "総数"},
                        },
                        {
                            "@id": "area",
                            "@name": "地域",
                            "CLASS": [
                                {"@code": "08220", "@name": "つくば市"},
                                {"@code": "08201", "@name": "水戸市"},
                            ],
                        },
                        {
                            "@id": "time",
                            "@name": "時間軸",
                            "CLASS": [
                                {"@code": "2015000000", "@name": "2015年"},
                                {"@code": "2020000000", "@name": "2020年"},
                            ],
                        },
                    ]
                },
                "DATA_INF": {
                    **({"NOTE": notes} if notes else {}),
                    "VALUE": values,
                },
            },
        }
    }
    return json.dumps(doc, ensure_ascii=False).encode()


def v(area, time, value, unit="人", **cats):
    return {"@cat01": "000", "@area": area, "@time": time, "@unit": unit, "$": value} | {
        f"@{k}": c for k, c in cats.items()
    }


def test_estat_list_values_filtered_by_area_with_placeholders_skipped(tsukuba, ind):
    data = estat(
        [
            v("08220", "2016000000", "120,000"),
            v("08220", "2020000000", "125500"),
            v("08220", "2021100000", "-"),
            v("08220", "2022100000", "***"),
            v("08220", "2023100000", "X"),
            v("08201", "2020000000", "130000"),
        ],
        notes=[{"@char": "***", "$": "該当数値がないもの"}, {"@char": "X", "$": "秘匿"}],
    )
    result = parse_estat_json(data, indicator=ind, area_code="08220", filename="estat.json")
    assert result.errors == []
    assert [(d.fiscal_year, d.value) for _i, d in result.items] == [
        (2016, Decimal("120000")),
        (2020, Decimal("125500")),
    ]
    (_i, first) = result.items[0]
    assert first.status == Observation.Status.FINAL
    assert first.published_on == datetime.date(2022, 6, 24)
    assert "合成データ 国勢調査" in first.source and "就業者数（合成データ）" in first.source
    assert "estat.json" in first.source
    warning = next(w for w in result.warnings if "数値でない値" in w)
    for placeholder in (
        "2021（2021100000）: -",
        "2022（2022100000）: *** = 該当数値がないもの",
        "X = 秘匿",
    ):
        assert placeholder in warning
    assert sum(1 for r in result.preview if r["skipped"]) == 3
    assert not Observation.objects.filter(indicator=ind).exists()


def test_estat_single_object_value_and_calendar_year(tsukuba, ind):
    data = estat(v("08220", "2020000000", "1,234"))
    result = parse_estat_json(data, indicator=ind, area_code="08220", year_type="calendar")
    assert result.errors == []
    [(_i, item)] = result.items
    assert (item.fiscal_year, item.value) == (2020, Decimal("1234"))
    assert item.note == "2020年（暦年）の値"


def test_estat_several_series_need_a_class_filter(tsukuba, ind):
    data = estat(
        [
            v("08220", "2020000000", "100", cat02="001"),
            v("08220", "2020000000", "40", cat02="002"),
        ]
    )
    result = parse_estat_json(data, indicator=ind, area_code="08220")
    assert result.items == []
    assert "2020年の値が複数あります" in str(result.errors[0])
    assert "cat02=001" in str(result.errors[0])
    narrowed = parse_estat_json(
        data, indicator=ind, area_code="08220", cat_filters={"cat02": "002"}
    )
    assert [d.value for _i, d in narrowed.items] == [Decimal(40)]


def test_estat_no_match_lists_the_areas_in_the_file(tsukuba, ind):
    result = parse_estat_json(
        estat([v("08201", "2020000000", "5")]), indicator=ind, area_code="08220"
    )
    assert result.items == []
    assert "08201（水戸市）" in str(result.errors[0])


def test_estat_unit_mismatch_and_next_key_warn(tsukuba, ind):
    data = estat([v("08220", "2020000000", "5", unit="人")], next_key="123")
    result = parse_estat_json(data, indicator=ind, area_code="08220")
    assert result.ok
    assert any("単位が指標と異なります" in w for w in result.warnings)  # indicator unit is 件
    assert any("NEXT_KEY" in w for w in result.warnings)


@pytest.mark.parametrize(
    "data",
    [
        b"not json",
        b'{"other": 1}',
        json.dumps({"GET_STATS_DATA": {"RESULT": {"STATUS": 100, "ERROR_MSG": "x"}}}).encode(),
    ],
)
def test_estat_files_that_are_not_stats_data_are_errors(tsukuba, ind, data):
    result = parse_estat_json(data, indicator=ind, area_code="08220")
    assert result.items == [] and len(result.errors) == 1


# --------------------------------------------------------------------------- command


def test_import_command_dry_run_then_apply(tsukuba, ind, tmp_path, capsys):
    path = tmp_path / "obs.csv"
    path.write_bytes(
        write_csv(IMPORT_COLUMNS, [[tsukuba.code, ind.code, 2024, "14,383", "final", "", "", ""]])
    )
    call_command("indicators", "import", str(path), "--dry-run")
    assert "追加1件" in capsys.readouterr().out
    assert not Observation.objects.filter(indicator=ind).exists()
    call_command("indicators", "import", str(path))
    assert Observation.objects.get(indicator=ind, fiscal_year=2024).value == Decimal("14383")


def test_import_command_refuses_a_file_with_errors(tsukuba, ind, tmp_path, capsys):
    path = tmp_path / "obs.csv"
    path.write_bytes(csv_bytes([f",{ind.code},2024,10,,,,", f",{ind.code},2025,X,,,,"]))
    with pytest.raises(CommandError, match="1件のエラー"):
        call_command("indicators", "import", str(path))
    assert '3行目「value」: 数値ではありません（"X"）' in capsys.readouterr().err
    assert not Observation.objects.filter(indicator=ind).exists()
