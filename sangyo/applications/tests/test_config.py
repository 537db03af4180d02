"""The programs file: it loads, loading again changes nothing, broken files are refused with
file:line:field messages and nothing written, and the certification KPI becomes computed."""

import datetime
import io
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from django.core.management import CommandError, call_command

from sangyo.applications import indicators as applications_indicators  # registers the count
from sangyo.applications.config import (
    DEFAULT_FILE,
    ProgramsFileError,
    parse_programs_file,
    parse_programs_text,
    programs_load,
)
from sangyo.applications.models import Application, FormVersion, ProgramDetail
from sangyo.applications.tests import factories as f
from sangyo.core.models import AuditEvent
from sangyo.indicators import services as indicator_services
from sangyo.indicators.computed import get_computation
from sangyo.indicators.models import Indicator
from sangyo.indicators.tests.factories import observe
from sangyo.registry.tests.factories import business

TEXT = DEFAULT_FILE.read_text(encoding="utf-8")
FILE = "programs-test.yaml"


def _load(text: str = TEXT):
    return programs_load(parsed=parse_programs_text(text, FILE), actor="test")


def _written() -> tuple[int, int, int]:
    return (
        ProgramDetail.objects.count(),
        FormVersion.objects.count(),
        AuditEvent.objects.filter(code__startswith="applications.").count(),
    )


def _line_of(text: str, needle: str, occurrence: int = 1) -> int:
    start = -1
    for _ in range(occurrence):
        start = text.index(needle, start + 1)
    return text[:start].count("\n") + 1


# --- the real file ------------------------------------------------------------------------


def test_the_file_parses_without_a_database():
    doc = parse_programs_file(DEFAULT_FILE).doc
    assert [p.program for p in doc.programs] == [
        "11-1",
        "05-1",
        "11-2",
        "06-1",
        "10-1",
        "16-1",
        "17-1",
    ]
    assert sorted(f.code for f in doc.forms) == ["certificate", "certification", "subsidy"]


@pytest.mark.django_db
def test_the_tsukuba_file_loads_every_program(tsukuba):
    result = _load()
    assert result.count("created") == 10  # 7 programs + 3 forms
    details = {d.program.code: d for d in ProgramDetail.objects.select_related("program")}
    assert set(details) == {"11-1", "05-1", "11-2", "06-1", "10-1", "16-1", "17-1"}
    assert all(d.program.measure.strategy_id == tsukuba.pk for d in details.values())

    founding = details["11-1"]
    assert founding.title_ja == "新規創業促進補助金"
    assert (founding.rate_numerator, founding.rate_denominator) == (10, 10)
    assert founding.rate_confirmed and founding.cap_yen == 125_000
    assert founding.rounding_unit == 1_000
    assert [r["rule"] for r in founding.eligibility] == [
        "holds_founder_certificate",
        "before_incorporation",
        "no_unpaid_city_tax",
    ]
    caps = {c["ja"]: c["max_yen"] for c in founding.eligible_cost_types}
    assert caps == {"登録免許税": 75_000, "定款認証手数料": 50_000}

    fair = details["05-1"]
    assert not fair.rate_confirmed
    assert fair.rate_numerator is None and fair.cap_yen is None
    assert "要確認" in fair.notes
    assert [r["rule"] for r in fair.eligibility] == ["in_city", "sme", "not_received_this_fy"]
    for code in ("11-2", "16-1", "17-1"):
        assert not details[code].rate_confirmed and details[code].rate_numerator is None
        assert "要確認" in details[code].notes

    brand = details["06-1"]
    assert (brand.kind, brand.workflow, brand.validity_years) == (
        "certification",
        "certification",
        3,
    )
    assert [(r["ja"], r["max"]) for r in brand.rubric] == [
        ("産地", 5),
        ("オリジナリティ", 5),
        ("パッケージ", 5),
        ("品質・価格", 5),
        ("信頼性・安全性", 5),
    ]
    assert "06-1" in brand.notes and "つくばクオリティ" in brand.notes

    founder = details["10-1"]
    assert (founder.kind, founder.workflow) == ("certificate", "certificate")
    assert founder.eligibility == [{"rule": "founder_stage"}]

    for d in details.values():
        assert d.target_area == "つくば市"
        assert d.institution == "つくば市経済部産業振興課"
        assert d.use_purposes and d.employee_band
    assert AuditEvent.objects.filter(code="applications.program_detail.created").count() == 7


@pytest.mark.django_db
def test_forms_are_data_with_conditions_and_the_tax_declaration(tsukuba):
    _load()
    subsidy = FormVersion.objects.get(code="subsidy", version=1)
    fields = {x["name"]: x for x in subsidy.fields}
    assert fields["plan_summary"]["type"] == "textarea" and fields["plan_summary"]["required"]
    assert fields["no_unpaid_tax"]["type"] == "bool" and fields["no_unpaid_tax"]["required"]
    assert fields["other_subsidies"]["type"] == "choice"
    assert fields["other_subsidies_detail"]["show_when"] == {
        "field": "other_subsidies",
        "equals": "yes",
    }
    assert fields["plan_summary"]["label"] == {
        "ja": "事業計画の概要",
        "en": "Outline of the business plan",
    }
    certification = FormVersion.objects.get(code="certification")
    assert "no_unpaid_tax" in {x["name"] for x in certification.fields}


@pytest.mark.django_db
def test_loading_twice_changes_nothing(tsukuba):
    _load()
    before = _written()
    snapshot = list(ProgramDetail.objects.order_by("pk").values())
    result = _load()
    assert result.changes == []
    assert _written() == before
    assert list(ProgramDetail.objects.order_by("pk").values()) == snapshot


@pytest.mark.django_db
def test_a_changed_field_is_updated_and_audited(tsukuba):
    _load()
    result = _load(TEXT.replace("cap_yen: 125000", "cap_yen: 120000"))
    assert result.changes == [
        {"op": "updated", "kind": "program", "key": "11-1", "fields": ["cap_yen"]}
    ]
    assert ProgramDetail.objects.get(program__code="11-1").cap_yen == 120_000
    event = AuditEvent.objects.get(code="applications.program_detail.updated")
    assert event.data["fields"] == ["cap_yen"]


# --- broken files -------------------------------------------------------------------------

BROKEN = [
    pytest.param(
        ('program: "16-1"', 'program: "16-9"'),
        'program: "16-9"',
        "programs[5].program",
        "事業「16-9」はありません",
        id="unknown-program-code",
    ),
    pytest.param(
        ("{rule: founder_stage}", "{rule: founder_stag}"),
        "{rule: founder_stag}",
        "programs[4].eligibility[0].rule",
        "要件「founder_stag」は定義されていません",
        id="unknown-rule",
    ),
    pytest.param(
        ("workflow: certificate\n", "workflow: certficate\n"),
        "workflow: certficate",
        "programs[4].workflow",
        "手続の流れ「certficate」は定義されていません",
        id="unknown-workflow",
    ),
    pytest.param(
        ('rate: "10/10"', 'rate: "3/2"'),
        'rate: "3/2"',
        "programs[0].money.rate",
        "補助率は1以下の分数",
        id="rate-above-one",
    ),
    pytest.param(
        ('rate: "10/10"', 'rate: "1/0"'),
        'rate: "1/0"',
        "programs[0].money.rate",
        "補助率は1以下の分数",
        id="rate-zero-denominator",
    ),
    pytest.param(
        ('rate: "10/10"', "rate: 全額"),
        "rate: 全額",
        "programs[0].money.rate",
        "補助率は1以下の分数",
        id="rate-not-a-fraction",
    ),
    pytest.param(
        ("cap_yen: 125000", "cap_yen: -1"),
        "cap_yen: -1",
        "programs[0].money.cap_yen",
        "値が小さすぎます",
        id="negative-cap",
    ),
    pytest.param(
        ('program: "17-1"', 'program: "11-1"'),
        ('program: "11-1"', 2),
        "programs[6].program",
        "事業のコード「11-1」が重複しています",
        id="duplicate-program",
    ),
    pytest.param(
        ("cap_yen: 125000\n", "cap_yen: 125000\n      cap_yen: 125000\n"),
        ("cap_yen: 125000", 2),
        "programs[0].money.cap_yen",
        "2回書かれています",
        id="duplicate-key",
    ),
    pytest.param(
        ("    workflow: subsidy\n", "    workflow: subsidy\n    budget: 1000000\n"),
        "budget: 1000000",
        "programs[0].budget",
        "定義されていない項目です",
        id="unknown-field",
    ),
    pytest.param(
        ("use_purposes: [新たな事業を行いたい]", "use_purposes: [お金がほしい]"),
        "use_purposes: [お金がほしい]",
        "programs[0].jgrants.use_purposes[0]",
        "次のいずれかにしてください",
        id="unknown-jgrants-purpose",
    ),
    pytest.param(
        ("show_when: {field: other_subsidies,", "show_when: {field: other_subsidy,"),
        "show_when: {field: other_subsidy,",
        "forms[0].fields[3].show_when.field",
        "この項目より前にある項目",
        id="show-when-unknown-field",
    ),
    pytest.param(
        ("{rule: in_city}\n      - {rule: sme}", "{rule: in_city}\n      - {rule: in_city}"),
        ("{rule: in_city}", 2),
        "programs[1].eligibility[1].rule",
        "要件「in_city」が重複しています",
        id="duplicate-rule",
    ),
    pytest.param(
        ("      confirmed: false\n", "      confirmed: true\n"),
        ("money:", 2),
        "programs[1].money",
        "confirmed: false にしてください",
        id="unconfirmed-rate-marked-confirmed",
    ),
]


@pytest.mark.django_db
@pytest.mark.parametrize("edit,where,field,message", BROKEN)
def test_a_broken_file_is_refused_with_line_and_field_and_nothing_written(
    tsukuba, edit, where, field, message
):
    old, new = edit
    assert old in TEXT
    text = TEXT.replace(old, new, 1)
    needle, occurrence = where if isinstance(where, tuple) else (where, 1)
    with pytest.raises(ProgramsFileError) as info:
        _load(text)
    problems = [p for p in info.value.problems if p.field == field]
    assert problems, [str(p) for p in info.value.problems]
    problem = problems[0]
    assert message in problem.message
    assert problem.line == _line_of(text, needle, occurrence)
    assert str(problem).startswith(f"{FILE}:{problem.line}: {field}: ")
    assert _written() == (0, 0, 0)
    assert Indicator.objects.get(code="certification-applications").obtained != "computed"


@pytest.mark.django_db
def test_a_program_using_the_tax_rule_needs_the_declaration_in_its_form(tsukuba):
    data = yaml.safe_load(TEXT)
    form = next(x for x in data["forms"] if x["code"] == "certification")
    form["fields"] = [x for x in form["fields"] if x["name"] != "no_unpaid_tax"]
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    with pytest.raises(ProgramsFileError) as info:
        _load(text)
    [problem] = info.value.problems
    assert problem.field == "programs[3].eligibility[1].rule"  # 06-1
    assert "no_unpaid_tax" in problem.message and problem.line
    assert _written() == (0, 0, 0)


@pytest.mark.django_db
def test_the_strategy_must_be_loaded_first(db):
    with pytest.raises(ProgramsFileError) as info:
        _load()
    [problem] = info.value.problems
    assert problem.field == "strategy"
    assert problem.line == _line_of(TEXT, "strategy: tsukuba-2025")
    assert "読み込まれていません" in problem.message


@pytest.mark.django_db
def test_a_form_version_in_use_cannot_change_but_an_unused_one_can(tsukuba):
    details = f.load_programs()
    changed = TEXT.replace("ja: 事業計画の概要,", "ja: 事業計画の概要（変更）,")
    # Not used yet: the form is corrected in place.
    assert _load(changed).changes == [
        {"op": "updated", "kind": "form", "key": "subsidy v1", "fields": ["fields"]}
    ]
    f.config_call(details["11-1"])
    with pytest.raises(ProgramsFileError) as info:
        _load(TEXT)
    [problem] = info.value.problems
    assert problem.field == "forms[0].version"
    assert "version を上げてください" in problem.message
    # A new version loads beside the used one.
    bumped = TEXT.replace(
        "  - code: subsidy\n    version: 1\n", "  - code: subsidy\n    version: 2\n"
    )
    _load(bumped)
    assert sorted(FormVersion.objects.filter(code="subsidy").values_list("version", flat=True)) == [
        1,
        2,
    ]


# --- the command --------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_command_loads_then_reports_no_change(tsukuba):
    out = io.StringIO()
    call_command("programs", "load", str(DEFAULT_FILE), stdout=out)
    assert "追加10件" in out.getvalue()
    out = io.StringIO()
    call_command("programs", "load", str(DEFAULT_FILE), stdout=out)
    assert "変更はありません" in out.getvalue()


@pytest.mark.django_db
def test_the_command_names_file_line_and_field(tsukuba, tmp_path: Path):
    bad = tmp_path / "programs-bad.yaml"
    text = TEXT.replace('program: "16-1"', 'program: "16-9"')
    bad.write_text(text, encoding="utf-8")
    err = io.StringIO()
    with pytest.raises(CommandError, match="何も書き込んでいません"):
        call_command("programs", "load", str(bad), stderr=err)
    line = _line_of(text, 'program: "16-9"')
    assert f"{bad}:{line}: programs[5].program: " in err.getvalue()
    assert ProgramDetail.objects.count() == 0


# --- the KPI counted from applications ----------------------------------------------------


def _submitted(call, at: datetime.datetime, make_user, status="submitted") -> Application:
    b = business()
    app = f.application(call, b, f.applicant(make_user, b), status=status)
    # Set the submission time explicitly to place it in a fiscal year (see test_workflow for
    # whether submitting sets it).
    Application.objects.filter(pk=app.pk).update(submitted_at=at)
    return app


@pytest.mark.django_db
def test_the_certification_kpi_becomes_computed_and_keeps_its_observations(tsukuba):
    indicator = Indicator.objects.get(strategy=tsukuba, code="certification-applications")
    observe(indicator, 2024, 21)
    _load()
    indicator.refresh_from_db()
    assert indicator.obtained == Indicator.Obtained.COMPUTED
    assert indicator.computation == "applications.applications"
    assert indicator.computation_params == {"program_kinds": ["certification"]}
    assert indicator.observations.get(fiscal_year=2024).value == Decimal("21")
    event = AuditEvent.objects.get(code="indicators.indicator.updated", target_id=str(indicator.pk))
    assert set(event.data["fields"]) == {"obtained", "computation", "computation_params"}
    assert event.data["before"]["obtained"] == "entered"


@pytest.mark.django_db
def test_the_kpi_counts_submitted_certification_applications_per_fiscal_year(tsukuba, make_user):
    details = f.load_programs()
    brand = f.config_call(details["06-1"])
    fair = f.config_call(details["05-1"])
    utc = datetime.UTC
    # 2026-03-31T14:30Z is 23:30 on 31 March in Tokyo (FY2025); 15:30Z is 1 April (FY2026).
    _submitted(brand, datetime.datetime(2026, 3, 31, 14, 30, tzinfo=utc), make_user)
    _submitted(brand, datetime.datetime(2026, 3, 31, 15, 30, tzinfo=utc), make_user)
    _submitted(brand, datetime.datetime(2026, 6, 1, 1, 0, tzinfo=utc), make_user, "certified")
    _submitted(brand, datetime.datetime(2026, 7, 1, 1, 0, tzinfo=utc), make_user, "withdrawn")
    _submitted(fair, datetime.datetime(2026, 6, 1, 1, 0, tzinfo=utc), make_user)
    b = business()
    f.application(brand, b, f.applicant(make_user, b), status="draft")  # not submitted

    indicator = Indicator.objects.get(strategy=tsukuba, code="certification-applications")
    computation = get_computation(indicator.computation)
    assert computation is applications_indicators.APPLICATIONS
    assert computation.compute(tsukuba, indicator.computation_params) == {
        2025: Decimal(1),
        2026: Decimal(3),
    }
    assert computation.compute(
        tsukuba, {"program_kinds": ["certification"], "statuses": ["certified"]}
    ) == {2026: Decimal(1)}
    assert computation.compute(tsukuba, {"programs": ["05-1"]}) == {2026: Decimal(1)}
    assert computation.compute(tsukuba, {}) == {2025: Decimal(1), 2026: Decimal(4)}

    result = indicator_services.indicator_refresh_computed(indicator=indicator, actor="test")
    assert result.added == 2
    assert dict(indicator.observations.values_list("fiscal_year", "value")) == {
        2025: Decimal(1),
        2026: Decimal(3),
    }


def test_the_count_is_described_in_words_and_checks_its_parameters():
    computation = applications_indicators.APPLICATIONS
    ja, en = computation.describe({"program_kinds": ["certification"]})
    assert ja == "種類「認定制度」の制度への申請（提出済み）の件数（申請日の年度ごと）"
    assert en == (
        "Number of submitted applications to programs of kind certification, "
        "per fiscal year of submission"
    )
    ja, en = computation.describe({"programs": ["06-1"], "statuses": ["certified"]})
    assert "事業 06-1" in ja and "現在の状態が「認定」" in ja
    assert "now in state Certified" in en
    assert computation.validate({"program_kinds": ["certification"]}) == []
    assert computation.validate({"program_kind": ["x"]}) == ["未知の条件: program_kind"]
    assert computation.validate({"program_kinds": ["grant"]}) == ["未知の制度の種類: grant"]
    assert computation.validate({"statuses": ["approved"]}) == ["未知の申請の状態: approved"]
    assert computation.validate({"programs": "06-1"}) == [
        "programs は文字列の一覧で指定してください"
    ]


# --- the demo -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_demo_goes_through_the_services_once(tsukuba):
    from sangyo.applications.demo import load_demo
    from sangyo.applications.models import Call, CertifiedProduct, Payment

    first = load_demo(strategy=tsukuba)
    assert first["calls"] == 7 and first["applications"] == first["created"] == 15
    assert (first["paid"], first["certified_products"], first["founder_certificates"]) == (1, 2, 1)
    assert first["reviews"] >= 4
    assert Call.objects.filter(is_synthetic=False).count() == 0
    assert not Application.objects.filter(is_synthetic=False).exists()
    statuses = set(Application.objects.values_list("status", flat=True))
    assert {"draft", "submitted", "returned", "under_review", "rejected", "withdrawn"} <= statuses
    assert {"adopted", "paid", "certified", "issued"} <= statuses
    paid = Application.objects.get(status="paid")
    assert paid.call.program.code == "11-1" and paid.paid_yen == 125_000
    assert Payment.objects.get(application=paid).amount_yen == 125_000
    paid.call.refresh_from_db()
    assert (paid.call.committed_yen, paid.call.paid_yen) == (125_000, 125_000)
    for product in CertifiedProduct.objects.select_related("application"):
        assert product.valid_until == product.application.certified_until
    assert {a.language for a in Application.objects.all()} == {"ja", "en"}

    audit_count = AuditEvent.objects.count()
    again = load_demo(strategy=tsukuba)
    assert again == first | {"created": 0}
    assert AuditEvent.objects.count() == audit_count
