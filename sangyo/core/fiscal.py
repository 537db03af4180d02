"""Japanese public-sector fiscal years (会計年度, 地方自治法 第208条): 1 April – 31 March.

A fiscal year is named by the calendar year in which it starts: FY2025 = 2025-04-01 ..
2026-03-31 = 令和7年度. Company 事業年度 can end in any month, so company figures are keyed by
their period-end date, not by these helpers.
"""

from __future__ import annotations

from datetime import date, datetime

from .wareki import era_of, tokyo_date


def fiscal_year(d: date | datetime) -> int:
    """FY of a date; aware datetimes count in Japanese time (2025-03-31T15:00Z is FY2025)."""
    d = tokyo_date(d)
    return d.year if d.month >= 4 else d.year - 1


def fiscal_year_range(fy: int) -> tuple[date, date]:
    return date(fy, 4, 1), date(fy + 1, 3, 31)


def closing_period(fy: int) -> tuple[date, date]:
    """出納整理期間: after the FY closes, cash for it may still be received and paid until
    31 May (地方自治法 第235条の5)."""
    return date(fy + 1, 4, 1), date(fy + 1, 5, 31)


def fiscal_year_label(fy: int, lang: str = "ja") -> str:
    """ja → 令和7年度, en → FY2025.

    The era is the one in force on 31 December of the year the FY starts in, i.e. a 年度 takes
    the era-year of its starting calendar year as that year is known in retrospect
    (2019 = 令和元年). This is the only simple rule that gives all three documented labels:
    FY2019 = 令和元年度 (it began in 平成31年), FY1989 = 平成元年度 and FY1988 = 昭和63年度.
    "Era at the FY's start" would give 平成31年度, and "era at the FY's end" would give 平成0年度
    for FY1988 because 平成 began in January. It also reproduces 令和N年度 = FY(2018+N).
    Historical sources are inconsistent for FY1912 and FY1926 (明治45年度 / 大正元年度,
    大正15年度 / 昭和元年度); this rule gives 大正元年度 and 昭和元年度.
    """
    if lang == "en":
        return f"FY{fy}"
    if lang == "ja":
        year_end = date(fy, 12, 31)
        era = era_of(year_end)
        n = era.year_of(year_end)
        return f"{era.name}{'元' if n == 1 else n}年度"
    raise ValueError(f"unsupported language {lang!r}: use 'ja' or 'en'")


def fiscal_year_label_both(fy: int) -> str:
    """令和7年度（2025年度）: the form used in documents read by both kinds of reader."""
    return f"{fiscal_year_label(fy)}（{fy}年度）"
