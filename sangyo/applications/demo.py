"""Synthetic demo data for applications: calls for the current fiscal year with budgets on the
configured programs, applications in various states by synthetic businesses, reviews, one
subsidy paid in full, a founder certificate and certified products.

Everything goes through the services, as a synthetic officer, reviewer and applicants
(`@example.jp`, names marked （デモ）), and is marked `is_synthetic`. Running it again changes
nothing. Status mails are not sent while the demo loads (the mail backend is the dummy one),
so no mail leaves for the invented addresses.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from sangyo.accounts.models import Role, User
from sangyo.core.fiscal import fiscal_year, fiscal_year_label, fiscal_year_range
from sangyo.registry.models import Business

from . import services
from .models import Application, Call, CertifiedProduct, FounderCertificate, ProgramDetail, Review

TOKYO = ZoneInfo("Asia/Tokyo")
# Budgets of the demo calls (synthetic figures; certifications and certificates have none).
BUDGETS = {
    "11-1": 1_250_000,
    "05-1": 2_000_000,
    "11-2": 3_600_000,
    "16-1": 500_000,
    "17-1": 600_000,
}

# The actions that bring a new application to each state.
PATHS = {
    "draft": (),
    "submitted": ("submit",),
    "returned": ("submit", "return"),
    "resubmitted": ("submit", "return", "resubmit"),
    "under_review": ("submit", "start_review"),
    "rejected": ("submit", "start_review", "reject"),
    "withdrawn": ("submit", "withdraw"),
    "adopted": ("submit", "start_review", "adopt"),
    "grant_decided": ("submit", "start_review", "adopt", "decide_grant"),
    "paid": (
        "submit",
        "start_review",
        "adopt",
        "decide_grant",
        "report",
        "fix_amount",
        "pay",
    ),
    "certified": ("submit", "start_review", "certify"),
    "issued": ("submit", "start_review", "issue"),
}
APPLICANT_ACTIONS = {"submit", "resubmit", "report"}
NOTES = {
    "return": "経費の内訳（見積書の金額）を確認して修正してください。（デモ）",
    "reject": "今回は予算の範囲で他の申請を優先しました。（デモ）",
    "adopt": "審査の結果、採択とします。（デモ）",
    "certify": "審査会の評価により認定とします。（デモ）",
    "issue": "4分野の支援の受講を確認しました。（デモ）",
    "withdraw": "申請者の都合により取り下げ。（デモ）",
}


@dataclass
class Plan:
    program: str
    status: str
    kind: str  # "founder" | "company"
    answers: dict
    costs: list = field(default_factory=list)
    language: str = "ja"
    scores: dict | None = None  # review scores (rubric code → points), reviewed before deciding
    product: tuple[str, str] | None = None  # certified product (ja, en)


def _subsidy_answers(plan: str, other: str = "no") -> dict:
    answers = {
        "plan_summary": plan,
        "start_date": (timezone.localdate() + datetime.timedelta(days=30)).isoformat(),
        "other_subsidies": other,
        "no_unpaid_tax": True,
    }
    if other == "yes":
        answers["other_subsidies_detail"] = "茨城県の展示会出展補助（合成データ・10万円）"
    return answers


def _certification_answers(name: str, description: str, food: bool) -> dict:
    answers = {
        "product_name": name,
        "product_description": description,
        "product_category": "food" if food else "non_food",
        "no_unpaid_tax": True,
    }
    if food:
        answers |= {"haccp": True, "pl_insurance": True, "city_shop": "合成デモ物産館（つくば市）"}
    return answers


def _certificate_answers(name: str) -> dict:
    return {
        "holder_name": name,
        "holder_address": "茨城県つくば市研究学園一丁目1番地1（合成データ）",
        "founding_status": "planned",
        "business_outline": "研究成果を生かした分析サービスの創業（合成データ）",
    }


BRAND_SCORES = {
    "origin": 5,
    "originality": 4,
    "package": 4,
    "quality_price": 4,
    "reliability_safety": 5,
}

PLANS = [
    # 新規創業促進補助金: a founder with the certificate, paid in full; another still drafting.
    Plan(
        "11-1",
        "paid",
        "founder",
        _subsidy_answers("株式会社の設立（登記）に係る登録免許税・定款認証手数料（合成データ）"),
        [
            {
                "type": "registration_tax",
                "description": "登録免許税（証明書による軽減後）",
                "amount": 75_000,
            },
            {"type": "notary_fee", "description": "定款認証手数料", "amount": 50_000},
        ],
    ),
    Plan(
        "11-1",
        "draft",
        "founder",
        _subsidy_answers("合同会社の設立準備（合成データ）"),
        [{"type": "registration_tax", "description": "登録免許税", "amount": 30_000}],
        language="en",
    ),
    # 展示会出展支援 (rate to be confirmed: the decided amount is entered by staff).
    Plan(
        "05-1",
        "submitted",
        "company",
        _subsidy_answers("東京ビッグサイトの産業展への出展（合成データ）"),
        [{"type": "booth_fee", "description": "出展料（1小間）", "amount": 330_000}],
    ),
    Plan(
        "05-1",
        "under_review",
        "company",
        _subsidy_answers("海外見本市への出展（合成データ）", other="yes"),
        [
            {"type": "booth_fee", "description": "出展料", "amount": 450_000},
            {"type": "transport", "description": "展示物の輸送費", "amount": 120_000},
        ],
        language="en",
        scores={},
    ),
    Plan(
        "05-1",
        "returned",
        "company",
        _subsidy_answers("県内の商談会への出展（合成データ）"),
        [{"type": "booth_setup", "description": "装飾費", "amount": 210_000}],
    ),
    Plan(
        "05-1",
        "adopted",
        "company",
        _subsidy_answers("医療機器展への出展（合成データ）"),
        [{"type": "booth_fee", "description": "出展料", "amount": 280_000}],
        scores={},
    ),
    Plan(
        "05-1",
        "rejected",
        "company",
        _subsidy_answers("食品展への出展（合成データ）"),
        [{"type": "booth_fee", "description": "出展料", "amount": 190_000}],
    ),
    # つくばコレクション／つくばクオリティ
    Plan(
        "06-1",
        "certified",
        "company",
        _certification_answers(
            "合成デモ つくば研究学園ブレッド", "市内産小麦を使ったパン（合成データ）", True
        ),
        scores=BRAND_SCORES,
        product=("合成デモ つくば研究学園ブレッド", "Synthetic demo Tsukuba Kenkyu-gakuen bread"),
    ),
    Plan(
        "06-1",
        "certified",
        "company",
        _certification_answers(
            "合成デモ 小型環境センサー", "市内で開発・製造した環境センサー（合成データ）", False
        ),
        scores=BRAND_SCORES | {"package": 3},
        product=("合成デモ 小型環境センサー", "Synthetic demo compact environment sensor"),
    ),
    Plan(
        "06-1",
        "under_review",
        "company",
        _certification_answers(
            "合成デモ 筑波山麓の焼き菓子", "市内産の卵を使用（合成データ）", True
        ),
        scores=BRAND_SCORES | {"originality": 3, "quality_price": 3},
    ),
    Plan(
        "06-1",
        "withdrawn",
        "company",
        _certification_answers("合成デモ 清掃ロボット", "市内で開発（合成データ）", False),
    ),
    # 特定創業支援等事業の証明書 (applied for through the portal)
    Plan("10-1", "issued", "founder", _certificate_answers("合成 創業者B（デモ）")),
    Plan("10-1", "submitted", "founder", _certificate_answers("合成 創業者C（デモ）")),
    # 人材育成・育児休業 (amounts to be confirmed)
    Plan(
        "16-1",
        "submitted",
        "company",
        _subsidy_answers("従業員の資格取得（合成データ）"),
        [{"type": "course_fee", "description": "受講料", "amount": 88_000}],
    ),
    Plan("17-1", "submitted", "company", _subsidy_answers("男性従業員の育児休業（合成データ）")),
]


def _user(email: str, role: str, name: str) -> User:
    from sangyo.accounts.services import user_create

    user = User.objects.filter(email=email).first()
    if user is None:
        user = user_create(email=email, role=role, name=name, actor="demo")
    return user


def _details(strategy) -> dict[str, ProgramDetail]:
    details = ProgramDetail.objects.filter(program__measure__strategy=strategy)
    if not details.exists():
        from .config import DEFAULT_FILE, parse_programs_file, programs_load

        programs_load(parsed=parse_programs_file(DEFAULT_FILE), actor="demo")
    return {d.program.code: d for d in details.select_related("program")}


class _Businesses:
    """Synthetic businesses of the registry demo, taken in order; made if there are too few."""

    def __init__(self):
        self.used: set[int] = set()
        self.made = 0

    def take(self, kind: str) -> Business:
        from sangyo.registry import services as registry

        qs = Business.objects.filter(
            is_synthetic=True, in_city=True, status=Business.Status.ACTIVE
        ).exclude(pk__in=self.used)
        if kind == "founder":
            qs = qs.filter(corporate_type="pre_founding", founder_certificates__isnull=True)
        else:
            qs = qs.filter(corporate_type__in=["301", "305"], size_class__in=["sme", "small"])
        business = qs.exclude(applications__isnull=False).order_by("id").first()
        if business is None:
            self.made += 1
            n = self.made
            fields = {
                "name": f"合成デモ申請者{n:02d}"
                + ("（創業予定）" if kind == "founder" else "株式会社"),
                "kana": f"ゴウセイデモシンセイシャ{n:02d}",
                "corporate_type": "pre_founding" if kind == "founder" else "301",
                "location": f"茨城県つくば市研究学園{n}丁目1番地",
                "city_code": "082201",
                "jsic_code": "3911",
                "capital_stock": None if kind == "founder" else 10_000_000,
                "employee_number": 0 if kind == "founder" else 15,
                "date_of_establishment": None if kind == "founder" else datetime.date(2012, 4, 1),
                "representative_name": f"合成 代表{n:02d}（デモ）",
                "is_synthetic": True,
            }
            business = registry.business_create(actor="demo", **fields)
        self.used.add(business.pk)
        return business


def _applicant(business: Business, n: int) -> User:
    from sangyo.registry.services import membership_add

    user = _user(f"demo-applicant-{n:02d}@example.jp", Role.BUSINESS, f"合成 申請者{n:02d}（デモ）")
    membership_add(user=user, business=business, role="representative", actor="demo")
    return user


def _call(detail: ProgramDetail, fy: int, officer) -> Call:
    from .config import default_form
    from .reviews import call_create, call_open

    start, end = fiscal_year_range(fy)
    call = call_create(
        program=detail.program,
        title_ja=f"{fiscal_year_label(fy)} {detail.title_ja}（合成データ）",
        title_en=f"FY{fy} {detail.title_en} (synthetic)",
        fiscal_year=fy,
        opens_at=datetime.datetime.combine(start, datetime.time(0, 0), TOKYO),
        closes_at=datetime.datetime.combine(end, datetime.time(23, 59), TOKYO),
        budget_yen=BUDGETS.get(detail.program.code),
        form=default_form(detail),
        actor=officer,
    )
    call = call_open(call=call, actor=officer)
    Call.objects.filter(pk=call.pk).update(is_synthetic=True)
    return call


def _founder_certificate(business: Business, officer) -> FounderCertificate:
    """Four sessions, one per area, over two months; then the certificate."""
    from .founders import founder_certificate_issue, founder_session_record

    today = timezone.localdate()
    for i, (days, area) in enumerate(
        ((75, "management"), (60, "finance"), (45, "hr"), (30, "sales"))
    ):
        founder_session_record(
            business=business,
            date=today - datetime.timedelta(days=days),
            areas=[area],
            actor=officer,
            note="創業塾（合成データ）",
            source=f"demo:founder:{business.pk}:{i}",
            is_synthetic=True,
        )
    return founder_certificate_issue(business=business, actor=officer)


def _reviews(app: Application, reviewer, scores: dict) -> int:
    from .reviews import review_save

    review_save(
        application=app,
        reviewer=reviewer,
        stage="content",
        conflict_declared=False,
        scores=scores,
        recommendation=Review.Recommendation.YES,
        comment="つくばらしさがよく表れている。（デモ）",
        submit=True,
    )
    return 1


def _walk(plan: Plan, app: Application, user, officer, reviewer) -> tuple[Application, int]:
    reviews = 0
    for action in PATHS[plan.status]:
        if action in ("adopt", "certify", "reject", "issue") and plan.scores is not None:
            reviews += _reviews(app, reviewer, plan.scores)
        kwargs = {}
        if action == "decide_grant":
            kwargs["decided_yen"] = app.requested_yen
        elif action == "report":
            kwargs["report"] = {
                "summary": "計画どおり実施しました（合成データ）",
                "spent_yen": sum(c["amount"] for c in app.costs),
            }
        app = services.application_transition(
            application=app,
            action=action,
            actor=user if action in APPLICANT_ACTIONS else officer,
            note=NOTES.get(action, ""),
            **kwargs,
        )
    if plan.scores is not None and plan.status == "under_review":
        reviews += _reviews(app, reviewer, plan.scores)
    return app, reviews


def load_demo(*, strategy) -> dict[str, int]:
    """Create the synthetic applications once; running it again changes nothing."""
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
        return _load(strategy)


@transaction.atomic
def _load(strategy) -> dict[str, int]:
    fy = fiscal_year(timezone.now())
    synthetic_calls = Call.objects.filter(
        is_synthetic=True, fiscal_year=fy, program__measure__strategy=strategy
    )
    if synthetic_calls.exists():
        return _counts(synthetic_calls, created=0)
    details = _details(strategy)
    officer = _user("officer@example.jp", Role.OFFICER, "担当 太郎（デモ）")
    reviewer = _user("reviewer@example.jp", Role.REVIEWER, "審査 一郎（デモ・中小企業診断士）")
    from .reviews import reviewer_assign

    calls = {}
    for code in dict.fromkeys([*(p.program for p in PLANS), *sorted(details)]):
        if code in details:
            calls[code] = _call(details[code], fy, officer)
            if details[code].kind != ProgramDetail.Kind.CERTIFICATE:
                reviewer_assign(call=calls[code], reviewer=reviewer, stage="content", actor=officer)
    businesses = _Businesses()
    created = 0
    for n, plan in enumerate(PLANS, 1):
        call = calls.get(plan.program)
        if call is None:
            continue
        business = businesses.take(plan.kind)
        user = _applicant(business, n)
        if plan.program == "11-1" and plan.status != "draft":
            _founder_certificate(business, officer)
        app = services.application_start(
            call=call, business=business, actor=user, language=plan.language
        )
        Application.objects.filter(pk=app.pk).update(is_synthetic=True)
        answers = dict(plan.answers)
        if plan.product:
            # The certify step publishes the product under these names.
            answers.setdefault("product_name", plan.product[0])
            answers.setdefault("product_name_en", plan.product[1])
        app = services.application_save(
            application=app, actor=user, answers=answers, costs=plan.costs
        )
        app, _reviews_made = _walk(plan, app, user, officer, reviewer)
        created += 1
    return _counts(synthetic_calls, created=created)


def _counts(calls, *, created: int) -> dict[str, int]:
    apps = Application.objects.filter(call__in=calls)
    return {
        "calls": calls.count(),
        "applications": apps.count(),
        "created": created,
        "reviews": Review.objects.filter(application__in=apps).count(),
        "paid": apps.filter(status="paid").count(),
        "certified_products": CertifiedProduct.objects.filter(application__in=apps).count(),
        "founder_certificates": FounderCertificate.objects.filter(business__applications__in=apps)
        .distinct()
        .count(),
    }
