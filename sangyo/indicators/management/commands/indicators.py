"""`sangyo indicators refresh|import`: recount computed indicators, import observation files."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from sangyo.indicators.imports import parse_observation_file
from sangyo.indicators.models import Indicator
from sangyo.indicators.services import (
    IndicatorError,
    indicator_refresh_computed,
    observations_apply,
    observations_plan,
)
from sangyo.strategy.models import Strategy


class Command(BaseCommand):
    help = "Recompute computed indicators; import observation files (CSV/Excel)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        refresh = sub.add_parser("refresh", help="recompute every computed indicator")
        refresh.add_argument("--strategy", help="only this strategy (code); default: all")
        imp = sub.add_parser("import", help="import an observation file (all or nothing)")
        imp.add_argument("file")
        imp.add_argument("--dry-run", action="store_true", help="show what would change")
        imp.add_argument("--strategy", help="strategy code; default: the current strategy")

    def handle(self, *args, action, **options):
        return getattr(self, f"do_{action}")(**options)

    def do_refresh(self, strategy=None, **_options):
        indicators = Indicator.objects.filter(obtained=Indicator.Obtained.COMPUTED).select_related(
            "strategy"
        )
        if strategy:
            indicators = indicators.filter(strategy__code=strategy)
        failed = 0
        for indicator in indicators.order_by("strategy__code", "code"):
            try:
                result = indicator_refresh_computed(indicator=indicator, actor="cli")
            except IndicatorError as exc:
                failed += 1
                self.stderr.write(f"{indicator.strategy.code}/{indicator.code}: {exc}")
                continue
            self.stdout.write(
                f"{indicator.strategy.code}/{indicator.code}: "
                + _("追加%(added)s件、改定%(revised)s件、変更なし%(unchanged)s件")
                % result.as_dict()
            )
        if failed:
            raise CommandError(
                ngettext(
                    "%(n)s件の指標を再集計できませんでした",
                    "%(n)s件の指標を再集計できませんでした",
                    failed,
                )
                % {"n": failed}
            )

    def do_import(self, file, dry_run=False, strategy=None, **_options):
        target = (
            Strategy.objects.filter(code=strategy).first()
            if strategy
            else Strategy.objects.filter(is_current=True).first()
        )
        if target is None:
            raise CommandError(
                _("戦略「%(code)s」は読み込まれていません") % {"code": strategy}
                if strategy
                else _("現行の戦略がありません（--strategy で指定してください）")
            )
        path = Path(file)
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(str(exc)) from exc
        parsed = parse_observation_file(data, path.name, target)
        for error in parsed.errors:
            self.stderr.write(str(error))
        if parsed.errors:
            raise CommandError(
                ngettext(
                    "%(n)s件のエラーがあります。何も書き込んでいません。",
                    "%(n)s件のエラーがあります。何も書き込んでいません。",
                    len(parsed.errors),
                )
                % {"n": len(parsed.errors)}
            )
        if dry_run:
            counts = observations_plan(parsed.items)
            template = _("確認のみ: 追加%(added)s件、改定%(revised)s件、変更なし%(unchanged)s件")
        else:
            counts = observations_apply(items=parsed.items, actor="cli", source_label=path.name)
            template = _(
                "取り込みました: 追加%(added)s件、改定%(revised)s件、変更なし%(unchanged)s件"
            )
        self.stdout.write(template % counts.as_dict())
        if parsed.skipped:
            self.stdout.write(_("値が空の%(n)s行は読み飛ばしました") % {"n": parsed.skipped})
