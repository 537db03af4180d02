"""Public event pages (list, detail + registration, calendar file, cancel, survey, open
data) and staff pages (list, create/edit, registrants, check-in)."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from sangyo.core.decorators import require_policy
from sangyo.core.security import public_ratelimit
from sangyo.core.tabular import write_csv

from . import policies, selectors, services
from .forms import EventForm, RegistrationForm, SurveyForm
from .models import Event, Registration

TOKYO = ZoneInfo("Asia/Tokyo")


def _event_or_404(pk: int) -> Event:
    try:
        return selectors.event_with_counts(pk)
    except Event.DoesNotExist:
        raise Http404 from None


# --- public ----------------------------------------------------------------------------


def event_list(request):
    return render(request, "events/list.html", {"events": selectors.upcoming_events()})


@require_http_methods(["GET", "POST"])
@public_ratelimit("public_form")
def event_detail(request, pk: int):
    event = _event_or_404(pk)
    is_open = services.registration_is_open(event)
    form = RegistrationForm(request.POST or None, event=event)
    if request.method == "POST" and is_open and form.is_valid():
        try:
            registration = services.registration_create(
                event=event,
                name=form.cleaned_data["name"],
                email=form.cleaned_data["email"],
                phone=form.cleaned_data["phone"],
                answers=form.answers(),
                language=translation.get_language() or "ja",
                actor="public",
            )
        except services.EventError as exc:
            form.add_error(None, str(exc))
        else:
            request.session["events_last_token"] = registration.token
            return redirect("events:done", token=registration.token)
    return render(request, "events/detail.html", {"event": event, "form": form, "is_open": is_open})


def registration_done(request, token: str):
    registration = selectors.registration_by_token(token)
    # Only the browser that registered sees the page; the mail carries the code too.
    if registration is None or request.session.get("events_last_token") != token:
        raise Http404
    return render(
        request,
        "events/done.html",
        {
            "registration": registration,
            "event": registration.event,
            "position": services.waiting_position(registration),
        },
    )


def _ics_text(value: str) -> str:
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _fold(line: str) -> str:
    out, current = [], ""
    for ch in line:
        if len((current + ch).encode()) > 73:
            out.append(current)
            current = " " + ch
        else:
            current += ch
    out.append(current)
    return "\r\n".join(out)


def event_ics(request, pk: int):
    event = _event_or_404(pk)
    fmt = "%Y%m%dT%H%M%S"
    location = (
        _("オンライン") if event.is_online else " ".join(filter(None, [event.place, event.address]))
    )
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Sangyo//Events//JA",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VTIMEZONE",
        "TZID:Asia/Tokyo",
        "BEGIN:STANDARD",
        "DTSTART:19700101T000000",
        "TZOFFSETFROM:+0900",
        "TZOFFSETTO:+0900",
        "TZNAME:JST",
        "END:STANDARD",
        "END:VTIMEZONE",
        "BEGIN:VEVENT",
        f"UID:event-{event.pk}@{request.get_host().split(':')[0]}",
        f"DTSTAMP:{timezone.now().astimezone(datetime.UTC).strftime(fmt)}Z",
        f"DTSTART;TZID=Asia/Tokyo:{event.starts_at.astimezone(TOKYO).strftime(fmt)}",
        f"DTEND;TZID=Asia/Tokyo:{event.ends_at.astimezone(TOKYO).strftime(fmt)}",
        f"SUMMARY:{_ics_text(event.t('title'))}",
        f"DESCRIPTION:{_ics_text(event.t('description'))}",
        f"LOCATION:{_ics_text(location)}",
        f"URL:{request.build_absolute_uri(reverse('events:detail', args=[event.pk]))}",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    body = "\r\n".join(_fold(line) for line in lines) + "\r\n"
    response = HttpResponse(body.encode(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="event-{event.pk}.ics"'
    return response


@require_http_methods(["GET", "POST"])
@public_ratelimit("public_form")
def registration_cancel(request, token: str):
    registration = selectors.registration_by_token(token)
    if registration is None:
        raise Http404
    error = ""
    if request.method == "POST":
        try:
            registration = services.registration_cancel(token=token, actor="public")
        except services.EventError as exc:
            error = str(exc)
        else:
            return render(
                request,
                "events/cancelled.html",
                {"registration": registration, "event": registration.event},
            )
    return render(
        request,
        "events/cancel.html",
        {"registration": registration, "event": registration.event, "error": error},
    )


@require_http_methods(["GET", "POST"])
@public_ratelimit("public_form")
def survey(request, token: str):
    registration = selectors.registration_by_token(token)
    if registration is None or registration.status == Registration.Status.CANCELLED:
        raise Http404
    answered = _has_survey(registration)
    not_yet = timezone.now() < registration.event.starts_at
    not_seated = registration.status not in services.SEATED
    form = SurveyForm(request.POST or None)
    if request.method == "POST" and not (answered or not_yet or not_seated) and form.is_valid():
        try:
            services.survey_submit(
                registration=registration,
                rating=form.cleaned_data["rating"],
                comment=form.cleaned_data["comment"],
            )
        except services.EventError as exc:
            form.add_error(None, str(exc))
        else:
            return render(request, "events/survey_thanks.html", {"event": registration.event})
    return render(
        request,
        "events/survey.html",
        {
            "registration": registration,
            "event": registration.event,
            "form": form,
            "answered": answered,
            "not_yet": not_yet,
            "not_seated": not_seated,
        },
    )


def _has_survey(registration) -> bool:
    from .models import SurveyResponse

    return SurveyResponse.objects.filter(registration=registration).exists()


OPENDATA_HEADER = [
    "都道府県コード又は市区町村コード",
    "NO",
    "都道府県名",
    "市区町村名",
    "イベント名",
    "イベント名_カナ",
    "イベント名_英語",
    "開始日",
    "終了日",
    "開始時間",
    "終了時間",
    "開始日時特記事項",
    "説明",
    "料金(基本)",
    "料金(詳細)",
    "連絡先名称",
    "連絡先電話番号",
    "連絡先内線番号",
    "主催者",
    "場所名称",
    "住所",
    "方書",
    "緯度",
    "経度",
    "アクセス方法",
    "駐車場情報",
    "定員",
    "参加申込終了日",
    "参加申込終了時間",
    "参加申込方法",
    "URL",
    "備考",
]


def _city() -> tuple[str, str, str]:
    """(6-digit 全国地方公共団体コード, prefecture, municipality) of the current strategy, so
    another city's events carry its own codes."""
    from sangyo.core.codes import lg_code6
    from sangyo.strategy.models import Strategy

    strategy = Strategy.objects.filter(is_current=True).first()
    if strategy is None:
        return "", "", ""
    code = strategy.municipality_code
    return (
        lg_code6(code) if len(code) == 5 else code,
        strategy.prefecture_ja,
        strategy.municipality_name_ja,
    )


def opendata_csv(request):
    CITY_CODE, PREFECTURE, CITY = _city()
    rows = []
    for n, event in enumerate(selectors.upcoming_events(), start=1):
        starts = event.starts_at.astimezone(TOKYO)
        ends = event.ends_at.astimezone(TOKYO)
        closes = (event.registration_closes_at or event.starts_at).astimezone(TOKYO)
        rows.append(
            [
                CITY_CODE,
                n,
                PREFECTURE,
                CITY,
                event.title_ja,
                "",
                event.title_en,
                starts.strftime("%Y-%m-%d"),
                ends.strftime("%Y-%m-%d"),
                starts.strftime("%H:%M"),
                ends.strftime("%H:%M"),
                "",
                event.description_ja,
                "",
                "",
                CITY,
                "",
                "",
                CITY,
                "オンライン" if event.is_online else event.place,
                event.address,
                "",
                "",
                "",
                "",
                "",
                event.capacity,
                closes.strftime("%Y-%m-%d"),
                closes.strftime("%H:%M"),
                "Webフォーム",
                request.build_absolute_uri(reverse("events:detail", args=[event.pk])),
                "合成データ" if event.is_synthetic else "",
            ]
        )
    response = HttpResponse(
        write_csv(OPENDATA_HEADER, rows), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="event_list.csv"'
    return response


# --- staff -----------------------------------------------------------------------------


@require_policy(policies.can_view_events_staff)
def staff_list(request):
    return render(
        request,
        "events/staff/list.html",
        {"events": selectors.all_events(), "can_manage": policies.can_manage_events(request.user)},
    )


@require_policy(policies.can_manage_events)
@require_http_methods(["GET", "POST"])
def staff_edit(request, pk: int | None = None):
    event = None
    if pk is not None:
        event = Event.objects.filter(pk=pk).first()
        if event is None:
            raise Http404
    form = EventForm(request.POST or None, instance=event)
    if request.method == "POST" and form.is_valid():
        fields = {f: form.cleaned_data[f] for f in form.Meta.fields}
        try:
            if event is None:
                event = services.event_create(actor=request.user, **fields)
            else:
                event = services.event_update(event=event, actor=request.user, **fields)
        except services.EventError as exc:
            form.add_error(None, str(exc))
        else:
            return redirect("events_staff:detail", pk=event.pk)
    return render(request, "events/staff/form.html", {"form": form, "event": event})


@require_policy(policies.can_view_events_staff)
def staff_detail(request, pk: int):
    event = _event_or_404(pk)
    show_people = policies.can_view_registrants(request.user)
    return render(
        request,
        "events/staff/detail.html",
        {
            "event": event,
            "registrations": selectors.registrations_for(event) if show_people else None,
            "survey": selectors.survey_summary(event),
            "can_manage": policies.can_manage_events(request.user),
        },
    )


@require_policy(policies.can_manage_events)
@require_POST
def staff_decide(request, pk: int, rid: int):
    """Approve or decline one registration of an event that needs approval."""
    event = _event_or_404(pk)
    registration = event.registrations.filter(pk=rid).first()
    if registration is None:
        raise Http404
    decision = request.POST.get("decision")
    try:
        if decision == "approve":
            registration = services.registration_approve(
                registration=registration, actor=request.user
            )
            messages.success(
                request,
                _("%(name)s さんを承認しました（%(status)s）")
                % {"name": registration.name, "status": registration.get_status_display()},
            )
        elif decision == "decline":
            services.registration_decline(
                registration=registration, actor=request.user, reason=request.POST.get("reason", "")
            )
            messages.success(
                request, _("%(name)s さんをお断りにしました") % {"name": registration.name}
            )
        else:
            messages.error(request, _("承認するかお断りするかを選んでください"))
    except services.EventError as exc:
        messages.error(request, str(exc))
    return redirect(f"{reverse('events_staff:detail', args=[event.pk])}#registrations")


@require_policy(policies.can_manage_events)
@require_http_methods(["GET", "POST"])
def staff_checkin(request, pk: int):
    event = _event_or_404(pk)
    message, error = "", ""
    if request.method == "POST":
        registration = (
            event.registrations.filter(pk=request.POST.get("registration") or 0).first()
            if request.POST.get("registration")
            else selectors.registrations_for(event, search=request.POST.get("code", ""))
            .filter(code__iexact=request.POST.get("code", "").strip().upper())
            .first()
        )
        if registration is None:
            error = _("該当する申込が見つかりません")
        else:
            try:
                registration = services.registration_attend(
                    registration=registration, actor=request.user
                )
            except services.EventError as exc:
                error = str(exc)
            else:
                message = _("%(name)s さんを出席にしました") % {"name": registration.name}
    q = request.GET.get("q", "").strip()
    found = list(selectors.registrations_for(event, search=q)[:30]) if q else []
    return render(
        request,
        "events/staff/checkin.html",
        {"event": event, "q": q, "found": found, "message": message, "error": error},
    )
