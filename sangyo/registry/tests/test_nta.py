import csv
import importlib.util
import io
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from sangyo.core.codes import CodeError
from sangyo.registry.nta import (
    COLUMNS,
    MAX_ERRORS,
    filter_city,
    latest_per_number,
    parse_nta,
)

ROOT = Path(__file__).resolve().parents[3]

# formats.md, "Shape of a real line (2018, 29 columns)".
REAL_LINE = (
    '682723,7000012050002,01,1,2018-04-02,2015-10-05,"国税庁",,101,"東京都","千代田区",'
    '"霞が関3丁目1-1",,13,101,1000013,,,,,,,2015-10-05,1,"National Tax Agency","Tokyo",'
    '"3-1-1 Kasumigaseki, Chiyoda-ku",,"コクゼイチョウ"'
)


def _gen_nta():
    spec = importlib.util.spec_from_file_location("gen_nta", ROOT / "bench" / "gen_nta.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


gen_nta = _gen_nta()


def real_values() -> list[str]:
    return [*next(csv.reader([REAL_LINE])), "0"]  # 30 columns


def to_csv(*rows: list[str], encoding: str = "cp932") -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue().encode(encoding)


def with_values(**changes: str) -> list[str]:
    values = real_values()
    for column, value in changes.items():
        values[COLUMNS.index(column)] = value
    return values


def only_error(data: bytes):
    result = parse_nta(data)
    assert len(result.errors) == 1, result.errors
    return result.errors[0]


# --------------------------------------------------------------------------- valid files


@pytest.mark.parametrize("encoding", ["cp932", "utf-8", "utf-8-sig"])
def test_real_29_column_line(encoding):
    result = parse_nta((REAL_LINE + "\r\n").encode(encoding))
    assert result.ok and result.error_count == 0
    assert result.encoding == encoding
    (record,) = result.records
    assert record.sequence_number == 682723
    assert record.corporate_number == "7000012050002"
    assert record.process == "01" and record.process_label == "新規"
    assert record.update_date == date(2018, 4, 2)
    assert record.change_date == date(2015, 10, 5)
    assert record.name == "国税庁"
    assert record.kind == "101" and record.kind_label == "国の機関"
    assert record.lg_code5 == "13101"
    assert record.address == "東京都千代田区霞が関3丁目1-1"
    assert record.post_code == "1000013"
    assert record.close_date is None and record.close_cause == "" and record.successor == ""
    assert record.assignment_date == date(2015, 10, 5)
    assert record.latest is True
    assert record.en_name == "National Tax Agency"
    assert record.en_address_outside == ""
    assert record.furigana == "コクゼイチョウ"
    assert record.hihyoji is None
    assert record.line == 1


@pytest.mark.parametrize("encoding", ["cp932", "utf-8"])
def test_synthetic_30_column_file(encoding):
    data = gen_nta.generate(500, seed=7, encoding=encoding, city="08220")
    result = parse_nta(data)
    assert result.errors == []
    assert result.encoding == encoding
    assert len(result.records) == 500
    assert [r.line for r in result.records] == list(range(1, 501))
    assert {r.hihyoji for r in result.records} == {False}
    assert all(r.name.startswith("合成データ") for r in result.records)
    assert result.records[0].name.endswith(" 00001")
    assert {r.furigana for r in result.records} == {"ゴウセイデータ"}
    closed = [r for r in result.records if r.process == "21"]
    assert closed and all(r.close_date and r.close_cause for r in closed)
    home = filter_city(result.records, "08220")
    assert 300 < len(home) < 500
    assert {(r.prefecture_name, r.city_name) for r in home} == {("茨城県", "つくば市")}


def test_generator_is_deterministic_and_writes_29_columns_on_request():
    assert gen_nta.generate(50, seed=3) == gen_nta.generate(50, seed=3)
    assert gen_nta.generate(50, seed=3) != gen_nta.generate(50, seed=4)
    result = parse_nta(gen_nta.generate(20, seed=3, encoding="utf-8", columns=29))
    assert result.ok and {r.hihyoji for r in result.records} == {None}


def test_web_api_summary_line_is_skipped():
    data = to_csv(["2024-04-01", "2", "1", "1"], real_values(), with_values(sequenceNumber="2"))
    result = parse_nta(data)
    assert result.ok
    assert [r.line for r in result.records] == [2, 3]


def test_hihyoji_one_and_blank():
    result = parse_nta(to_csv(with_values(hihyoji="1"), with_values(hihyoji="")))
    assert [r.hihyoji for r in result.records] == [True, None]


def test_foreign_company_without_domestic_address():
    values = with_values(
        kind="401", prefectureName="", cityName="", streetNumber="", prefectureCode="",
        cityCode="", postCode="", addressOutside="Delaware, USA",
    )  # fmt: skip
    (record,) = parse_nta(to_csv(values)).records
    assert record.lg_code5 is None
    assert record.address_outside == "Delaware, USA"


# --------------------------------------------------------------------------- errors


def test_column_count():
    error = only_error(to_csv(real_values(), [*real_values(), "extra"]))
    assert error.line == 2
    assert error.column is None
    assert error.message_ja == (
        "2行目: 列数が31列です（国税庁の法人番号データは30列、古い形式では29列です）"
    )
    assert "31 columns" in error.message_en


def test_corporate_number_check_digit_uses_the_codes_message():
    error = only_error(to_csv(real_values(), with_values(corporateNumber="1000012050002")))
    assert error.line == 2
    assert error.column == "corporateNumber"
    assert error.message_ja == (
        "2行目: 法人番号「1000012050002」: 法人番号のチェックデジット（先頭の1桁）が合いません："
        "残りの12桁からは「7」になるはずですが「1」です。番号を確認してください"
    )
    assert (
        error.message_en
        == "line 2: corporateNumber '1000012050002': wrong check digit (expected 7)"
    )


def test_corporate_number_mangled_by_excel():
    error = only_error(to_csv(with_values(corporateNumber="7.00001E+12")))
    assert "数字以外の文字「.」" in error.message_ja
    assert "指数表記" in error.message_ja


def test_successor_number_is_checked():
    error = only_error(to_csv(with_values(successorCorporateNumber="700001205000")))
    assert error.column == "successorCorporateNumber"
    assert error.message_ja == (
        "1行目: 承継先法人番号「700001205000」: 法人番号は13桁です（入力されたのは12桁）"
    )


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        (
            "process",
            "05",
            "1行目: 処理区分「05」は不明なコードです"
            "（01, 11, 12, 13, 21, 22, 71, 72, 81, 99 のいずれか）",
        ),
        (
            "kind",
            "300",
            "1行目: 法人種別「300」は不明なコードです"
            "（101, 201, 301, 302, 303, 304, 305, 399, 401, 499 のいずれか）",
        ),
        (
            "closeCause",
            "02",
            "1行目: 登記記録の閉鎖等の事由「02」は不明なコードです（01, 11, 21, 31 のいずれか）",
        ),
        (
            "updateDate",
            "2019-02-30",
            "1行目: 更新年月日「2019-02-30」: 2019年2月30日は存在しない日付です",
        ),
        (
            "changeDate",
            "2019/02/03",
            "1行目: 変更年月日「2019/02/03」: 日付は YYYY-MM-DD の形で書かれている必要があります"
            "（例: 2024-04-01）",
        ),
        ("updateDate", "", "1行目: 更新年月日が空です"),
        (
            "closeDate",
            "2023-13-01",
            "1行目: 登記記録の閉鎖等年月日「2023-13-01」: 2023年13月1日は存在しない日付です",
        ),
        ("cityCode", "1011", "1行目: 市区町村コード「1011」は半角数字3桁ではありません"),
        ("prefectureCode", "48", "1行目: 都道府県コード「48」は01〜47ではありません"),
        ("postCode", "100-0013", "1行目: 郵便番号「100-0013」は半角数字7桁ではありません"),
        ("latest", "2", "1行目: 最新履歴「2」は 1 または 0 でなければなりません"),
        ("hihyoji", "x", "1行目: 検索対象除外「x」は 1 または 0 でなければなりません"),
        ("name", "", "1行目: 商号又は名称が空です"),
        ("sequenceNumber", "A1", "1行目: 一連番号「A1」は半角数字ではありません"),
    ],
)
def test_each_validation_error(column, value, message):
    error = only_error(to_csv(with_values(**{column: value})))
    assert error.line == 1
    assert error.column == column
    assert error.message_ja == message


def test_leading_zero_lost_in_excel_gets_a_hint():
    result = parse_nta(to_csv(with_values(process="1", prefectureCode="8", cityCode="220")))
    assert [e.column for e in result.errors] == ["process", "prefectureCode"]
    assert all("先頭の0が消えます" in e.message_ja for e in result.errors)


def test_a_row_may_have_several_errors_and_valid_rows_still_parse():
    bad = with_values(corporateNumber="1000012050002", kind="999", updateDate="2019-02-29")
    result = parse_nta(to_csv(real_values(), bad, real_values()))
    assert [(e.line, e.column) for e in result.errors] == [
        (2, "corporateNumber"),
        (2, "updateDate"),
        (2, "kind"),
    ]
    assert not result.ok
    assert [r.line for r in result.records] == [1, 3]


def test_errors_are_capped_with_a_note():
    data = to_csv(*[with_values(process="00", kind="000")] * 600)
    result = parse_nta(data)
    assert result.error_count == 1200
    assert len(result.errors) == MAX_ERRORS + 1
    assert result.errors[MAX_ERRORS - 1].line == 500
    note = result.errors[-1]
    assert (note.line, note.column) == (0, None)
    assert note.message_ja == "ほかに200件のエラーがあります（最初の1,000件だけを表示しています）"


def test_undecodable_file_is_one_error_with_its_line():
    data = to_csv(real_values()) + b"1,\x81\n"
    result = parse_nta(data)
    assert result.records == []
    (error,) = result.errors
    assert error.line == 2
    assert error.message_ja.startswith("文字コードを判別できません: 2行目")


# --------------------------------------------------------------------------- helpers


def _records():
    data = gen_nta.generate(200, seed=11, encoding="utf-8", city="08220", other_city_share=0.3)
    return parse_nta(data).records


def test_filter_city_accepts_five_and_six_digit_codes():
    records = _records()
    five = filter_city(records, "08220")
    assert five == filter_city(records, "082201") == filter_city(records, "０８２２０")
    assert five and all(r.lg_code5 == "08220" for r in five)
    assert len(five) < len(records)


def test_filter_city_refuses_a_wrong_check_digit():
    with pytest.raises(CodeError):
        filter_city([], "082202")


def test_latest_per_number():
    base = parse_nta(to_csv(real_values())).records[0]
    a_old = replace(base, sequence_number=1, update_date=date(2024, 1, 1), name="旧")
    a_new = replace(base, sequence_number=2, update_date=date(2024, 2, 1), name="新")
    a_same_day_later = replace(base, sequence_number=5, update_date=date(2024, 2, 1), name="後")
    a_history = replace(base, sequence_number=9, update_date=date(2024, 3, 1), latest=False)
    other = replace(base, corporate_number="8000020130001", sequence_number=3, name="東京都")
    only_history = replace(base, corporate_number="1180301018771", latest=False)
    result = latest_per_number([a_new, other, a_same_day_later, a_old, a_history, only_history])
    assert [(r.corporate_number, r.name) for r in result] == [
        ("7000012050002", "後"),
        ("8000020130001", "東京都"),
    ]
