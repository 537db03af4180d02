"""ローカルベンチマーク (ロカベン): the six financial indicators, computed from two or three
periods of figures.

Pure: no database, Decimal arithmetic only. The formulas are data (`INDICATORS`), shown to
the user as written. The official scoring bands against industry benchmarks are not defined
here on purpose ([U] in japan-rules.md): the result is each figure, what it means, and how it
changed between periods — never a score.

`compute(periods)` never raises: a figure that is missing or unreadable, a zero or negative
denominator, or a missing previous year gives a reason in words instead of a value.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation, localcontext
from itertools import pairwise

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# The figures asked for each period: (key, label, unit).
FIGURES: tuple[tuple[str, object, object], ...] = (
    ("sales", gettext_lazy("売上高"), gettext_lazy("円")),
    ("operating_profit", gettext_lazy("営業利益"), gettext_lazy("円")),
    ("depreciation", gettext_lazy("減価償却費"), gettext_lazy("円")),
    ("employees", gettext_lazy("従業員数"), gettext_lazy("人")),
    ("borrowings", gettext_lazy("借入金"), gettext_lazy("円")),
    ("cash", gettext_lazy("現預金"), gettext_lazy("円")),
    ("receivables", gettext_lazy("売上債権"), gettext_lazy("円")),
    ("inventory", gettext_lazy("棚卸資産"), gettext_lazy("円")),
    ("payables", gettext_lazy("買入債務"), gettext_lazy("円")),
    ("net_assets", gettext_lazy("純資産"), gettext_lazy("円")),
    ("total_assets", gettext_lazy("総資産"), gettext_lazy("円")),
)
FIGURE_KEYS = tuple(key for key, _label, _unit in FIGURES)
FIGURE_LABELS = {key: label for key, label, _unit in FIGURES}

# A previous period counts as "the previous year" when its end lies this many days earlier.
PREVIOUS_YEAR_DAYS = range(300, 431)


@dataclass(frozen=True)
class Indicator:
    code: str
    name_ja: str
    name_en: str
    formula_ja: str
    formula_en: str
    unit: str  # "%", "円", "倍", "か月"
    inputs: tuple[str, ...]
    meaning: object  # lazy text: what the figure shows (no judgement of good or bad)


INDICATORS: tuple[Indicator, ...] = (
    Indicator(
        "sales_growth",
        "売上増加率",
        "Sales growth rate",
        "売上高 ÷ 前年度売上高 − 1",
        "Sales ÷ previous year's sales − 1",
        "%",
        ("sales",),
        gettext_lazy("売上の伸び。事業の成長の度合いや市場での評価を表します。"),
    ),
    Indicator(
        "operating_margin",
        "営業利益率",
        "Operating profit margin",
        "営業利益 ÷ 売上高",
        "Operating profit ÷ sales",
        "%",
        ("operating_profit", "sales"),
        gettext_lazy("本業でどれだけ利益を上げているか（本業の収益性）を表します。"),
    ),
    Indicator(
        "labour_productivity",
        "労働生産性",
        "Labour productivity",
        "営業利益 ÷ 従業員数",
        "Operating profit ÷ employees",
        "円",
        ("operating_profit", "employees"),
        gettext_lazy("従業員1人当たりが生み出す営業利益（成長力・競争力）を表します。"),
    ),
    Indicator(
        "ebitda_debt_ratio",
        "EBITDA有利子負債倍率",
        "Interest-bearing debt to EBITDA ratio",
        "（借入金 − 現預金） ÷ （営業利益 + 減価償却費）",
        "(Borrowings − cash) ÷ (operating profit + depreciation)",
        "倍",
        ("borrowings", "cash", "operating_profit", "depreciation"),
        gettext_lazy(
            "借入金（現預金を除く）が、本業で得られる資金の何年分にあたるか（返済能力）を表します。"
        ),
    ),
    Indicator(
        "working_capital_period",
        "営業運転資本回転期間",
        "Working capital turnover period",
        "（売上債権 + 棚卸資産 − 買入債務） ÷ （売上高 ÷ 12）",
        "(Receivables + inventory − payables) ÷ (sales ÷ 12)",
        "か月",
        ("receivables", "inventory", "payables", "sales"),
        gettext_lazy(
            "仕入から代金回収までに必要な資金が、月商の何か月分か（資金繰りの効率）を表します。"
        ),
    ),
    Indicator(
        "equity_ratio",
        "自己資本比率",
        "Equity ratio",
        "純資産 ÷ 総資産",
        "Net assets ÷ total assets",
        "%",
        ("net_assets", "total_assets"),
        gettext_lazy("総資産のうち返済の必要がない資本の割合（財務の安全性）を表します。"),
    ),
)
INDICATOR_CODES = tuple(i.code for i in INDICATORS)

_STEP = {"%": Decimal("0.1"), "円": Decimal("1"), "倍": Decimal("0.01"), "か月": Decimal("0.1")}
_HUNDRED = Decimal(100)


@dataclass
class Value:
    """One indicator for one period: a value, or the reason there is none; `note` adds a
    remark about a value that is defined but unusual (e.g. 債務超過)."""

    code: str
    value: Decimal | None = None
    reason: str = ""
    note: str = ""

    @property
    def display(self) -> str:
        return format_value(self.value, unit_of(self.code)) if self.value is not None else ""


@dataclass
class PeriodResult:
    end: datetime.date
    values: dict[str, Value] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)  # unreadable figures


@dataclass
class Change:
    """How one indicator moved from one period to the next (in points for %)."""

    code: str
    start: datetime.date
    end: datetime.date
    delta: Decimal | None
    reason: str = ""

    @property
    def display(self) -> str:
        if self.delta is None:
            return ""
        unit = unit_of(self.code)
        unit = _("ポイント") if unit == "%" else unit
        sign = "+" if self.delta > 0 else ("±" if self.delta == 0 else "")
        return sign + format_value(self.delta, unit)


@dataclass
class Benchmark:
    periods: list[PeriodResult]
    changes: dict[str, list[Change]]
    problems: list[str]

    def row(self, code: str) -> list[Value]:
        return [p.values[code] for p in self.periods]


def unit_of(code: str) -> str:
    return next(i.unit for i in INDICATORS if i.code == code)


def format_value(value: Decimal, unit: str) -> str:
    """12.3% / 1,234,567円 / 2.35倍 / 1.2か月; units other than % follow a space-less number."""
    step = _STEP.get(unit, Decimal("0.1"))
    try:
        q = value.quantize(step, rounding=ROUND_HALF_UP)
        text = f"{q:,f}"
    except (InvalidOperation, ValueError, TypeError, ArithmeticError):
        text = str(value)
    return f"{text}{unit}"


def to_decimal(raw) -> Decimal | None:
    """A finite Decimal, or None for a missing or unreadable figure."""
    if raw is None or raw == "" or isinstance(raw, bool):
        return None
    try:
        d = raw if isinstance(raw, Decimal) else Decimal(str(raw).strip())
    except (InvalidOperation, ValueError, TypeError, ArithmeticError):
        return None
    return d if d.is_finite() else None


def _missing(keys, figures) -> str:
    absent = [str(FIGURE_LABELS[k]) for k in keys if figures.get(k) is None]
    if not absent:
        return ""
    return _("「%(names)s」が入力されていないため計算できません。") % {"names": "」「".join(absent)}


def _indicator(code: str, f: dict, previous: dict | None) -> Value:
    v = Value(code)
    ind = next(i for i in INDICATORS if i.code == code)
    if code == "sales_growth":
        if previous is None:
            v.reason = _("前年度の決算期が入力されていないため計算できません。")
            return v
        if reason := _missing(("sales",), f):
            v.reason = reason
            return v
        if previous.get("sales") is None:
            v.reason = _("前年度の売上高が入力されていないため計算できません。")
            return v
        if previous["sales"] <= 0:
            v.reason = _("前年度の売上高が0以下のため計算できません。")
            return v
        v.value = (f["sales"] / previous["sales"] - 1) * _HUNDRED
        return v
    if reason := _missing(ind.inputs, f):
        v.reason = reason
        return v
    if code == "operating_margin":
        if f["sales"] <= 0:
            v.reason = _("売上高が0以下のため計算できません。")
            return v
        v.value = f["operating_profit"] / f["sales"] * _HUNDRED
    elif code == "labour_productivity":
        if f["employees"] <= 0:
            v.reason = _("従業員数が0以下のため計算できません。")
            return v
        v.value = f["operating_profit"] / f["employees"]
    elif code == "ebitda_debt_ratio":
        denominator = f["operating_profit"] + f["depreciation"]
        if denominator == 0:
            v.reason = _("営業利益＋減価償却費が0のため計算できません。")
            return v
        if denominator < 0:
            v.reason = _(
                "営業利益＋減価償却費がマイナスのため、この倍率は意味を持ちません"
                "（本業で返済の原資が生まれていない状態です）。"
            )
            return v
        v.value = (f["borrowings"] - f["cash"]) / denominator
        if v.value < 0:
            v.note = _("現預金が借入金を上回っています（実質無借金）。")
    elif code == "working_capital_period":
        if f["sales"] <= 0:
            v.reason = _("売上高が0以下のため計算できません。")
            return v
        v.value = (f["receivables"] + f["inventory"] - f["payables"]) / (f["sales"] / 12)
    elif code == "equity_ratio":
        if f["total_assets"] <= 0:
            v.reason = _("総資産が0以下のため計算できません。")
            return v
        v.value = f["net_assets"] / f["total_assets"] * _HUNDRED
        if v.value < 0:
            v.note = _("純資産がマイナスです（債務超過）。")
    return v


def _safe_indicator(code: str, f: dict, previous: dict | None) -> Value:
    try:
        with localcontext() as ctx:
            ctx.prec = 28
            v = _indicator(code, f, previous)
            if v.value is not None:
                v.value = v.value.quantize(_STEP[unit_of(code)] / 100, rounding=ROUND_HALF_UP)
                if not v.value.is_finite():
                    raise InvalidOperation
        return v
    except (InvalidOperation, ArithmeticError, ValueError, TypeError):
        return Value(code, reason=_("数値が大きすぎるか不正なため計算できません。"))


def _previous_year(end: datetime.date, earlier: list[tuple[datetime.date, dict]]):
    for prev_end, figures in reversed(earlier):
        if (end - prev_end).days in PREVIOUS_YEAR_DAYS:
            return figures
    return None


def compute(periods) -> Benchmark:
    """Indicators for each period (sorted by period-end date) and their changes.

    `periods` maps a period-end date to a mapping of figure key → number (int, Decimal or
    numeric text); anything else counts as missing."""
    problems: list[str] = []
    try:
        items = [
            (end, dict(figures) if isinstance(figures, dict) else {})
            for end, figures in dict(periods or {}).items()
            if isinstance(end, datetime.date)
        ]
    except (TypeError, ValueError):
        items = []
    items.sort(key=lambda item: item[0])
    if not 2 <= len(items) <= 3:
        problems.append(_("ローカルベンチマークは2期または3期分の決算で比較します。"))

    parsed: list[tuple[datetime.date, dict]] = []
    results: list[PeriodResult] = []
    for end, raw in items:
        result = PeriodResult(end)
        figures: dict[str, Decimal | None] = {}
        for key in FIGURE_KEYS:
            value = raw.get(key)
            figures[key] = to_decimal(value)
            if figures[key] is None and value not in (None, ""):
                result.problems.append(
                    _("「%(name)s」の値を数値として読み取れません。") % {"name": FIGURE_LABELS[key]}
                )
        previous = _previous_year(end, parsed)
        for code in INDICATOR_CODES:
            result.values[code] = _safe_indicator(code, figures, previous)
        parsed.append((end, figures))
        results.append(result)

    changes: dict[str, list[Change]] = {code: [] for code in INDICATOR_CODES}
    for before, after in pairwise(results):
        for code in INDICATOR_CODES:
            a, b = before.values[code].value, after.values[code].value
            if a is None or b is None:
                changes[code].append(
                    Change(code, before.end, after.end, None, _("どちらかの期が計算できません。"))
                )
            else:
                changes[code].append(Change(code, before.end, after.end, b - a))
    return Benchmark(results, changes, problems)
