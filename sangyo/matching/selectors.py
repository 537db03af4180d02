"""Reads for matching pages, each a bounded number of queries, and suggested matches.

Public lists show only what is published and inside its period (`starts_on ≤ today ≤
ends_on`), whatever the stored status says, so a posting past its end date disappears at
midnight even before `sangyo matching expire` runs."""

from __future__ import annotations

import datetime
import re
import threading
import uuid
from dataclasses import dataclass

from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from . import similarity
from .models import (
    AbuseReport,
    Interest,
    Introduction,
    Job,
    JobApplication,
    Moderation,
    Posting,
    Property,
    Region,
)
from .services import INDEX_VERSION_KEY

PER_PAGE = 20


def page(qs, number, per_page: int = PER_PAGE):
    return Paginator(qs, per_page).get_page(number)


def _today():
    return timezone.localdate()


# --- needs and seeds --------------------------------------------------------------------


def public_postings(today=None) -> QuerySet[Posting]:
    today = today or _today()
    return Posting.objects.filter(
        status=Moderation.PUBLISHED, starts_on__lte=today, ends_on__gte=today
    ).select_related("business")


def search_postings(
    *, q: str = "", kind: str = "", category: str = "", region: str = "", purpose: str = ""
) -> QuerySet[Posting]:
    qs = public_postings()
    if kind in Posting.Kind.values:
        qs = qs.filter(kind=kind)
    if category in Posting.Category.values:
        qs = qs.filter(category=category)
    if region in Region.values:
        qs = qs.filter(region=region)
    if purpose in Posting.Purpose.values:
        qs = qs.filter(purpose=purpose)
    for word in q.split()[:5]:
        qs = qs.filter(
            Q(title_ja__icontains=word)
            | Q(title_en__icontains=word)
            | Q(body_ja__icontains=word)
            | Q(body_en__icontains=word)
            | Q(keywords__icontains=word)
        )
    return qs.order_by("-starts_on", "-id")


def public_posting(pk: int) -> Posting | None:
    return public_postings().filter(pk=pk).first()


def postings_of(business_ids) -> QuerySet[Posting]:
    return (
        Posting.objects.filter(business_id__in=business_ids)
        .select_related("business")
        .annotate(n_interests=Count("interests"))
        .order_by("-created_at", "-id")
    )


def interests_of(business_ids) -> QuerySet[Interest]:
    return (
        Interest.objects.filter(
            Q(business_id__in=business_ids) | Q(posting__business_id__in=business_ids)
        )
        .select_related("posting__business", "business")
        .order_by("-created_at", "-id")
    )


def interest_for_page(pk: int) -> Interest | None:
    return (
        Interest.objects.select_related(
            "posting__business", "business", "posting__created_by", "created_by"
        )
        .filter(pk=pk)
        .first()
    )


def messages_of(interest: Interest):
    return list(interest.messages.select_related("sender_business").order_by("created_at", "id"))


def moderation_queue():
    postings = Posting.objects.filter(status=Moderation.PENDING).select_related("business")
    jobs = Job.objects.filter(status=Moderation.PENDING).select_related("business")
    return postings.order_by("created_at", "id"), jobs.order_by("created_at", "id")


def staff_postings(status: str = "") -> QuerySet[Posting]:
    qs = Posting.objects.select_related("business").annotate(n_interests=Count("interests"))
    if status in Moderation.values:
        qs = qs.filter(status=status)
    return qs.order_by("-created_at", "-id")


def interests_for_staff(posting: Posting):
    return list(
        posting.interests.select_related("business", "introduction", "deal").order_by("created_at")
    )


def introductions():
    return Introduction.objects.select_related(
        "interest__posting__business", "interest__business", "staff", "interest__deal"
    ).order_by("-date", "-id")


# --- suggestions ------------------------------------------------------------------------


@dataclass
class Suggestion:
    posting: Posting
    score: float
    reasons: list[str]


_lock = threading.Lock()
_state: dict = {"version": None, "indexes": {}, "built_at": None, "synced_at": None}
# A full rebuild refreshes the IDF weights; between rebuilds, changed postings are applied
# one by one. SYNC_MARGIN covers transactions that committed after a sync although their
# `updated_at` is earlier (re-applying a posting is harmless).
FULL_REBUILD_AFTER = datetime.timedelta(minutes=30)
FULL_REBUILD_CHANGES = 0.05
SYNC_MARGIN = datetime.timedelta(minutes=2)
_COLUMNS = (
    "pk",
    "kind",
    "category",
    "region",
    "jsic_code",
    "starts_on",
    "ends_on",
    "business_id",
    "keywords",
    "vector",
    "status",
)


def _index_version() -> str:
    version = cache.get(INDEX_VERSION_KEY)
    if version is None:
        version = uuid.uuid4().hex
        cache.set(INDEX_VERSION_KEY, version, None)
    return version


def _meta(row) -> tuple:
    _pk, _kind, category, region, jsic, starts_on, ends_on, business_id, keywords = row[:9]
    return (category, region, (jsic or "")[:2], starts_on, ends_on, business_id, keywords)


def _build(now) -> None:
    rows = Posting.objects.filter(status=Moderation.PUBLISHED).values_list(*_COLUMNS)
    by_kind: dict[str, list] = {k: [] for k in Posting.Kind.values}
    for row in rows.iterator(chunk_size=5000):
        by_kind[row[1]].append((row[0], _meta(row), row[9] or {}))
    _state["indexes"] = {k: similarity.Index(v) for k, v in by_kind.items()}
    _state["built_at"] = _state["synced_at"] = now


def _sync(now) -> None:
    """Apply the postings changed since the last sync (published → add or replace, anything
    else → remove)."""
    since = _state["synced_at"] - SYNC_MARGIN
    indexes = _state["indexes"]
    for row in Posting.objects.filter(updated_at__gte=since).values_list(*_COLUMNS):
        for kind, index in indexes.items():
            if row[10] == Moderation.PUBLISHED and row[1] == kind:
                index.upsert(row[0], _meta(row), row[9] or {})
            else:
                index.remove(row[0])
    _state["synced_at"] = now


def indexes() -> dict[str, similarity.Index]:
    """The in-memory indexes of published postings, one per kind. When a posting changed
    anywhere (services bump a version in the shared cache), the changed postings are applied
    to the index; it is rebuilt in full when it is old or has drifted by many changes."""
    version = _index_version()
    if _state["version"] == version:
        return _state["indexes"]
    with _lock:
        if _state["version"] == version:
            return _state["indexes"]
        now = timezone.now()
        built = _state["built_at"]
        if (
            built is None
            or now - built > FULL_REBUILD_AFTER
            or any(
                i.changes > max(50, i.size * FULL_REBUILD_CHANGES)
                for i in _state["indexes"].values()
            )
        ):
            _build(now)
        else:
            _sync(now)
        _state["version"] = version
        return _state["indexes"]


def reset_indexes() -> None:
    """Forget the in-memory indexes (tests, or after a bulk import)."""
    with _lock:
        _state.update(version=None, indexes={}, built_at=None, synced_at=None)


_KEYWORD_SPLIT = re.compile(r"[\s,、，・/／]+")


def _keywords(text: str) -> dict[str, str]:
    """Keywords by comparison key → as written."""
    from sangyo.core.text import normalize_for_match

    return {normalize_for_match(w): w for w in _KEYWORD_SPLIT.split(text or "") if w.strip()}


COMPLEMENT = {
    "order": ("take_order", "offer"),
    "research": ("offer", "take_order"),
    "tech_consult": ("offer",),
    "take_order": ("order",),
    "offer": ("research", "tech_consult", "order"),
}


def suggestions_for(posting: Posting, *, limit: int = 5, today=None) -> list[Suggestion]:
    """Published postings of the complementary kind that fit `posting`, best first, each with
    its reasons in words. Score: text cosine (0–1) × 0.6 + same category 0.2 + same region
    (or either nationwide) 0.1 + same JSIC 中分類 0.1."""
    today = today or _today()
    opposite = Posting.Kind.SEED if posting.kind == Posting.Kind.NEED else Posting.Kind.NEED
    index = indexes()[opposite]
    vector = posting.vector or similarity.vector_of(
        posting.title_ja, posting.body_ja, posting.keywords
    )
    my_jsic = (posting.jsic_code or "")[:2]
    scored = []
    seen = set()
    for doc, cosine, shared in index.query(vector, limit=300):
        category, region, jsic, starts_on, ends_on, business_id, keywords = doc.meta
        if doc.pk == posting.pk or business_id == posting.business_id:
            continue
        if not (starts_on <= today <= ends_on):
            continue
        seen.add(doc.pk)
        score = 0.6 * cosine
        score += 0.2 if category == posting.category else 0.0
        score += (
            0.1 if (region == posting.region or "nationwide" in (region, posting.region)) else 0.0
        )
        score += 0.1 if my_jsic and jsic == my_jsic else 0.0
        scored.append((score, doc.pk, cosine, shared, keywords))
    scored.sort(key=lambda s: (-s[0], -s[1]))
    # A few more candidates than needed: the index may still hold a posting that was hidden
    # a moment ago in another process; the database has the last word.
    top = scored[: limit * 3]
    objects = public_postings(today).in_bulk([t[1] for t in top])
    top = [t for t in top if t[1] in objects][:limit]
    if len(top) < limit:
        # Too little shared text: fill with recent postings of the same category.
        extra = list(
            public_postings(today)
            .filter(kind=opposite, category=posting.category)
            .exclude(business_id=posting.business_id)
            .exclude(pk__in=seen | {posting.pk})
            .order_by("-starts_on", "-id")[: limit - len(top)]
        )
        objects |= {p.pk: p for p in extra}
        top += [(0.2, p.pk, 0.0, [], p.keywords) for p in extra]
    mine = _keywords(posting.keywords)
    return [
        Suggestion(
            objects[pk],
            round(score, 3),
            _reasons(posting, objects[pk], cosine, shared, _common(mine, _keywords(keywords))),
        )
        for score, pk, cosine, shared, keywords in top
    ]


def _common(mine: dict[str, str], theirs: dict[str, str]) -> list[str]:
    """Shared keywords, spelled as the other posting wrote them."""
    return [theirs[k] for k in sorted(mine.keys() & theirs.keys())]


def _reasons(posting, other, cosine, shared, common_keywords) -> list[str]:
    reasons = [
        _("「%(mine)s」に対して「%(theirs)s」の掲載です")
        % {"mine": posting.get_purpose_display(), "theirs": other.get_purpose_display()}
    ]
    if other.category == posting.category:
        reasons.append(
            _("分野が同じです（%(category)s）") % {"category": other.get_category_display()}
        )
    if other.region == posting.region:
        reasons.append(_("地域が同じです（%(region)s）") % {"region": other.get_region_display()})
    elif "nationwide" in (other.region, posting.region):
        reasons.append(_("全国対応の掲載です"))
    if posting.jsic_code and other.jsic_code[:2] == posting.jsic_code[:2]:
        reasons.append(_("産業分類（中分類 %(code)s）が同じです") % {"code": posting.jsic_code[:2]})
    if common_keywords:
        reasons.append(
            _("共通するキーワード：%(words)s") % {"words": "、".join(common_keywords[:5])}
        )
    elif cosine >= 0.05:
        reasons.append(
            _("内容の文章が似ています（類似度 %(pct)s%%）") % {"pct": round(cosine * 100)}
        )
    return reasons


# --- properties -------------------------------------------------------------------------


def search_properties(*, use: str = "", district: str = "", rent_max=None, area_min=None):
    qs = Property.objects.filter(is_published=True).select_related("district", "partner")
    if use in Property.Use.values:
        qs = qs.filter(use=use)
    if district and str(district).isdigit():
        qs = qs.filter(district_id=int(district))
    if rent_max is not None:
        qs = qs.filter(rent_yen__lte=rent_max)
    if area_min is not None:
        qs = qs.filter(area_m2__gte=area_min)
    return qs.order_by("-available_from", "-id")


def staff_properties():
    return (
        Property.objects.select_related("district", "partner")
        .annotate(
            n_enquiries=Count("enquiries", distinct=True),
            n_proposals=Count("proposals", distinct=True),
        )
        .order_by("-created_at", "-id")
    )


# --- jobs -------------------------------------------------------------------------------


def public_jobs(today=None) -> QuerySet[Job]:
    today = today or _today()
    return Job.objects.filter(
        status=Moderation.PUBLISHED, starts_on__lte=today, ends_on__gte=today
    ).select_related("business")


def search_jobs(*, q: str = "", kind: str = "", english: bool = False, target: str = ""):
    qs = public_jobs()
    if kind in Job.Kind.values:
        qs = qs.filter(kind=kind)
    if english:
        qs = qs.filter(english_ok=True)
    if target in Job.Target.values:
        qs = qs.filter(target=target)
    for word in q.split()[:5]:
        qs = qs.filter(
            Q(title_ja__icontains=word)
            | Q(title_en__icontains=word)
            | Q(description_ja__icontains=word)
            | Q(description_en__icontains=word)
            | Q(place__icontains=word)
            | Q(business__name__icontains=word)
        )
    return qs.order_by("-starts_on", "-id")


def jobs_of(business_ids):
    return (
        Job.objects.filter(business_id__in=business_ids)
        .select_related("business")
        .annotate(n_applications=Count("applications"))
        .order_by("-created_at", "-id")
    )


def applications_for(job: Job):
    return job.applications.order_by("-created_at", "-id")


def application_by_token(token: str) -> JobApplication | None:
    return JobApplication.objects.select_related("job__business").filter(token=token).first()


def staff_jobs(status: str = ""):
    qs = Job.objects.select_related("business").annotate(n_applications=Count("applications"))
    if status in Moderation.values:
        qs = qs.filter(status=status)
    return qs.order_by("-created_at", "-id")


def placements():
    return (
        JobApplication.objects.filter(status=JobApplication.Status.HIRED)
        .select_related("job__business")
        .order_by("-placed_at", "-id")
    )


def tours(limit: int = 10):
    """Company tours (events of kind `tour`), read only, for the placements page."""
    from sangyo.events.models import Event

    return list(Event.objects.filter(kind="tour").order_by("-starts_at")[:limit])


def open_reports():
    return AbuseReport.objects.select_related("reporter").order_by("status", "-created_at", "-id")
