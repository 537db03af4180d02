"""Fuzzing of the navigator's inputs: the jGrants-shaped JSON import of outside programmes,
search queries (parse_query, search with any page), and questionnaire answers.

parse_outside_file returns rows or raises NavigatorError naming the record and the field;
outside_import writes everything or nothing; search and parse_answers accept anything a
query string can carry."""

from __future__ import annotations

import json

import pytest
from django.http import QueryDict
from hypothesis import example, given
from hypothesis import strategies as st

from sangyo.core.jgrants import EMPLOYEE_BANDS, USE_PURPOSES
from sangyo.navigator import engine, search, text
from sangyo.navigator.models import OutsideProgram
from sangyo.navigator.services import NavigatorError, outside_import, parse_outside_file

from .common import any_bytes, assert_clear, fuzz, nasty_text, rolled_back

json_value = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(min_value=-(2**70), max_value=2**70),
        st.floats(),
        nasty_text,
    ),
    lambda children: st.one_of(
        st.lists(children, max_size=3), st.dictionaries(nasty_text, children, max_size=3)
    ),
    max_leaves=6,
)

FIELD_VALUES = {
    "id": st.one_of(
        st.text(min_size=1, max_size=12), st.integers(), st.text(min_size=95, max_size=110)
    ),
    "title": st.one_of(nasty_text, st.just("")),
    "subsidy_max_limit": st.one_of(
        st.integers(-10, 2**64), st.sampled_from(["", None, "100", 1.5, True])
    ),
    "acceptance_start_datetime": st.one_of(
        st.sampled_from(
            [
                "2025-04-01T00:00:00Z",
                "2025-02-30T00:00:00",
                "2025-04-01T00:00:00+99:00",
                "2025-04-01",
                "令和7年4月1日",
                "9999-12-31T23:59:59-23:59",
                "0001-01-01T00:00:00+14:00",
            ]
        ),
        nasty_text,
    ),
    "acceptance_end_datetime": st.sampled_from(["", None, "2025-13-01T00:00:00Z", 20250401]),
    "target_number_of_employees": st.sampled_from([*EMPLOYEE_BANDS, "", "1000人以上?", 5]),
    "use_purpose": st.one_of(
        st.sampled_from(USE_PURPOSES[:3]),
        st.lists(st.sampled_from([*USE_PURPOSES[:3], "", "x", 1]), max_size=3),
        st.just(" / ".join(USE_PURPOSES[:2])),
    ),
    "industry": st.one_of(nasty_text, st.lists(nasty_text, max_size=2)),
    "front_subsidy_detail_page_url": st.sampled_from(
        ["https://example.jp/", "javascript:alert(1)", "", "x" * 600]
    ),
    "detail": st.one_of(nasty_text, st.just("\x00"), st.just("\ud800")),
}


@st.composite
def outside_record(draw):
    keys = draw(st.lists(st.sampled_from(list(FIELD_VALUES)), unique=True))
    record = {k: draw(FIELD_VALUES[k]) for k in keys}
    if draw(st.booleans()):
        record["id"] = draw(st.text(alphabet="abc123", min_size=1, max_size=3))
        record["title"] = "事業"
    if draw(st.booleans()):
        record[draw(nasty_text)] = draw(json_value)
    return record


@st.composite
def outside_file(draw):
    records = draw(st.lists(st.one_of(outside_record(), json_value), max_size=4))
    doc = {"result": records} if draw(st.booleans()) else records
    text_ = json.dumps(doc, ensure_ascii=draw(st.booleans()), allow_nan=True)
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp932", "str"]))
    if encoding == "str":
        return text_
    return text_.encode(
        encoding, errors="surrogatepass" if encoding.startswith("utf") else "replace"
    )


def check_parse(raw) -> list[dict] | None:
    try:
        rows = parse_outside_file(raw)
    except NavigatorError as exc:
        assert_clear(str(exc))
        return None
    for row in rows:
        assert row["source_id"] and row["title"]
        assert 0 <= row["subsidy_max_limit"] <= 2**63 - 1
        assert len(row["source_id"]) <= 100
    return rows


@fuzz(300)
@given(st.one_of(outside_file(), any_bytes(), json_value.map(json.dumps)))
@example("[" * 100_000)
@example("[" * 5000 + "]" * 5000)
@example('[{"id":"1","title":"t","acceptance_start_datetime":"2025-02-30T00:00:00"}]')
@example('[{"id":"1","title":"t","acceptance_start_datetime":"2025-01-01T00:00:00+99:00"}]')
@example('[{"id":"1","title":"t","subsidy_max_limit":99999999999999999999999}]')
@example('[{"id":"1","title":"t","detail":"\\ud800"}]')
@example('[{"id":"1","title":"t","x":{"y":"\\u0000"}}]')
@example(b"\xff\xfe[\x00]\x00")
@example('{"result": NaN}')
def test_parse_outside_file(raw):
    check_parse(raw)


def test_utf16_file_is_read_as_utf16():
    raw = json.dumps([{"id": "1", "title": "創業支援"}], ensure_ascii=False).encode("utf-16")
    assert check_parse(raw)[0]["title"] == "創業支援"


@pytest.mark.django_db
@fuzz(db=True, max_examples=40)
@given(outside_file())
@example('[{"id":"1","title":"t","detail":"\\ud800"}]')
@example('[{"id":"1","title":"t","subsidy_max_limit":9223372036854775808}]')
@example('[{"id":"' + "x" * 101 + '","title":"t"}]')
def test_outside_import_all_or_nothing(raw):
    with rolled_back():
        before = OutsideProgram.objects.count()
        try:
            result = outside_import(raw=raw, actor="fuzz")
        except NavigatorError as exc:
            assert_clear(str(exc))
            assert OutsideProgram.objects.count() == before
            return
        assert OutsideProgram.objects.count() == before + result.created
        # Importing the same file again changes nothing.
        again = outside_import(raw=raw, actor="fuzz")
        assert again.created == again.updated == 0


# --------------------------------------------------------------------------- search


@fuzz(200)
@given(st.one_of(nasty_text, st.text(max_size=80)), st.sampled_from(["ja", "en"]))
@example('"', "ja")
@example("AND OR NOT ( ) * ^ :", "en")
@example("ー", "ja")
def test_parse_query_and_expressions(q, lang):
    parsed = text.parse_query(q, lang, [["DX", "デジタル化"], ["創業", "起業"]])
    text.fts5_expression(parsed)
    text.tsquery_expression(parsed)
    text.query_words(parsed, q)


@pytest.mark.django_db
@fuzz(db=True, max_examples=40)
@given(
    st.one_of(nasty_text, st.sampled_from(['"', "AND", "NOT", "a*", "(", "創業 支援", "ｿｳｷﾞｮｳ"])),
    st.integers(-5, 10**30),
    st.sampled_from(["ja", "en", "xx"]),
)
@example("創業", 10**20, "ja")
def test_search_any_query_any_page(q, page, lang):
    with rolled_back():
        results = search.search(q, lang=lang, page=page, count_missing=False)
        assert results.total >= 0


@pytest.mark.django_db
@fuzz(db=True, max_examples=60)
@given(
    st.dictionaries(
        st.sampled_from(["stage", "industry", "employees", "capital", "in_city", "challenge", "x"]),
        st.lists(
            st.one_of(nasty_text, st.sampled_from(["E", "yes", "-1", "1e9", "9" * 5000, "１２"])),
            min_size=1,
            max_size=3,
        ),
    )
)
def test_parse_answers_from_any_query_string(params):
    data = QueryDict(mutable=True)
    for key, values in params.items():
        data.setlist(key, values)
    answers = engine.parse_answers(data, needs=[])
    assert answers.employees is None or answers.employees >= 0
    assert answers.capital is None or answers.capital >= 0
    answers.query_string()
