"""Eligibility rules as data, explained.

A program lists rules by code (`[{"rule": "in_city"}, {"rule": "sme"}]`); each rule answers
pass, fail or unknown with a reason in plain words, for the applicant and for staff alike.
"Unknown" means the registry or the form does not yet say; it blocks submission only when
the rule is marked `"required_known": true`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

PASS, FAIL, UNKNOWN = "pass", "fail", "unknown"


@dataclass(frozen=True)
class RuleResult:
    code: str
    status: str
    label_ja: str
    label_en: str
    reason_ja: str
    reason_en: str


@dataclass(frozen=True)
class Context:
    """What rules may look at: the business, the call, the form answers so far."""

    business: Any
    call: Any
    answers: dict
    application: Any = None


@dataclass(frozen=True)
class Rule:
    code: str
    label_ja: str
    label_en: str
    check: Callable[[Context, dict], tuple[str, str, str]]


_RULES: dict[str, Rule] = {}


def register_rule(rule: Rule) -> Rule:
    _RULES[rule.code] = rule
    return rule


def rules() -> list[Rule]:
    return list(_RULES.values())


def evaluate(rule_specs: list[dict], ctx: Context) -> list[RuleResult]:
    out = []
    for spec in rule_specs:
        rule = _RULES.get(spec.get("rule", ""))
        if rule is None:
            out.append(
                RuleResult(
                    spec.get("rule", "?"),
                    UNKNOWN,
                    spec.get("rule", "?"),
                    spec.get("rule", "?"),
                    "この要件は定義されていません（職員にお問い合わせください）",
                    "This rule is not defined (please contact the office)",
                )
            )
            continue
        status, ja, en = rule.check(ctx, spec)
        out.append(RuleResult(rule.code, status, rule.label_ja, rule.label_en, ja, en))
    return out


def blocking(results: list[RuleResult], rule_specs: list[dict]) -> list[RuleResult]:
    """Results that prevent submission: failures, and unknowns of rules that must be known."""
    must_know = {s.get("rule") for s in rule_specs if s.get("required_known")}
    return [r for r in results if r.status == FAIL or (r.status == UNKNOWN and r.code in must_know)]


# --- the rules -------------------------------------------------------------------------


def _in_city(ctx: Context, spec: dict):
    b = ctx.business
    if b.in_city:
        return (
            PASS,
            f"市内の事業者です（{b.location or '所在地未登録'}）",
            "The business is in the city",
        )
    return (
        FAIL,
        f"市外の事業者です（{b.location or '所在地未登録'}）",
        "The business is outside the city",
    )


def _sme(ctx: Context, spec: dict):
    b = ctx.business
    if b.size_class in ("sme", "small"):
        return PASS, f"中小企業者です（{b.size_reason}）", f"SME ({b.size_reason})"
    if b.size_class == "large":
        return FAIL, f"中小企業者ではありません（{b.size_reason}）", f"Not an SME ({b.size_reason})"
    return (
        UNKNOWN,
        f"規模を判定できません（{b.size_reason or '資本金・従業員数が未登録'}）",
        "Size cannot be determined yet",
    )


def _holds_founder_certificate(ctx: Context, spec: dict):
    cert = ctx.business.founder_certificates.order_by("issued_on").first()
    if cert:
        return (
            PASS,
            f"特定創業支援等事業の証明書（{cert.number}）を受けています",
            f"Holds founder certificate {cert.number}",
        )
    return (
        FAIL,
        "特定創業支援等事業の証明書を受けていません",
        "Does not hold a founder support certificate",
    )


def _not_received_this_fy(ctx: Context, spec: dict):
    from .models import Application

    done = {"adopted", "grant_decided", "reported", "amount_fixed", "paid", "closed"}
    others = Application.objects.filter(
        business=ctx.business,
        call__program=ctx.call.program,
        call__fiscal_year=ctx.call.fiscal_year,
        status__in=done,
    )
    if ctx.application is not None:
        others = others.exclude(pk=ctx.application.pk)
    if others.exists():
        return (
            FAIL,
            f"{ctx.call.fiscal_year}年度にこの制度の交付を既に受けています",
            "Already received this subsidy this fiscal year",
        )
    return (
        PASS,
        f"{ctx.call.fiscal_year}年度にこの制度をまだ受けていません",
        "Not yet received this fiscal year",
    )


def _before_incorporation(ctx: Context, spec: dict):
    if ctx.business.corporate_type == "pre_founding":
        return PASS, "法人設立前の申請です", "Applying before incorporation"
    return FAIL, "法人設立（登記）前に申請する必要があります", "Must apply before incorporation"


def _no_unpaid_city_tax(ctx: Context, spec: dict):
    field = spec.get("field", "no_unpaid_tax")
    value = ctx.answers.get(field)
    if value is True or value in ("true", "on", "1", "yes"):
        return PASS, "市税の滞納がないことを申告しています", "Declared no unpaid city tax"
    if value is False or value in ("false", "0", "no"):
        return FAIL, "市税の滞納がない旨の申告がありません", "No unpaid-tax declaration"
    return (
        UNKNOWN,
        "申請フォームで市税の滞納がないことを申告してください",
        "Declare in the form that no city tax is unpaid",
    )


def _founder_stage(ctx: Context, spec: dict):
    from django.utils import timezone

    from sangyo.registry.classification import founder_stage

    stage = founder_stage(
        corporate_type=ctx.business.corporate_type,
        date_of_establishment=ctx.business.date_of_establishment,
        on=timezone.localdate(),
    )
    if stage.key in ("pre_founding", "young"):
        return PASS, f"創業前または創業5年未満です（{stage.reason_ja}）", stage.reason_en
    if stage.key == "established":
        return FAIL, f"創業5年以上です（{stage.reason_ja}）", stage.reason_en
    return UNKNOWN, "設立・創業日が登録されていません", "The founding date is not registered"


for _rule in (
    Rule("in_city", "市内に事業所があること", "Has a site in the city", _in_city),
    Rule("sme", "中小企業者であること", "Is an SME", _sme),
    Rule(
        "holds_founder_certificate",
        "特定創業支援等事業の証明書を受けていること",
        "Holds a founder support certificate",
        _holds_founder_certificate,
    ),
    Rule(
        "not_received_this_fy",
        "同一年度に同じ制度の交付を受けていないこと",
        "Has not received this program this fiscal year",
        _not_received_this_fy,
    ),
    Rule(
        "before_incorporation",
        "法人設立前に申請すること",
        "Applies before incorporation",
        _before_incorporation,
    ),
    Rule(
        "no_unpaid_city_tax", "市税の滞納がないこと", "Has no unpaid city tax", _no_unpaid_city_tax
    ),
    Rule(
        "founder_stage",
        "創業前または創業5年未満であること",
        "Is about to found or founded under 5 years ago",
        _founder_stage,
    ),
):
    register_rule(_rule)
