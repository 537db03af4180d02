from celery import shared_task

from .jobs import execute


@shared_task(name="sangyo.core.run_job")
def run_job(job_id: int) -> str:
    return execute(job_id).status
