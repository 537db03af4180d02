"""`sangyo strategy check|load|list|current`: manage strategy files from the shell."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from sangyo.strategy.models import Strategy
from sangyo.strategy.schema import StrategyFileError
from sangyo.strategy.services import (
    StrategyLoadError,
    file_sha256,
    strategy_check,
    strategy_load,
    strategy_make_current,
)


class Command(BaseCommand):
    help = "Validate, load and list strategy files (strategies/*.yaml)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        check = sub.add_parser("check", help="validate a strategy file; write nothing")
        check.add_argument("file")
        load = sub.add_parser("load", help="validate and load a strategy file (idempotent)")
        load.add_argument("file")
        load.add_argument(
            "--make-current", action="store_true", help="mark this strategy as the current one"
        )
        sub.add_parser("list", help="list loaded strategies")
        current = sub.add_parser("current", help="mark a loaded strategy as current")
        current.add_argument("code")

    def handle(self, *args, action, **options):
        return getattr(self, f"do_{action}")(**options)

    def _check(self, path):
        try:
            return strategy_check(path=path)
        except StrategyFileError as exc:
            for problem in exc.problems:
                self.stderr.write(str(problem))
            raise CommandError(
                ngettext(
                    "%(count)s件の問題があります。何も書き込んでいません。",
                    "%(count)s件の問題があります。何も書き込んでいません。",
                    len(exc.problems),
                )
                % {"count": len(exc.problems)}
            ) from exc

    def do_check(self, file, **_options):
        doc = self._check(file)
        programs = sum(len(m.programs) for m in doc.measures)
        self.stdout.write(
            _("%(file)s: 問題はありません（ビジョン%(v)s、成果指標%(k)s、施策%(m)s、事業例%(p)s）")
            % {
                "file": file,
                "v": len(doc.visions),
                "k": sum(len(v.kpis) for v in doc.visions),
                "m": len(doc.measures),
                "p": programs,
            }
        )

    def do_load(self, file, make_current=False, **_options):
        doc = self._check(file)
        try:
            result = strategy_load(
                doc=doc, actor="cli", source_sha256=file_sha256(file), make_current=make_current
            )
        except StrategyLoadError as exc:
            raise CommandError(str(exc)) from exc
        strategy = result.strategy
        if result.created:
            self.stdout.write(_("新しく読み込みました: %(code)s") % {"code": strategy.code})
        elif not result.changes:
            self.stdout.write(_("変更はありません: %(code)s") % {"code": strategy.code})
        else:
            self.stdout.write(
                ngettext(
                    "%(code)s を更新しました（%(n)s件の変更）",
                    "%(code)s を更新しました（%(n)s件の変更）",
                    len(result.changes),
                )
                % {"code": strategy.code, "n": len(result.changes)}
            )
            for change in result.changes:
                fields = ", ".join(change.get("fields", []))
                self.stdout.write(
                    f"  {change['op']:8} {change['kind']:10} {change['key']} {fields}".rstrip()
                )
        if strategy.is_current:
            self.stdout.write(_("現行の戦略です。"))

    def do_list(self, **_options):
        for s in Strategy.objects.all():
            mark = "*" if s.is_current else " "
            self.stdout.write(f"{mark} {s.code}\t{s.title_ja}\tFY{s.start_fy}–FY{s.end_fy}")

    def do_current(self, code, **_options):
        strategy = Strategy.objects.filter(code=code).first()
        if strategy is None:
            raise CommandError(_("戦略「%(code)s」は読み込まれていません") % {"code": code})
        strategy_make_current(strategy=strategy, actor="cli")
        self.stdout.write(_("%(code)s を現行の戦略にしました") % {"code": code})
