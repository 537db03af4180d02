"""`sangyo jobs ping [--wait SECONDS]`: queue a small background job and wait for a worker to
run it, to check that the web process, Redis and the Celery worker work together."""

import time

from django.core.management.base import BaseCommand, CommandError

from sangyo.core.jobs import PING_JOB, job_start
from sangyo.core.models import Job


class Command(BaseCommand):
    help = "Background job checks."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        ping = sub.add_parser("ping", help="queue a job and wait for a worker to run it")
        ping.add_argument("--wait", type=float, default=60.0)

    def handle(self, *args, action, wait, **options):
        job = job_start(kind=PING_JOB, actor="cli")
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            job.refresh_from_db()
            if job.finished:
                break
            time.sleep(0.2)
        else:
            raise CommandError(
                f"ジョブ {job.pk} が {wait:.0f} 秒以内に終わりませんでした（ワーカーは動いていますか）"
            )
        if job.status != Job.Status.SUCCEEDED:
            raise CommandError(f"ジョブ {job.pk} が失敗しました: {job.error}")
        self.stdout.write(f"job {job.pk} {job.status}: {job.message}")
