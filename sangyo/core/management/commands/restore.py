"""`sangyo restore DIR`: load a backup into an EMPTY database and media folder, then compare
every table and file with the backup's checksums. Fails on any difference."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from sangyo.core.backup import BackupError, read_manifest, restore, verify


class Command(BaseCommand):
    help = "Restore a backup into an empty database and verify every checksum."

    def add_arguments(self, parser):
        parser.add_argument("src", type=Path)
        parser.add_argument(
            "--verify-only",
            action="store_true",
            help="compare the current database and files with the backup, write nothing",
        )

    def handle(self, *args, src, verify_only, **options):
        try:
            problems = verify(read_manifest(src)) if verify_only else restore(src)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        manifest = read_manifest(src)
        if problems:
            for p in problems:
                self.stderr.write(p)
            raise CommandError(f"{len(problems)}件の不一致があります")
        self.stdout.write(
            f"復元を確認しました: {len(manifest['tables'])}表・ファイル{len(manifest['files']):,}件"
            "のチェックサムがすべて一致します"
        )
