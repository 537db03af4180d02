"""`sangyo reminders send [--hours N]`: mail reminders for consultation bookings and event
registrations starting within N hours (default SANGYO_REMINDER_HOURS). Each person gets one
reminder however often it runs; Celery beat runs it hourly in production."""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _


class Command(BaseCommand):
    help = "Send reminder mails before consultation bookings and events."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        send = sub.add_parser("send", help="send reminders due now")
        send.add_argument("--hours", type=int, default=None)

    def handle(self, *args, action, hours, **options):
        from sangyo.consultations.tasks import send_reminders

        hours = hours or settings.SANGYO_REMINDER_HOURS
        if hours < 1:
            self.stderr.write(_("--hours は1以上で指定してください"))
            raise SystemExit(2)
        sent = send_reminders(hours=hours)
        self.stdout.write(
            _(
                "リマインダーを送信しました: 相談予約 %(b)s件、イベント %(r)s件（%(h)s時間以内に開始）"
            )
            % {"b": sent["bookings"], "r": sent["registrations"], "h": hours}
        )
