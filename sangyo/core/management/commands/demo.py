"""`sangyo demo`: load the strategy and synthetic demo accounts; safe to run again.

Everything this command creates besides the strategy itself is synthetic and labelled so:
accounts use the reserved `example.jp` domain and names marked （デモ）.
"""

from io import StringIO

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction

from sangyo.accounts.models import Role, User
from sangyo.accounts.services import user_create, user_set_password, user_set_role
from sangyo.registry.models import Business
from sangyo.registry.services import membership_add

DEMO_PASSWORD = "sangyo-demo-2025"
# How the demo loaders' counts are named in the summary it prints.
LABELS = {
    "calls": "募集",
    "applications": "申請",
    "created": "新規",
    "reviews": "審査",
    "paid": "支払",
    "certified_products": "認定品",
    "founder_certificates": "創業証明書",
    "desks": "窓口",
    "experts": "専門家",
    "slots": "相談枠",
    "cases": "案件",
}

DEMO_ACCOUNTS = [
    ("admin@example.jp", "管理 花子（デモ）", Role.ADMIN),
    ("officer@example.jp", "担当 太郎（デモ）", Role.OFFICER),
    ("reviewer@example.jp", "審査 一郎（デモ・中小企業診断士）", Role.REVIEWER),
    ("viewer@example.jp", "閲覧 次郎（デモ）", Role.VIEWER),
    ("business@example.jp", "事業 三郎（デモ・架空の事業者）", Role.BUSINESS),
]


class Command(BaseCommand):
    help = "Load the default strategy and synthetic demo data (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--strategy", default=settings.SANGYO_DEFAULT_STRATEGY_FILE)
        parser.add_argument(
            "--businesses", type=int, default=240, help="synthetic businesses to create"
        )

    def handle(self, *args, strategy, businesses, **options):
        # The demo's own notifications (bookings, registrations, matching) are not sent:
        # they would flood the console and go nowhere real.
        from django.test.utils import override_settings

        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
            self._load(strategy, businesses)

    def _load(self, strategy, businesses):
        call_command("strategy", "load", strategy, stdout=self.stdout, stderr=self.stderr)
        from sangyo.strategy.models import Strategy

        current = Strategy.objects.get(is_current=True)
        with transaction.atomic():
            for email, name, role in DEMO_ACCOUNTS:
                user = User.objects.filter(email=email).first()
                if user is None:
                    user_create(
                        email=email, name=name, role=role, password=DEMO_PASSWORD, actor="demo"
                    )
                else:
                    user_set_role(user=user, role=role, actor="demo")
                    if not user.check_password(DEMO_PASSWORD):
                        user_set_password(user=user, password=DEMO_PASSWORD, actor="demo")
        from sangyo.indicators.demo import load_demo as indicators_demo
        from sangyo.registry.demo import load_demo as registry_demo

        registry = registry_demo(strategy=current, count=businesses)
        self.stdout.write(
            "事業者台帳（合成データ）: 地区 {districts}、支援機関 {partners}、"
            "事業者 +{businesses}、支援実績 {records}".format(**registry)
        )
        figures = indicators_demo(strategy=current)
        self.stdout.write(
            "指標（合成データ）: 実績値 +{observations}、自動集計の活動指標 {outputs}".format(
                **figures
            )
        )
        from sangyo.applications.demo import load_demo as applications_demo

        applied = applications_demo(strategy=current)
        self.stdout.write(
            "申請（合成データ）: "
            + "、".join(f"{LABELS.get(key, key)} {value}" for key, value in applied.items())
        )
        from sangyo.consultations.demo import load_demo as consultations_demo
        from sangyo.events.demo import load_demo as events_demo

        consulted = consultations_demo(strategy=current)
        self.stdout.write(
            "相談（合成データ）: "
            + "、".join(f"{LABELS.get(key, key)} {value}" for key, value in consulted.items())
        )
        self.stdout.write(f"イベント（合成データ）: {events_demo(strategy=current)}")
        from sangyo.matching.demo import load_demo as matching_demo
        from sangyo.navigator.demo import load_demo as navigator_demo

        self.stdout.write(f"マッチング（合成データ）: {matching_demo(strategy=current)}")
        self.stdout.write(f"支援ナビ（合成データ）: {navigator_demo(strategy=current)}")
        from sangyo.privacy.demo import load_demo as privacy_demo  # privacy

        self.stdout.write(f"個人情報の請求（合成データ）: {privacy_demo(strategy=current)}")
        # Count what the demo applications and support records add to computed indicators.
        call_command("indicators", "refresh", stdout=StringIO())
        from sangyo.evaluation.demo import load_demo as evaluation_demo

        self.stdout.write(f"施策評価（合成データ）: {evaluation_demo(strategy=current)}")
        owner = User.objects.get(email="business@example.jp")
        first = Business.objects.filter(is_synthetic=True).order_by("id").first()
        if first and not first.memberships.filter(user=owner).exists():
            membership_add(user=owner, business=first, role="representative", actor="demo")
        self.stdout.write("")
        self.stdout.write("デモ用アカウント（合成データ） / demo logins (synthetic):")
        for email, _name, role in DEMO_ACCOUNTS:
            self.stdout.write(f"  {Role(role).label:<10} {email:<24} {DEMO_PASSWORD}")
