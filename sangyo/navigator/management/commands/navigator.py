"""`sangyo navigator reindex | load-needs [FILE] | import FILE [--source S]`.

* reindex: rebuild the whole search index (the signals keep it up to date afterwards);
* load-needs: load the challenge/stage → measure mapping and the synonyms (idempotent);
* import: import outside programs from a jGrants-shaped JSON file (whole file validated
  first; nothing is written when any record is wrong).
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from sangyo.navigator import services


class Command(BaseCommand):
    help = "Support navigator: rebuild the search index, load the mapping, import programs."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("reindex", help="rebuild the search index")
        needs = sub.add_parser("load-needs", help="load the needs → measures mapping (YAML)")
        needs.add_argument("file", nargs="?", default=str(services.NEEDS_FILE))
        imp = sub.add_parser("import", help="import outside programs (jGrants JSON)")
        imp.add_argument("file")
        imp.add_argument("--source", default="jgrants")

    def handle(self, *args, action, **options):
        try:
            if action == "reindex":
                n = services.reindex(actor="cli")
                self.stdout.write(f"indexed {n} documents")
            elif action == "load-needs":
                counts = services.needs_load_file(path=options["file"], actor="cli")
                self.stdout.write(
                    "needs: {created} created, {updated} updated; synonyms: {synonyms} added".format(
                        **counts
                    )
                )
            else:
                raw = Path(options["file"]).read_bytes()
                r = services.outside_import(raw=raw, actor="cli", source=options["source"])
                self.stdout.write(
                    f"outside programs: {r.created} created, {r.updated} updated, "
                    f"{r.unchanged} unchanged"
                )
        except services.NavigatorError as exc:
            raise CommandError(str(exc)) from None
