"""`sangyo backup DIR`: database, uploaded files and a manifest of checksums (see
sangyo/core/backup.py and docs/operations.md)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from sangyo.core.audit import audit
from sangyo.core.backup import BackupError, backup


class Command(BaseCommand):
    help = "Back up the database and uploaded files into an empty folder, with checksums."

    def add_arguments(self, parser):
        parser.add_argument("dest", type=Path)

    def handle(self, *args, dest, **options):
        try:
            manifest = backup(dest)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        rows = sum(t["rows"] for t in manifest["tables"].values())
        audit(
            "core.backup.created",
            actor="cli",
            data={"dest": str(dest), "tables": len(manifest["tables"]), "rows": rows},
        )
        self.stdout.write(
            f"バックアップしました: {dest}（{len(manifest['tables'])}表・{rows:,}行、"
            f"ファイル{len(manifest['files']):,}件）"
        )
