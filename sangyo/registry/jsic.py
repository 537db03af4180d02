"""日本標準産業分類 (JSIC, Japan Standard Industrial Classification) as data.

The codes and names live in `data/jsic_r14.csv`, which staff can correct without touching
code (its header comment says which entries are uncertain). Four levels:

    major  大分類  one letter A–T          E    製造業
    middle 中分類  two digits 01–99         09   食料品製造業
    minor  小分類  three digits             091  (only those the SME rules need are listed)
    detail 細分類  four digits              0911

A 3- or 4-digit code is accepted when its branch is not enumerated in the file (the file lists
the 小分類 of only a few 中分類); where the file lists the children of a code, that list is
taken as complete and other codes under it are refused.

Input is normalised before use (full-width digits and letters, lower case, spaces, "E-09" or
"E09" written with the 大分類 letter). Validation errors are Japanese sentences naming the
problem, since they are shown to the person who typed the code.

Nothing here imports Django.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DEFAULT_PATH = Path(__file__).resolve().parent / "data" / "jsic_r14.csv"
COLUMNS = ("revision", "level", "code", "parent", "name_ja", "name_en")
LEVELS = ("major", "middle", "minor", "detail")
LEVEL_NAMES_JA = {"major": "大分類", "middle": "中分類", "minor": "小分類", "detail": "細分類"}
LEVEL_NAMES_EN = {
    "major": "division",
    "middle": "major group",
    "minor": "group",
    "detail": "industry",
}
_DIGIT_LEVELS = {2: "middle", 3: "minor", 4: "detail"}
_SEPARATORS = re.compile(r"[\s\-‐‑‒–—―−ー._/]+")
_SHAPE = re.compile(r"([A-Z]?)([0-9]*)")


class JsicCodeError(ValueError):
    """An invalid or unknown JSIC code; the message is Japanese, for users."""


@dataclass(frozen=True)
class JsicEntry:
    revision: str
    level: str
    code: str
    parent: str | None
    name_ja: str
    name_en: str

    def label(self, lang: str = "ja") -> str:
        """「E 製造業」, 「09 食料品製造業」; English: "E Manufacturing"."""
        return f"{self.code} {self.name_en if lang == 'en' else self.name_ja}"


def _shape_level(code: str) -> str | None:
    """Level implied by the code's form alone, or None for a malformed code."""
    if len(code) == 1 and "A" <= code <= "Z":
        return "major"
    if code.isascii() and code.isdigit():
        return _DIGIT_LEVELS.get(len(code))
    return None


class JsicTable:
    """One revision of JSIC. Codes passed to the methods may be raw user input: they are
    validated (and normalised) first, and JsicCodeError is raised for bad ones, except by
    `get`, which answers None."""

    def __init__(self, entries: Iterable[JsicEntry], *, source: str = "JSIC") -> None:
        self.source = source
        self._by_code: dict[str, JsicEntry] = {}
        self._children: dict[str, list[JsicEntry]] = {}
        for entry in entries:
            if entry.code in self._by_code:
                raise ValueError(f"{source}: コード「{entry.code}」が重複しています")
            self._by_code[entry.code] = entry
        for entry in self._by_code.values():
            self._check_entry(entry)
            if entry.parent:
                self._children.setdefault(entry.parent, []).append(entry)
        for kids in self._children.values():
            kids.sort(key=lambda e: e.code)
        revisions = {e.revision for e in self._by_code.values()}
        self.revision = revisions.pop() if len(revisions) == 1 else ""

    def _check_entry(self, e: JsicEntry) -> None:
        where = f"{self.source}: コード「{e.code}」"
        if e.level not in LEVELS:
            raise ValueError(f"{where}の level「{e.level}」は {', '.join(LEVELS)} のいずれかです")
        if _shape_level(e.code) != e.level:
            raise ValueError(f"{where}の形が level「{e.level}」と合いません")
        if not e.name_ja:
            raise ValueError(f"{where}に name_ja がありません")
        if e.level == "major":
            if e.parent:
                raise ValueError(f"{where}は大分類なので parent は空にします")
            return
        expected_parent_level = LEVELS[LEVELS.index(e.level) - 1]
        parent = self._by_code.get(e.parent or "")
        if parent is None or parent.level != expected_parent_level:
            raise ValueError(
                f"{where}の parent「{e.parent or ''}」が"
                f"{LEVEL_NAMES_JA[expected_parent_level]}として登録されていません"
            )
        if e.level != "middle" and not e.code.startswith(parent.code):
            raise ValueError(f"{where}は parent「{parent.code}」で始まる必要があります")

    # -- collection protocol ---------------------------------------------------------------

    def __len__(self) -> int:
        return len(self._by_code)

    def __iter__(self) -> Iterator[JsicEntry]:
        return iter(self._by_code.values())

    def __contains__(self, code: object) -> bool:
        return isinstance(code, str) and self.get(code) is not None

    def entries(self, level: str | None = None) -> list[JsicEntry]:
        return [e for e in self._by_code.values() if level is None or e.level == level]

    def majors(self) -> list[JsicEntry]:
        return self.entries("major")

    # -- validation ------------------------------------------------------------------------

    def validate_code(self, code: str) -> str:
        """The normalised code ('０９' → '09', 'e' → 'E', 'E-09' → '09'), or JsicCodeError."""
        if code is None or not str(code).strip():
            raise JsicCodeError("産業分類コードが入力されていません")
        raw = str(code).strip()
        s = _SEPARATORS.sub("", unicodedata.normalize("NFKC", raw)).upper()
        m = _SHAPE.fullmatch(s)
        if not m or not s:
            bad = next((c for c in s if not (c.isascii() and c.isalnum())), None)
            if bad is not None:
                raise JsicCodeError(
                    f"産業分類コード「{raw}」に使えない文字「{bad}」が含まれています"
                )
            raise JsicCodeError(
                f"産業分類コード「{raw}」の形が正しくありません。"
                "大分類は英字1文字（A〜T）、中分類は2桁、小分類は3桁、細分類は4桁の数字です"
                "（例: E、09、091、0911）"
            )
        letter, digits = m.groups()
        if not digits:
            if letter not in self._by_code:
                first, last = self.majors()[0].code, self.majors()[-1].code
                raise JsicCodeError(
                    f"大分類「{letter}」はありません（{first}〜{last}のいずれかです）"
                )
            return letter
        if len(digits) not in _DIGIT_LEVELS:
            hint = "。1桁の番号は先頭に0を付けてください（例: 09）" if len(digits) == 1 else ""
            raise JsicCodeError(
                f"産業分類コード「{raw}」の桁数が正しくありません（{len(digits)}桁）。"
                f"中分類は2桁、小分類は3桁、細分類は4桁の数字、大分類は英字1文字です{hint}"
            )
        middle = self._by_code.get(digits[:2])
        if middle is None or middle.level != "middle":
            raise JsicCodeError(
                f"中分類「{digits[:2]}」は日本標準産業分類（第{self.revision}回改定）にありません"
            )
        if letter and letter != middle.parent:
            major = self._by_code[middle.parent or ""]
            raise JsicCodeError(
                f"大分類「{letter}」と中分類「{digits[:2]}」が合いません"
                f"（{middle.label()} は {major.label()} に属します）"
            )
        for length in range(3, len(digits) + 1):
            code_here, parent_code = digits[:length], digits[: length - 1]
            if code_here in self._by_code:
                continue
            siblings = self._children.get(parent_code)
            if siblings:
                level = LEVEL_NAMES_JA[_DIGIT_LEVELS[length]]
                listed = "、".join(e.code for e in siblings)
                typed = f"（入力「{raw}」）" if code_here != digits else ""
                raise JsicCodeError(
                    f"{level}「{code_here}」{typed}は日本標準産業分類（第{self.revision}回改定）に"
                    f"ありません（{self._by_code[parent_code].label()} の{level}は {listed}）"
                )
            break  # the table does not enumerate this branch: accept unchecked
        return digits

    # -- look-ups --------------------------------------------------------------------------

    def get(self, code: str) -> JsicEntry | None:
        """The entry for a code listed in the table, else None (also for invalid input)."""
        try:
            return self._by_code.get(self.validate_code(code))
        except JsicCodeError:
            return None

    def level_of(self, code: str) -> str:
        """'major' | 'middle' | 'minor' | 'detail'."""
        c = self.validate_code(code)
        return _DIGIT_LEVELS[len(c)] if c.isdigit() else "major"

    def major_of(self, code: str) -> str:
        """'0911' → 'E', '41' → 'G', 'G' → 'G'."""
        c = self.validate_code(code)
        return c if not c.isdigit() else self._by_code[c[:2]].parent or ""

    def middle_of(self, code: str) -> str | None:
        """'0911' → '09'; None for a 大分類."""
        c = self.validate_code(code)
        return c[:2] if c.isdigit() else None

    def ancestors(self, code: str) -> tuple[str, ...]:
        """Codes containing this one, outermost first: '0911' → ('E', '09', '091')."""
        c = self.validate_code(code)
        if not c.isdigit():
            return ()
        return (self.major_of(c), *(c[:k] for k in range(2, len(c))))

    def is_within(self, code: str, container: str) -> bool:
        """True when `code` is `container` or lies below it ('0911' is within 'E' and '09')."""
        c, a = self.validate_code(code), self.validate_code(container)
        return c == a or a in self.ancestors(c)

    def children(self, code: str) -> list[JsicEntry]:
        """The entries listed directly below a code (empty where the table goes no deeper)."""
        return list(self._children.get(self.validate_code(code), ()))

    def nearest_entry(self, code: str) -> JsicEntry:
        """The code's own entry, or its closest listed ancestor ('0911' → 09)."""
        c = self.validate_code(code)
        for k in (c, *reversed(self.ancestors(c))):
            if k in self._by_code:
                return self._by_code[k]
        raise JsicCodeError(f"産業分類コード「{code}」は表にありません")  # unreachable

    def label(self, code: str, lang: str = "ja") -> str:
        """「09 食料品製造業」; a code below the listed depth is named through its nearest
        listed ancestor: 「0911（09 食料品製造業の細分類）」."""
        c = self.validate_code(code)
        entry = self._by_code.get(c)
        if entry is not None:
            return entry.label(lang)
        near = self.nearest_entry(c)
        level = _DIGIT_LEVELS[len(c)]
        if lang == "en":
            return f"{c} ({LEVEL_NAMES_EN[level]} in {near.label('en')})"
        return f"{c}（{near.label('ja')}の{LEVEL_NAMES_JA[level]}）"


def read_jsic_csv(path: str | Path) -> list[JsicEntry]:
    """Rows of a JSIC CSV; lines starting with # are comments. Errors name the line."""
    path = Path(path)
    entries: list[JsicEntry] = []
    with path.open(encoding="utf-8-sig", newline="") as f:
        numbered = [(n, line) for n, line in enumerate(f, start=1) if not line.startswith("#")]
    rows = csv.reader(line for _, line in numbered)
    header = next(rows, None)
    if header is None or tuple(h.strip() for h in header) != COLUMNS:
        raise ValueError(f"{path.name}: 見出し行は {','.join(COLUMNS)} です（実際: {header}）")
    for row in rows:
        lineno = numbered[rows.line_num - 1][0]
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(COLUMNS):
            raise ValueError(f"{path.name} {lineno}行目: 列の数が{len(COLUMNS)}ではありません")
        revision, level, code, parent, name_ja, name_en = (cell.strip() for cell in row)
        entries.append(JsicEntry(revision, level, code, parent or None, name_ja, name_en))
    return entries


def load_jsic(path: str | Path | None = None) -> JsicTable:
    """The JSIC table from a CSV; the default (rev. 14) table is read once and shared."""
    if path is None:
        return _default_table()
    path = Path(path)
    return JsicTable(read_jsic_csv(path), source=path.name)


@lru_cache(maxsize=1)
def _default_table() -> JsicTable:
    return JsicTable(read_jsic_csv(DEFAULT_PATH), source=DEFAULT_PATH.name)


def validate_code(code: str, table: JsicTable | None = None) -> str:
    """Normalise and check a JSIC code against `table` (default: rev. 14); raises
    JsicCodeError (a ValueError) with a Japanese message."""
    return (table or load_jsic()).validate_code(code)
