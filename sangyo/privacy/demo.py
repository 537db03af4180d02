"""Synthetic demo data for personal-data requests: the retention rules with their defaults
and three requests (合成データ) in different states, so the staff pages have something to
show. Idempotent: a second run changes nothing."""

from django.db import transaction

from sangyo.accounts.models import User

from . import services
from .models import PersonalDataRequest as Req
from .retention import ensure_rules

DEMO_SEEKER = ("seeker-demo@example.jp", "求職 四郎（合成データ）")


@transaction.atomic
def load_demo(*, strategy) -> str:
    rules = ensure_rules()
    created = 0
    if not Req.objects.filter(is_synthetic=True).exists():
        officer = User.objects.filter(email="officer@example.jp").first()
        owner = User.objects.filter(email="business@example.jp").first()
        if owner is not None:
            services.request_file_own(user=owner, kind=Req.Kind.EXPORT)
            created += 1
        if officer is not None:
            email, name = DEMO_SEEKER
            services.request_file_for(
                actor=officer,
                kind=Req.Kind.DELETION,
                channel=Req.Channel.PHONE,
                subject_email=email,
                subject_name=name,
                reason="（合成データ）求人への応募の記録を消してほしいと電話で依頼",
            )
            correction = services.request_file_for(
                actor=officer,
                kind=Req.Kind.CORRECTION,
                channel=Req.Channel.LETTER,
                subject_email="letter-demo@example.jp",
                subject_name="訂正 五子（合成データ）",
                reason="（合成データ）イベント申込の氏名の誤字の訂正",
            )
            services.request_update(
                req=correction,
                actor=officer,
                status=Req.Status.IN_PROGRESS,
                staff_notes="（合成データ）郵送で本人確認書類を受領",
            )
            created += 2
        Req.objects.filter(reason__startswith="（合成データ）").update(is_synthetic=True)
        if owner is not None:
            Req.objects.filter(requester=owner, kind=Req.Kind.EXPORT).update(is_synthetic=True)
    return f"保存期間 +{rules}、請求 +{created}"
