"""Fuzzing of the indicator imports: the observation CSV/Excel layout, saved e-Stat JSON and
the small value parsers (numbers, 年度, 公表日, 分類の条件).

Parsing writes nothing and returns a ParseResult whose errors name the row and column; a file
with any error yields no items. Applying the items of a valid file writes them all."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from sangyo.core.tabular import write_csv, write_xlsx
from sangyo.core.wareki import WarekiError
from sangyo.indicators.imports import (
    IMPORT_COLUMNS,
    parse_cat_filters,
    parse_estat_json,
    parse_fiscal_year,
    parse_number,
    parse_observation_file,
    parse_published,
    read_estat,
    value_problem,
)
from sangyo.indicators.models import Observation
from sangyo.indicators.services import observations_apply
from sangyo.indicators.tests.factories import indicator

from .common import any_bytes, assert_clear, fuzz, nasty_text, rolled_back

number_like = st.one_of(
    nasty_text,
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.sampled_from(
        ["△12", "▲", "１,２３４", "1,23", "9" * 40, "0.00001", "-0", "+1", "٣", "²", "1e5"]
    ),
)


@fuzz(300)
@given(number_like)
def test_parse_number(text):
    value = parse_number(text)
    if value is not None:
        assert value.is_finite()
        problem = value_problem(value)
        assert problem is None or problem


@fuzz(300)
@given(
    st.one_of(
        nasty_text,
        st.builds(
            lambda era, n, tail: f"{era}{n}{tail}",
            st.sampled_from(["令和", "平成", "昭和", "R", "h", "FY", "", "㍻"]),
            st.sampled_from(["元", "0", "1", "64", "99", "2024", "２０２４", "²"]),
            st.sampled_from(["年度", "年", "", "年度（2024年度）", "(9999年度)"]),
        ),
    )
)
@example("令和0年度")
@example("FY²⁰²⁴")
def test_parse_fiscal_year(text):
    fy = parse_fiscal_year(text)
    assert fy is None or isinstance(fy, int)


@fuzz(200)
@given(
    st.one_of(
        nasty_text,
        st.sampled_from(["2025年4月1日（令和7年4月1日）", "()", "（）", "令和7年4月31日(x)"]),
    )
)
def test_parse_published(text):
    try:
        assert isinstance(parse_published(text), date)
    except WarekiError as exc:
        assert_clear(str(exc))


@fuzz(200)
@given(
    st.one_of(
        nasty_text, st.sampled_from(["cat01=001", "@CAT02=1, tab=020", "area=08220", "=", "cat01="])
    )
)
def test_parse_cat_filters(text):
    filters, problems = parse_cat_filters(text)
    for p in problems:
        assert_clear(p)
    assert all(isinstance(k, str) and v for k, v in filters.items())


# --------------------------------------------------------------------------- e-Stat JSON

json_leaf = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), nasty_text)
json_any = st.recursive(
    json_leaf,
    lambda c: st.one_of(st.lists(c, max_size=3), st.dictionaries(nasty_text, c, max_size=3)),
    max_leaves=6,
)
maybe = lambda s: st.one_of(s, json_any)  # noqa: E731


@st.composite
def estat_doc(draw):
    """getStatsData-shaped JSON with any part replaced by arbitrary JSON."""
    values = draw(
        st.lists(
            maybe(
                st.fixed_dictionaries(
                    {
                        "@time": maybe(
                            st.sampled_from(
                                ["2020000000", "2021100000", "²⁰²⁰000000", "x", "１９９９"]
                            )
                        ),
                        "@area": maybe(st.sampled_from(["08220", "08000", 8220])),
                        "@unit": maybe(st.sampled_from(["人", "件", ""])),
                        "@cat01": maybe(st.sampled_from(["001", "002"])),
                        "$": maybe(st.sampled_from(["123", "1,234", "-", "***", "X", "", "1e400"])),
                    }
                )
            ),
            max_size=5,
        )
    )
    data_inf = {"VALUE": values if draw(st.booleans()) else (values[0] if values else None)}
    if draw(st.booleans()):
        data_inf["NOTE"] = draw(maybe(st.just({"@char": "***", "$": "秘匿"})))
    stats = {
        "TABLE_INF": draw(
            maybe(
                st.fixed_dictionaries(
                    {
                        "@id": maybe(st.just("0003")),
                        "TITLE": maybe(st.just({"$": "表"})),
                        "OPEN_DATE": maybe(st.sampled_from(["2025-04-01", "2025-02-30", "x"])),
                    }
                )
            )
        ),
        "CLASS_INF": draw(
            maybe(
                st.just(
                    {
                        "CLASS_OBJ": [
                            {"@id": "time", "CLASS": {"@code": "2020000000", "@name": "2020年"}}
                        ]
                    }
                )
            )
        ),
        "DATA_INF": draw(maybe(st.just(data_inf))),
        "RESULT_INF": draw(maybe(st.just({"NEXT_KEY": 2}))),
    }
    root = {
        "RESULT": draw(
            maybe(st.fixed_dictionaries({"STATUS": maybe(st.sampled_from([0, 2, 100, "0", "²"]))}))
        ),
        "STATISTICAL_DATA": draw(maybe(st.just(stats))),
    }
    doc = {"GET_STATS_DATA": draw(maybe(st.just(root)))}
    return json.dumps(doc, ensure_ascii=False).encode(draw(st.sampled_from(["utf-8", "utf-8-sig"])))


@fuzz(300)
@given(st.one_of(estat_doc(), any_bytes(), json_any.map(lambda v: json.dumps(v).encode())))
@example(b'{"GET_STATS_DATA":{"RESULT":[]}}')
@example(b"[" * 100_000)
@example(b'{"GET_STATS_DATA":{"STATISTICAL_DATA":{"DATA_INF":{},"CLASS_INF":[1]}}}')
def test_read_estat(data):
    try:
        read_estat(data)
    except ValueError as exc:
        assert_clear(str(exc))


@pytest.mark.django_db
@fuzz(db=True, max_examples=80)
@given(
    st.one_of(estat_doc(), any_bytes()),
    st.sampled_from(["08220", "", "０８２２０", "x"]),
    st.sampled_from(["fiscal", "calendar"]),
    st.sampled_from([{}, {"cat01": "001"}]),
)
@example(
    b'{"GET_STATS_DATA":{"STATISTICAL_DATA":{"DATA_INF":{"VALUE":[{"@time":"\\u00b2\\u00b2\\u00b2\\u00b2","$":"1"}]}}}}',
    "",
    "fiscal",
    {},
)
@example(
    b'{"GET_STATS_DATA":{"STATISTICAL_DATA":{"DATA_INF":{"VALUE":[{"@unit":1,"$":"1"},{"@unit":"a","$":"1"}]}}}}',
    "",
    "fiscal",
    {},
)
def test_parse_estat_json(estat_indicator, data, area, year_type, filters):
    result = parse_estat_json(
        data, indicator=estat_indicator, area_code=area, year_type=year_type, cat_filters=filters
    )
    check_result(result)


# --------------------------------------------------------------------------- CSV / Excel


@pytest.fixture
def estat_indicator(tsukuba):
    return indicator(strategy=tsukuba, code="synthetic-fuzz", name_ja="合成データ指標")


def check_result(result) -> None:
    for error in result.errors:
        assert_clear(str(error))
        assert error.row is None or error.row >= 1
    if result.errors:
        assert result.items == []
    for _indicator, data in result.items:
        assert value_problem(data.value) is None
        assert len(data.source) <= 300 and len(data.note) <= 300


cell = st.one_of(
    nasty_text,
    st.sampled_from(
        [
            "synthetic-fuzz",
            "2024",
            "令和6年度",
            "R6",
            "1,234",
            "△5",
            "確定値",
            "速報",
            "2025年4月1日（令和7年4月1日）",
            "令和7年2月30日",
            "",
            "9" * 30,
        ]
    ),
)


@st.composite
def observation_file(draw, strategy_code):
    header = draw(
        st.one_of(
            st.just(list(IMPORT_COLUMNS)),
            st.permutations(IMPORT_COLUMNS).map(list),
            st.lists(
                st.sampled_from([*IMPORT_COLUMNS, "strategy_code", "VALUE", " value ", "", "x"]),
                max_size=9,
            ),
        )
    )
    rows = []
    for _ in range(draw(st.integers(0, 5))):
        row = {
            "strategy": draw(st.sampled_from([strategy_code, "", "other"])),
            "indicator_code": draw(st.sampled_from(["synthetic-fuzz", "nope", ""])),
            "fiscal_year": draw(cell),
            "value": draw(cell),
            "status": draw(cell),
            "source": draw(st.one_of(cell, st.just("長" * 301))),
            "published_on": draw(cell),
            "note": draw(cell),
        }
        rows.append([row.get(h.strip().lower(), draw(cell)) for h in header])
    kind = draw(st.sampled_from(["utf-8-sig", "cp932", "xlsx"]))
    if kind == "xlsx":
        try:
            return write_xlsx(header, rows), "obs.xlsx"
        except ValueError:
            kind = "utf-8-sig"
    try:
        return write_csv(header, rows, encoding=kind), "obs.csv"
    except ValueError:
        return write_csv(header, rows), "obs.csv"


@pytest.mark.django_db
@fuzz(db=True, max_examples=50)
@given(data=st.data())
def test_observation_file_all_or_nothing(estat_indicator, data):
    strategy = estat_indicator.strategy
    raw, filename = data.draw(
        st.one_of(
            observation_file(strategy.code),
            st.tuples(any_bytes(), st.sampled_from(["obs.csv", "obs.xlsx", "obs.txt"])),
        )
    )
    with rolled_back():
        before = Observation.objects.count()
        result = parse_observation_file(raw, filename, strategy)
        check_result(result)
        assert Observation.objects.count() == before  # parsing never writes
        if result.ok and result.items:
            observations_apply(items=result.items, actor="fuzz", source_label="fuzz")
            for ind, item in result.items:
                stored = Observation.objects.get(indicator=ind, fiscal_year=item.fiscal_year)
                assert Decimal(stored.value) == item.value
