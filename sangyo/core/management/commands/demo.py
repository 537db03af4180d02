"""`sangyo demo`: load the strategy and synthetic demo accounts; safe to run again.

Everything this command creates besides the strategy itself is synthetic and labelled so:
accounts use the reserved `example.jp` domain and names marked （デモ）.
"""

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction

from sangyo.accounts.models import Role, User
from sangyo.accounts.services import user_create, user_set_password, user_set_role

DEMO_PASSWORD = "sangyo-demo-2025"

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

    def handle(self, *args, strategy, **options):
        call_command("strategy", "load", strategy, stdout=self.stdout, stderr=self.stderr)
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
        self.stdout.write("")
        self.stdout.write("デモ用アカウント（合成データ） / demo logins (synthetic):")
        for email, _name, role in DEMO_ACCOUNTS:
            self.stdout.write(f"  {Role(role).label:<10} {email:<24} {DEMO_PASSWORD}")
