"""Reads for evaluation. `year_figures` is the ONE place where an evaluation's figures are
computed: the sheet pages, the annual report (PDF and Excel), open data (CSV and JSON) and
the API all call it, so they agree to the yen.

Suppression (秘匿): in public outputs (`public=True`) a count of support records that
concerns fewer businesses than the year's threshold (default 3) is not shown, and neither is
anything derived from it (cost per output). When exactly one cell of a breakdown is
suppressed while the total is shown, the smallest other non-zero cell is suppressed too
(complementary suppression), so the hidden cell cannot be worked out by subtraction.
Survey results with fewer responses than the threshold are suppressed the same way.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from django.db.models import Avg, Count, Prefetch
from django.utils.translation import gettext as _

from sangyo.registry.models import SupportRecord
from sangyo.strategy.models import Measure, Program, Strategy

from .contrib import Signal, signals_for
from .models import FollowUp, Opinion, Sheet, YearSetting

TOKYO = ZoneInfo("Asia/Tokyo")
DEFAULT_THRESHOLD = 3
KIND_LABELS = dict(SupportRecord.Kind.choices)


def fmt_int(value: int | None) -> str:
    return "" if value is None else f"{value:,}"


@dataclass
class Cell:
    """A count (or a figure derived from counts) that may be suppressed in public."""

    value: int | Decimal | None
    suppressed: bool = False

    @property
    def text(self) -> str:
        if self.suppressed:
            return _("秘匿")
        if self.value is None:
            return "—"
        if isinstance(self.value, Decimal):
            return f"{self.value:,}"
        return f"{self.value:,}"

    @property
    def public_value(self):
        return None if self.suppressed else self.value


@dataclass
class KindRow:
    kind: str
    label: str
    records: Cell
    businesses: Cell


@dataclass
class ProgramRow:
    program: Program
    records: Cell
    businesses: Cell
    kinds: list[KindRow] = field(default_factory=list)


@dataclass
class Costs:
    funding: list[tuple[str, str, int]]  # (field, label, yen)
    project_cost: int
    staff_hours: Decimal
    hourly_cost: int | None
    personnel_cost: int | None
    total_cost: int | None


@dataclass
class MeasureFigures:
    measure: Measure
    fiscal_year: int
    sheet: Sheet | None
    programs: list[ProgramRow]
    records: Cell
    businesses: Cell
    survey_responses: Cell
    survey_mean: Cell
    signals: list[Signal]
    costs: Costs | None
    cost_per_record: Cell
    cost_per_business: Cell
    indicators: list = field(default_factory=list)
    kpis: list = field(default_factory=list)
    follow_ups: list = field(default_factory=list)  # [(Improvement, FollowUp | None)]

    @property
    def vision(self):
        return self.measure.sub_theme.theme.vision

    @property
    def theme(self):
        return self.measure.sub_theme.theme


@dataclass
class YearFigures:
    strategy: Strategy
    fiscal_year: int
    public: bool
    threshold: int
    hourly_cost: int | None
    measures: list[MeasureFigures]
    previous: dict[int, MeasureFigures]  # measure id → figures of the year before
    kpis: list  # outcome KPIs (indicators) of the visions, assessed
    # When the output counts were computed, if they come from the pre-aggregated summary
    # (summary.py); None when counted live for this request.
    counts_as_of: datetime.datetime | None = None

    def for_measure(self, measure_id: int) -> MeasureFigures | None:
        return next((m for m in self.measures if m.measure.pk == measure_id), None)

    @property
    def published(self) -> list[MeasureFigures]:
        return [m for m in self.measures if m.sheet is not None]

    @property
    def opinions(self) -> list[tuple[MeasureFigures, list[Opinion]]]:
        return [(m, list(m.sheet.opinions.all())) for m in self.published if m.sheet]


def yen_round(value: Decimal) -> int:
    return int(value.quantize(Decimal("1"), rounding=ROUND_HALF_UP))


def suppress_group(cells: list[tuple[Cell, Cell]], threshold: int, total_shown: bool) -> None:
    """Primary then complementary suppression of (records, businesses) pairs, in place."""
    for records, businesses in cells:
        b = businesses.value or 0
        if 0 < b < threshold:
            records.suppressed = businesses.suppressed = True
    hidden = [c for c in cells if c[0].suppressed]
    if total_shown and len(hidden) == 1:
        others = [c for c in cells if not c[0].suppressed and (c[0].value or 0) > 0]
        if others:
            records, businesses = min(others, key=lambda c: (c[0].value, c[1].value))
            records.suppressed = businesses.suppressed = True


def _hide(*cells: Cell) -> None:
    for c in cells:
        c.suppressed = True


def _suppress_tree(total: Cell, rows: list[ProgramRow], threshold: int) -> None:
    """Suppress a measure's breakdown: programs within the measure, kinds within each
    program. Whatever lies under a suppressed cell is suppressed too (a single program or
    kind would otherwise repeat the hidden figure)."""
    if total.suppressed:
        for r in rows:
            _hide(r.records, r.businesses)
            for k in r.kinds:
                _hide(k.records, k.businesses)
        return
    suppress_group([(r.records, r.businesses) for r in rows], threshold, True)
    for r in rows:
        if r.records.suppressed:
            for k in r.kinds:
                _hide(k.records, k.businesses)
        else:
            suppress_group([(k.records, k.businesses) for k in r.kinds], threshold, True)


def _fy_bounds(fy: int) -> tuple[datetime.datetime, datetime.datetime]:
    return (
        datetime.datetime(fy, 4, 1, tzinfo=TOKYO),
        datetime.datetime(fy + 1, 4, 1, tzinfo=TOKYO),
    )


def _support_counts(strategy: Strategy, years: list[int]):
    """Records and distinct businesses per (fy, measure), (fy, program), (fy, program, kind),
    and when they were counted if they come from the pre-aggregated summary (None: live).
    See summary.py for when the summary is read."""
    from .summary import support_counts

    return support_counts(strategy, years)


def _surveys(strategy: Strategy, fy: int) -> dict[int, tuple[int, Decimal | None]]:
    from sangyo.events.models import SurveyResponse

    start, end = _fy_bounds(fy)
    rows = (
        SurveyResponse.objects.filter(
            registration__event__program__measure__strategy=strategy,
            registration__event__starts_at__gte=start,
            registration__event__starts_at__lt=end,
        )
        .order_by()
        .values("registration__event__program__measure_id")
        .annotate(n=Count("id"), mean=Avg("rating"))
    )
    return {
        r["registration__event__program__measure_id"]: (
            r["n"],
            Decimal(str(r["mean"])).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
            if r["mean"] is not None
            else None,
        )
        for r in rows
    }


def _sheets(strategy: Strategy, years: list[int], *, public: bool) -> dict[tuple[int, int], Sheet]:
    """The sheet shown per (fy, measure): the latest published version in public, the
    latest version of any status for staff."""
    qs = Sheet.objects.filter(strategy=strategy, fiscal_year__in=years)
    if public:
        qs = qs.filter(status=Sheet.Status.PUBLISHED)
    qs = qs.order_by("fiscal_year", "measure_id", "version").prefetch_related(
        "improvements",
        Prefetch("follow_ups", queryset=FollowUp.objects.select_related("improvement")),
        Prefetch("opinions", queryset=Opinion.objects.select_related("member")),
    )
    found: dict[tuple[int, int], Sheet] = {}
    for s in qs:
        found[(s.fiscal_year, s.measure_id)] = s
    return found


def year_setting(strategy: Strategy, fy: int) -> YearSetting | None:
    return YearSetting.objects.filter(strategy=strategy, fiscal_year=fy).first()


def _costs(sheet: Sheet | None, hourly_cost: int | None) -> Costs | None:
    if sheet is None:
        return None
    funding = [
        (f, str(Sheet._meta.get_field(f).verbose_name).replace("（円）", ""), getattr(sheet, f))
        for f in Sheet.COST_FIELDS
    ]
    project = sum(v for _f, _l, v in funding)
    personnel = (
        yen_round(Decimal(sheet.staff_hours) * hourly_cost) if hourly_cost is not None else None
    )
    return Costs(
        funding=funding,
        project_cost=project,
        staff_hours=Decimal(sheet.staff_hours),
        hourly_cost=hourly_cost,
        personnel_cost=personnel,
        total_cost=project + personnel if personnel is not None else None,
    )


def _per(total: int | None, count: Cell) -> Cell:
    if count.suppressed:
        return Cell(None, True)
    if total is None or not count.value:
        return Cell(None)
    return Cell(yen_round(Decimal(total) / Decimal(count.value)))


def year_figures(strategy: Strategy, fiscal_year: int, *, public: bool = True) -> YearFigures:
    """Every figure of the evaluation of `fiscal_year` (and of the year before, for the
    year-over-year comparison), in a fixed number of queries."""
    from sangyo.indicators.models import Indicator
    from sangyo.indicators.selectors import strategy_indicators

    years = [fiscal_year - 1, fiscal_year]
    settings_by_year = {
        s.fiscal_year: s
        for s in YearSetting.objects.filter(strategy=strategy, fiscal_year__in=years)
    }
    measures = list(
        Measure.objects.filter(strategy=strategy)
        .select_related("sub_theme__theme__vision")
        .prefetch_related(Prefetch("programs", queryset=Program.objects.order_by("order", "code")))
        .order_by("number")
    )
    by_measure, by_program, by_kind, counts_as_of = _support_counts(strategy, years)
    sheets = _sheets(strategy, years, public=public)
    indicators = strategy_indicators(strategy)
    measure_inds: dict[int, list] = defaultdict(list)
    vision_kpis: dict[int, list] = defaultdict(list)
    kpis = []
    for ind in indicators:
        if ind.level == Indicator.Level.OUTCOME_KPI and ind.kpi_id:
            vision_kpis[ind.kpi.vision_id].append(ind)
            kpis.append(ind)
        elif ind.measure_id:
            measure_inds[ind.measure_id].append(ind)
    signals: dict[str | None, list[Signal]] = defaultdict(list)
    for sig in signals_for(strategy=strategy, fiscal_year=fiscal_year):
        signals[sig.measure_code].append(sig)

    result: dict[int, dict[int, MeasureFigures]] = {}
    for fy in years:
        setting = settings_by_year.get(fy)
        threshold = setting.suppression_threshold if setting else DEFAULT_THRESHOLD
        hourly = setting.hourly_cost if setting else None
        surveys = _surveys(strategy, fy)
        result[fy] = {}
        for m in measures:
            n, b = by_measure.get((fy, m.pk), (0, 0))
            records, businesses = Cell(n), Cell(b)
            if public and 0 < b < threshold:
                records.suppressed = businesses.suppressed = True
            rows = []
            for p in m.programs.all():
                pn, pb = by_program.get((fy, p.pk), (0, 0))
                kinds = [
                    KindRow(k, str(KIND_LABELS.get(k, k)), Cell(kn), Cell(kb))
                    for k, kn, kb in by_kind.get((fy, p.pk), [])
                ]
                rows.append(ProgramRow(p, Cell(pn), Cell(pb), kinds))
            if public:
                _suppress_tree(records, rows, threshold)
            responses, mean = surveys.get(m.pk, (0, None))
            resp_cell, mean_cell = Cell(responses), Cell(mean)
            if public and 0 < responses < threshold:
                resp_cell.suppressed = mean_cell.suppressed = True
            sheet = sheets.get((fy, m.pk))
            costs = _costs(sheet, hourly)
            total = costs.total_cost if costs else None
            follow_ups = []
            if sheet is not None and fy == fiscal_year:
                last = sheets.get((fy - 1, m.pk))
                recorded = {f.improvement_id: f for f in sheet.follow_ups.all()}
                if last is not None:
                    follow_ups = [(i, recorded.get(i.pk)) for i in last.improvements.all()]
                else:
                    follow_ups = [(f.improvement, f) for f in sheet.follow_ups.all()]
            result[fy][m.pk] = MeasureFigures(
                measure=m,
                fiscal_year=fy,
                sheet=sheet,
                programs=rows,
                records=records,
                businesses=businesses,
                survey_responses=resp_cell,
                survey_mean=mean_cell,
                signals=signals.get(m.number, []) if fy == fiscal_year else [],
                costs=costs,
                cost_per_record=_per(total, records),
                cost_per_business=_per(total, businesses),
                indicators=measure_inds.get(m.pk, []),
                kpis=vision_kpis.get(m.sub_theme.theme.vision_id, []),
                follow_ups=follow_ups,
            )
    setting = settings_by_year.get(fiscal_year)
    return YearFigures(
        strategy=strategy,
        fiscal_year=fiscal_year,
        public=public,
        threshold=setting.suppression_threshold if setting else DEFAULT_THRESHOLD,
        hourly_cost=setting.hourly_cost if setting else None,
        measures=[result[fiscal_year][m.pk] for m in measures],
        previous={m.pk: result[fiscal_year - 1][m.pk] for m in measures},
        kpis=kpis,
        counts_as_of=counts_as_of,
    )


# --- lists and single records -------------------------------------------------------------


def published_years(strategy: Strategy) -> list[int]:
    return list(
        Sheet.objects.filter(strategy=strategy, status=Sheet.Status.PUBLISHED)
        .order_by("-fiscal_year")
        .values_list("fiscal_year", flat=True)
        .distinct()
    )


def staff_sheets(strategy: Strategy, fy: int):
    return (
        Sheet.objects.filter(strategy=strategy, fiscal_year=fy)
        .select_related("measure", "officer")
        .order_by("measure__number", "-version")
    )


def sheet_versions(sheet: Sheet, *, public: bool) -> list[Sheet]:
    qs = Sheet.objects.filter(measure=sheet.measure, fiscal_year=sheet.fiscal_year)
    if public:
        qs = qs.filter(status=Sheet.Status.PUBLISHED)
    return list(qs.order_by("version"))


def sheet_or_none(pk: int, *, public: bool) -> Sheet | None:
    qs = Sheet.objects.select_related("measure__sub_theme__theme__vision", "strategy")
    if public:
        qs = qs.filter(status=Sheet.Status.PUBLISHED)
    return qs.filter(pk=pk).first()


def figures_for_sheet(sheet: Sheet, *, public: bool) -> tuple[YearFigures, MeasureFigures]:
    """The year's figures with the measure's entry showing this very version of the sheet
    (an older published version keeps its own inputs and judgement)."""
    year = year_figures(sheet.strategy, sheet.fiscal_year, public=public)
    mf = year.for_measure(sheet.measure_id)
    if mf.sheet is None or mf.sheet.pk != sheet.pk:
        mf.sheet = (
            Sheet.objects.prefetch_related(
                "improvements",
                Prefetch("follow_ups", queryset=FollowUp.objects.select_related("improvement")),
                Prefetch("opinions", queryset=Opinion.objects.select_related("member")),
            )
            .select_related("measure")
            .get(pk=sheet.pk)
        )
        mf.costs = _costs(mf.sheet, year.hourly_cost)
        total = mf.costs.total_cost if mf.costs else None
        mf.cost_per_record = _per(total, mf.records)
        mf.cost_per_business = _per(total, mf.businesses)
        recorded = {f.improvement_id: f for f in mf.sheet.follow_ups.all()}
        last = year.previous[sheet.measure_id].sheet
        if last is not None:
            mf.follow_ups = [(i, recorded.get(i.pk)) for i in last.improvements.all()]
        else:
            mf.follow_ups = [(f.improvement, f) for f in mf.sheet.follow_ups.all()]
    return year, mf


def latest_report(strategy: Strategy, fy: int):
    from .models import Report

    return Report.objects.filter(strategy=strategy, fiscal_year=fy).first()
