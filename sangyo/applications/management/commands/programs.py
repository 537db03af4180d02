"""`sangyo programs check|load FILE`: validate and load a programs file (制度の詳細・申請フォーム).

Every problem is reported as `file:line: field: message` and nothing is written when there is
one; loading the same file again changes nothing.
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from sangyo.applications.config import (
    DEFAULT_FILE,
    ProgramsFileError,
    parse_programs_file,
    programs_check,
    programs_load,
)


class Command(BaseCommand):
    help = "Validate and load a programs file (sangyo/applications/data/programs-*.yaml)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        check = sub.add_parser("check", help="validate a programs file; write nothing")
        check.add_argument("file", nargs="?", default=str(DEFAULT_FILE))
        load = sub.add_parser("load", help="validate and load a programs file (idempotent)")
        load.add_argument("file", nargs="?", default=str(DEFAULT_FILE))

    def handle(self, *args, action, file, **options):
        try:
            parsed = parse_programs_file(file)
            if action == "check":
                programs_check(parsed)
                self.stdout.write(
                    _("%(file)s: 問題はありません（制度%(p)s、フォーム%(f)s、指標%(i)s）")
                    % {
                        "file": file,
                        "p": len(parsed.doc.programs),
                        "f": len(parsed.doc.forms),
                        "i": len(parsed.doc.indicators),
                    }
                )
                return
            result = programs_load(parsed=parsed, actor="cli")
        except ProgramsFileError as exc:
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
        if not result.changes:
            self.stdout.write(_("変更はありません: %(file)s") % {"file": file})
        else:
            self.stdout.write(
                _("読み込みました: 追加%(added)s件、更新%(updated)s件")
                % {"added": result.count("created"), "updated": result.count("updated")}
            )
            for change in result.changes:
                fields = ", ".join(change.get("fields", []))
                self.stdout.write(
                    f"  {change['op']:8} {change['kind']:10} {change['key']} {fields}".rstrip()
                )
        for note in result.skipped:
            self.stdout.write(_("注意: %(note)s") % {"note": note})
