"""Synthetic evaluation data for FY2025–FY2026: year settings, a committee of four
synthetic members, FY2025 sheets for every measure (all published, with opinions; the one
of measure 01 corrected into a second version), and FY2026 sheets at every step of the
workflow (some published, with follow-ups of FY2025's improvements).

Idempotent: once the synthetic FY2025 sheets exist, nothing is done again. Every change goes
through the services (audit events included), acting as the demo's section head."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction

from . import services
from .models import CommitteeMember, FollowUpStatus, Sector, Sheet

MEMBERS = [
    ("合成 委員A", "（合成データ）市内製造業 代表取締役", Sector.INDUSTRY),
    ("合成 委員B", "（合成データ）市内大学 教授", Sector.ACADEMIA),
    ("合成 委員C", "（合成データ）県産業支援機関 部長", Sector.GOVERNMENT),
    ("合成 委員D", "（合成データ）地域金融機関 支店長", Sector.FINANCE),
]
RATINGS = ["A", "B", "B", "C"]
DIRECTIONS = ["expand", "continue", "improve", "continue", "reduce"]


class DemoActor:
    """The demo acts as the section head (課長): policies see an active administrator."""

    pk = None
    is_authenticated = True
    is_active = True
    role = "admin"

    def __str__(self) -> str:
        return "demo"


def _fill(sheet: Sheet, n: int, actor) -> Sheet:
    base = 1_000_000 + n * 370_000
    data = {
        "aim_target": "（合成データ）市内の中小企業・小規模事業者、創業を目指す人",
        "aim_means": "（合成データ）相談、補助、セミナー、マッチングによる支援",
        "aim_intent": "（合成データ）事業の継続と成長、新たな挑戦の後押し",
        "cost_national": base // 4 if n % 3 == 0 else 0,
        "cost_prefectural": base // 10 if n % 2 == 0 else 0,
        "cost_bonds": 0,
        "cost_other": 25_000 * (n % 4),
        "cost_general": base,
        "staff_hours": Decimal(120 + 35 * n) + Decimal("0.5"),
        "relevance": "A",
        "relevance_reason": "（合成データ）戦略の将来都市像の実現に直結する施策である。",
        "effectiveness": RATINGS[n % 4],
        "effectiveness_reason": "（合成データ）支援件数は計画どおりだが、成果指標の伸びは緩やか。",
        "efficiency": RATINGS[(n + 1) % 4],
        "efficiency_reason": "（合成データ）外部機関との連携で、1件あたりのコストを抑えている。",
        "direction": DIRECTIONS[n % 5],
        "direction_reason": "（合成データ）実績と委員会の意見を踏まえて判断した。",
    }
    improvements = [
        f"（合成データ）施策{sheet.measure.number}の周知方法を見直す",
        "（合成データ）支援後の追跡調査を行う",
    ]
    return services.sheet_update(sheet=sheet, data=data, improvements=improvements, actor=actor)


def _publish(sheet: Sheet, members, actor) -> Sheet:
    sheet = services.sheet_transition(sheet=sheet, target="submitted", actor=actor)
    sheet = services.sheet_transition(sheet=sheet, target="reviewed", actor=actor)
    for m in members[:2]:
        services.opinion_save(
            sheet=sheet,
            member=m,
            text=f"（合成データ）{m.get_sector_display()}の立場から、成果の把握方法の改善を求める。",
            actor=actor,
        )
    return services.sheet_transition(sheet=sheet, target="published", actor=actor)


@transaction.atomic
def load_demo(*, strategy) -> str:
    if Sheet.objects.filter(strategy=strategy, fiscal_year=2025, is_synthetic=True).exists():
        return "変更はありません"
    actor = DemoActor()
    services.year_setting_save(
        strategy=strategy, fiscal_year=2025, hourly_cost=4_200, suppression_threshold=3, actor=actor
    )
    services.year_setting_save(
        strategy=strategy, fiscal_year=2026, hourly_cost=4_300, suppression_threshold=3, actor=actor
    )
    members = []
    for order, (name, affiliation, sector) in enumerate(MEMBERS):
        member = CommitteeMember.objects.filter(name=name, is_synthetic=True).first()
        if member is None:
            member = services.member_save(
                member=None,
                data={
                    "name": name,
                    "affiliation": affiliation,
                    "sector": sector,
                    "order": order,
                    "is_synthetic": True,
                },
                actor=actor,
            )
        members.append(member)

    published = 0
    sheets25 = services.sheets_prepare(
        strategy=strategy, fiscal_year=2025, actor=actor, is_synthetic=True
    )
    for n, sheet in enumerate(sheets25):
        sheet = _fill(sheet, n, actor)
        sheet = _publish(sheet, members, actor)
        published += 1
        if n == 0:
            # A correction: the published first version stays readable.
            v2 = services.sheet_correct(
                sheet=sheet,
                reason="（合成データ）県支出金の額に誤りがあったため訂正しました。",
                actor=actor,
            )
            services.sheet_update(
                sheet=v2, data={"cost_prefectural": sheet.cost_prefectural + 150_000}, actor=actor
            )
            _publish(v2, members[2:], actor)

    sheets26 = services.sheets_prepare(
        strategy=strategy, fiscal_year=2026, actor=actor, is_synthetic=True
    )
    for n, sheet in enumerate(sheets26):
        if n % 4 == 3:
            continue  # still being drafted
        sheet = _fill(sheet, n + 1, actor)
        last = Sheet.objects.filter(measure=sheet.measure, fiscal_year=2025).order_by("-version")[0]
        for k, improvement in enumerate(last.improvements.all()):
            services.follow_up_save(
                sheet=sheet,
                improvement=improvement,
                status=[FollowUpStatus.DONE, FollowUpStatus.ONGOING][k % 2],
                note="（合成データ）年度内に対応した。"
                if k % 2 == 0
                else "（合成データ）継続して対応中。",
                actor=actor,
            )
        if n % 4 == 0:
            _publish(sheet, members, actor)
            published += 1
        elif n % 4 == 1:
            services.sheet_transition(sheet=sheet, target="submitted", actor=actor)
    return f"評価シート{len(sheets25) + len(sheets26)}件（うち公表{published}件）、委員{len(members)}名"
