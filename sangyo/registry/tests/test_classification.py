"""中小企業者・小規模企業者 classification and founder stage. Pure Python: runs with
-p no:django."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from sangyo.registry.classification import (
    SIZES,
    Classification,
    check_rules_against_table,
    classify,
    format_yen_ja,
    founder_stage,
    industry_category,
    load_sme_rules,
    parse_sme_rules,
    years_completed_on,
)
from sangyo.registry.jsic import load_jsic

OKU = 100_000_000
MAN = 10_000
HUGE = 100 * OKU


@pytest.fixture(scope="module")
def table():
    return load_jsic()


def run(table, code, capital, employees, corporate_type="301", **options) -> Classification:
    return classify(
        jsic_code=code,
        capital_yen=capital,
        employees=employees,
        corporate_type=corporate_type,
        table=table,
        **options,
    )


# -- the table as data -------------------------------------------------------------------------


def test_rule_table_has_the_laws_numbers():
    rules = load_sme_rules()
    got = {
        c.key: (c.capital_limit_yen, c.employee_limit, c.small_employee_limit)
        for c in rules.categories
    }
    assert got == {
        "manufacturing_other": (3 * OKU, 300, 20),
        "wholesale": (1 * OKU, 100, 5),
        "retail": (5000 * MAN, 50, 5),
        "service": (5000 * MAN, 100, 5),
    }
    assert rules.default_category.key == "manufacturing_other"
    assert rules.category("manufacturing_other").law_name_ja == "製造業、建設業、運輸業その他の業種"
    exceptions = {e.key: (e.capital_limit_yen, e.employee_limit) for e in rules.exceptions}
    assert exceptions == {
        "rubber_products": (3 * OKU, 900),
        "software_information_processing": (3 * OKU, 300),
        "ryokan": (5000 * MAN, 200),
    }
    assert "工業用ベルト製造業を除く" in rules.exceptions[0].law_name_ja
    assert [(o.option, o.small_employee_limit) for o in rules.small_overrides] == [
        ("small_hospitality_20", 20)
    ]


def test_rule_codes_are_valid_in_the_jsic_table(table):
    check_rules_against_table(load_sme_rules(), table)


def _doc(**changes):
    doc = {
        "categories": [
            {
                "key": "a",
                "name_ja": "A",
                "default": True,
                "capital_limit_yen": 10,
                "employee_limit": 10,
                "small_employee_limit": 5,
            },
            {
                "key": "b",
                "name_ja": "B",
                "capital_limit_yen": 10,
                "employee_limit": 10,
                "small_employee_limit": 5,
                "jsic": ["50"],
            },
        ],
        "exceptions": [],
    }
    doc.update(changes)
    return doc


@pytest.mark.parametrize(
    "changes,fragment",
    [
        ({}, None),
        ({"categories": _doc()["categories"][1:]}, "default: true はちょうど1つ"),
        (
            {"categories": [_doc()["categories"][0], _doc()["categories"][0]]},
            "重複",
        ),
        (
            {
                "exceptions": [
                    {
                        "key": "x",
                        "name_ja": "X",
                        "category": "zz",
                        "capital_limit_yen": 1,
                        "employee_limit": 1,
                    }
                ]
            },
            "category「zz」",
        ),
        (
            {"categories": [{**_doc()["categories"][0], "employee_limit": -1}]},
            "employee_limit は正の整数",
        ),
        (
            {"categories": [{**_doc()["categories"][0], "small_employee_limit": 11}]},
            "小規模企業者の上限",
        ),
        (
            {"categories": [{**_doc()["categories"][0], "jsic": "50"}]},
            "文字列のリスト",
        ),
    ],
)
def test_parse_sme_rules_checks_the_data(changes, fragment):
    if fragment is None:
        assert parse_sme_rules(_doc(**changes)).default_category.key == "a"
        return
    with pytest.raises(ValueError, match=fragment):
        parse_sme_rules(_doc(**changes))


def test_rule_codes_must_exist_in_table(table):
    bad = parse_sme_rules(
        _doc(categories=[*_doc()["categories"][:1], {**_doc()["categories"][1], "jsic": ["00"]}])
    )
    with pytest.raises(ValueError, match="JSIC コード「00」"):
        check_rules_against_table(bad, table)


# -- yen formatting ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "amount,text",
    [
        (0, "0円"),
        (1, "1円"),
        (1_234, "1,234円"),
        (10_000, "1万円"),
        (3_000_000, "300万円"),
        (30_000_000, "3,000万円"),
        (50_000_000, "5,000万円"),
        (100_000_000, "1億円"),
        (150_000_000, "1億5,000万円"),
        (300_000_000, "3億円"),
        (300_000_001, "3億1円"),
        (10_005_000, "1,000万5,000円"),
        (1_000_000_000_000, "1兆円"),
        (1_200_000_000_000, "1兆2,000億円"),
        (12_345 * OKU, "1兆2,345億円"),
    ],
)
def test_format_yen_ja(amount, text):
    assert format_yen_ja(amount) == text


# -- JSIC → 業種区分 -------------------------------------------------------------------------

MFO, WHOLESALE, RETAIL, SERVICE = "manufacturing_other", "wholesale", "retail", "service"


@pytest.mark.parametrize(
    "code,key",
    [
        # 卸売業 = I 50–55
        ("49", MFO),
        ("50", WHOLESALE),
        ("55", WHOLESALE),
        ("５２", WHOLESALE),
        # 小売業 = I 56–61, M 76, 77
        ("56", RETAIL),
        ("61", RETAIL),
        ("62", MFO),
        ("75", SERVICE),
        ("76", RETAIL),
        ("77", RETAIL),
        # サービス業 = G 38, 39, 411, 412, 415, 416
        ("37", MFO),
        ("38", SERVICE),
        ("39", SERVICE),
        ("391", SERVICE),
        ("3922", SERVICE),
        ("40", MFO),
        ("410", MFO),
        ("411", SERVICE),
        ("4111", SERVICE),
        ("412", SERVICE),
        ("413", MFO),
        ("414", MFO),
        ("415", SERVICE),
        ("416", SERVICE),
        # K 693, 70
        ("68", MFO),
        ("691", MFO),
        ("692", MFO),
        ("693", SERVICE),
        ("694", MFO),
        ("70", SERVICE),
        # L all; M 75
        ("L", SERVICE),
        ("71", SERVICE),
        ("74", SERVICE),
        ("751", SERVICE),
        # N except 791
        ("78", SERVICE),
        ("790", SERVICE),
        ("791", MFO),
        ("7911", MFO),
        ("792", SERVICE),
        ("799", SERVICE),
        ("80", SERVICE),
        # O, P, Q, R all
        ("O", SERVICE),
        ("81", SERVICE),
        ("82", SERVICE),
        ("P", SERVICE),
        ("83", SERVICE),
        ("85", SERVICE),
        ("Q", SERVICE),
        ("86", SERVICE),
        ("87", SERVICE),
        ("R", SERVICE),
        ("88", SERVICE),
        ("96", SERVICE),
        # everything else
        ("A", MFO),
        ("B", MFO),
        ("C", MFO),
        ("D", MFO),
        ("E", MFO),
        ("0911", MFO),
        ("19", MFO),
        ("F", MFO),
        ("H", MFO),
        ("44", MFO),
        ("J", MFO),
        ("S", MFO),
        ("97", MFO),
        ("T", MFO),
        ("99", MFO),
    ],
)
def test_industry_category(table, code, key):
    category = industry_category(code, table)
    assert category.key == key
    assert category.known
    assert category.candidates == (key,)
    assert category.label_ja == load_sme_rules().category(key).name_ja
    assert " → " in category.reason_ja


@pytest.mark.parametrize(
    "code,candidates",
    [
        ("I", (WHOLESALE, RETAIL)),
        ("G", (MFO, SERVICE)),
        ("K", (MFO, SERVICE)),
        ("M", (RETAIL, SERVICE)),
        ("N", (MFO, SERVICE)),
        ("41", (MFO, SERVICE)),
        ("69", (MFO, SERVICE)),
        ("79", (MFO, SERVICE)),
    ],
)
def test_code_too_coarse_gives_unknown_category(table, code, candidates):
    category = industry_category(code, table)
    assert category.key == "unknown"
    assert not category.known
    assert category.candidates == candidates
    assert table.label(code) in category.reason_ja
    assert "業種区分が決まりません" in category.reason_ja
    assert category.reason_en


def test_missing_or_invalid_code_gives_unknown_category(table):
    missing = industry_category(None, table)
    assert missing.key == "unknown"
    assert missing.candidates == (MFO, WHOLESALE, RETAIL, SERVICE)
    assert "登録されていない" in missing.reason_ja
    assert industry_category("", table).key == "unknown"
    invalid = industry_category("00", table)
    assert invalid.key == "unknown"
    assert "中分類「00」" in invalid.reason_ja


# -- every row of the SME table, both tests --------------------------------------------------

# (JSIC code, rule key, capital limit, employee limit, small limit)
ROWS = [
    ("09", "manufacturing_other", 3 * OKU, 300, 20),  # 製造業
    ("06", "manufacturing_other", 3 * OKU, 300, 20),  # 建設業
    ("44", "manufacturing_other", 3 * OKU, 300, 20),  # 運輸業
    ("52", "wholesale", 1 * OKU, 100, 5),
    ("58", "retail", 5000 * MAN, 50, 5),
    ("76", "retail", 5000 * MAN, 50, 5),  # 飲食店
    ("72", "service", 5000 * MAN, 100, 5),
    ("192", "rubber_products", 3 * OKU, 900, 20),
    ("391", "software_information_processing", 3 * OKU, 300, 5),
    ("3921", "software_information_processing", 3 * OKU, 300, 5),
    ("751", "ryokan", 5000 * MAN, 200, 5),
]


def _cases():
    for code, key, cap, emp, small in ROWS:
        # (capital, employees, corporate_type) → (size, is_sme, is_small)
        yield code, key, HUGE, emp, "301", ("sme", True, False), "employees = limit"
        yield code, key, HUGE, emp + 1, "301", ("large", False, False), "employees limit+1"
        yield code, key, cap, emp + 1, "301", ("sme", True, False), "capital = limit"
        yield code, key, cap + 1, emp + 1, "301", ("large", False, False), "both over"
        yield code, key, 0, emp + 1, "301", ("sme", True, False), "capital 0"
        yield code, key, HUGE, small, "301", ("small", True, True), "employees = small limit"
        yield code, key, HUGE, small + 1, "301", ("sme", True, False), "employees small+1"
        yield code, key, None, small, "301", ("small", True, True), "capital unknown, small"
        yield code, key, None, emp, "301", ("sme", True, False), "capital unknown, emp ok"
        yield code, key, None, emp + 1, "301", ("unknown", None, False), "capital unknown, over"
        yield code, key, cap, None, "301", ("unknown", True, None), "employees unknown, cap ok"
        yield code, key, cap + 1, None, "301", ("unknown", None, None), "employees unknown, over"
        yield code, key, None, None, "301", ("unknown", None, None), "both unknown"
        yield code, key, 0, emp + 1, "sole", ("large", False, False), "sole ignores capital"
        yield code, key, None, emp, "sole", ("sme", True, False), "sole employees = limit"
        yield code, key, None, small, "sole", ("small", True, True), "sole small"
        yield code, key, 0, None, "sole", ("unknown", None, None), "sole employees unknown"


@pytest.mark.parametrize(
    "code,key,capital,employees,corporate_type,expected,case",
    list(_cases()),
    ids=[f"{c[0]}-{c[6]}" for c in _cases()],
)
def test_sme_table(table, code, key, capital, employees, corporate_type, expected, case):
    result = run(table, code, capital, employees, corporate_type)
    assert (result.size, result.is_sme, result.is_small) == expected
    assert result.size in SIZES
    assert result.rule_key == key
    assert result.rule.name_ja in result.reason_ja
    assert result.reason_ja.startswith(result.rule.name_ja + ": ")
    assert result.reason_en
    assert result.category.known


# -- reasons ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "code,capital,employees,corporate_type,reason_ja",
    [
        (
            "72",
            30_000_000,
            None,
            "301",
            "サービス業: 資本金 3,000万円 ≤ 5,000万円、従業員数が不明 → 中小企業者"
            "（小規模企業者かどうかは判定できません）",
        ),
        (
            "09",
            5 * OKU,
            350,
            "301",
            "製造業その他: 従業員 350人 > 300人、資本金 5億円 > 3億円 → 大企業",
        ),
        (
            "09",
            150_000_000,
            350,
            "301",
            "製造業その他: 従業員 350人 > 300人、資本金 1億5,000万円 ≤ 3億円 → 中小企業者",
        ),
        ("09", None, 12, "301", "製造業その他: 従業員 12人 ≤ 20人 → 小規模企業者"),
        (
            "72",
            None,
            80,
            "301",
            "サービス業: 従業員 80人 ≤ 100人 → 中小企業者（小規模企業者は5人以下）",
        ),
        (
            "09",
            None,
            1_200,
            "sole",
            "製造業その他: 従業員 1,200人 > 300人 → 大企業（個人事業主のため資本金基準はなし）",
        ),
        ("09", None, None, "301", "製造業その他: 資本金・従業員数ともに不明 → 判定できません"),
        (
            "09",
            None,
            301,
            "301",
            "製造業その他: 従業員 301人 > 300人、資本金が不明 → 判定できません",
        ),
        (
            "751",
            None,
            150,
            "301",
            "旅館業（政令の特例）: 従業員 150人 ≤ 200人 → 中小企業者（小規模企業者は5人以下）",
        ),
    ],
)
def test_reason_text(table, code, capital, employees, corporate_type, reason_ja):
    assert run(table, code, capital, employees, corporate_type).reason_ja == reason_ja


def test_reason_english_twin(table):
    result = run(table, "09", 5 * OKU, 350)
    assert result.reason_en == (
        "Manufacturing and others: employees 350 > 300, "
        "capital ¥500,000,000 > ¥300,000,000 → Large enterprise"
    )
    assert result.size_label_ja == "大企業"
    assert result.size_label_en == "Large enterprise"


# -- 政令 exceptions and their edges --------------------------------------------------------


@pytest.mark.parametrize(
    "code,capital,employees,size,rule",
    [
        # ゴム製品製造業 3億円/900人, except 自動車・航空機用タイヤ and 工業用ベルト
        ("192", HUGE, 900, "sme", "rubber_products"),
        ("192", HUGE, 901, "large", "rubber_products"),
        ("199", 3 * OKU, 901, "sme", "rubber_products"),
        ("199", 3 * OKU + 1, 901, "large", "rubber_products"),
        ("190", HUGE, 900, "sme", "rubber_products"),
        ("1932", HUGE, 900, "sme", "rubber_products"),
        ("1933", HUGE, 900, "sme", "rubber_products"),
        ("1911", HUGE, 900, "large", "manufacturing_other"),
        ("1911", HUGE, 300, "sme", "manufacturing_other"),
        ("1931", HUGE, 301, "large", "manufacturing_other"),
        ("192", HUGE, 20, "small", "rubber_products"),
        ("192", HUGE, 21, "sme", "rubber_products"),
        # ソフトウェア業 (391)・情報処理サービス業 (3921) 3億円/300人, small 5
        ("391", HUGE, 300, "sme", "software_information_processing"),
        ("391", HUGE, 301, "large", "software_information_processing"),
        ("391", 3 * OKU, 301, "sme", "software_information_processing"),
        ("3913", HUGE, 300, "sme", "software_information_processing"),
        ("3921", 3 * OKU + 1, 301, "large", "software_information_processing"),
        ("391", HUGE, 6, "sme", "software_information_processing"),
        ("391", HUGE, 5, "small", "software_information_processing"),
        ("3922", HUGE, 101, "large", "service"),
        ("3922", 5000 * MAN, 300, "sme", "service"),
        ("3929", HUGE, 300, "large", "service"),
        # 旅館業 (751 旅館，ホテル) 5,000万円/200人, small 5
        ("751", HUGE, 200, "sme", "ryokan"),
        ("751", HUGE, 201, "large", "ryokan"),
        ("751", 5000 * MAN, 201, "sme", "ryokan"),
        ("751", 5000 * MAN + 1, 201, "large", "ryokan"),
        ("751", HUGE, 6, "sme", "ryokan"),
        ("752", HUGE, 200, "large", "service"),
        ("759", HUGE, 100, "sme", "service"),
    ],
)
def test_seirei_exceptions(table, code, capital, employees, size, rule):
    result = run(table, code, capital, employees)
    assert (result.size, result.rule_key) == (size, rule)


@pytest.mark.parametrize(
    "code,employees,size",
    [("192", 900, "large"), ("391", 300, "large"), ("751", 200, "large"), ("192", 300, "sme")],
)
def test_exceptions_can_be_switched_off(table, code, employees, size):
    result = run(table, code, HUGE, employees, apply_seirei_exceptions=False)
    assert result.size == size
    assert result.rule.exception is None


@pytest.mark.parametrize(
    "code,capital,employees,size,is_sme",
    [
        ("19", HUGE, 300, "sme", True),  # 300 passes both 300 and 900
        ("19", HUGE, 500, "unknown", None),  # 900 rule: SME; 300 rule: large
        ("191", HUGE, 500, "unknown", None),
        ("1919", HUGE, 500, "unknown", None),  # partly aircraft tyres
        ("1919", 3 * OKU, 500, "sme", True),  # capital passes both
        ("39", HUGE, 100, "sme", True),
        ("39", HUGE, 200, "unknown", None),
        ("392", HUGE, 200, "unknown", None),
        ("75", HUGE, 150, "unknown", None),
        ("75", HUGE, 100, "sme", True),
    ],
)
def test_code_too_coarse_for_the_exception(table, code, capital, employees, size, is_sme):
    result = run(table, code, capital, employees)
    assert (result.size, result.is_sme) == (size, is_sme)
    assert result.category.known
    assert len(result.candidate_rules) == 2
    assert result.rule is None
    assert "より細かい分類によって基準が異なります" in result.reason_ja
    if size == "unknown":
        assert "より細かい産業分類コードを登録してください" in result.reason_ja


# -- 宿泊業・娯楽業: 小規模 up to 20 (option) --------------------------------------------------


@pytest.mark.parametrize(
    "code,employees,default,with_option,rule",
    [
        ("751", 20, "sme", "small", "ryokan+hospitality_small_20"),
        ("751", 21, "sme", "sme", "ryokan+hospitality_small_20"),
        ("752", 20, "sme", "small", "service+hospitality_small_20"),
        ("80", 20, "sme", "small", "service+hospitality_small_20"),
        ("80", 6, "sme", "small", "service+hospitality_small_20"),
        ("75", 15, "sme", "small", None),  # 旅館業 or not: small under both
        ("76", 20, "sme", "sme", "retail"),  # 飲食店 is not 宿泊業
        ("78", 20, "sme", "sme", "service"),
    ],
)
def test_small_hospitality_20_option(table, code, employees, default, with_option, rule):
    assert run(table, code, HUGE, employees).size == default
    result = run(table, code, HUGE, employees, small_hospitality_20=True)
    assert result.size == with_option
    assert result.rule_key == rule


# -- codes that leave the 業種区分 open --------------------------------------------------------


@pytest.mark.parametrize(
    "code,capital,employees,size,is_sme,is_small",
    [
        ("I", None, 3, "small", True, True),  # ≤ 5 under 卸売業 and 小売業
        ("I", None, 40, "sme", True, False),  # ≤ 50 and ≤ 100
        ("I", None, 80, "unknown", None, False),  # 卸売業 SME; 小売業 needs capital
        ("I", 5000 * MAN, 80, "sme", True, False),
        ("I", 1 * OKU, 120, "unknown", None, False),  # 卸売業 SME; 小売業 large
        ("M", None, 40, "sme", True, False),
        ("G", None, 10, "unknown", True, None),  # 製造業その他 small; サービス業 sme
        ("N", None, 5, "small", True, True),
        ("K", HUGE, 250, "unknown", None, False),
        (None, None, 3, "small", True, True),
        (None, None, 30, "sme", True, False),
        (None, HUGE, 200, "unknown", None, False),
        (None, None, None, "unknown", None, None),
        ("00", None, 3, "small", True, True),  # invalid code: every row agrees
    ],
)
def test_unknown_category_decides_only_when_all_rows_agree(
    table, code, capital, employees, size, is_sme, is_small
):
    result = run(table, code, capital, employees)
    assert (result.size, result.is_sme, result.is_small) == (size, is_sme, is_small)
    assert result.category.key == "unknown"
    assert result.rule is None
    assert result.category.reason_ja.split("。")[0] in result.reason_ja
    if size == "unknown" and is_sme is None:
        assert "判定できません" in result.reason_ja


def test_unknown_category_reasons(table):
    assert run(table, "I", None, 3).reason_ja == (
        "I 卸売業，小売業 はより細かい分類によって卸売業・小売業に分かれるため業種区分が決まりません。"
        "いずれの基準でも小規模企業者（従業員 3人 ≤ 5人）"
    )
    assert run(table, "I", None, 80).reason_ja.endswith(
        "基準によって結果が異なるため判定できません"
        "（卸売業 → 中小企業者；小売業 → 判定できません）。より細かい産業分類コードを登録してください"
    )
    assert run(table, None, HUGE, 200).reason_ja.endswith("産業分類コードを登録してください")
    assert run(table, "00", HUGE, 200).reason_ja.endswith("正しい産業分類コードを登録してください")
    assert "小規模企業者かどうかは基準によって異なります" in run(table, "G", None, 10).reason_ja


# -- corporate types and bad input -------------------------------------------------------------


@pytest.mark.parametrize(
    "corporate_type,size",
    [
        ("301", "small"),
        ("305", "small"),
        ("399", "small"),
        (None, "small"),
        ("sole", "small"),
        ("pre_founding", "unknown"),
        ("101", "unknown"),
        ("201", "unknown"),
    ],
)
def test_corporate_types(table, corporate_type, size):
    result = run(table, "09", 1_000_000, 3, corporate_type)
    assert result.size == size
    if size == "unknown":
        assert result.is_sme is None and result.rule is None
        assert result.reason_ja and result.reason_en
        assert result.category.key == MFO  # still computed


@pytest.mark.parametrize("capital,employees", [(-1, 3), (1, -1), (True, 3), (1, 2.5), ("100", 3)])
def test_rejects_bad_numbers(table, capital, employees):
    with pytest.raises(ValueError):
        run(table, "09", capital, employees)


def test_reasons_fit_the_registry_column(table):
    for code in (None, "I", "G", "19", "09", "00"):
        for capital, employees in ((None, None), (HUGE, 200), (None, 3), (1, 10_000)):
            result = run(table, code, capital, employees)
            assert result.reason_ja and result.reason_en
            assert len(result.reason_ja) <= 300, (code, capital, employees)


# -- founder stage ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "corporate_type,established,on,key",
    [
        ("pre_founding", None, date(2025, 1, 1), "pre_founding"),
        ("pre_founding", date(2010, 1, 1), date(2025, 1, 1), "pre_founding"),
        ("301", None, date(2025, 1, 1), "unknown"),
        ("sole", None, date(2025, 1, 1), "unknown"),
        ("301", date(2025, 1, 2), date(2025, 1, 1), "pre_founding"),  # not founded yet
        ("301", date(2020, 4, 1), date(2020, 4, 1), "young"),  # the day itself
        ("301", date(2020, 4, 1), date(2025, 3, 31), "young"),
        ("301", date(2020, 4, 1), date(2025, 4, 1), "established"),  # exactly 5 years
        ("sole", date(2020, 4, 1), date(2025, 4, 2), "established"),
        ("301", date(2020, 2, 29), date(2025, 2, 28), "young"),  # leap-day establishment
        ("301", date(2020, 2, 29), date(2025, 3, 1), "established"),
        ("301", date(2019, 2, 28), date(2024, 2, 27), "young"),
        ("301", date(2019, 2, 28), date(2024, 2, 28), "established"),
        ("301", date(2019, 3, 1), date(2024, 2, 29), "young"),
        ("301", date(2019, 3, 1), date(2024, 3, 1), "established"),
        ("301", date(1990, 1, 1), date(2025, 1, 1), "established"),
    ],
)
def test_founder_stage(corporate_type, established, on, key):
    stage = founder_stage(corporate_type=corporate_type, date_of_establishment=established, on=on)
    assert stage.key == key
    assert stage.label_ja and stage.label_en and stage.reason_ja and stage.reason_en


def test_founder_stage_boundary_and_labels():
    young = founder_stage(
        corporate_type="301", date_of_establishment=date(2020, 2, 29), on=date(2025, 2, 28)
    )
    assert young.young_until == date(2025, 2, 28)
    assert young.label_ja == "創業5年未満"
    assert young.reason_ja == "設立・創業日 2020年2月29日から5年未満（2025年2月28日まで）"
    old = founder_stage(
        corporate_type="301", date_of_establishment=date(2020, 4, 1), on=date(2025, 4, 1)
    )
    assert old.label_ja == "創業5年以上"
    assert old.young_until == date(2025, 3, 31)
    assert old.reason_ja == "設立・創業日 2020年4月1日から5年以上（2025年4月1日に5年経過）"
    pre = founder_stage(corporate_type="pre_founding", date_of_establishment=None, on=date.today())
    assert (pre.label_ja, pre.label_en) == ("創業予定者", "Planning to found")


def test_founder_stage_counts_in_japanese_time():
    # 2025-03-31T15:00Z is 2025-04-01 in Tokyo: five years are complete there.
    stage = founder_stage(
        corporate_type="301",
        date_of_establishment=date(2020, 4, 1),
        on=datetime(2025, 3, 31, 15, 0, tzinfo=UTC),
    )
    assert stage.key == "established"


@pytest.mark.parametrize(
    "established,years,mark",
    [
        (date(2020, 4, 1), 5, date(2025, 4, 1)),
        (date(2020, 2, 29), 5, date(2025, 3, 1)),
        (date(2020, 2, 29), 4, date(2024, 2, 29)),
        (date(2020, 12, 31), 5, date(2025, 12, 31)),
    ],
)
def test_years_completed_on(established, years, mark):
    assert years_completed_on(established, years) == mark
