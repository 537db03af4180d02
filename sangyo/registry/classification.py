"""Who is a 中小企業者 or 小規模企業者 (中小企業基本法 第2条), and how far a founder is from
founding: computed from typed facts (JSIC code, capital, employees, corporate type, date of
establishment), never typed by hand.

The thresholds and the JSIC → 業種区分 mapping are data, `data/sme_rules.yaml`, so staff can
read them with the law's own names and correct them without code.

How a business is judged (`classify`):

* 業種区分 from the JSIC code (`industry_category`): 卸売業 = I 50–55; 小売業 = I 56–61,
  M 76, 77; サービス業 = G 38, 39, 小分類 411, 412, 415, 416, K 693, 70, L, M 75, N except 791,
  O, P, Q, R; everything else 製造業その他.
* 中小企業者 when capital ≤ the limit OR employees ≤ the limit ("以下": the limit itself
  qualifies). 小規模企業者 when employees ≤ the small limit (製造業その他 20, others 5); there
  is no capital test for it. Sole proprietors (corporate_type "sole") have no capital: the
  employee test alone decides.
* 政令 exceptions (ゴム製品製造業 3億円/900人, ソフトウェア業・情報処理サービス業 3億円/300人,
  旅館業 5,000万円/200人) replace the capital and employee limits of their 業種区分; they come
  from the cabinet orders of the individual SME laws and are applied unless
  `apply_seirei_exceptions=False` (中小企業基本法 第2条 alone has only the four rows).
* `small_hospitality_20=True` lets 宿泊業 (M 75) and 娯楽業 (N 80) count as 小規模企業者 up to
  20 employees, as several laws do [3P]; off by default.
* Missing facts: one unknown figure is decided with the other when that suffices (employees
  ≤ the limit ⇒ 中小企業者 whatever the capital), else the size is "unknown" with the reason.
  When capital alone shows a 中小企業者 but employees are unknown, `is_sme` is True while
  `size` stays "unknown" (小規模 or not cannot be told).
* A JSIC code too coarse to pick one row (a 大分類 such as "I", or 19 ゴム製品製造業 whose
  exception excludes some 細分類): every row the code may fall under is tried; if all give the
  same answer it stands (3 employees is 小規模 under any row), otherwise "unknown".
* Employees are 常時使用する従業員: officers and the owner are not counted; the caller passes
  that figure. 国の機関 and 地方公共団体 (corporate types 101, 201) are outside the definition;
  創業予定者 have no business yet: both give "unknown".

Reasons come as Japanese and English twins (`reason_ja`, `reason_en`) so this module needs no
translation machinery.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from sangyo.core.wareki import tokyo_date

from .jsic import JsicCodeError, JsicTable

RULES_PATH = Path(__file__).resolve().parent / "data" / "sme_rules.yaml"

SOLE = "sole"
PRE_FOUNDING = "pre_founding"
# gBizINFO corporate types that are not 会社 or 個人 in the sense of 中小企業基本法.
OUT_OF_SCOPE_TYPES = {
    "101": ("国の機関", "a national government body"),
    "201": ("地方公共団体", "a local government"),
}

SIZES = ("small", "sme", "large", "unknown")
SIZE_LABELS = {
    "small": ("小規模企業者", "Small business"),
    "sme": ("中小企業者", "SME"),
    "large": ("大企業", "Large enterprise"),
    "unknown": ("判定不能", "Undetermined"),
}
UNKNOWN_CATEGORY = "unknown"

_YES, _MAYBE, _NO = "yes", "maybe", "no"


# -- the rules, as data ----------------------------------------------------------------------


@dataclass(frozen=True)
class CategoryRule:
    """One row of the 中小企業基本法 第2条 table (業種区分)."""

    key: str
    name_ja: str
    name_en: str
    law_name_ja: str
    law_name_en: str
    capital_limit_yen: int
    employee_limit: int
    small_employee_limit: int
    jsic: tuple[str, ...] = ()
    jsic_excluded: tuple[str, ...] = ()
    jsic_partial: tuple[str, ...] = ()
    default: bool = False


@dataclass(frozen=True)
class ExceptionRule:
    """A 政令 exception: other capital and employee limits inside one 業種区分."""

    key: str
    name_ja: str
    name_en: str
    law_name_ja: str
    law_name_en: str
    category: str
    capital_limit_yen: int
    employee_limit: int
    jsic: tuple[str, ...] = ()
    jsic_excluded: tuple[str, ...] = ()
    jsic_partial: tuple[str, ...] = ()


@dataclass(frozen=True)
class SmallOverride:
    """Another 小規模企業者 limit for some industries, used only when its option is on."""

    key: str
    option: str
    name_ja: str
    name_en: str
    small_employee_limit: int
    jsic: tuple[str, ...] = ()
    jsic_excluded: tuple[str, ...] = ()
    jsic_partial: tuple[str, ...] = ()


@dataclass(frozen=True)
class SmeRules:
    categories: tuple[CategoryRule, ...]
    exceptions: tuple[ExceptionRule, ...]
    small_overrides: tuple[SmallOverride, ...]
    source_ja: str = ""
    source_en: str = ""

    def category(self, key: str) -> CategoryRule:
        for row in self.categories:
            if row.key == key:
                return row
        raise KeyError(key)

    @property
    def default_category(self) -> CategoryRule:
        return next(row for row in self.categories if row.default)

    def jsic_codes(self) -> set[str]:
        rows: Iterable[Any] = (*self.categories, *self.exceptions, *self.small_overrides)
        return {c for r in rows for c in (*r.jsic, *r.jsic_excluded, *r.jsic_partial)}


def _codes(value: Any, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str | int) for v in value):
        raise ValueError(f'{where}: JSIC コードは文字列のリストで書きます（例: ["50", "51"]）')
    return tuple(str(v) for v in value)


def _limit(row: dict, field: str, where: str) -> int:
    value = row.get(field)
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ValueError(f"{where}: {field} は正の整数です（実際: {value!r}）")
    return value


def parse_sme_rules(doc: dict, *, source: str = "sme_rules.yaml") -> SmeRules:
    """Build and check the rules from the parsed YAML; errors name the row."""
    if not isinstance(doc, dict):
        raise ValueError(f"{source}: 中身が読めません")
    categories = []
    for i, row in enumerate(doc.get("categories") or []):
        where = f"{source} categories[{i}] ({row.get('key', '?')})"
        small = _limit(row, "small_employee_limit", where)
        employees = _limit(row, "employee_limit", where)
        if small > employees:
            raise ValueError(f"{where}: 小規模企業者の上限が中小企業者の上限を超えています")
        categories.append(
            CategoryRule(
                key=str(row["key"]),
                name_ja=str(row["name_ja"]),
                name_en=str(row.get("name_en", row["key"])),
                law_name_ja=str(row.get("law_name_ja", row["name_ja"])),
                law_name_en=str(row.get("law_name_en", row.get("name_en", row["key"]))),
                capital_limit_yen=_limit(row, "capital_limit_yen", where),
                employee_limit=employees,
                small_employee_limit=small,
                jsic=_codes(row.get("jsic"), where),
                jsic_excluded=_codes(row.get("jsic_excluded"), where),
                jsic_partial=_codes(row.get("jsic_partial"), where),
                default=bool(row.get("default", False)),
            )
        )
    keys = [c.key for c in categories]
    if len(set(keys)) != len(keys) or UNKNOWN_CATEGORY in keys:
        raise ValueError(f"{source}: categories の key が重複しているか「unknown」です")
    if sum(c.default for c in categories) != 1:
        raise ValueError(f"{source}: categories のうち default: true はちょうど1つです")
    exceptions = []
    for i, row in enumerate(doc.get("exceptions") or []):
        where = f"{source} exceptions[{i}] ({row.get('key', '?')})"
        if row.get("category") not in keys:
            raise ValueError(
                f"{where}: category「{row.get('category')}」は categories にありません"
            )
        exceptions.append(
            ExceptionRule(
                key=str(row["key"]),
                name_ja=str(row["name_ja"]),
                name_en=str(row.get("name_en", row["key"])),
                law_name_ja=str(row.get("law_name_ja", row["name_ja"])),
                law_name_en=str(row.get("law_name_en", row.get("name_en", row["key"]))),
                category=str(row["category"]),
                capital_limit_yen=_limit(row, "capital_limit_yen", where),
                employee_limit=_limit(row, "employee_limit", where),
                jsic=_codes(row.get("jsic"), where),
                jsic_excluded=_codes(row.get("jsic_excluded"), where),
                jsic_partial=_codes(row.get("jsic_partial"), where),
            )
        )
    overrides = []
    for i, row in enumerate(doc.get("small_overrides") or []):
        where = f"{source} small_overrides[{i}] ({row.get('key', '?')})"
        overrides.append(
            SmallOverride(
                key=str(row["key"]),
                option=str(row["option"]),
                name_ja=str(row["name_ja"]),
                name_en=str(row.get("name_en", row["key"])),
                small_employee_limit=_limit(row, "small_employee_limit", where),
                jsic=_codes(row.get("jsic"), where),
                jsic_excluded=_codes(row.get("jsic_excluded"), where),
                jsic_partial=_codes(row.get("jsic_partial"), where),
            )
        )
    all_keys = keys + [e.key for e in exceptions] + [o.key for o in overrides]
    if len(set(all_keys)) != len(all_keys):
        raise ValueError(f"{source}: key が重複しています")
    return SmeRules(
        categories=tuple(categories),
        exceptions=tuple(exceptions),
        small_overrides=tuple(overrides),
        source_ja=str(doc.get("source_ja", "")),
        source_en=str(doc.get("source_en", "")),
    )


def load_sme_rules(path: str | Path | None = None) -> SmeRules:
    """The rules from YAML; the default file is read once and shared."""
    if path is None:
        return _default_rules()
    path = Path(path)
    return parse_sme_rules(yaml.safe_load(path.read_text(encoding="utf-8")), source=path.name)


@lru_cache(maxsize=1)
def _default_rules() -> SmeRules:
    return parse_sme_rules(
        yaml.safe_load(RULES_PATH.read_text(encoding="utf-8")), source=RULES_PATH.name
    )


def check_rules_against_table(rules: SmeRules, table: JsicTable) -> None:
    """Every JSIC code the rules name must be valid in the table (ValueError otherwise)."""
    for code in sorted(rules.jsic_codes()):
        try:
            if table.validate_code(code) != code:
                raise JsicCodeError(f"「{code}」は正規化すると「{table.validate_code(code)}」です")
        except JsicCodeError as exc:
            raise ValueError(f"sme_rules.yaml の JSIC コード「{code}」: {exc}") from exc


# -- formatting ------------------------------------------------------------------------------


def format_yen_ja(amount: int) -> str:
    """3,000万円, 3億円, 1億5,000万円, 1兆2,000億円, 1,234円."""
    if amount < 0:
        return "−" + format_yen_ja(-amount)
    if amount == 0:
        return "0円"
    parts = []
    for unit, size in (("兆", 10**12), ("億", 10**8), ("万", 10**4), ("", 1)):
        count, amount = divmod(amount, size)
        if count:
            parts.append(f"{count:,}{unit}")
    return "".join(parts) + "円"


def format_yen_en(amount: int) -> str:
    return f"¥{amount:,}"


def format_people_ja(n: int) -> str:
    return f"{n:,}人"


# -- results ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rule:
    """The thresholds applied to one business: a 業種区分 row, possibly with a 政令
    exception and a 小規模 override."""

    category: str
    exception: str | None
    small_override: str | None
    capital_limit_yen: int
    employee_limit: int
    small_employee_limit: int
    name_ja: str
    name_en: str

    @property
    def key(self) -> str:
        """'service', 'ryokan', 'ryokan+hospitality_small_20'."""
        return "+".join(k for k in (self.exception or self.category, self.small_override) if k)


@dataclass(frozen=True)
class Category:
    """業種区分. `key` is a CategoryRule key or "unknown"; `candidates` lists the keys the
    code may still mean (one when known)."""

    key: str
    label_ja: str
    label_en: str
    law_name_ja: str
    reason_ja: str
    reason_en: str
    candidates: tuple[str, ...]

    @property
    def known(self) -> bool:
        return self.key != UNKNOWN_CATEGORY


@dataclass(frozen=True)
class Classification:
    size: str  # "small" (小規模企業者) | "sme" (中小企業者, not 小規模) | "large" | "unknown"
    category: Category
    reason_ja: str
    reason_en: str
    rule: Rule | None  # the row that decided; None when several rows were possible
    is_sme: bool | None  # 中小企業者 including 小規模企業者; None when it cannot be told
    is_small: bool | None  # 小規模企業者; None when it cannot be told
    candidate_rules: tuple[Rule, ...] = ()

    @property
    def rule_key(self) -> str | None:
        return self.rule.key if self.rule else None

    @property
    def size_label_ja(self) -> str:
        return SIZE_LABELS[self.size][0]

    @property
    def size_label_en(self) -> str:
        return SIZE_LABELS[self.size][1]


# -- JSIC → rows -----------------------------------------------------------------------------


def _status(table: JsicTable, code: str, row: Any) -> str:
    """Whether a rule row covers the code wholly (yes), in part (maybe) or not at all."""
    within = table.is_within
    if any(within(code, a) for a in row.jsic):
        if any(within(code, e) for e in row.jsic_excluded):
            return _NO
        if any(within(code, p) for p in row.jsic_partial):
            return _MAYBE
        if any(within(e, code) for e in (*row.jsic_excluded, *row.jsic_partial)):
            return _MAYBE
        return _YES
    if any(within(a, code) for a in row.jsic):
        return _MAYBE
    return _NO


def _make_rule(
    rules: SmeRules, cat: CategoryRule, exc: ExceptionRule | None, ovr: SmallOverride | None
) -> Rule:
    name_ja, name_en = cat.name_ja, cat.name_en
    if exc is not None:
        name_ja, name_en = (
            f"{exc.name_ja}（政令の特例）",
            f"{exc.name_en} (cabinet-order exception)",
        )
    if ovr is not None:
        name_ja, name_en = f"{name_ja}＋{ovr.name_ja}", f"{name_en} + {ovr.name_en}"
    return Rule(
        category=cat.key,
        exception=exc.key if exc else None,
        small_override=ovr.key if ovr else None,
        capital_limit_yen=exc.capital_limit_yen if exc else cat.capital_limit_yen,
        employee_limit=exc.employee_limit if exc else cat.employee_limit,
        small_employee_limit=ovr.small_employee_limit if ovr else cat.small_employee_limit,
        name_ja=name_ja,
        name_en=name_en,
    )


def _resolve(
    table: JsicTable,
    rules: SmeRules,
    code: str,
    exceptions: tuple[ExceptionRule, ...],
    overrides: tuple[SmallOverride, ...],
) -> list[Rule]:
    cats = [c for c in rules.categories if not c.default]
    cat_st = {c.key: _status(table, code, c) for c in cats}
    exc_st = {e.key: _status(table, code, e) for e in exceptions}
    ovr_st = {o.key: _status(table, code, o) for o in overrides}
    if _MAYBE in (*cat_st.values(), *exc_st.values(), *ovr_st.values()):
        kids = table.children(code)
        if kids:
            out: list[Rule] = []
            for kid in kids:
                out += [
                    r
                    for r in _resolve(table, rules, kid.code, exceptions, overrides)
                    if r not in out
                ]
            return out
    # A leaf of the table, or a code every row answers for: take all rows it may fall under.
    chosen = [c for c in cats if cat_st[c.key] == _YES] or [
        *(c for c in cats if cat_st[c.key] == _MAYBE),
        rules.default_category,
    ]
    ovr_yes = [o for o in overrides if ovr_st[o.key] == _YES]
    ovr_opts = ovr_yes or [*(o for o in overrides if ovr_st[o.key] == _MAYBE), None]
    out = []
    for cat in chosen:
        excs = [e for e in exceptions if e.category == cat.key and exc_st[e.key] != _NO]
        exc_opts = [e for e in excs if exc_st[e.key] == _YES] or [*excs, None]
        for exc in exc_opts:
            for ovr in ovr_opts:
                rule = _make_rule(rules, cat, exc, ovr)
                if rule not in out:
                    out.append(rule)
    return out


def candidate_rules(
    jsic_code: str | None,
    table: JsicTable,
    *,
    rules: SmeRules | None = None,
    small_hospitality_20: bool = False,
    apply_seirei_exceptions: bool = True,
) -> tuple[Rule, ...]:
    """Every threshold row a business with this JSIC code may fall under (one when the code
    is precise enough). None means any row. Raises JsicCodeError for an invalid code."""
    code = None if jsic_code is None else table.validate_code(jsic_code)
    return _candidate_rules(
        table, rules or load_sme_rules(), code, small_hospitality_20, apply_seirei_exceptions
    )


@lru_cache(maxsize=4096)
def _candidate_rules(
    table: JsicTable,
    rules: SmeRules,
    code: str | None,
    small_hospitality_20: bool,
    apply_seirei_exceptions: bool,
) -> tuple[Rule, ...]:
    # Cached: bulk imports classify many rows, and a missing code walks the whole table.
    # Tables and rules are immutable once built.
    check_rules_against_table(rules, table)
    exceptions = rules.exceptions if apply_seirei_exceptions else ()
    options = {"small_hospitality_20": small_hospitality_20}
    overrides = tuple(o for o in rules.small_overrides if options.get(o.option, False))
    codes = [e.code for e in table.majors()] if code is None else [code]
    out: list[Rule] = []
    for c in codes:
        out += [r for r in _resolve(table, rules, c, exceptions, overrides) if r not in out]
    order = {c.key: i for i, c in enumerate(rules.categories)}
    return tuple(
        sorted(out, key=lambda r: (order[r.category], r.exception or "", r.small_override or ""))
    )


def _category_from_rules(
    jsic_code: str | None,
    table: JsicTable,
    rules: SmeRules,
    found: tuple[Rule, ...] | None,
    error: str | None = None,
) -> Category:
    all_keys = tuple(c.key for c in rules.categories)
    if error is not None:
        return _unknown_category(
            f"産業分類コードを確認してください: {error}",
            f"Check the industry (JSIC) code {jsic_code!r}: it is not valid.",
            all_keys,
        )
    if jsic_code is None:
        return _unknown_category(
            "産業分類コードが登録されていないため業種区分が決まりません",
            "No industry (JSIC) code is registered, so the industry category is unknown.",
            all_keys,
        )
    assert found is not None
    keys = tuple(k for k in all_keys if any(r.category == k for r in found))
    label_ja, label_en = table.label(jsic_code, "ja"), table.label(jsic_code, "en")
    if len(keys) == 1:
        row = rules.category(keys[0])
        return Category(
            key=row.key,
            label_ja=row.name_ja,
            label_en=row.name_en,
            law_name_ja=row.law_name_ja,
            reason_ja=f"{label_ja} → {row.name_ja}",
            reason_en=f"{label_en} → {row.name_en}",
            candidates=keys,
        )
    names_ja = "・".join(rules.category(k).name_ja for k in keys)
    names_en = ", ".join(rules.category(k).name_en for k in keys)
    return _unknown_category(
        f"{label_ja} はより細かい分類によって{names_ja}に分かれるため業種区分が決まりません",
        f"{label_en} spans several industry categories ({names_en}) depending on the finer"
        " classification, so the category is unknown.",
        keys,
    )


def _unknown_category(reason_ja: str, reason_en: str, candidates: tuple[str, ...]) -> Category:
    return Category(
        key=UNKNOWN_CATEGORY,
        label_ja="不明",
        label_en="Unknown",
        law_name_ja="",
        reason_ja=reason_ja,
        reason_en=reason_en,
        candidates=candidates,
    )


def industry_category(
    jsic_code: str | None, table: JsicTable, *, rules: SmeRules | None = None
) -> Category:
    """業種区分 of a JSIC code per the official mapping (see the module docstring). A code too
    coarse to decide ('I', 'G', 'K', 'M', 'N', '41', '69', '79') gives key "unknown" with the
    possible keys in `candidates`; so do a missing or invalid code."""
    rules = rules or load_sme_rules()
    if not jsic_code:
        return _category_from_rules(None, table, rules, None)
    try:
        code = table.validate_code(jsic_code)
    except JsicCodeError as exc:
        return _category_from_rules(jsic_code, table, rules, None, str(exc))
    return _category_from_rules(code, table, rules, candidate_rules(code, table, rules=rules))


# -- size ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Outcome:
    size: str
    is_sme: bool | None
    is_small: bool | None
    clauses_ja: tuple[str, ...]
    clauses_en: tuple[str, ...]
    note_ja: str = ""
    note_en: str = ""

    @property
    def verdict(self) -> tuple[str, bool | None, bool | None]:
        return self.size, self.is_sme, self.is_small

    @property
    def conclusion_ja(self) -> str:
        if self.size == "unknown":
            return (
                "中小企業者（小規模企業者かどうかは判定できません）"
                if self.is_sme
                else "判定できません"
            )
        return SIZE_LABELS[self.size][0]

    @property
    def conclusion_en(self) -> str:
        if self.size == "unknown":
            return "SME (whether small cannot be told)" if self.is_sme else "undetermined"
        return SIZE_LABELS[self.size][1]

    def text_ja(self, rule: Rule) -> str:
        return f"{rule.name_ja}: {'、'.join(self.clauses_ja)} → {self.conclusion_ja}{self.note_ja}"

    def text_en(self, rule: Rule) -> str:
        return f"{rule.name_en}: {', '.join(self.clauses_en)} → {self.conclusion_en}{self.note_en}"


def _cmp(value: int, limit: int) -> str:
    return "≤" if value <= limit else ">"


def _evaluate(rule: Rule, capital: int | None, employees: int | None, sole: bool) -> _Outcome:
    E, C, S = rule.employee_limit, rule.capital_limit_yen, rule.small_employee_limit
    sole_ja = "（個人事業主のため資本金基準はなし）" if sole else ""
    sole_en = " (sole proprietor: no capital test)" if sole else ""
    cap_ja = cap_en = ""
    if capital is not None and not sole:
        cap_ja = f"資本金 {format_yen_ja(capital)} {_cmp(capital, C)} {format_yen_ja(C)}"
        cap_en = f"capital {format_yen_en(capital)} {_cmp(capital, C)} {format_yen_en(C)}"
    if employees is not None:
        if employees <= S:
            return _Outcome(
                size="small",
                is_sme=True,
                is_small=True,
                clauses_ja=(f"従業員 {format_people_ja(employees)} ≤ {format_people_ja(S)}",),
                clauses_en=(f"employees {employees:,} ≤ {S:,}",),
            )
        if employees <= E:
            return _Outcome(
                size="sme",
                is_sme=True,
                is_small=False,
                clauses_ja=(f"従業員 {format_people_ja(employees)} ≤ {format_people_ja(E)}",),
                clauses_en=(f"employees {employees:,} ≤ {E:,}",),
                note_ja=f"（小規模企業者は{format_people_ja(S)}以下）",
                note_en=f" (small business: at most {S:,})",
            )
        emp_ja = f"従業員 {format_people_ja(employees)} > {format_people_ja(E)}"
        emp_en = f"employees {employees:,} > {E:,}"
        if sole:
            return _Outcome("large", False, False, (emp_ja,), (emp_en,), sole_ja, sole_en)
        if capital is None:
            return _Outcome(
                "unknown", None, False, (emp_ja, "資本金が不明"), (emp_en, "capital unknown")
            )
        if capital <= C:
            return _Outcome("sme", True, False, (emp_ja, cap_ja), (emp_en, cap_en))
        return _Outcome("large", False, False, (emp_ja, cap_ja), (emp_en, cap_en))
    if sole:
        return _Outcome(
            "unknown", None, None, ("従業員数が不明",), ("employees unknown",), sole_ja, sole_en
        )
    if capital is None:
        return _Outcome(
            "unknown",
            None,
            None,
            ("資本金・従業員数ともに不明",),
            ("capital and employees unknown",),
        )
    if capital <= C:
        return _Outcome(
            "unknown", True, None, (cap_ja, "従業員数が不明"), (cap_en, "employees unknown")
        )
    return _Outcome(
        "unknown", None, None, (cap_ja, "従業員数が不明"), (cap_en, "employees unknown")
    )


def _not_applicable(category: Category, ja: str, en: str) -> Classification:
    return Classification("unknown", category, ja, en, None, None, None)


def classify(
    *,
    jsic_code: str | None,
    capital_yen: int | None,
    employees: int | None,
    corporate_type: str | None,
    table: JsicTable,
    rules: SmeRules | None = None,
    small_hospitality_20: bool = False,
    apply_seirei_exceptions: bool = True,
) -> Classification:
    """中小企業者・小規模企業者 classification; see the module docstring for the rules.

    `small_hospitality_20`: count 宿泊業・娯楽業 as 小規模企業者 up to 20 employees (as some
    laws do, [3P]); `apply_seirei_exceptions`: use the 政令 exceptions (default) or only the
    four rows of 中小企業基本法 第2条."""
    for name, value in (("capital_yen", capital_yen), ("employees", employees)):
        if value is not None and (
            isinstance(value, bool) or not isinstance(value, int) or value < 0
        ):
            raise ValueError(f"{name} must be a non-negative integer or None, not {value!r}")
    rules = rules or load_sme_rules()
    jsic_code = jsic_code or None
    error = None
    found: tuple[Rule, ...] = ()
    options = {
        "rules": rules,
        "small_hospitality_20": small_hospitality_20,
        "apply_seirei_exceptions": apply_seirei_exceptions,
    }
    try:
        code = table.validate_code(jsic_code) if jsic_code else None
        found = candidate_rules(code, table, **options)
    except JsicCodeError as exc:
        code, error = jsic_code, str(exc)
        found = candidate_rules(None, table, **options)
    category = _category_from_rules(code, table, rules, found, error)

    if corporate_type == PRE_FOUNDING:
        return _not_applicable(
            category,
            "創業予定者のため規模区分は判定しません（創業後に資本金・従業員数で判定します）",
            "Not yet founded: the size is judged once the business exists.",
        )
    if corporate_type in OUT_OF_SCOPE_TYPES:
        ja, en = OUT_OF_SCOPE_TYPES[corporate_type]
        return _not_applicable(
            category,
            f"{ja}は中小企業基本法の中小企業者の判定の対象外です",
            f"As {en}, it is outside the SME Basic Act definition.",
        )

    sole = corporate_type == SOLE
    outcomes = [(r, _evaluate(r, capital_yen, employees, sole)) for r in found]
    if len(outcomes) == 1:
        rule, o = outcomes[0]
        return Classification(
            o.size, category, o.text_ja(rule), o.text_en(rule), rule, o.is_sme, o.is_small, found
        )

    # Several rows possible: decide only where they agree.
    if not category.known:
        why_ja, why_en = category.reason_ja, category.reason_en.rstrip(".")
    else:
        names_ja = "／".join(r.name_ja for r, _ in outcomes)
        names_en = " / ".join(r.name_en for r, _ in outcomes)
        why_ja = f"{table.label(code or '', 'ja')} はより細かい分類によって基準が異なります（{names_ja}）"
        why_en = f"{table.label(code or '', 'en')}: the limits depend on the finer classification ({names_en})"
    verdicts = {o.verdict for _, o in outcomes}
    size = next(iter(verdicts))[0] if len({v[0] for v in verdicts}) == 1 else "unknown"
    is_sme = _agreed(o.is_sme for _, o in outcomes)
    is_small = _agreed(o.is_small for _, o in outcomes)
    if len(verdicts) == 1:
        o = outcomes[0][1]
        clauses_ja = _unique("、".join(o.clauses_ja) for _, o in outcomes)
        clauses_en = _unique(", ".join(o.clauses_en) for _, o in outcomes)
        reason_ja = f"{why_ja}。いずれの基準でも{o.conclusion_ja}（{'／'.join(clauses_ja)}）"
        reason_en = (
            f"{why_en}. Under every possible row: {o.conclusion_en} ({' / '.join(clauses_en)})"
        )
    else:
        groups: dict[str, list[Rule]] = {}
        for r, o in outcomes:
            groups.setdefault(o.conclusion_ja, []).append(r)
        groups_en: dict[str, list[Rule]] = {}
        for r, o in outcomes:
            groups_en.setdefault(o.conclusion_en, []).append(r)
        each_ja = "；".join(f"{'・'.join(r.name_ja for r in rs)} → {c}" for c, rs in groups.items())
        each_en = "; ".join(
            f"{', '.join(r.name_en for r in rs)} → {c}" for c, rs in groups_en.items()
        )
        if error:
            ask_ja, ask_en = "正しい産業分類コードを登録してください", "register a valid JSIC code"
        elif code:
            ask_ja, ask_en = (
                "より細かい産業分類コードを登録してください",
                "register a finer JSIC code",
            )
        else:
            ask_ja, ask_en = "産業分類コードを登録してください", "register a JSIC code"
        head_ja = (
            "中小企業者ですが、小規模企業者かどうかは基準によって異なります"
            if is_sme
            else "基準によって結果が異なるため判定できません"
        )
        head_en = (
            "an SME, but whether small depends on the row"
            if is_sme
            else "the rows disagree, so it cannot be decided"
        )
        reason_ja = f"{why_ja}。{head_ja}（{each_ja}）。{ask_ja}"
        reason_en = f"{why_en}; {head_en} ({each_en}); {ask_en}."
    return Classification(size, category, reason_ja, reason_en, None, is_sme, is_small, found)


def _agreed(values: Iterable[bool | None]) -> bool | None:
    distinct = set(values)
    return distinct.pop() if len(distinct) == 1 else None


def _unique(items: Iterable[str]) -> list[str]:
    out: list[str] = []
    for item in items:
        if item not in out:
            out.append(item)
    return out


# -- founder stage ---------------------------------------------------------------------------

STAGE_LABELS = {
    "pre_founding": ("創業予定者", "Planning to found"),
    "young": ("創業5年未満", "In business for under 5 years"),
    "established": ("創業5年以上", "In business for 5 years or more"),
    "unknown": ("不明", "Unknown"),
}


@dataclass(frozen=True)
class Stage:
    key: str  # "pre_founding" | "young" | "established" | "unknown"
    reason_ja: str
    reason_en: str
    young_until: date | None = None  # the last day counted as "young"

    @property
    def label_ja(self) -> str:
        return STAGE_LABELS[self.key][0]

    @property
    def label_en(self) -> str:
        return STAGE_LABELS[self.key][1]


def years_completed_on(established: date, years: int) -> date:
    """The first day on which `years` full years since `established` have passed.

    The day of establishment counts as the first day (a company exists from the start of its
    registration date), so by 民法 第143条 the period ends the day before the same date
    `years` later, and this function returns that same date: 2020-04-01 → 2025-04-01. When
    that date does not exist (established 29 February, target year not a leap year) the
    period ends on the last day of February (民法 第143条第2項), so the answer is 1 March.
    """
    try:
        return established.replace(year=established.year + years)
    except ValueError:  # 29 February in a common year
        return date(established.year + years, 3, 1)


def _date_ja(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def founder_stage(
    *,
    corporate_type: str | None,
    date_of_establishment: date | None,
    on: date | datetime,
    years: int = 5,
) -> Stage:
    """Where a business stands for founder support (特定創業支援等事業: 創業予定者 or 創業後
    5年未満).

    * corporate_type "pre_founding" → "pre_founding", whatever the date;
    * no date → "unknown";
    * a date after `on` → "pre_founding" (not founded yet on that day);
    * "young" while on < years_completed_on(date, 5), i.e. up to and including the day before
      the fifth anniversary (established 2020-04-01: young until 2025-03-31, established from
      2025-04-01; established 2020-02-29: young until 2025-02-28, established from
      2025-03-01); "established" from then on.
    Aware datetimes are taken in Japanese time.
    """
    on = tokyo_date(on)
    if corporate_type == PRE_FOUNDING:
        return Stage(
            "pre_founding", "創業予定者として登録されています", "Registered as planning to found."
        )
    if date_of_establishment is None:
        return Stage(
            "unknown", "設立・創業日が登録されていません", "No date of establishment is registered."
        )
    established = tokyo_date(date_of_establishment)
    if established > on:
        return Stage(
            "pre_founding",
            f"設立・創業日 {_date_ja(established)}が基準日 {_date_ja(on)}より後です",
            f"The date of establishment {established} is after {on}.",
        )
    mark = years_completed_on(established, years)
    last_young = date.fromordinal(mark.toordinal() - 1)
    if on < mark:
        return Stage(
            "young",
            f"設立・創業日 {_date_ja(established)}から{years}年未満（{_date_ja(last_young)}まで）",
            f"Established {established}: under {years} years until {last_young}.",
            last_young,
        )
    return Stage(
        "established",
        f"設立・創業日 {_date_ja(established)}から{years}年以上（{_date_ja(mark)}に{years}年経過）",
        f"Established {established}: {years} years completed on {mark}.",
        last_young,
    )
