"""Broken strategy files: every problem names the file, the line and the field, in Japanese."""

import copy
import functools
import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest
import yaml
from django.conf import settings
from django.core.management import CommandError, call_command
from django.utils import translation

from conftest import TSUKUBA_FILE
from sangyo.core.models import AuditEvent
from sangyo.strategy.models import Measure, Strategy
from sangyo.strategy.schema import Problem, StrategyFileError, parse_strategy_text

TEXT = TSUKUBA_FILE.read_text(encoding="utf-8")
BASE = yaml.safe_load(TEXT)
JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uff00-\uffef]")


@pytest.fixture(autouse=True)
def _default_language():
    """Messages are checked under the default language, whatever a previous test activated."""
    translation.deactivate()
    yield
    translation.deactivate()


def dump(data) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10_000)


def edited(edit: Callable[[dict], None]) -> Callable[[], str]:
    def make() -> str:
        data = copy.deepcopy(BASE)
        edit(data)
        return dump(data)

    return make


def replaced(old: str, new: str) -> Callable[[], str]:
    def make() -> str:
        assert TEXT.count(old) == 1, f"{old!r} must occur exactly once in the file"
        return TEXT.replace(old, new)

    return make


def line_of(text: str, needle: str, occurrence: int = 1) -> int:
    """1-based number of the line holding the `occurrence`-th occurrence of `needle`."""
    hits = [i for i, line in enumerate(text.splitlines(), start=1) if needle in line]
    assert len(hits) >= occurrence, f"{needle!r} found {len(hits)} times, wanted #{occurrence}"
    return hits[occurrence - 1]


def problems_of(text: str) -> list[Problem]:
    with pytest.raises(StrategyFileError) as info:
        parse_strategy_text(text, file="x.yaml")
    assert info.value.problems, "StrategyFileError without problems"
    return info.value.problems


# --- edits -----------------------------------------------------------------------------


def _set(path: tuple, value) -> Callable[[dict], None]:
    def edit(data: dict) -> None:
        node = data
        for part in path[:-1]:
            node = node[part]
        node[path[-1]] = value

    return edit


def _drop(path: tuple) -> Callable[[dict], None]:
    def edit(data: dict) -> None:
        node = data
        for part in path[:-1]:
            node = node[part]
        del node[path[-1]]

    return edit


def _rename_key(path: tuple, old: str, new: str) -> Callable[[dict], None]:
    def edit(data: dict) -> None:
        parent = data
        for part in path[:-1]:
            parent = parent[part]
        mapping = parent[path[-1]]
        parent[path[-1]] = {(new if k == old else k): v for k, v in mapping.items()}

    return edit


def _add_orphan_sub_theme(data: dict) -> None:
    data["themes"][3]["sub_themes"].append(
        {
            "code": "orphan-sub-theme",
            "name": {"ja": "孤立", "en": "Orphan"},
            "aim": {"ja": "なし", "en": "None"},
        }
    )


@dataclass(frozen=True)
class Case:
    make: Callable[[], str]
    field: str
    needle: str  # the line of the problem is the line holding this text …
    fragment: str  # … and its message contains this
    occurrence: int = 1


CASES = {
    "unknown sub-theme": Case(
        edited(_set(("measures", 2, "sub_theme"), "no-such-sub-theme")),
        "measures[2].sub_theme",
        "sub_theme: no-such-sub-theme",
        "存在しないサブテーマ「no-such-sub-theme」",
    ),
    "unknown vision": Case(
        edited(_set(("themes", 1, "vision"), "IX")),
        "themes[1].vision",
        "vision: IX",
        "存在しない将来都市像「IX」",
    ),
    "duplicate measure number": Case(
        edited(_set(("measures", 3, "number"), "03")),
        "measures[3].number",
        "number: '03'",
        "施策番号「03」が重複しています",
        occurrence=2,
    ),
    "duplicate program code": Case(
        edited(_set(("measures", 0, "programs", 1, "code"), "01-1")),
        "measures[0].programs[1].code",
        "code: 01-1",
        "事業例のコード「01-1」が重複しています",
        occurrence=2,
    ),
    "duplicate vision code": Case(
        edited(_set(("visions", 1, "code"), "I")),
        "visions[1].code",
        "- code: I",
        "将来都市像のコード「I」が重複しています",
        occurrence=2,
    ),
    "KPI without unit": Case(
        edited(_drop(("visions", 1, "kpis", 0, "unit"))),
        "visions[1].kpis[0].unit",
        "- code: certification-applications",  # a missing key is located at its KPI
        "必須の項目がありません",
    ),
    "KPI unit with empty ja": Case(
        edited(_set(("visions", 0, "kpis", 0, "unit", "ja"), "")),
        "visions[0].kpis[0].unit.ja",
        "ja: ''",
        "空にできません",
    ),
    "KPI unit with blank ja": Case(
        edited(_set(("visions", 0, "kpis", 0, "unit", "ja"), "   ")),
        "visions[0].kpis[0].unit.ja",
        "ja: '   '",
        "空にできません",
    ),
    "unknown field (typo)": Case(
        edited(_rename_key(("measures", 4), "name", "nmae")),
        "measures[4].nmae",
        "nmae:",
        "定義されていない項目です",
    ),
    "measure number not two digits": Case(
        edited(_set(("measures", 0, "number"), "1")),
        "measures[0].number",
        "number: '1'",
        "2桁の数字で書いてください",
    ),
    "program code not under its measure": Case(
        edited(_set(("measures", 5, "programs", 0, "code"), "07-9")),
        "measures[5].programs[0].code",
        "code: 07-9",
        "「06-」で始めてください",
    ),
    "program code malformed": Case(
        edited(_set(("measures", 5, "programs", 0, "code"), "6-1")),
        "measures[5].programs[0].code",
        "code: 6-1",
        "施策番号と連番で書いてください",
    ),
    "measure without programs": Case(
        edited(_set(("measures", 7, "programs"), [])),
        "measures[7].programs",
        "programs: []",
        "少なくとも1件必要です",
    ),
    "invalid YAML (bad indentation)": Case(
        replaced("  end_fy: 2029\n", "   end_fy: 2029\n"),
        "(YAML)",
        "   end_fy: 2029",
        "YAMLとして読めません",
    ),
    "wrong schema_version": Case(
        edited(_set(("schema_version",), 2)),
        "schema_version",
        "schema_version: 2",
        "1 にしてください",
    ),
    "municipality code with wrong check digit": Case(
        edited(_set(("municipality", "code"), "082200")),
        "municipality.code",
        "082200",
        "検査数字",
    ),
    "end_fy before start_fy": Case(
        edited(_set(("period", "end_fy"), 2024)),
        "period",
        "period:",
        "終了年度が開始年度より前",
    ),
    "target year outside the period": Case(
        edited(_set(("visions", 3, "kpis", 0, "target", "fiscal_year"), 2031)),
        "visions[3].kpis[0].target.fiscal_year",
        "fiscal_year: 2031",
        "目標年度 2031 が計画期間（2025〜2029年度）の外です",
    ),
    "baseline year after target year": Case(
        edited(_set(("visions", 0, "kpis", 0, "baseline", "fiscal_year"), 2030)),
        "visions[0].kpis[0].baseline.fiscal_year",
        "fiscal_year: 2030",
        "基準年度が目標年度より後です",
    ),
    "maintain KPI whose target differs": Case(
        edited(_set(("visions", 2, "kpis", 0, "target", "value"), 80)),
        "visions[2].kpis[0].direction",
        "direction: maintain",
        "「維持」は基準値と目標値を同じにしてください",
    ),
    "sub-theme without measures": Case(
        edited(_add_orphan_sub_theme),
        "themes[3].sub_themes[2]",
        "- code: orphan-sub-theme",
        "サブテーマ「orphan-sub-theme」に施策がありません",
    ),
    "unknown KPI kind": Case(
        edited(_set(("visions", 0, "kpis", 0, "kind"), "stok")),
        "visions[0].kpis[0].kind",
        "kind: stok",
        "次のいずれかにしてください",
    ),
    "adopted without month": Case(
        edited(_set(("adopted",), "2025")),
        "adopted",
        "adopted: '2025'",
        "年と月を書いてください",
    ),
}

# Fixed regressions, kept as their own cases: union member tags must not leak into the field
# path, and a duplicate key is named by its full path.
CASES |= {
    "baseline fiscal_year neither int nor not_stated": Case(
        edited(_set(("visions", 0, "kpis", 0, "baseline", "fiscal_year"), "unknown")),
        "visions[0].kpis[0].baseline.fiscal_year",
        "fiscal_year: unknown",
        "not_stated",
    ),
    "duplicate key in one mapping": Case(
        replaced('  - number: "01"\n', '  - number: "01"\n    number: "01"\n'),
        "measures[0].number",
        '    number: "01"',
        "同じまとまりの中で2回書かれています",
    ),
}

ALL_CASES = CASES
PARAMS = [pytest.param(name, id=name) for name in CASES]


@functools.cache
def outcome(name: str) -> tuple[str, int, tuple[Problem, ...]]:
    """The mutated text, the line of the mutation and the problems found (parsed once)."""
    case = ALL_CASES[name]
    text = case.make()
    line = line_of(text, case.needle, case.occurrence)
    with translation.override(settings.LANGUAGE_CODE):  # the default language (ja)
        return text, line, tuple(problems_of(text))


@pytest.mark.parametrize("name", PARAMS)
def test_problem_names_field_line_and_reason(name: str):
    case = ALL_CASES[name]
    _text, line, problems = outcome(name)
    found = [(p.field, p.line) for p in problems]
    match = [p for p in problems if p.field == case.field and p.line == line]
    assert match, f"expected {case.field} at line {line}, got {found}"
    assert any(case.fragment in p.message for p in match), [p.message for p in match]


@pytest.mark.parametrize("name", list(ALL_CASES))
def test_problem_is_located_and_in_japanese(name: str):
    """Whatever the field is called, the file is rejected at the right line, in Japanese."""
    _text, line, problems = outcome(name)
    assert line in [p.line for p in problems], [(p.field, p.line) for p in problems]
    for p in problems:
        assert p.file == "x.yaml"
        assert isinstance(p.line, int)
        assert str(p).startswith(f"x.yaml:{p.line}: {p.field}: ")
        assert JAPANESE.search(p.message), p.message


def test_the_unmodified_dump_is_valid():
    """The mutations above start from a valid document, so each problem is the mutation's."""
    parse_strategy_text(dump(BASE), file="x.yaml")
    parse_strategy_text(TEXT, file="x.yaml")


def test_duplicate_number_message_points_to_first_occurrence():
    text, _line, problems = outcome("duplicate measure number")
    first = line_of(text, "number: '03'", 1)
    problem = next(p for p in problems if p.field == "measures[3].number")
    assert f"最初は{first}行目" in problem.message


def test_every_problem_is_reported_at_once():
    data = copy.deepcopy(BASE)
    data["measures"][2]["sub_theme"] = "no-such-sub-theme"
    data["themes"][1]["vision"] = "IX"
    data["visions"][3]["kpis"][0]["target"]["fiscal_year"] = 2031
    fields = {p.field for p in problems_of(dump(data))}
    assert {
        "measures[2].sub_theme",
        "themes[1].vision",
        "visions[3].kpis[0].target.fiscal_year",
    } <= fields


def test_schema_errors_are_all_reported_at_once():
    data = copy.deepcopy(BASE)
    data["measures"][0]["number"] = "1"
    del data["visions"][1]["kpis"][0]["unit"]
    fields = {p.field for p in problems_of(dump(data))}
    assert {"measures[0].number", "visions[1].kpis[0].unit"} <= fields


def test_not_a_mapping():
    problems = problems_of("- just\n- a list\n")
    assert [(p.line, p.field) for p in problems] == [(1, "(file)")]


def test_problem_without_line_prints_file_only():
    assert str(Problem("x.yaml", None, "(file)", "ファイルが見つかりません")) == (
        "x.yaml: (file): ファイルが見つかりません"
    )


def test_missing_file(tmp_path):
    from sangyo.strategy.schema import parse_strategy_file

    with pytest.raises(StrategyFileError) as info:
        parse_strategy_file(tmp_path / "nope.yaml")
    assert "ファイルが見つかりません" in info.value.problems[0].message


def test_five_digit_municipality_code_gets_its_check_digit():
    data = copy.deepcopy(BASE)
    data["municipality"]["code"] = "08220"
    assert parse_strategy_text(dump(data)).municipality.code == "082201"
    data["municipality"]["code"] = "082201"
    assert parse_strategy_text(dump(data)).municipality.code == "082201"


@pytest.mark.django_db
def test_broken_file_through_the_command_writes_nothing(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text(outcome("unknown sub-theme")[0], encoding="utf-8")
    with pytest.raises(CommandError, match="何も書き込んでいません"):
        call_command("strategy", "load", str(path))
    assert not Strategy.objects.exists()
    assert not Measure.objects.exists()
    assert not AuditEvent.objects.exists()


@pytest.mark.django_db
def test_command_prints_each_problem_with_its_line(tmp_path):
    from io import StringIO

    text = outcome("unknown sub-theme")[0]
    path = tmp_path / "broken.yaml"
    path.write_text(text, encoding="utf-8")
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("strategy", "check", str(path), stderr=err)
    line = line_of(text, "sub_theme: no-such-sub-theme")
    assert f"{path}:{line}: measures[2].sub_theme: " in err.getvalue()
    assert not Strategy.objects.exists()


def test_unquoted_measure_number_with_leading_zero_stays_a_string():
    """YAML 1.1 would read `01` as a number; the loader keeps leading-zero digits as text."""
    text = TEXT.replace('  - number: "01"\n', "  - number: 01\n")
    doc = parse_strategy_text(text, file="x.yaml")
    assert doc.measures[0].number == "01"


def test_unquoted_measure_number_without_leading_zero_is_rejected():
    text = TEXT.replace('  - number: "01"\n', "  - number: 1\n")
    problems = problems_of(text)
    line = line_of(text, "  - number: 1")
    assert ("measures[0].number", line) in [(p.field, p.line) for p in problems]


def test_unquoted_municipality_code_is_not_misreported():
    text = TEXT.replace('  code: "08220"\n', "  code: 011002\n")
    try:
        doc = parse_strategy_text(text, file="x.yaml")
    except StrategyFileError as exc:
        messages = [p.message for p in exc.problems if p.field == "municipality.code"]
        assert messages
        assert not any("4桁" in m for m in messages), messages
    else:
        assert doc.municipality.code == "011002"
