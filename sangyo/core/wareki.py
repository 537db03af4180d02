"""Japanese era dates (和暦): conversion, parsing and formatting.

Rules (see shared/reference/japan-rules.md, "Fiscal year and eras"):

* The first year of an era is written 元年.
* A date on an era's first day belongs to the new era. For 大正 and 昭和 the change took
  effect on the day the emperor died, so that day also bears the old name: 明治45年7月30日 and
  大正15年12月25日 are accepted on input, but output always uses the new era.
* Japan adopted the Gregorian calendar on 1873-01-01 (明治6年1月1日). Earlier Japanese dates
  are lunisolar and cannot be converted by arithmetic, so every era conversion refuses them.
  Plain 西暦 input before 1873 is already Gregorian, so `parse_date` accepts it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

JST = ZoneInfo("Asia/Tokyo")
GREGORIAN_START = date(1873, 1, 1)


class WarekiError(ValueError):
    """A date that cannot exist or cannot be converted; the message is Japanese, for users."""


@dataclass(frozen=True)
class Era:
    name: str
    romaji: str
    letter: str
    start: date
    end: date | None  # last day on which the name is valid; None for the current era

    def year_of(self, d: date) -> int:
        return d.year - self.start.year + 1

    def __str__(self) -> str:
        return self.name


# (name, romaji, letter, first day, first day also belongs to the previous era)
_ERA_DATA = (
    ("明治", "Meiji", "M", date(1868, 10, 23), False),
    ("大正", "Taisho", "T", date(1912, 7, 30), True),
    ("昭和", "Showa", "S", date(1926, 12, 25), True),
    ("平成", "Heisei", "H", date(1989, 1, 8), False),
    ("令和", "Reiwa", "R", date(2019, 5, 1), False),
)


def _build_eras() -> tuple[Era, ...]:
    eras = []
    for i, (name, romaji, letter, start, _) in enumerate(_ERA_DATA):
        end = None
        if i + 1 < len(_ERA_DATA):
            next_start, shared = _ERA_DATA[i + 1][3], _ERA_DATA[i + 1][4]
            end = next_start if shared else next_start - timedelta(days=1)
        eras.append(Era(name, romaji, letter, start, end))
    return tuple(eras)


ERAS: tuple[Era, ...] = _build_eras()

_ERA_KEYS: dict[str, Era] = {}
for _era in ERAS:
    for _key in (_era.name, _era.name[0], _era.letter, _era.romaji):
        _ERA_KEYS[_key.casefold()] = _era


@dataclass(frozen=True)
class Wareki:
    era: Era
    year: int
    month: int
    day: int

    @property
    def year_label(self) -> str:
        """令和元年, 令和7年."""
        return f"{self.era.name}{_year_text(self.year)}年"

    def to_date(self) -> date:
        return from_wareki(self.era, self.year, self.month, self.day)

    def __str__(self) -> str:
        return f"{self.year_label}{self.month}月{self.day}日"


def _year_text(year: int) -> str:
    return "元" if year == 1 else str(year)


def _in_era(era: Era, d: date) -> str:
    """31年4月30日: the date inside its era, without the era name (for 「平成は…まで」)."""
    return f"{_year_text(era.year_of(d))}年{d.month}月{d.day}日"


def tokyo_date(value: date | datetime) -> date:
    """The calendar date in Japan: aware datetimes are converted to Asia/Tokyo first;
    naive datetimes are taken to be Japanese local time already."""
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(JST)
        return value.date()
    return value


def get_era(key: str | Era) -> Era:
    """Look an era up by name (令和), one-kanji abbreviation (令), letter (R) or romaji (Reiwa)."""
    if isinstance(key, Era):
        return key
    era = _ERA_KEYS.get(unicodedata.normalize("NFKC", key).strip().casefold())
    if era is None:
        names = "・".join(e.name for e in ERAS)
        raise WarekiError(f"元号「{key}」は扱えません（{names}のいずれかを指定してください）")
    return era


def era_of(d: date | datetime) -> Era:
    d = tokyo_date(d)
    if d < GREGORIAN_START:
        raise WarekiError(
            f"{d.year}年{d.month}月{d.day}日は1873年（明治6年）1月1日の改暦より前のため、"
            "和暦に変換できません"
        )
    return next(e for e in reversed(ERAS) if e.start <= d)


def to_wareki(d: date | datetime) -> Wareki:
    d = tokyo_date(d)
    era = era_of(d)
    return Wareki(era, era.year_of(d), d.month, d.day)


def from_wareki(era: str | Era, year: int, month: int, day: int) -> date:
    era = get_era(era)
    if year < 1:
        raise WarekiError(f"{era.name}{year}年は存在しません（元年＝1年から数えます）")
    if era.end is not None and year > era.year_of(era.end):
        raise WarekiError(
            f"{era.name}{year}年は存在しません（{era.name}は{_in_era(era, era.end)}まで）"
        )
    label = f"{era.name}{_year_text(year)}年{month}月{day}日"
    try:
        d = date(era.start.year + year - 1, month, day)
    except ValueError:
        raise WarekiError(f"{label}は存在しない日付です") from None
    if d < GREGORIAN_START:
        raise WarekiError(
            f"{label}は改暦（明治6年1月1日＝1873年1月1日）より前の旧暦の日付のため扱えません"
        )
    if d < era.start:
        raise WarekiError(f"{label}は存在しません（{era.name}は{_in_era(era, era.start)}から）")
    if era.end is not None and d > era.end:
        raise WarekiError(f"{label}は存在しません（{era.name}は{_in_era(era, era.end)}まで）")
    return d


def format_wareki(d: date | datetime, style: str = "long") -> str:
    """long → 令和7年4月1日 (元年 for the first year); short → R7.4.1."""
    w = to_wareki(d)
    if style == "long":
        return str(w)
    if style == "short":
        return f"{w.era.letter}{w.year}.{w.month}.{w.day}"
    raise ValueError(f"unknown style {style!r}: use 'long' or 'short'")


def format_date_ja(d: date | datetime, with_wareki: bool = True) -> str:
    """2025年4月1日（令和7年4月1日）. Dates before 1873 have no computable 和暦, so they are
    shown in 西暦 only rather than making a page fail to render."""
    d = tokyo_date(d)
    text = f"{d.year}年{d.month}月{d.day}日"
    if with_wareki and d >= GREGORIAN_START:
        text += f"（{format_wareki(d)}）"
    return text


_ERA_TOKEN = "|".join([e.name for e in ERAS] + [e.name[0] for e in ERAS] + [e.letter for e in ERAS])
_DATE_TAIL = (
    r"(?:年(?P<m1>\d{1,2})月(?P<d1>\d{1,2})日?"
    r"|(?P<sep>[./-])(?P<m2>\d{1,2})(?P=sep)(?P<d2>\d{1,2}))"
)
_WEEKDAY = r"(?:\([月火水木金土日]\))?"
_WAREKI_RE = re.compile(
    rf"(?P<era>{_ERA_TOKEN})(?P<year>元|\d{{1,3}}){_DATE_TAIL}{_WEEKDAY}", re.IGNORECASE
)
_SEIREKI_RE = re.compile(rf"(?P<year>\d{{4}}){_DATE_TAIL}{_WEEKDAY}")
_COMPACT_RE = re.compile(r"(\d{4})(\d{2})(\d{2})")
_DASHES = re.compile("[‐‑‒–—―−ー]")


def parse_date(text: str) -> date:
    """Read a date typed by a person or found in a file.

    西暦: 2025-04-01, 2025/4/1, 2025.4.1, 2025年4月1日, 20250401.
    和暦: 令和7年4月1日, 令和元年5月1日, 令7.4.1, R7.4.1, H31.4.30, ㋿7年4月1日.
    Full-width characters, spaces and a trailing weekday such as （火） are tolerated.
    """
    raw = text
    text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))
    # An IME in Japanese mode turns "-" into ー or a dash look-alike.
    text = _DASHES.sub("-", text)
    if not text:
        raise WarekiError("日付が入力されていません")
    if m := _WAREKI_RE.fullmatch(text):
        year = 1 if m["year"] == "元" else int(m["year"])
        return from_wareki(m["era"], year, *_month_day(m))
    if m := _SEIREKI_RE.fullmatch(text):
        return _seireki(int(m["year"]), *_month_day(m))
    if m := _COMPACT_RE.fullmatch(text):
        return _seireki(*(int(g) for g in m.groups()))
    raise WarekiError(
        f"「{raw}」は日付として読み取れません"
        "（例：2025-04-01、2025年4月1日、令和7年4月1日、R7.4.1）"
    )


def _month_day(m: re.Match[str]) -> tuple[int, int]:
    return int(m["m1"] or m["m2"]), int(m["d1"] or m["d2"])


def _seireki(year: int, month: int, day: int) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise WarekiError(f"{year}年{month}月{day}日は存在しない日付です") from None
