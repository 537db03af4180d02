"""Scheduled work: mark postings and jobs past their end date as expired (run daily by
Celery beat, or `sangyo matching expire` from cron)."""

from celery import shared_task


@shared_task(name="sangyo.matching.expire_postings")
def expire_postings() -> dict:
    from .services import expire_postings as expire

    return expire(actor="celery")
