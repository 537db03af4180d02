"""The schema of a strategy file (strategies/*.yaml).

A city describes its industrial strategy in one YAML file; this module says what that file
may contain. Validation happens entirely before anything is written: `parse_strategy_file`
returns either a `StrategyDoc` or a list of `Problem`s that name the file, the line and the
field in plain words.

Where the source document does not state something (for example the year of a KPI's
baseline), the file must say so explicitly with `not_stated` rather than leave it out, so a
reader can tell "unknown" from "forgotten".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from django.utils.translation import gettext as _
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from sangyo.core.codes import CodeError, validate_lg_code

SCHEMA_VERSION = 1

Code = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=50)]
MeasureNumber = Annotated[str, Field(pattern=r"^[0-9]{2}$")]
YearMonth = Annotated[str, Field(pattern=r"^[0-9]{4}-(0[1-9]|1[0-2])$")]
FiscalYear = Annotated[int, Field(ge=1900, le=2200)]
NonEmpty = Annotated[str, Field(min_length=1)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Text(Strict):
    """A text in Japanese (official, verbatim where the source prints it) and English."""

    ja: NonEmpty
    en: NonEmpty


class Municipality(Strict):
    code: str = Field(description="全国地方公共団体コード, 5 digits or 6 with check digit")
    name: Text
    prefecture: Text

    @field_validator("code", mode="before")
    @classmethod
    def _lg_code(cls, value: Any) -> str:
        try:
            return validate_lg_code(str(value))
        except CodeError as exc:
            raise ValueError(str(exc)) from exc


class Period(Strict):
    start_fy: FiscalYear
    end_fy: FiscalYear

    @model_validator(mode="after")
    def _ordered(self) -> Period:
        if self.end_fy < self.start_fy:
            raise ValueError(_("終了年度が開始年度より前になっています"))
        return self


class Baseline(Strict):
    value: Decimal
    fiscal_year: FiscalYear | Literal["not_stated"]
    note: Text | None = None


class Target(Strict):
    value: Decimal
    fiscal_year: FiscalYear


class Printed(Strict):
    """The figures exactly as the source document prints them, for audit against it."""

    baseline: NonEmpty
    target: NonEmpty


class KPI(Strict):
    code: Code
    name: Text
    unit: Text
    kind: Literal["stock", "flow"]
    direction: Literal["increase", "decrease", "maintain"]
    baseline: Baseline
    target: Target
    printed: Printed
    source: Text | None = None
    note: Text | None = None


class Vision(Strict):
    code: Annotated[str, Field(pattern=r"^[A-Za-z0-9]{1,8}$")]
    label: NonEmpty = Field(description="the numeral as printed, e.g. Ⅰ")
    name: Text
    target_state: Text
    kpis: list[KPI] = Field(min_length=1)


class SubTheme(Strict):
    code: Code
    name: Text
    aim: Text
    note: Text | None = None


class Theme(Strict):
    code: Code
    vision: str
    name: Text
    sub_themes: list[SubTheme] = Field(min_length=1)


class Program(Strict):
    code: Annotated[str, Field(pattern=r"^[0-9]{2}-[0-9]{1,2}$")]
    name: Text


class Measure(Strict):
    number: MeasureNumber
    sub_theme: Code
    name: Text
    description: Text
    programs: list[Program] = Field(min_length=1)


class SituationSection(Strict):
    code: Code
    heading: Text
    points: list[Text] = Field(min_length=1)


class Situation(Strict):
    title: Text
    sections: list[SituationSection] = Field(min_length=1)
    note: Text | None = None


class Stance(Strict):
    title: Text
    points: list[Text] = Field(min_length=1)
    note: Text | None = None


class Principle(Strict):
    number: Annotated[int, Field(ge=1)]
    name: Text


class Role(Strict):
    party: Text
    duties: list[Text] = Field(min_length=1)
    note: Text | None = None


class Ordinance(Strict):
    title: Text
    purpose: Text
    in_force: YearMonth
    principles: list[Principle] = Field(min_length=1)
    roles: list[Role] = Field(min_length=1)
    basic_policies: list[Text] = Field(min_length=1)


class StrategyDoc(Strict):
    schema_version: Literal[1]
    code: Code
    municipality: Municipality
    title: Text
    period: Period
    adopted: YearMonth
    publisher: Text
    slogan: Text
    sub_slogan: Text
    visions: list[Vision] = Field(min_length=1)
    themes: list[Theme] = Field(min_length=1)
    measures: list[Measure] = Field(min_length=1)
    situation: Situation
    stance: Stance
    ordinance: Ordinance | None = None

    def sub_theme_index(self) -> dict[str, tuple[Theme, SubTheme]]:
        return {st.code: (t, st) for t in self.themes for st in t.sub_themes}


# --- reading the file with line numbers ---------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a strategy file, located as precisely as we can."""

    file: str
    line: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.field}: {self.message}"


class StrategyFileError(Exception):
    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


Path_ = tuple[str | int, ...]


# Bounds for data files, which are small (the Tsukuba strategy is about 40 KB and 1,500
# values): a file past them is a mistake or an attack (an alias "billion laughs" expands a few
# lines into billions of values), and is refused with a message instead of exhausting memory.
MAX_TEXT_CHARS = 2_000_000
MAX_VALUES = 200_000
MAX_DEPTH = 50


class _Refused(yaml.YAMLError):
    """A YAML document this loader will not build; reported like any YAML error."""

    def __init__(self, problem: str, mark: yaml.Mark | None = None):
        super().__init__(problem)
        self.problem, self.problem_mark = problem, mark


def _load_with_lines(text: str) -> tuple[Any, dict[Path_, int]]:
    """Parse YAML and remember the (1-based) line of every mapping key and list item."""
    if len(text) > MAX_TEXT_CHARS:
        raise _Refused(
            _("ファイルが大きすぎます（%(n)s文字。%(max)s文字まで）")
            % {"n": f"{len(text):,}", "max": f"{MAX_TEXT_CHARS:,}"}
        )
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except RecursionError:
        raise _Refused(_("入れ子が深すぎます")) from None
    lines: dict[Path_, int] = {}
    count = 0
    active: set[int] = set()  # the nodes being built: an alias to one of them is a loop

    def walk(n: yaml.Node | None, path: Path_) -> Any:
        nonlocal count
        if n is None:
            return None
        count += 1
        if count > MAX_VALUES:
            raise _Refused(
                _("値が多すぎます（別名（*）の展開を含めて%(max)s個まで）")
                % {"max": f"{MAX_VALUES:,}"},
                n.start_mark,
            )
        if len(path) > MAX_DEPTH:
            raise _Refused(
                _("入れ子が深すぎます（%(max)s段まで）") % {"max": MAX_DEPTH}, n.start_mark
            )
        lines.setdefault(path, n.start_mark.line + 1)
        if isinstance(n, yaml.MappingNode | yaml.SequenceNode):
            if id(n) in active:
                raise _Refused(_("別名（*）が自分自身を含んでいます"), n.start_mark)
            active.add(id(n))
            try:
                return walk_collection(n, path)
            finally:
                active.discard(id(n))
        return scalar(n)

    def walk_collection(n: yaml.Node, path: Path_) -> Any:
        if isinstance(n, yaml.MappingNode):
            out: dict[Any, Any] = {}
            for key_node, value_node in n.value:
                if not isinstance(key_node, yaml.ScalarNode):
                    raise _Refused(
                        _("項目名には文字列を書いてください（一覧やまとまりは項目名にできません）"),
                        key_node.start_mark,
                    )
                key = scalar(key_node)
                if key in out:
                    raise _DuplicateKey(_dotted((*path, key)), key_node.start_mark.line + 1)
                lines[(*path, key)] = key_node.start_mark.line + 1
                out[key] = walk(value_node, (*path, key))
            return out
        return [walk(item, (*path, i)) for i, item in enumerate(n.value)]

    def scalar(n: yaml.Node) -> Any:
        # Scalars: strings stay strings, and so do digit strings with a leading zero, which
        # YAML 1.1 would read as octal numbers (an unquoted 団体コード 011002 must stay
        # "011002", not become 4610).
        if n.tag == "tag:yaml.org,2002:str" or n.style in ("'", '"'):
            return n.value
        if n.style is None and _LEADING_ZERO.match(n.value):
            return n.value
        try:
            return yaml.SafeLoader(" ").construct_object(n)
        except (ValueError, TypeError, KeyError, OverflowError):
            # PyYAML's constructors raise these for a value that matches its type's pattern
            # but is impossible (2025-02-30, !!int abc, !!bool maybe).
            raise _Refused(
                _("値「%(value)s」を読み取れません（%(tag)s）")
                % {"value": str(n.value)[:50], "tag": n.tag.removeprefix("tag:yaml.org,2002:")},
                n.start_mark,
            ) from None

    return walk(node, ()), lines


_LEADING_ZERO = re.compile(r"^0[0-9_]+$")


class _DuplicateKey(Exception):
    def __init__(self, field: str, line: int):
        self.field, self.line = field, line


def _line_for(lines: dict[Path_, int], loc: Path_) -> int | None:
    for end in range(len(loc), -1, -1):
        if loc[:end] in lines:
            return lines[loc[:end]]
    return None


def _field_loc(loc: tuple) -> Path_:
    """Pydantic puts the name of each union member it tried into `loc`
    ('constrained-int', "literal['not_stated']"); keep only the file's own keys and indexes."""
    return tuple(p for p in loc if isinstance(p, int) or _KEY.match(p))


_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def _problems_from(exc: ValidationError, lines: dict[Path_, int], file: str) -> list[Problem]:
    """One problem per field: the failures of each member of a union are merged."""
    by_loc: dict[Path_, list[dict[str, Any]]] = {}
    for err in exc.errors():
        by_loc.setdefault(_field_loc(err["loc"]), []).append(err)
    problems = []
    for loc, errs in by_loc.items():
        if len(errs) > 1 and loc[-1:] == ("fiscal_year",):
            message = _(
                "年度を西暦の整数（例: 2024）で書くか、不明なら not_stated と書いてください"
            )
        else:
            message = " / ".join(dict.fromkeys(_plain_message(e) for e in errs))
        problems.append(Problem(file, _line_for(lines, loc), _dotted(loc), message))
    return problems


def _dotted(loc: Path_) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(file)"


def _plain() -> dict[str, str]:
    return {
        "missing": _("必須の項目がありません"),
        "extra_forbidden": _("定義されていない項目です（綴りを確認してください）"),
        "string_too_short": _("空にできません"),
        "string_type": _("文字列で書いてください"),
        "too_short": _("少なくとも1件必要です"),
        "int_parsing": _("整数で書いてください"),
        "int_type": _("整数で書いてください"),
        "decimal_parsing": _("数値で書いてください"),
        "decimal_type": _("数値で書いてください"),
        "greater_than_equal": _("値が小さすぎます"),
        "less_than_equal": _("値が大きすぎます"),
        "list_type": _("一覧（- で始まる行）で書いてください"),
        "model_type": _("項目のまとまり（key: value）で書いてください"),
        "model_attributes_type": _("項目のまとまり（key: value）で書いてください"),
    }


def _plain_message(err: dict[str, Any]) -> str:
    kind = err["type"]
    if kind == "string_pattern_mismatch":
        pattern = err.get("ctx", {}).get("pattern", "")
        hints = {
            r"^[0-9]{2}$": _("2桁の数字で書いてください（例: '01'）"),
            r"^[0-9]{4}-(0[1-9]|1[0-2])$": _("年と月を書いてください（例: '2025-03'）"),
            r"^[a-z0-9][a-z0-9-]*$": _("半角の英小文字・数字・ハイフンで書いてください"),
            r"^[0-9]{2}-[0-9]{1,2}$": _("施策番号と連番で書いてください（例: '01-1'）"),
            r"^[A-Za-z0-9]{1,8}$": _("半角英数字8文字以内で書いてください（例: 'I'）"),
        }
        return hints.get(pattern, _("形式が正しくありません（%(pattern)s）") % {"pattern": pattern})
    if kind == "literal_error":
        return _("次のいずれかにしてください: %(expected)s") % {
            "expected": err.get("ctx", {}).get("expected", "")
        }
    plain = _plain()
    if kind in plain:
        return plain[kind]
    msg = err["msg"]
    return msg.removeprefix("Value error, ")


def _cross_check(doc: StrategyDoc, lines: dict[Path_, int], file: str) -> list[Problem]:
    """Rules a field-by-field schema cannot express: references and uniqueness."""
    problems: list[Problem] = []

    def add(loc: Path_, message: str) -> None:
        problems.append(Problem(file, _line_for(lines, loc), _dotted(loc), message))

    def unique(items: list[tuple[Path_, str]], what: str) -> None:
        seen: dict[str, Path_] = {}
        for loc, value in items:
            if value in seen:
                first = _line_for(lines, seen[value])
                add(
                    loc,
                    _("%(what)s「%(value)s」が重複しています（最初は%(first)s行目）")
                    % {"what": what, "value": value, "first": first or "?"},
                )
            else:
                seen[value] = loc

    unique(
        [(("visions", i, "code"), v.code) for i, v in enumerate(doc.visions)],
        _("将来都市像のコード"),
    )
    unique(
        [
            (("visions", i, "kpis", j, "code"), k.code)
            for i, v in enumerate(doc.visions)
            for j, k in enumerate(v.kpis)
        ],
        _("成果指標のコード"),
    )
    unique(
        [(("themes", i, "code"), t.code) for i, t in enumerate(doc.themes)], _("施策テーマのコード")
    )
    unique(
        [
            (("themes", i, "sub_themes", j, "code"), st.code)
            for i, t in enumerate(doc.themes)
            for j, st in enumerate(t.sub_themes)
        ],
        _("サブテーマのコード"),
    )
    unique(
        [(("measures", i, "number"), m.number) for i, m in enumerate(doc.measures)],
        _("施策番号"),
    )
    unique(
        [
            (("measures", i, "programs", j, "code"), p.code)
            for i, m in enumerate(doc.measures)
            for j, p in enumerate(m.programs)
        ],
        _("事業例のコード"),
    )

    vision_codes = {v.code for v in doc.visions}
    for i, t in enumerate(doc.themes):
        if t.vision not in vision_codes:
            known = ", ".join(sorted(vision_codes))
            add(
                ("themes", i, "vision"),
                _("存在しない将来都市像「%(code)s」を参照しています（定義済み: %(known)s）")
                % {"code": t.vision, "known": known},
            )
    sub_themes = doc.sub_theme_index()
    for i, m in enumerate(doc.measures):
        if m.sub_theme not in sub_themes:
            add(
                ("measures", i, "sub_theme"),
                _("存在しないサブテーマ「%(code)s」を参照しています") % {"code": m.sub_theme},
            )
        for j, p in enumerate(m.programs):
            if not p.code.startswith(m.number + "-"):
                add(
                    ("measures", i, "programs", j, "code"),
                    _("事業例のコード「%(code)s」は施策番号「%(number)s-」で始めてください")
                    % {"code": p.code, "number": m.number},
                )
    for i, v in enumerate(doc.visions):
        for j, k in enumerate(v.kpis):
            loc = ("visions", i, "kpis", j)
            if not (doc.period.start_fy <= k.target.fiscal_year <= doc.period.end_fy):
                add(
                    (*loc, "target", "fiscal_year"),
                    _("目標年度 %(fy)s が計画期間（%(start)s〜%(end)s年度）の外です")
                    % {
                        "fy": k.target.fiscal_year,
                        "start": doc.period.start_fy,
                        "end": doc.period.end_fy,
                    },
                )
            base_fy = k.baseline.fiscal_year
            if isinstance(base_fy, int) and base_fy > k.target.fiscal_year:
                add((*loc, "baseline", "fiscal_year"), _("基準年度が目標年度より後です"))
            if k.direction == "maintain" and k.baseline.value != k.target.value:
                add((*loc, "direction"), _("「維持」は基準値と目標値を同じにしてください"))
    used = {m.sub_theme for m in doc.measures}
    for i, t in enumerate(doc.themes):
        for j, st in enumerate(t.sub_themes):
            if st.code not in used:
                add(
                    ("themes", i, "sub_themes", j),
                    _("サブテーマ「%(code)s」に施策がありません") % {"code": st.code},
                )
    return problems


def parse_strategy_text(text: str, file: str = "<strategy>") -> StrategyDoc:
    """Validate a strategy document; raise StrategyFileError listing every problem found."""
    try:
        data, lines = _load_with_lines(text)
    except _DuplicateKey as exc:
        raise StrategyFileError(
            [Problem(file, exc.line, exc.field, _("同じまとまりの中で2回書かれています"))]
        ) from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else None
        reason = getattr(exc, "problem", None) or str(exc)
        raise StrategyFileError(
            [
                Problem(
                    file, line, "(YAML)", _("YAMLとして読めません: %(reason)s") % {"reason": reason}
                )
            ]
        ) from exc
    if not isinstance(data, dict):
        raise StrategyFileError(
            [Problem(file, 1, "(file)", _("項目のまとまり（key: value）で書いてください"))]
        )
    version = data.get("schema_version")
    if version != SCHEMA_VERSION:
        raise StrategyFileError(
            [
                Problem(
                    file,
                    _line_for(lines, ("schema_version",)),
                    "schema_version",
                    _("この版（%(found)s）は読めません。%(version)s にしてください")
                    % {"found": version, "version": SCHEMA_VERSION},
                )
            ]
        )
    try:
        doc = StrategyDoc.model_validate(data)
    except ValidationError as exc:
        raise StrategyFileError(_problems_from(exc, lines, file)) from exc
    problems = _cross_check(doc, lines, file)
    if problems:
        raise StrategyFileError(problems)
    return doc


def read_data_file(path: str | Path, error_cls: type[Exception] = StrategyFileError) -> str:
    """The text of a UTF-8 data file (BOM allowed), or `error_cls([Problem])` saying why not.
    Shared by every loader of YAML data files (strategies, programs)."""
    path = Path(path)
    try:
        return path.read_text(encoding="utf-8-sig")
    except FileNotFoundError as exc:
        raise error_cls(
            [Problem(str(path), None, "(file)", _("ファイルが見つかりません"))]
        ) from exc
    except UnicodeDecodeError as exc:
        raise error_cls([Problem(str(path), None, "(file)", _("UTF-8で保存してください"))]) from exc


def parse_strategy_file(path: str | Path) -> StrategyDoc:
    return parse_strategy_text(read_data_file(path), file=str(path))
