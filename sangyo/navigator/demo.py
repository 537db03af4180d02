"""Synthetic demo data for the support navigator: the mapping and synonyms (from the data
file), the synthetic sample of outside programs, a few synthetic anonymous counts, and the
search index. Idempotent: a second run changes nothing."""

from django.utils import timezone

from sangyo.core.fiscal import fiscal_year

from . import search, services
from .models import ChallengeCount, MissedSearch

DEMO_COUNTS = {"sales": 12, "it": 9, "new-business": 7, "finance": 5, "succession": 3}
DEMO_MISSED = {"（合成データ）ドローン 実証": 4, "（合成データ）空き店舗 家賃": 2}


def load_demo(*, strategy) -> str:
    needs = services.needs_load_file(actor="demo")
    imported = services.outside_import(
        raw=services.SAMPLE_FILE.read_bytes(), actor="demo", is_synthetic=True
    )
    fy = fiscal_year(timezone.localdate())
    counts = 0
    for code, n in DEMO_COUNTS.items():
        _, created = ChallengeCount.objects.get_or_create(
            fiscal_year=fy, code=code, defaults={"count": n, "is_synthetic": True}
        )
        counts += created
    for query, n in DEMO_MISSED.items():
        MissedSearch.objects.get_or_create(
            query=query, defaults={"count": n, "last_seen": timezone.now(), "is_synthetic": True}
        )
    documents = search.rebuild()  # not audited: the index holds no record of its own
    return (
        f"課題 {needs['created']}、国・県などの制度 {imported.created}、"
        f"集計 {counts}、検索索引 {documents}件"
    )
