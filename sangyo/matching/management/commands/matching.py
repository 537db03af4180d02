"""`sangyo matching expire`: mark postings and jobs past their end date as expired. Public
pages never show them anyway; this keeps statuses and the staff queue true. Running it twice
changes nothing."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from sangyo.matching.services import expire_postings


class Command(BaseCommand):
    help = "Matching maintenance: expire (mark postings and jobs past their end date)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("expire", help="mark postings and jobs past their end date as expired")

    def handle(self, *args, action, **options):
        counts = expire_postings(actor="cli")
        self.stdout.write(
            _("掲載終了にしました：ニーズ・シーズ%(postings)s件、求人%(jobs)s件") % counts
        )
