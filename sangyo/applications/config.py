"""The programs file (sangyo/applications/data/programs-*.yaml): the details of each program
a business can apply to, the application forms, and the indicators counted from
applications.

As with strategy files, validation happens entirely before anything is written:
`parse_programs_file` checks the file on its own, `programs_check` checks it against the
database (the strategy and its program codes, forms already used), and both report every
problem with the file, the line and the field in plain Japanese. `programs_load` then writes
only what changed, each change audited, so loading the same file twice changes nothing.

Line numbers, the problem type and the plain-language messages are shared with the strategy
schema (`sangyo.strategy.schema`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from django.db import transaction
from django.utils.translation import gettext as _
from pydantic import Field, ValidationError, field_validator, model_validator

from sangyo.core.audit import audit
from sangyo.core.jgrants import EMPLOYEE_BANDS, USE_PURPOSES
from sangyo.strategy.schema import (
    NonEmpty,
    Path_,
    Problem,
    Strict,
    Text,
    _dotted,
    _DuplicateKey,
    _line_for,
    _load_with_lines,
    _problems_from,
    read_data_file,
)

from . import eligibility
from .models import Application, Call, FormVersion, ProgramDetail
from .workflows import WORKFLOWS

SCHEMA_VERSION = 1
DEFAULT_FILE = Path(__file__).resolve().parent / "data" / "programs-tsukuba.yaml"

KINDS = tuple(ProgramDetail.Kind.values)
FIELD_TYPES = ("text", "textarea", "number", "money", "date", "choice", "multi", "bool", "file")

# jGrants vocabularies: sangyo.core.jgrants.
Slug = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_-]*$", max_length=60)]
FieldName = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=60)]
ProgramCode = Annotated[str, Field(pattern=r"^[0-9]{2}-[0-9]{1,2}$")]
Yen = Annotated[int, Field(ge=0)]
_RATE = re.compile(r"^\s*([0-9]+)\s*/\s*([0-9]+)\s*$")


class ProgramsFileError(Exception):
    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


# --- the schema ---------------------------------------------------------------------------


class Choice(Strict):
    value: NonEmpty
    ja: NonEmpty
    en: NonEmpty


class ShowWhen(Strict):
    field: FieldName
    equals: str | bool | int


class FormField(Strict):
    name: FieldName
    type: Literal[FIELD_TYPES]  # type: ignore[valid-type]
    label: Text
    help: Text | None = None
    required: bool = False
    choices: list[Choice] | None = None
    show_when: ShowWhen | None = None

    @model_validator(mode="after")
    def _choices(self) -> FormField:
        if self.type in ("choice", "multi"):
            if not self.choices:
                raise ValueError(_("選択肢（choices）を1つ以上書いてください"))
            values = [c.value for c in self.choices]
            if len(set(values)) != len(values):
                raise ValueError(_("選択肢の値（value）が重複しています"))
        elif self.choices:
            raise ValueError(_("選択肢（choices）は choice・multi の項目にだけ書けます"))
        return self


class Form(Strict):
    """The application form for every program of one kind: `code` is the kind."""

    code: Literal[KINDS]  # type: ignore[valid-type]
    version: Annotated[int, Field(ge=1)]
    fields: list[FormField] = Field(min_length=1)


class RuleSpec(Strict):
    rule: NonEmpty
    required_known: bool = False
    field: FieldName | None = None

    @field_validator("rule")
    @classmethod
    def _known(cls, value: str) -> str:
        known = [r.code for r in eligibility.rules()]
        if value not in known:
            raise ValueError(
                _("要件「%(rule)s」は定義されていません（定義済み: %(known)s）")
                % {"rule": value, "known": ", ".join(known)}
            )
        return value


class Money(Strict):
    rate: str | None = Field(description='"分子/分母", e.g. "1/2"; null when not confirmed')
    rate_text: str = ""
    cap_yen: Yen | None = None
    rounding_unit: Annotated[int, Field(ge=1)] = 1
    confirmed: bool

    @field_validator("rate")
    @classmethod
    def _rate(cls, value: str | None) -> str | None:
        if value is None:
            return None
        m = _RATE.match(value)
        if not m or int(m[2]) == 0 or int(m[1]) == 0 or int(m[1]) > int(m[2]):
            raise ValueError(
                _("補助率は1以下の分数で書いてください（例: '1/2'、'10/10'）。未確認なら null")
            )
        return f"{int(m[1])}/{int(m[2])}"

    @model_validator(mode="after")
    def _confirmed_has_rate(self) -> Money:
        if self.confirmed and self.rate is None:
            raise ValueError(
                _("補助率が null のときは confirmed: false にしてください（推測で埋めません）")
            )
        return self

    @property
    def fraction(self) -> tuple[int | None, int | None]:
        if self.rate is None:
            return None, None
        n, d = self.rate.split("/")
        return int(n), int(d)


class CostType(Strict):
    code: Slug
    ja: NonEmpty
    en: NonEmpty
    max_yen: Yen | None = None


class RequiredDocument(Strict):
    code: Slug
    ja: NonEmpty
    en: NonEmpty
    required: bool = True


class RubricItem(Strict):
    code: Slug
    ja: NonEmpty
    en: NonEmpty
    max: Annotated[int, Field(ge=1, le=100)]


class JGrants(Strict):
    use_purposes: list[Literal[USE_PURPOSES]] = Field(min_length=1)  # type: ignore[valid-type]
    employee_band: Literal[EMPLOYEE_BANDS] = "従業員数の制約なし"  # type: ignore[valid-type]
    industries: list[NonEmpty] = Field(default_factory=list)
    target_area: NonEmpty
    institution: NonEmpty

    @field_validator("industries")
    @classmethod
    def _jsic_majors(cls, value: list[str]) -> list[str]:
        from sangyo.registry.jsic import load_jsic

        majors = [e.name_ja for e in load_jsic().majors()]
        unknown = [v for v in value if v not in majors]
        if unknown:
            raise ValueError(
                _("日本標準産業分類の大分類名で書いてください（不明: %(names)s）")
                % {"names": "、".join(unknown)}
            )
        return value


class ProgramEntry(Strict):
    program: ProgramCode
    kind: Literal[KINDS]  # type: ignore[valid-type]
    title: Text
    catch_phrase: Text | None = None
    description: Text | None = None
    target: Text | None = None
    workflow: NonEmpty
    eligibility: list[RuleSpec] = Field(default_factory=list)
    money: Money | None = None
    eligible_cost_types: list[CostType] = Field(default_factory=list)
    required_documents: list[RequiredDocument] = Field(default_factory=list)
    validity_years: Annotated[int, Field(ge=1, le=20)] | None = None
    rubric: list[RubricItem] = Field(default_factory=list)
    jgrants: JGrants
    detail_url: Annotated[str, Field(pattern=r"^https?://\S+$")] | None = None
    notes: str = ""

    @field_validator("workflow")
    @classmethod
    def _workflow(cls, value: str) -> str:
        known = sorted({code for code, _v in WORKFLOWS})
        if value not in known:
            raise ValueError(
                _("手続の流れ「%(code)s」は定義されていません（定義済み: %(known)s）")
                % {"code": value, "known": ", ".join(known)}
            )
        return value


class IndicatorLink(Strict):
    code: NonEmpty
    computation: NonEmpty
    params: dict[str, Any] = Field(default_factory=dict)


class ProgramsDoc(Strict):
    schema_version: Literal[1]
    strategy: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=50)]
    forms: list[Form] = Field(min_length=1)
    programs: list[ProgramEntry] = Field(min_length=1)
    indicators: list[IndicatorLink] = Field(default_factory=list)

    def form_for_kind(self, kind: str) -> Form | None:
        """The newest version in the file of the form for programs of `kind`."""
        forms = [f for f in self.forms if f.code == kind]
        return max(forms, key=lambda f: f.version) if forms else None


@dataclass(frozen=True)
class ParsedPrograms:
    doc: ProgramsDoc
    lines: dict[Path_, int]
    file: str

    def problem(self, loc: Path_, message: str) -> Problem:
        return Problem(self.file, _line_for(self.lines, loc), _dotted(loc), message)


# --- reading and checking -----------------------------------------------------------------


def _cross_check(parsed: ParsedPrograms) -> list[Problem]:
    """What field-by-field validation cannot see: duplicates and references in the file."""
    doc, problems = parsed.doc, []

    def add(loc: Path_, message: str) -> None:
        problems.append(parsed.problem(loc, message))

    def unique(items: list[tuple[Path_, Any]], what: str) -> None:
        seen: dict[Any, Path_] = {}
        for loc, value in items:
            if value in seen:
                add(
                    loc,
                    _("%(what)s「%(value)s」が重複しています（最初は%(first)s行目）")
                    % {
                        "what": what,
                        "value": " v".join(str(v) for v in value)
                        if isinstance(value, tuple)
                        else value,
                        "first": _line_for(parsed.lines, seen[value]) or "?",
                    },
                )
            else:
                seen[value] = loc

    unique(
        [(("forms", i, "version"), (f.code, f.version)) for i, f in enumerate(doc.forms)],
        _("フォームの版"),
    )
    for i, form in enumerate(doc.forms):
        names: dict[str, FormField] = {}
        for j, f in enumerate(form.fields):
            loc = ("forms", i, "fields", j)
            if f.name in names:
                add((*loc, "name"), _("項目名「%(name)s」が重複しています") % {"name": f.name})
            if f.show_when:
                target = names.get(f.show_when.field)
                if target is None:
                    add(
                        (*loc, "show_when", "field"),
                        _(
                            "表示条件は、この項目より前にある項目を指定してください（「%(name)s」はありません）"
                        )
                        % {"name": f.show_when.field},
                    )
                elif target.choices and f.show_when.equals not in [c.value for c in target.choices]:
                    add(
                        (*loc, "show_when", "equals"),
                        _("「%(field)s」の選択肢にない値です: %(value)s")
                        % {"field": target.name, "value": f.show_when.equals},
                    )
            names[f.name] = f
    unique(
        [(("programs", i, "program"), p.program) for i, p in enumerate(doc.programs)],
        _("事業のコード"),
    )
    for i, p in enumerate(doc.programs):
        loc = ("programs", i)
        unique(
            [
                ((*loc, "eligible_cost_types", j, "code"), c.code)
                for j, c in enumerate(p.eligible_cost_types)
            ],
            _("経費の種類のコード"),
        )
        unique(
            [((*loc, "eligibility", j, "rule"), r.rule) for j, r in enumerate(p.eligibility)],
            _("要件"),
        )
        unique(
            [((*loc, "rubric", j, "code"), r.code) for j, r in enumerate(p.rubric)], _("審査項目")
        )
        if p.kind == ProgramDetail.Kind.SUBSIDY and p.money is None:
            add(
                (*loc, "kind"),
                _(
                    "補助金には money（補助率・上限額）を書いてください。未確認なら rate: null と confirmed: false"
                ),
            )
        money = p.money
        if money and money.cap_yen is not None and money.cap_yen % money.rounding_unit:
            add(
                (*loc, "money", "cap_yen"),
                _("上限額が端数処理の単位（%(unit)s円）の倍数になっていません")
                % {"unit": f"{money.rounding_unit:,}"},
            )
        form = doc.form_for_kind(p.kind)
        if form is None:
            add(
                (*loc, "kind"),
                _("種類「%(kind)s」の申請フォームが forms にありません") % {"kind": p.kind},
            )
            continue
        for j, spec in enumerate(p.eligibility):
            if spec.rule != "no_unpaid_city_tax":
                continue
            name = spec.field or "no_unpaid_tax"
            declared = next((f for f in form.fields if f.name == name), None)
            if (
                declared is None
                or declared.type != "bool"
                or not declared.required
                or declared.show_when
            ):
                add(
                    (*loc, "eligibility", j, "rule"),
                    _(
                        "市税の滞納がないことの申告には、フォーム「%(form)s」に必須の bool 項目「%(name)s」（表示条件なし）が必要です"
                    )
                    % {"form": form.code, "name": name},
                )
    for i, link in enumerate(doc.indicators):
        from sangyo.indicators.computed import get_computation

        from . import indicators as _registers_applications_computation  # noqa: F401

        computation = get_computation(link.computation)
        if computation is None:
            add(
                ("indicators", i, "computation"),
                _("集計定義「%(code)s」は登録されていません") % {"code": link.computation},
            )
            continue
        for message in computation.validate(link.params):
            add(("indicators", i, "params"), message)
    return problems


def parse_programs_text(text: str, file: str = "<programs>") -> ParsedPrograms:
    """Validate a programs file on its own; raise ProgramsFileError listing every problem."""
    try:
        data, lines = _load_with_lines(text)
    except _DuplicateKey as exc:
        raise ProgramsFileError(
            [Problem(file, exc.line, exc.field, _("同じまとまりの中で2回書かれています"))]
        ) from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        reason = getattr(exc, "problem", None) or str(exc)
        raise ProgramsFileError(
            [
                Problem(
                    file,
                    mark.line + 1 if mark else None,
                    "(YAML)",
                    _("YAMLとして読めません: %(reason)s") % {"reason": reason},
                )
            ]
        ) from exc
    if not isinstance(data, dict):
        raise ProgramsFileError(
            [Problem(file, 1, "(file)", _("項目のまとまり（key: value）で書いてください"))]
        )
    if data.get("schema_version") != SCHEMA_VERSION:
        raise ProgramsFileError(
            [
                Problem(
                    file,
                    _line_for(lines, ("schema_version",)),
                    "schema_version",
                    _("この版（%(found)s）は読めません。%(version)s にしてください")
                    % {"found": data.get("schema_version"), "version": SCHEMA_VERSION},
                )
            ]
        )
    try:
        doc = ProgramsDoc.model_validate(data)
    except ValidationError as exc:
        raise ProgramsFileError(_problems_from(exc, lines, file)) from exc
    parsed = ParsedPrograms(doc=doc, lines=lines, file=file)
    problems = _cross_check(parsed)
    if problems:
        raise ProgramsFileError(problems)
    return parsed


def parse_programs_file(path: str | Path) -> ParsedPrograms:
    return parse_programs_text(read_data_file(path, ProgramsFileError), file=str(path))


def _form_fields(form: Form) -> list[dict]:
    return [f.model_dump(mode="json", exclude_none=True) for f in form.fields]


def _form_used(form: FormVersion) -> bool:
    return Call.objects.filter(form=form).exists() or Application.objects.filter(form=form).exists()


def programs_check(parsed: ParsedPrograms):
    """Check the file against the database: its strategy and program codes exist, and no form
    version already used by a call or an application would change. Returns the strategy and
    its programs by code; raises ProgramsFileError otherwise. Writes nothing."""
    from sangyo.strategy.models import Program, Strategy

    doc = parsed.doc
    strategy = Strategy.objects.filter(code=doc.strategy).first()
    if strategy is None:
        raise ProgramsFileError(
            [
                parsed.problem(
                    ("strategy",),
                    _(
                        "戦略「%(code)s」が読み込まれていません（先に sangyo strategy load を実行してください）"
                    )
                    % {"code": doc.strategy},
                )
            ]
        )
    programs = {p.code: p for p in Program.objects.filter(measure__strategy=strategy)}
    problems = []
    for i, p in enumerate(doc.programs):
        if p.program not in programs:
            problems.append(
                parsed.problem(
                    ("programs", i, "program"),
                    _("戦略「%(strategy)s」に事業「%(code)s」はありません")
                    % {"strategy": doc.strategy, "code": p.program},
                )
            )
    existing = {(f.code, f.version): f for f in FormVersion.objects.all()}
    for i, form in enumerate(doc.forms):
        current = existing.get((form.code, form.version))
        if current and current.fields != _form_fields(form) and _form_used(current):
            problems.append(
                parsed.problem(
                    ("forms", i, "version"),
                    _(
                        "フォーム「%(code)s」の版%(version)sは既に募集・申請で使われているため変更できません。変更するには version を上げてください"
                    )
                    % {"code": form.code, "version": form.version},
                )
            )
    if problems:
        raise ProgramsFileError(problems)
    return strategy, programs


# --- loading ------------------------------------------------------------------------------


@dataclass
class LoadResult:
    strategy: Any
    changes: list[dict] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)

    def count(self, op: str) -> int:
        return sum(1 for c in self.changes if c["op"] == op)


def _detail_values(p: ProgramEntry) -> dict[str, Any]:
    def text(t: Text | None, lang: str) -> str:
        return getattr(t, lang) if t else ""

    money = p.money
    numerator, denominator = money.fraction if money else (None, None)
    return {
        "kind": p.kind,
        "title_ja": p.title.ja,
        "title_en": p.title.en,
        "catch_phrase_ja": text(p.catch_phrase, "ja"),
        "catch_phrase_en": text(p.catch_phrase, "en"),
        "description_ja": text(p.description, "ja"),
        "description_en": text(p.description, "en"),
        "target_ja": text(p.target, "ja"),
        "target_en": text(p.target, "en"),
        "eligibility": [
            r.model_dump(mode="json", exclude_none=True, exclude_defaults=True) | {"rule": r.rule}
            for r in p.eligibility
        ],
        "workflow": p.workflow,
        "rate_numerator": numerator,
        "rate_denominator": denominator,
        "rate_text": money.rate_text if money else "",
        # Nothing to confirm for a program without money (certifications, certificates).
        "rate_confirmed": money.confirmed if money else True,
        "cap_yen": money.cap_yen if money else None,
        "rounding_unit": money.rounding_unit if money else 1,
        "eligible_cost_types": [c.model_dump(mode="json") for c in p.eligible_cost_types],
        "required_documents": [d.model_dump(mode="json") for d in p.required_documents],
        "validity_years": p.validity_years,
        "rubric": [r.model_dump(mode="json") for r in p.rubric],
        "use_purposes": list(p.jgrants.use_purposes),
        "employee_band": p.jgrants.employee_band,
        "industries": list(p.jgrants.industries),
        "target_area": p.jgrants.target_area,
        "institution": p.jgrants.institution,
        "detail_url": p.detail_url or "",
        "notes": p.notes,
    }


def _load_forms(doc: ProgramsDoc, actor, result: LoadResult) -> None:
    for form in doc.forms:
        fields = _form_fields(form)
        current = FormVersion.objects.filter(code=form.code, version=form.version).first()
        if current is None:
            current = FormVersion.objects.create(
                code=form.code, version=form.version, fields=fields
            )
            audit("applications.form_version.created", actor=actor, target=current)
            result.changes.append({"op": "created", "kind": "form", "key": str(current)})
        elif current.fields != fields:  # unused: programs_check refused used ones
            current.fields = fields
            current.save(update_fields=["fields"])
            audit("applications.form_version.updated", actor=actor, target=current)
            result.changes.append(
                {"op": "updated", "kind": "form", "key": str(current), "fields": ["fields"]}
            )


def _load_details(doc: ProgramsDoc, programs: dict, actor, result: LoadResult) -> None:
    for p in doc.programs:
        program = programs[p.program]
        values = _detail_values(p)
        detail = ProgramDetail.objects.filter(program=program).first()
        if detail is None:
            detail = ProgramDetail.objects.create(program=program, **values)
            audit(
                "applications.program_detail.created",
                actor=actor,
                target=detail,
                data={"program": p.program},
            )
            result.changes.append({"op": "created", "kind": "program", "key": p.program})
            continue
        changed = [f for f, v in values.items() if getattr(detail, f) != v]
        if changed:
            for f in changed:
                setattr(detail, f, values[f])
            detail.save(update_fields=changed)
            audit(
                "applications.program_detail.updated",
                actor=actor,
                target=detail,
                data={"program": p.program, "fields": changed},
            )
            result.changes.append(
                {"op": "updated", "kind": "program", "key": p.program, "fields": changed}
            )


def _load_indicators(doc: ProgramsDoc, strategy, actor, result: LoadResult) -> None:
    """Make the named indicators computed from applications. Their observations stay; a
    recount (`indicator_refresh_computed`) revises them through the indicators service."""
    from sangyo.indicators.models import Indicator

    for link in doc.indicators:
        indicator = Indicator.objects.filter(strategy=strategy, code=link.code).first()
        if indicator is None:
            result.skipped.append(
                _("指標「%(code)s」は戦略「%(strategy)s」にないため、集計の設定をしませんでした")
                % {"code": link.code, "strategy": strategy.code}
            )
            continue
        values = {
            "obtained": Indicator.Obtained.COMPUTED,
            "computation": link.computation,
            "computation_params": dict(link.params),
        }
        changed = [f for f, v in values.items() if getattr(indicator, f) != v]
        if not changed:
            continue
        before = {f: getattr(indicator, f) for f in changed}
        for f in changed:
            setattr(indicator, f, values[f])
        indicator.save(update_fields=changed)
        audit(
            "indicators.indicator.updated",
            actor=actor,
            target=indicator,
            data={
                "fields": changed,
                "before": before,
                "reason": _("制度の設定ファイル（申請の件数から自動集計）"),
            },
        )
        result.changes.append(
            {"op": "updated", "kind": "indicator", "key": link.code, "fields": changed}
        )


@transaction.atomic
def programs_load(*, parsed: ParsedPrograms, actor) -> LoadResult:
    """Load a parsed programs file: forms, program details, indicator links. Idempotent."""
    strategy, programs = programs_check(parsed)
    result = LoadResult(strategy=strategy)
    _load_forms(parsed.doc, actor, result)
    _load_details(parsed.doc, programs, actor, result)
    _load_indicators(parsed.doc, strategy, actor, result)
    return result


def default_form(detail: ProgramDetail) -> FormVersion | None:
    """The newest form loaded for the program's kind (what a new call should use)."""
    return FormVersion.objects.filter(code=detail.kind).order_by("-version").first()
