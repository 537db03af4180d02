"""`sangyo accounts unlock EMAIL`: clear the failed logins that locked an address out."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from sangyo.accounts.services import login_unlock


class Command(BaseCommand):
    help = "Account maintenance: unlock (clear failed logins for an e-mail address)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        unlock = sub.add_parser("unlock", help="clear failed login attempts for EMAIL")
        unlock.add_argument("email")

    def handle(self, *args, action, email, **options):
        count = login_unlock(email=email, actor="cli")
        self.stdout.write(
            _("%(email)s のログイン失敗記録を%(n)s件削除し、ロックを解除しました。")
            % {"email": email.strip().lower(), "n": count}
        )
