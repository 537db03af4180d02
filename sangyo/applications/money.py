"""The subsidy amount: eligible costs × rate, capped, then rounded by the program's rule.

Integer yen throughout (no floats): the rate is a fraction and the product is floored, so the
city never pays a fraction of a yen more than the rule allows. The working is returned with
the amount so the applicant and the officer see the same calculation.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Rule:
    rate_numerator: int | None
    rate_denominator: int | None
    cap_yen: int | None
    rounding_unit: int = 1
    confirmed: bool = True


@dataclass(frozen=True)
class Calculation:
    eligible_total: int
    amount: int | None
    steps_ja: tuple[str, ...]
    steps_en: tuple[str, ...]


def _yen(n: int) -> str:
    return f"{n:,}円"


def calculate(
    rule: Rule,
    costs: list[int],
    *,
    types: list[str] | None = None,
    type_caps: dict[str, tuple[int, str, str]] | None = None,
) -> Calculation:
    """`type_caps` limits the SUM of each cost type ({code: (max_yen, ja, en)}): two lines
    of the same type share one limit."""
    if any(c < 0 for c in costs):
        raise ValueError("経費に負の金額は入力できません")
    ja: list[str] = []
    en: list[str] = []
    if types is not None and type_caps:
        sums: dict[str, int] = {}
        for kind, amount in zip(types, costs, strict=True):
            sums[kind] = sums.get(kind, 0) + amount
        costs = []
        for kind, amount in sums.items():
            if kind in type_caps and amount > type_caps[kind][0]:
                limit, label_ja, label_en = type_caps[kind]
                ja.append(f"{label_ja} {_yen(amount)} → 上限 {_yen(limit)}")
                en.append(f"{label_en} {amount:,} yen → limit {limit:,} yen")
                amount = limit
            costs.append(amount)
    total = sum(costs)
    ja.append(f"対象経費の合計 {_yen(total)}")
    en.append(f"Eligible costs total {total:,} yen")
    if not rule.rate_numerator or not rule.rate_denominator:
        ja.append("補助率が未確定のため、金額は計算できません（要確認）")
        en.append("The subsidy rate is not confirmed, so no amount can be computed")
        return Calculation(total, None, tuple(ja), tuple(en))
    raw = total * rule.rate_numerator // rule.rate_denominator
    ja.append(
        f"× 補助率 {rule.rate_numerator}/{rule.rate_denominator} = {_yen(raw)}（1円未満切り捨て）"
    )
    en.append(
        f"× rate {rule.rate_numerator}/{rule.rate_denominator} = {raw:,} yen (fractions dropped)"
    )
    amount = raw
    if rule.cap_yen is not None and amount > rule.cap_yen:
        amount = rule.cap_yen
        ja.append(f"上限額 {_yen(rule.cap_yen)} を適用 → {_yen(amount)}")
        en.append(f"Capped at {rule.cap_yen:,} yen → {amount:,} yen")
    if rule.rounding_unit > 1:
        rounded = amount // rule.rounding_unit * rule.rounding_unit
        if rounded != amount:
            ja.append(f"{_yen(rule.rounding_unit)}未満を切り捨て → {_yen(rounded)}")
            en.append(f"Amounts under {rule.rounding_unit:,} yen dropped → {rounded:,} yen")
        amount = rounded
    if not rule.confirmed:
        ja.append("※補助率・上限額は市の確認待ちです（要確認）")
        en.append("Note: the rate and cap await the city's confirmation")
    return Calculation(total, amount, tuple(ja), tuple(en))
