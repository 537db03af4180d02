"""Fuzzing of the business-registry importers: the 国税庁 法人番号 file (parse_nta and
nta_import) and the generic CSV/Excel import with a column mapping (generic_import).

parse_nta returns records and row errors (Japanese, with the line); the importers always
return an ImportRun: a refused or failed one has errors with clear messages and leaves the
registry exactly as it was (never a partial write), and no refusal is a crash caught while
writing ("書き込み中にエラー…"), which would mean validation let something through."""

from __future__ import annotations

import csv
import io

import pytest
from hypothesis import event, example, given
from hypothesis import strategies as st

from sangyo.core.codes import corporate_number_check_digit
from sangyo.core.tabular import write_csv, write_xlsx
from sangyo.registry.imports import (
    GENERIC_FIELDS,
    HEADER_GUESSES,
    generic_import,
    guess_mapping,
    mapping_problems,
    nta_import,
)
from sangyo.registry.models import Business, ImportRun
from sangyo.registry.nta import COLUMNS, NtaRecord, parse_nta

from .common import any_bytes, assert_clear, fuzz, has_japanese, nasty_text, rolled_back

col = COLUMNS.index
WRITE_FAILED = "書き込み中にエラーが発生"

# A real line (formats.md), moved to つくば市 (08 220) so that imports take it, 30 columns.
TEMPLATE = next(
    csv.reader(
        [
            '682723,7000012050002,01,1,2018-04-02,2015-10-05,"合成データ株式会社",,301,"茨城県",'
            '"つくば市","研究学園1-1-1",,08,220,3050817,,,,,,,2015-10-05,1,"Synthetic KK",'
            '"Ibaraki","Tsukuba",,"ゴウセイデータ",0'
        ]
    )
)


def number(base: int) -> str:
    base12 = f"{base:012d}"
    return f"{corporate_number_check_digit(base12)}{base12}"


COLUMN_VALUES = {
    "sequenceNumber": st.sampled_from(["1", "x", "", "１", "99999999999999999999"]),
    "corporateNumber": st.one_of(
        st.integers(1, 50).map(number),
        st.sampled_from(["1234567890123", "7.00001E+12", "", "７０００００１２０５０００２"]),
    ),
    "process": st.sampled_from(["01", "11", "12", "21", "22", "71", "99", "1", "", "00"]),
    "updateDate": st.sampled_from(
        ["2024-04-01", "2024-02-30", "2024/04/01", "", "令和6年4月1日", "0001-01-01", "9999-12-31"]
    ),
    "changeDate": st.sampled_from(["2015-10-05", "", "2015-13-05"]),
    "name": st.one_of(nasty_text, st.just("合" * 400), st.just("")),
    "kind": st.sampled_from(["301", "101", "201", "399", "499", "", "3O1"]),
    "prefectureCode": st.sampled_from(["08", "8", "48", "00", "", "13"]),
    "cityCode": st.sampled_from(["220", "22", "", "２２０", "101"]),
    "postCode": st.sampled_from(["3050817", "305-0817", "", "30508171"]),
    "streetNumber": st.one_of(nasty_text, st.just("番" * 600)),
    "closeDate": st.sampled_from(["", "2024-04-01", "2024-04-31"]),
    "closeCause": st.sampled_from(["", "01", "11", "21", "31", "99"]),
    "successorCorporateNumber": st.sampled_from(["", "1234567890123", number(7)]),
    "assignmentDate": st.sampled_from(["2015-10-05", "", "x"]),
    "latest": st.sampled_from(["1", "0", "", "2"]),
    "enName": st.one_of(nasty_text, st.just("E" * 400)),
    "furigana": st.one_of(nasty_text, st.just("ｶﾞ" * 300)),
    "hihyoji": st.sampled_from(["0", "1", "", "x"]),
}


@st.composite
def nta_row(draw):
    row = list(TEMPLATE)
    row[col("corporateNumber")] = number(draw(st.integers(1, 50)))
    for column in draw(st.lists(st.sampled_from(list(COLUMN_VALUES)), max_size=4, unique=True)):
        row[col(column)] = draw(COLUMN_VALUES[column])
    width = draw(st.sampled_from([30, 30, 30, 29, 28, 31, 4]))
    return (row + [""] * width)[:width]


@st.composite
def nta_file(draw):
    rows = draw(st.lists(nta_row(), max_size=6))
    if draw(st.booleans()):
        rows.insert(0, ["2024-04-01", str(len(rows)), "1", "1"])  # Web-API summary line
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator=draw(st.sampled_from(["\r\n", "\n"]))).writerows(rows)
    return buffer.getvalue().encode(
        draw(st.sampled_from(["cp932", "utf-8", "utf-8-sig"])), errors="replace"
    )


@fuzz(300)
@given(st.one_of(nta_file(), any_bytes()))
@example(b"")
@example(b'"')
@example(",".join(TEMPLATE).encode("utf-8"))
def test_parse_nta(data):
    result = parse_nta(data)
    for error in result.errors:
        assert_clear(error.message_ja)
        assert has_japanese(error.message_ja)
        assert error.message_en
        assert error.line >= 0
    for record in result.records:
        assert isinstance(record, NtaRecord)
        assert len(record.corporate_number) == 13
    assert result.ok == (not result.errors)


def check_run(run: ImportRun, before: int) -> None:
    event(f"{run.get_mode_display()} succeeded={run.succeeded} new={bool(run.counts.get('new'))}")
    if not run.succeeded:
        assert run.errors, "a refused import must say why"
        for error in run.errors:
            assert_clear(error["message"])
            assert WRITE_FAILED not in error["message"], error["message"]
        assert Business.objects.count() == before, "a refused import wrote businesses"
    elif run.mode == ImportRun.Mode.DRY_RUN:
        assert Business.objects.count() == before
    else:
        assert Business.objects.count() == before + run.counts.get("new", 0)


@pytest.mark.django_db
@fuzz(db=True, max_examples=40)
@given(nta_file(), st.booleans(), st.sampled_from([None, "08220", "082201", "08221", "x"]))
def test_nta_import_all_or_nothing(tsukuba, data, dry_run, municipality):
    with rolled_back():
        before = Business.objects.count()
        run = nta_import(
            data=data,
            filename="nta.csv",
            actor="fuzz",
            dry_run=dry_run,
            municipality_code=municipality,
        )
        check_run(run, before)
        if run.succeeded and not dry_run:
            # Importing the same file again creates nothing.
            again = nta_import(
                data=data,
                filename="nta.csv",
                actor="fuzz",
                dry_run=False,
                municipality_code=municipality,
            )
            assert again.counts.get("new", 0) == 0


# --------------------------------------------------------------------------- generic

GENERIC_VALUES = {
    "corporate_number": st.one_of(
        st.integers(1, 30).map(number), st.sampled_from(["", "123", "７０００"])
    ),
    "name": st.one_of(nasty_text, st.sampled_from(["合成データ商店", "", "名" * 400])),
    "kana": nasty_text,
    "name_en": st.one_of(nasty_text, st.just("E" * 400)),
    "corporate_type": st.sampled_from(
        ["株式会社", "(株)", "個人", "301", "合同会社", "謎", "", "KK"]
    ),
    "representative_name": nasty_text,
    "postal_code": st.sampled_from(["305-0817", "3050817", "〒305-0817", "305", "3" * 30, ""]),
    "location": st.one_of(nasty_text, st.sampled_from(["茨城県つくば市研究学園1-1", "住" * 400])),
    "city_code": st.sampled_from(["082201", "08220", "999999", "x", ""]),
    "jsic_code": st.sampled_from(["E", "09", "0911", "ZZ", "", "e", "A01"]),
    "capital_stock": st.sampled_from(
        ["10,000,000円", "１０００", "-5", "9" * 30, "1e6", "", "三百万"]
    ),
    "employee_number": st.sampled_from(["12人", "0", "-1", "9" * 25, "12.5", "²"]),
    "date_of_establishment": st.sampled_from(
        [
            "2020-04-01",
            "令和2年4月1日",
            "R2.4.1",
            "令和1年2月30日",
            "2999-01-01",
            "1800-01-01",
            "明治5年1月1日",
            "",
        ]
    ),
    "fiscal_year_end_month": st.sampled_from(["3", "3月", "13", "０", "", "²"]),
    "company_url": st.sampled_from(
        ["https://example.jp", "example.jp", "javascript:alert(1)", "http://" + "a" * 300, ""]
    ),
    "tags": st.sampled_from(["製造業, DX", "、、", "t" * 60, "", "a;b；c"]),
}


VALID = {
    "corporate_number": lambda i: number(100 + i),
    "name": lambda i: f"合成データ商店{i}",
    "kana": lambda i: "ゴウセイデータ",
    "name_en": lambda i: f"Synthetic {i}",
    "corporate_type": lambda i: "株式会社",
    "representative_name": lambda i: "合成 太郎",
    "postal_code": lambda i: "305-0817",
    "location": lambda i: f"茨城県つくば市研究学園{i}-1",
    "city_code": lambda i: "082201",
    "jsic_code": lambda i: "E",
    "capital_stock": lambda i: "10,000,000",
    "employee_number": lambda i: "12",
    "date_of_establishment": lambda i: "令和2年4月1日",
    "fiscal_year_end_month": lambda i: "3",
    "company_url": lambda i: "https://example.jp",
    "tags": lambda i: "製造業, DX",
}


@st.composite
def generic_file(draw):
    fields = draw(st.lists(st.sampled_from(GENERIC_FIELDS), min_size=1, max_size=7, unique=True))
    if "name" not in fields and draw(st.integers(0, 4)) > 0:  # mostly with the required column
        fields.append("name")
    header = [draw(st.sampled_from(HEADER_GUESSES[f])) for f in fields]
    if draw(st.booleans()):
        header.append(draw(nasty_text))
    # Most files are nearly right: each cell is valid unless drawn otherwise, so that imports
    # also succeed and write (a fully random file is refused at once).
    mostly_valid = draw(st.booleans())
    rows = []
    for i in range(draw(st.integers(0, 5))):
        row = []
        for f in fields:
            if mostly_valid and draw(st.integers(0, 29)) < 29:
                row.append(VALID[f](i))
            else:
                row.append(draw(GENERIC_VALUES[f]))
        rows.append(row + [draw(nasty_text)] * (len(header) - len(fields)))
    kind = draw(st.sampled_from(["utf-8-sig", "cp932", "xlsx"]))
    try:
        if kind == "xlsx":
            data, filename = write_xlsx(header, rows), "firms.xlsx"
        else:
            data, filename = write_csv(header, rows, encoding=kind), "firms.csv"
    except ValueError:  # a character CP932 or Excel cannot hold: write UTF-8
        data, filename = write_csv(header, rows), "firms.csv"
    mapping = guess_mapping(header)
    if draw(st.integers(0, 3)) == 0:  # a wrong choice on the mapping screen
        mapping = {
            **mapping,
            draw(st.sampled_from([*GENERIC_FIELDS, "nope"])): draw(
                st.sampled_from([*header, "ない列", ""])
            ),
        }
    return data, filename, mapping


@fuzz(200)
@given(
    st.lists(
        st.one_of(nasty_text, st.sampled_from([g for gs in HEADER_GUESSES.values() for g in gs])),
        max_size=8,
    )
)
def test_guess_mapping(headers):
    mapping = guess_mapping(headers)
    assert set(mapping) <= set(GENERIC_FIELDS)
    assert len(set(mapping.values())) == len(mapping)  # each header used once
    assert all(h in headers for h in mapping.values())
    for problem in mapping_problems(mapping, headers):
        assert_clear(problem)


@pytest.mark.django_db
@fuzz(db=True, max_examples=50)
@given(
    st.one_of(
        generic_file(),
        st.tuples(
            any_bytes(),
            st.sampled_from(["f.csv", "f.xlsx", "f.xls", "f"]),
            st.just({"name": "名称"}),
        ),
    ),
    st.booleans(),
)
def test_generic_import_all_or_nothing(tsukuba, file, dry_run):
    data, filename, mapping = file
    with rolled_back():
        before = Business.objects.count()
        run = generic_import(
            data=data, filename=filename, mapping=mapping, actor="fuzz", dry_run=dry_run
        )
        check_run(run, before)


# --------------------------------------------------------------------------- lookup field


@pytest.mark.django_db
@fuzz(db=True, max_examples=60)
@given(
    st.one_of(
        nasty_text,
        st.sampled_from(["፩", "፩፪", "٣", "①", "9" * 12, "9" * 13, "9" * 40, "1-2", "合成"]),
    )
)
@example("፩")  # Ethiopic digit one: isdigit() after NFKC, but int() cannot read it
@example("9" * 40)
def test_business_lookup_field(tsukuba, text):
    from django import forms

    from sangyo.registry.forms import BusinessLookupField

    with rolled_back():
        try:
            BusinessLookupField(required=False).clean(text)
        except forms.ValidationError as exc:
            for message in exc.messages:
                assert_clear(message)
