"""`sangyo events purge [--days N]`: anonymise registrants' personal data N days (default
SANGYO_EVENT_RETENTION_DAYS, 365) after their event ended. Counts and statuses stay; running it twice changes nothing."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from sangyo.events.services import registrations_purge


class Command(BaseCommand):
    help = "Event maintenance: purge (anonymise old registrations)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        purge = sub.add_parser("purge", help="anonymise registrations of events ended N days ago")
        purge.add_argument("--days", type=int, default=None)

    def handle(self, *args, action, days, **options):
        from django.conf import settings

        days = days if days is not None else settings.SANGYO_EVENT_RETENTION_DAYS
        count = registrations_purge(days=days, actor="cli")
        self.stdout.write(
            _("%(n)s件の申込の個人情報を削除しました（イベント終了から%(days)s日経過）")
            % {"n": count, "days": days}
        )
