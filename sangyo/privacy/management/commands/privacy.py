"""`sangyo privacy retention [--dry-run]`: apply every retention rule now (the same as the
daily Celery task); `--dry-run` only counts. Each run is audited with its counts per kind;
running it twice changes nothing the second time."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from sangyo.privacy.retention import apply_rules, ensure_rules


class Command(BaseCommand):
    help = "Personal data: retention (anonymise or delete data past its retention period)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        retention = sub.add_parser("retention", help="apply the retention rules")
        retention.add_argument("--dry-run", action="store_true", help="count, change nothing")

    def handle(self, *args, action, dry_run=False, **options):
        ensure_rules()
        counts = apply_rules(dry_run=dry_run, actor="cli")
        head = _("試行（変更なし）") if dry_run else _("適用")
        self.stdout.write(f"{head}:")
        for kind, n in counts.items():
            self.stdout.write(f"  {kind}: {n}")
