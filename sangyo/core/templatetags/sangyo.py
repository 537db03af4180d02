"""Template helpers shared by every app: bilingual fields, Japanese dates and fiscal years,
numbers, and strategy-aware links."""

from datetime import date
from decimal import Decimal

from django import template
from django.urls import reverse
from django.utils.translation import get_language, gettext

from sangyo.core.fiscal import fiscal_year_label, fiscal_year_label_both
from sangyo.core.i18n import pick, pick_text
from sangyo.core.wareki import format_date_ja, to_wareki

register = template.Library()


def _lang() -> str:
    return (get_language() or "ja")[:2]


@register.filter
def tr(obj, field: str) -> str:
    """{{ measure|tr:"name" }}: the field in the active language, Japanese as fallback."""
    return pick(obj, field)


@register.filter
def text(value) -> str:
    """{{ item|text }} for {"ja": …, "en": …} dictionaries."""
    return pick_text(value)


@register.filter
def fy(value) -> str:
    """令和7年度（2025年度） in Japanese, FY2025 in English."""
    if value in (None, ""):
        return ""
    return (
        fiscal_year_label(int(value), "en")
        if _lang() == "en"
        else fiscal_year_label_both(int(value))
    )


@register.filter
def year_month(value: str) -> str:
    """'2025-03' → 2025年3月（令和7年3月） / March 2025."""
    year, month = int(value[:4]), int(value[5:7])
    if _lang() == "en":
        return date(year, month, 1).strftime("%B %Y")
    w = to_wareki(date(year, month, 1))
    return f"{year}年{month}月（{w.year_label}{month}月）"


@register.filter
def date_ja(value) -> str:
    if not value:
        return ""
    if _lang() == "en":
        return value.strftime("%-d %B %Y")
    return format_date_ja(value)


@register.filter
def num(value) -> str:
    """Thousands separators, no trailing zeros: Decimal('14383.0000') → 14,383."""
    if value in (None, ""):
        return ""
    d = Decimal(value).normalize()
    if d == d.to_integral():
        return f"{int(d):,}"
    return f"{d:,f}"


_STRATEGY_PAGES = {"tree", "vision", "measure", "ordinance", "situation"}


@register.simple_tag
def surl(strategy, page: str, *args) -> str:
    """A link to a strategy page: /strategy/… for the current strategy, /strategies/<code>/…
    for any other, so pages of a past plan link within that plan."""
    if page not in _STRATEGY_PAGES:
        raise template.TemplateSyntaxError(f"unknown strategy page {page!r}")
    if strategy.is_current:
        return reverse(f"strategy:{page}", args=args)
    return reverse(f"strategies_by_code:{page}", args=(strategy.code, *args))


@register.filter
def measure_label(number) -> str:
    """'01' → 施策01 / Measure 01."""
    return gettext("施策%(number)s") % {"number": number}
