"""The questionnaire's answers → suggestions, ranked by fit, grouped by measure, each with
the reasons it was suggested and its eligibility (pass / fail / unknown, with why).

How a program is scored (higher is a better fit):

* +10 for each chosen need (challenge or stage) whose mapping (`Need.measures`, data) lists
  the program's measure first (its main answer), +8 when it lists it later;
* +5 for each chosen challenge whose jGrants use purpose the program's detail lists (a
  program may be reached by this alone, outside the mapped measures);
* +3 when a call is open;
* +1 per eligibility rule that passes, −12 per rule that fails (a program that fails stays
  on the page, lower, with the reason, so nobody wonders why it is missing);
* +2 when the program lists the answered industry, −12 when it lists others only.

Eligibility reuses `sangyo.applications.eligibility` with a business-like object built from
the answers (`AnswerBusiness`); rules that need facts the questionnaire does not ask (a
founder certificate, earlier grants, the tax declaration) answer "unknown" with a reason.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.utils import timezone

from sangyo.applications import eligibility
from sangyo.applications.eligibility import FAIL, PASS, UNKNOWN, RuleResult

from .models import Need, OutsideProgram

STAGES = ("pre_founding", "young", "established", "succession")
IN_CITY = ("yes", "no")
MAX_EMPLOYEES = 10_000_000
MAX_CAPITAL = 10**15


@dataclass
class Answers:
    stage: str = ""
    industry: str = ""  # JSIC 大分類 letter
    employees: int | None = None
    capital: int | None = None
    in_city: str = ""  # "yes" | "no" | ""
    challenges: list[str] = field(default_factory=list)

    def query_string(self) -> str:
        """The answers only (no name, no business id): the shareable result URL."""
        pairs = [
            ("stage", self.stage),
            ("industry", self.industry),
            ("employees", "" if self.employees is None else str(self.employees)),
            ("capital", "" if self.capital is None else str(self.capital)),
            ("in_city", self.in_city),
        ]
        pairs = [(k, v) for k, v in pairs if v]
        pairs += [("challenge", c) for c in self.challenges]
        return urlencode(pairs)

    @property
    def is_empty(self) -> bool:
        return not (self.stage or self.industry or self.in_city or self.challenges)


def _int(value) -> int | None:
    try:
        n = int(str(value).replace(",", "").strip())
    except (TypeError, ValueError):
        return None
    return n if n >= 0 else None


def parse_answers(data, *, needs: list[Need] | None = None) -> Answers:
    """Answers from a query string (unknown values are dropped, never guessed)."""
    from sangyo.registry.services import jsic_table

    needs = needs if needs is not None else active_needs()
    challenge_codes = {n.code for n in needs if n.kind == Need.Kind.CHALLENGE}
    stage = data.get("stage", "")
    industry = (data.get("industry", "") or "").strip().upper()
    if industry not in {m.code for m in jsic_table().majors()}:
        industry = ""
    employees = _int(data.get("employees"))
    capital = _int(data.get("capital"))
    chosen = []
    for c in data.getlist("challenge") if hasattr(data, "getlist") else data.get("challenge", []):
        if c in challenge_codes and c not in chosen:
            chosen.append(c)
    return Answers(
        stage=stage if stage in STAGES else "",
        industry=industry,
        employees=employees if employees is not None and employees <= MAX_EMPLOYEES else None,
        capital=capital if capital is not None and capital <= MAX_CAPITAL else None,
        in_city=data.get("in_city", "") if data.get("in_city", "") in IN_CITY else "",
        challenges=chosen,
    )


def answers_from_business(business, *, on: datetime.date | None = None) -> Answers:
    """Answers pre-filled from the registry (JSIC, employees, capital, in city, founding)."""
    from sangyo.registry.classification import founder_stage
    from sangyo.registry.services import jsic_table

    table = jsic_table()
    industry = ""
    if business.jsic_code:
        try:
            industry = table.major_of(business.jsic_code)
        except Exception:  # an unknown code just leaves the answer empty
            industry = ""
    stage = founder_stage(
        corporate_type=business.corporate_type,
        date_of_establishment=business.date_of_establishment,
        on=on or timezone.localdate(),
    ).key
    return Answers(
        stage=stage if stage in STAGES else "",
        industry=industry,
        employees=business.employee_number,
        capital=business.capital_stock,
        in_city="yes" if business.in_city else "no",
    )


def active_needs() -> list[Need]:
    return list(Need.objects.filter(is_active=True))


# -- the business-like object the eligibility rules look at ------------------------------------


class _NoCertificates:
    def order_by(self, *args):
        return self

    def first(self):
        return None


@dataclass
class AnswerBusiness:
    in_city: bool | None
    location: str
    size_class: str
    size_reason: str
    corporate_type: str
    date_of_establishment: datetime.date | None
    founder_certificates: _NoCertificates = field(default_factory=_NoCertificates)


def business_from_answers(a: Answers, *, lang: str = "ja") -> AnswerBusiness:
    from sangyo.registry.classification import classify
    from sangyo.registry.services import jsic_table

    size_class, size_reason = "unknown", ""
    if a.employees is not None or a.capital is not None:
        c = classify(
            jsic_code=a.industry or None,
            capital_yen=a.capital,
            employees=a.employees,
            corporate_type=None,
            table=jsic_table(),
        )
        size_reason = c.reason_en if lang == "en" else c.reason_ja
        if c.is_sme is True:
            size_class = c.size if c.size in ("small", "sme") else "sme"
        elif c.is_sme is False:
            size_class = "large"
    return AnswerBusiness(
        in_city={"yes": True, "no": False}.get(a.in_city),
        location="市内と回答" if a.in_city == "yes" else "市外と回答",
        size_class=size_class,
        size_reason=size_reason,
        corporate_type="pre_founding" if a.stage == "pre_founding" else "",
        date_of_establishment=None,
    )


STAGE_TEXT = {
    "pre_founding": ("これから創業する", "about to found"),
    "young": ("創業5年未満", "founded less than 5 years ago"),
    "established": ("創業5年以上", "in business for 5 years or more"),
    "succession": ("事業承継を考えている", "planning business succession"),
}


def _founder_stage(a: Answers) -> tuple[str, str, str]:
    if a.stage in ("pre_founding", "young"):
        ja, en = STAGE_TEXT[a.stage]
        return PASS, f"「{ja}」と回答しています", f"You answered “{en}”"
    if a.stage in ("established", "succession"):
        ja, en = STAGE_TEXT[a.stage]
        return (
            FAIL,
            f"「{ja}」と回答しています（創業前または創業5年未満の方が対象です）",
            f"You answered “{en}” (this is for people about to found or founded under 5 years ago)",
        )
    return UNKNOWN, "事業の段階を回答すると判定できます", "Answer the stage question to know"


def evaluate_rules(specs: list[dict], a: Answers, b: AnswerBusiness) -> list[RuleResult]:
    """Each rule of a program against the answers."""
    known = {r.code: r for r in eligibility.rules()}
    ctx = eligibility.Context(business=b, call=None, answers={})
    out = []
    for spec in specs or []:
        code = spec.get("rule", "")
        rule = known.get(code)
        label_ja, label_en = (rule.label_ja, rule.label_en) if rule else (code, code)
        if code == "founder_stage":
            status, ja, en = _founder_stage(a)
        elif code == "in_city" and b.in_city is None:
            status, ja, en = (
                UNKNOWN,
                "所在地（市内かどうか）を回答すると判定できます",
                "Answer whether you are in the city to know",
            )
        elif code == "holds_founder_certificate":
            status, ja, en = (
                UNKNOWN,
                "証明書の有無はこの質問では分かりません（申請時に確認します）",
                "Not asked here; checked when you apply",
            )
        elif code == "not_received_this_fy":
            status, ja, en = (
                UNKNOWN,
                "同じ年度に交付を受けたかどうかは申請時に確認します",
                "Checked when you apply",
            )
        elif code == "before_incorporation" and not a.stage:
            status, ja, en = (
                UNKNOWN,
                "事業の段階を回答すると判定できます",
                "Answer the stage question to know",
            )
        else:
            try:
                r = eligibility.evaluate([spec], ctx)[0]
                status, ja, en = r.status, r.reason_ja, r.reason_en
            except Exception:  # a rule needing facts not asked here
                status, ja, en = (
                    UNKNOWN,
                    "この要件は申請時に確認します",
                    "This is checked when you apply",
                )
        out.append(RuleResult(code, status, label_ja, label_en, ja, en))
    return out


# -- suggestions -------------------------------------------------------------------------------


@dataclass
class Reason:
    ja: str
    en: str


@dataclass
class NextStep:
    kind: str  # apply | book | event | contact | outside
    url: str
    label_ja: str
    label_en: str


@dataclass
class Suggestion:
    program: object
    measure: object
    detail: object | None
    score: int
    reasons: list[Reason]
    rules: list[RuleResult]
    calls: list
    desks: list
    events: list
    next_steps: list[NextStep]

    @property
    def code(self) -> str:
        return self.program.code

    @property
    def passed(self):
        return [r for r in self.rules if r.status == PASS]

    @property
    def failed(self):
        return [r for r in self.rules if r.status == FAIL]

    @property
    def unknown(self):
        return [r for r in self.rules if r.status == UNKNOWN]

    @property
    def fits(self) -> bool:
        return not self.failed


@dataclass
class OutsideSuggestion:
    program: OutsideProgram
    score: int
    reasons: list[Reason]


@dataclass
class Result:
    answers: Answers
    groups: list[tuple[object, list[Suggestion]]]
    outside: list[OutsideSuggestion]
    chosen: list[Need]

    @property
    def suggestions(self) -> list[Suggestion]:
        flat = [s for _, items in self.groups for s in items]
        return sorted(flat, key=lambda s: (-s.score, s.measure.number, s.program.order))

    def top(self, n: int = 5) -> list[Suggestion]:
        return self.suggestions[:n]

    @property
    def has_fit(self) -> bool:
        return any(s.fits for s in self.suggestions) or bool(self.outside)


EMPLOYEE_BANDS = [
    ("5名以下", 5),
    ("20名以下", 20),
    ("50名以下", 50),
    ("100名以下", 100),
    ("300名以下", 300),
    ("900名以下", 900),
]


def _band_ok(band: str, employees: int | None) -> bool | None:
    if not band or band == "従業員数の制約なし" or employees is None:
        return None
    if band == "901名以上":
        return employees >= 901
    for name, limit in EMPLOYEE_BANDS:
        if band == name:
            return employees <= limit
    return None


def suggest(a: Answers, *, strategy=None, lang: str = "ja", now=None) -> Result:
    """Suggestions for the answers: a fixed number of queries whatever the data size."""
    from sangyo.applications.catalogue import open_calls
    from sangyo.applications.models import ProgramDetail
    from sangyo.consultations.models import Desk
    from sangyo.events.models import Event
    from sangyo.registry.services import jsic_table
    from sangyo.strategy.models import Program, Strategy

    now = now or timezone.now()
    strategy = strategy or Strategy.objects.filter(is_current=True).first()
    needs = active_needs()
    chosen = [n for n in needs if n.kind == Need.Kind.CHALLENGE and n.code in a.challenges]
    chosen += [n for n in needs if n.kind == Need.Kind.STAGE and n.code == a.stage]
    if strategy is None:
        return Result(a, [], [], chosen)
    purposes = {n.use_purpose for n in chosen if n.use_purpose}

    programs = list(
        Program.objects.filter(measure__strategy=strategy)
        .select_related("measure")
        .order_by("measure__number", "order", "code")
    )
    details = {d.program_id: d for d in ProgramDetail.objects.filter(program__in=programs)}
    calls: dict[int, list] = {}
    for call in open_calls(now).filter(program__in=programs):
        calls.setdefault(call.program_id, []).append(call)
    desks: dict[int, list] = {}
    for desk in Desk.objects.filter(is_active=True, program__in=programs):
        desks.setdefault(desk.program_id, []).append(desk)
    events: dict[int, list] = {}
    for event in Event.objects.filter(program__in=programs, starts_at__gte=now).order_by(
        "starts_at"
    ):
        events.setdefault(event.program_id, []).append(event)

    major = jsic_table().get(a.industry) if a.industry else None
    b = business_from_answers(a, lang=lang)
    suggestions: list[Suggestion] = []
    for program in programs:
        measure = program.measure
        detail = details.get(program.pk)
        score, reasons = 0, []
        for need in chosen:
            mapped = list(need.measures or [])
            if measure.number in mapped:
                # The first measure listed is the need's main answer; the others follow.
                score += 10 if mapped[0] == measure.number else 8
                what = "課題" if need.kind == Need.Kind.CHALLENGE else "事業の段階"
                what_en = "challenge" if need.kind == Need.Kind.CHALLENGE else "stage"
                why_ja = f"（{need.why_ja}）" if need.why_ja else ""
                why_en = f" ({need.why_en})" if need.why_en else ""
                reasons.append(
                    Reason(
                        f"{what}「{need.label_ja}」を選んだため、施策{measure.number}"
                        f"「{measure.name_ja}」に当たります{why_ja}",
                        f"You chose the {what_en} “{need.label_en or need.label_ja}”, which "
                        f"measure {measure.number} “{measure.name_en or measure.name_ja}” "
                        f"answers{why_en}",
                    )
                )
        direct = sorted(purposes & set(detail.use_purposes or [])) if detail else []
        for purpose in direct:
            score += 5
            reasons.append(
                Reason(
                    f"この制度の利用目的（jGrants）に「{purpose}」が含まれます",
                    f"This program lists the use purpose “{purpose}” (jGrants)",
                )
            )
        if score == 0:
            continue
        rules = evaluate_rules(detail.eligibility if detail else [], a, b)
        score += sum(1 for r in rules if r.status == PASS)
        score -= 12 * sum(1 for r in rules if r.status == FAIL)
        industries = list(detail.industries or []) if detail else []
        if detail and industries and major is not None:
            if major.name_ja in industries or major.code in industries:
                score += 2
                reasons.append(
                    Reason(
                        f"業種「{major.name_ja}」が対象業種に含まれます",
                        f"Your industry “{major.name_en}” is among the target industries",
                    )
                )
            else:
                score -= 12
                rules.append(
                    RuleResult(
                        "industry",
                        FAIL,
                        "対象業種であること",
                        "Is in a target industry",
                        f"業種「{major.name_ja}」は対象業種（{'、'.join(industries)}）に"
                        "含まれません",
                        f"Your industry “{major.name_en}” is not among the target industries",
                    )
                )
        program_calls = calls.get(program.pk, [])
        if program_calls:
            score += 3
        steps = _next_steps(program, detail, program_calls, desks.get(program.pk, []), events)
        suggestions.append(
            Suggestion(
                program=program,
                measure=measure,
                detail=detail,
                score=score,
                reasons=reasons,
                rules=rules,
                calls=program_calls,
                desks=desks.get(program.pk, []),
                events=events.get(program.pk, [])[:3],
                next_steps=steps,
            )
        )
    suggestions.sort(key=lambda s: (-s.score, s.measure.number, s.program.order))
    groups: list[tuple[object, list[Suggestion]]] = []
    index: dict[int, int] = {}
    for s in suggestions:
        if s.measure.pk not in index:
            index[s.measure.pk] = len(groups)
            groups.append((s.measure, []))
        groups[index[s.measure.pk]][1].append(s)
    return Result(a, groups, _outside(a, purposes, now), chosen)


def _next_steps(program, detail, calls, desks, events) -> list[NextStep]:
    steps = []
    for call in calls:
        steps.append(
            NextStep(
                "apply",
                f"/apply/calls/{call.pk}/",
                f"申請する：{call.title_ja}（締切 {timezone.localtime(call.closes_at):%Y-%m-%d}）",
                f"Apply: {call.title_en or call.title_ja} "
                f"(closes {timezone.localtime(call.closes_at):%Y-%m-%d})",
            )
        )
    if desks:
        steps.append(
            NextStep(
                "book",
                "/consult/",
                f"相談を予約する：{desks[0].name_ja}",
                f"Book a consultation: {desks[0].name_en or desks[0].name_ja}",
            )
        )
    for event in events.get(program.pk, [])[:2]:
        steps.append(
            NextStep(
                "event",
                f"/events/{event.pk}/",
                f"イベントに申し込む：{event.title_ja}",
                f"Register for the event: {event.title_en or event.title_ja}",
            )
        )
    if detail is not None:
        steps.append(
            NextStep(
                "detail",
                f"/programs/{program.pk}/",
                "制度の詳細を見る",
                "See the program's details",
            )
        )
    if not steps or not (calls or desks):
        steps.append(
            NextStep(
                "contact",
                "/consult/",
                "産業振興課の相談窓口に問い合わせる",
                "Contact the city's business consultation desk",
            )
        )
    return steps


def _outside(a: Answers, purposes: set[str], now) -> list[OutsideSuggestion]:
    from sangyo.registry.services import jsic_table

    if not purposes:
        return []
    major = jsic_table().get(a.industry) if a.industry else None
    found = []
    for p in OutsideProgram.objects.all():
        if p.acceptance_end and p.acceptance_end < now:
            continue
        matched = sorted(purposes & set(p.use_purposes or []))
        if not matched:
            continue
        score = 5 * len(matched)
        reasons = [
            Reason(
                f"利用目的（jGrants）「{m}」が選んだ課題と一致します",
                f"Its use purpose “{m}” (jGrants) matches a challenge you chose",
            )
            for m in matched
        ]
        band = _band_ok(p.target_number_of_employees, a.employees)
        if band is False:
            continue
        if band is True:
            score += 1
            reasons.append(
                Reason(
                    f"従業員数（{a.employees}名）が対象（{p.target_number_of_employees}）に入ります",
                    f"Your {a.employees} employees are within {p.target_number_of_employees}",
                )
            )
        if p.industries and major is not None:
            if major.name_ja not in p.industries:
                continue
            score += 1
            reasons.append(
                Reason(
                    f"業種「{major.name_ja}」が対象業種に含まれます",
                    f"Your industry “{major.name_en}” is a target industry",
                )
            )
        found.append(OutsideSuggestion(p, score, reasons))
    found.sort(key=lambda o: (-o.score, o.program.acceptance_end or now))
    return found[:10]
