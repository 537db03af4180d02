"""The JSIC table (data/jsic_r14.csv) and its loader. Pure Python: runs with -p no:django."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from sangyo.registry.jsic import (
    COLUMNS,
    DEFAULT_PATH,
    JsicCodeError,
    JsicEntry,
    JsicTable,
    load_jsic,
    read_jsic_csv,
    validate_code,
)

MAJOR_RANGES = {
    "A": (1, 2),
    "B": (3, 4),
    "C": (5, 5),
    "D": (6, 8),
    "E": (9, 32),
    "F": (33, 36),
    "G": (37, 41),
    "H": (42, 49),
    "I": (50, 61),
    "J": (62, 67),
    "K": (68, 70),
    "L": (71, 74),
    "M": (75, 77),
    "N": (78, 80),
    "O": (81, 82),
    "P": (83, 85),
    "Q": (86, 87),
    "R": (88, 96),
    "S": (97, 98),
    "T": (99, 99),
}


@pytest.fixture(scope="module")
def table() -> JsicTable:
    return load_jsic()


def raw_rows() -> list[dict[str, str]]:
    lines = [
        line
        for line in DEFAULT_PATH.read_text(encoding="utf-8").splitlines()
        if not line.startswith("#")
    ]
    return list(csv.DictReader(lines))


# -- the data ----------------------------------------------------------------------------------


def test_header_comment_says_editable_and_uncertain():
    head = [
        line
        for line in DEFAULT_PATH.read_text(encoding="utf-8").splitlines()
        if line.startswith("#")
    ]
    text = "\n".join(head)
    assert "staff-editable" in text
    assert "職員が編集できる" in text
    assert "UNCERTAIN" in text and "不確か" in text
    assert "第14回改定" in text


def test_columns_and_revision():
    rows = raw_rows()
    assert tuple(rows[0].keys()) == COLUMNS
    assert {r["revision"] for r in rows} == {"14"}


def test_codes_are_unique_in_the_file():
    codes = [r["code"] for r in raw_rows()]
    assert len(codes) == len(set(codes))


def test_majors_are_a_to_t(table):
    assert [e.code for e in table.majors()] == list("ABCDEFGHIJKLMNOPQRST")
    assert all(e.parent is None for e in table.majors())


def test_every_middle_code_01_to_99_exists_under_its_major(table):
    middles = table.entries("middle")
    assert [e.code for e in middles] == [f"{i:02d}" for i in range(1, 100)]
    for e in middles:
        parent = table.get(e.parent)
        assert parent is not None and parent.level == "major", e.code
        lo, hi = MAJOR_RANGES[e.parent]
        assert lo <= int(e.code) <= hi, e.code


def test_every_minor_and_detail_has_a_listed_parent_and_prefix(table):
    for level, parent_level in (("minor", "middle"), ("detail", "minor")):
        for e in table.entries(level):
            parent = table.get(e.parent)
            assert parent is not None and parent.level == parent_level
            assert e.code.startswith(e.parent)


@pytest.mark.parametrize(
    "code,name_ja",
    [
        ("E", "製造業"),
        ("G", "情報通信業"),
        ("I", "卸売業，小売業"),
        ("09", "食料品製造業"),
        ("19", "ゴム製品製造業"),
        ("39", "情報サービス業"),
        ("41", "映像・音声・文字情報制作業"),
        ("69", "不動産賃貸業・管理業"),
        ("75", "宿泊業"),
        ("79", "その他の生活関連サービス業"),
        ("391", "ソフトウェア業"),
        ("392", "情報処理・提供サービス業"),
        ("3921", "情報処理サービス業"),
        ("411", "映像情報制作・配給業"),
        ("412", "音声情報制作業"),
        ("413", "新聞業"),
        ("414", "出版業"),
        ("415", "広告制作業"),
        ("416", "映像・音声・文字情報制作に附帯するサービス業"),
        ("691", "不動産賃貸業（貸家業，貸間業を除く）"),
        ("693", "駐車場業"),
        ("751", "旅館，ホテル"),
        ("791", "旅行業"),
        ("792", "家事サービス業"),
    ],
)
def test_names_the_rules_rely_on(table, code, name_ja):
    assert table.get(code).name_ja == name_ja


def test_every_row_has_both_names(table):
    for e in table:
        assert e.name_ja and e.name_en, e.code


# -- look-ups --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "code,major",
    [
        ("0911", "E"),
        ("41", "G"),
        ("G", "G"),
        ("01", "A"),
        ("32", "E"),
        ("33", "F"),
        ("3921", "G"),
        ("751", "M"),
        ("7911", "N"),
        ("99", "T"),
        ("ｇ", "G"),
    ],
)
def test_major_of(table, code, major):
    assert table.major_of(code) == major


@pytest.mark.parametrize(
    "code,level",
    [("E", "major"), ("09", "middle"), ("091", "minor"), ("0911", "detail"), ("411", "minor")],
)
def test_level_of(table, code, level):
    assert table.level_of(code) == level


def test_middle_of_and_ancestors(table):
    assert table.middle_of("0911") == "09"
    assert table.middle_of("E") is None
    assert table.ancestors("0911") == ("E", "09", "091")
    assert table.ancestors("09") == ("E",)
    assert table.ancestors("E") == ()
    assert table.is_within("0911", "E")
    assert table.is_within("0911", "09")
    assert table.is_within("09", "09")
    assert not table.is_within("09", "0911")
    assert not table.is_within("41", "E")


@pytest.mark.parametrize(
    "code,lang,label",
    [
        ("E", "ja", "E 製造業"),
        ("09", "ja", "09 食料品製造業"),
        ("０９", "ja", "09 食料品製造業"),
        ("E", "en", "E Manufacturing"),
        ("751", "ja", "751 旅館，ホテル"),
        ("0911", "ja", "0911（09 食料品製造業の細分類）"),
        ("091", "ja", "091（09 食料品製造業の小分類）"),
        ("0911", "en", "0911 (industry in 09 Manufacture of food)"),
    ],
)
def test_label(table, code, lang, label):
    assert table.label(code, lang) == label


def test_children(table):
    assert [e.code for e in table.children("41")] == [
        "410",
        "411",
        "412",
        "413",
        "414",
        "415",
        "416",
    ]
    assert [e.code for e in table.children("G")] == ["37", "38", "39", "40", "41"]
    assert [e.code for e in table.children("392")] == ["3921", "3922", "3923", "3929"]
    assert table.children("09") == []


def test_get(table):
    assert table.get("09").label() == "09 食料品製造業"
    assert table.get("Ｅ").code == "E"
    assert table.get("0911") is None  # valid, but not listed
    assert table.get("00") is None  # invalid
    assert table.get("") is None
    assert "09" in table and "00" not in table


def test_default_table_is_shared():
    assert load_jsic() is load_jsic()
    assert len(load_jsic()) == len(raw_rows())


# -- validation ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw,code",
    [
        ("09", "09"),
        ("０９", "09"),
        ("３９２１", "3921"),
        ("e", "E"),
        ("ｅ", "E"),
        ("Ｇ", "G"),
        (" 41 ", "41"),
        ("E-09", "09"),
        ("E09", "09"),
        ("Ｅ０９", "09"),
        ("G 411", "411"),
        ("0911", "0911"),  # branch not enumerated: accepted unchecked
        ("091", "091"),
        ("3911", "3911"),
        ("411", "411"),
        ("1931", "1931"),
    ],
)
def test_validate_code_normalises(table, raw, code):
    assert table.validate_code(raw) == code
    assert validate_code(raw) == code
    assert validate_code(raw, table) == code


@pytest.mark.parametrize(
    "raw,fragment",
    [
        ("", "入力されていません"),
        ("   ", "入力されていません"),
        (None, "入力されていません"),
        ("9", "桁数が正しくありません（1桁）"),
        ("9", "先頭に0を付けて"),
        ("12345", "桁数が正しくありません（5桁）"),
        ("U", "大分類「U」はありません（A〜Tのいずれかです）"),
        ("z", "大分類「Z」はありません"),
        ("00", "中分類「00」は日本標準産業分類（第14回改定）にありません"),
        ("000", "中分類「00」"),
        ("G09", "大分類「G」と中分類「09」が合いません（09 食料品製造業 は E 製造業 に属します）"),
        ("あ", "使えない文字「あ」"),
        ("4１a", "形が正しくありません"),
        ("EE", "形が正しくありません"),
        ("417", "小分類「417」は日本標準産業分類（第14回改定）にありません"),
        ("417", "410、411、412、413、414、415、416"),
        ("4199", "小分類「419」（入力「4199」）"),
        ("697", "小分類「697」"),
        ("3925", "細分類「3925」"),
        ("1912", "細分類「1912」"),
    ],
)
def test_validate_code_errors(table, raw, fragment):
    with pytest.raises(JsicCodeError) as info:
        table.validate_code(raw)
    assert fragment in str(info.value)
    assert isinstance(info.value, ValueError)


@pytest.mark.parametrize("method", ["level_of", "major_of", "label", "children", "ancestors"])
def test_lookups_raise_on_bad_codes(table, method):
    with pytest.raises(ValueError):
        getattr(table, method)("00")


# -- loading other files ---------------------------------------------------------------------

HEADER = ",".join(COLUMNS)


def write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "jsic.csv"
    path.write_text(body, encoding="utf-8")
    return path


def test_load_custom_file_ignores_comments_and_blank_lines(tmp_path):
    path = write(
        tmp_path,
        f"# comment\n{HEADER}\n# another\n14,major,E,,製造業,Manufacturing\n\n"
        "14,middle,09,E,食料品製造業,Food\n",
    )
    table = load_jsic(path)
    assert len(table) == 2
    assert table.revision == "14"
    assert table.major_of("0911") == "E"


def test_load_reports_bad_header(tmp_path):
    path = write(tmp_path, "code,name\nE,製造業\n")
    with pytest.raises(ValueError, match="見出し行"):
        load_jsic(path)


def test_load_reports_line_of_short_row(tmp_path):
    path = write(tmp_path, f"# c\n{HEADER}\n14,major,E,,製造業,Manufacturing\n14,middle,09\n")
    with pytest.raises(ValueError, match="4行目"):
        load_jsic(path)


@pytest.mark.parametrize(
    "rows,fragment",
    [
        (["14,major,E,,製造業,M", "14,major,E,,製造業,M"], "重複"),
        (["14,middle,09,E,食料品製造業,F"], "parent「E」が大分類として登録されていません"),
        (["14,major,E,,製造業,M", "14,middle,9,E,食料品製造業,F"], "形が level"),
        (["14,major,E,,製造業,M", "14,middel,09,E,食料品製造業,F"], "level「middel」"),
        (["14,major,E,E,製造業,M"], "parent は空"),
        (["14,major,E,,,M"], "name_ja"),
        (
            [
                "14,major,E,,製造業,M",
                "14,middle,09,E,食料品製造業,F",
                "14,middle,10,E,飲料,B",
                "14,minor,101,09,x,x",
            ],
            "parent「09」で始まる",
        ),
    ],
)
def test_load_rejects_inconsistent_rows(tmp_path, rows, fragment):
    path = write(tmp_path, HEADER + "\n" + "\n".join(rows) + "\n")
    with pytest.raises(ValueError, match=fragment):
        load_jsic(path)


def test_table_from_entries():
    table = JsicTable(
        [
            JsicEntry("14", "major", "A", None, "農業，林業", "Agriculture and forestry"),
            JsicEntry("14", "middle", "01", "A", "農業", "Agriculture"),
        ]
    )
    assert table.label("01") == "01 農業"
    assert [e.code for e in read_jsic_csv(DEFAULT_PATH)][:2] == ["A", "B"]
