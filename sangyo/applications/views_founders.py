"""Staff pages for founder support (特定創業支援等事業): the list of founders with their
progress, one founder's sessions with the forms to record a session and issue the
certificate, and the certificate PDF (also for the holder business's own members).

Views parse, authorise (`founders.can_*`), call one service or selector, render.
"""

from __future__ import annotations

import uuid

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_GET, require_http_methods

from sangyo.core.decorators import require_policy
from sangyo.core.wareki import WarekiError, parse_date
from sangyo.registry.models import PartnerOrganisation

from . import founders
from .models import FounderSession

PAGE_SIZE = 50
DATE_HELP = _lazy("西暦または和暦で入力してください（例: 2025-04-01、令和7年4月1日、R7.4.1）")


class DateTextField(forms.CharField):
    """A date typed as 西暦 or 和暦 text, parsed after the length check (so the parsed date
    is never measured as a string)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 40)
        kwargs.setdefault("help_text", DATE_HELP)
        super().__init__(**kwargs)

    def clean(self, value):
        text = super().clean(value)
        if text in self.empty_values:
            return None
        try:
            return parse_date(text)
        except WarekiError as exc:
            raise forms.ValidationError(str(exc), code="invalid") from exc


class SessionForm(forms.Form):
    date = DateTextField(label=_lazy("受講・相談日"))
    areas = forms.MultipleChoiceField(
        label=_lazy("分野"),
        choices=FounderSession.AREAS,
        widget=forms.CheckboxSelectMultiple,
        help_text=_lazy("この受講・相談で扱った分野をすべて選んでください"),
        error_messages={"required": _lazy("分野を1つ以上選んでください")},
    )
    provider = forms.ModelChoiceField(
        label=_lazy("実施機関"),
        queryset=PartnerOrganisation.objects.order_by("kind", "name"),
        required=False,
        empty_label=_lazy("（選択しない）"),
    )
    note = forms.CharField(
        label=_lazy("内容"),
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_lazy("セミナー名や相談の内容（300文字以内）"),
    )
    # One value per rendered form: submitting the same form twice records one session.
    token = forms.CharField(widget=forms.HiddenInput, required=False)


class IssueForm(forms.Form):
    issued_on = DateTextField(
        label=_lazy("交付日"),
        required=False,
        help_text=_lazy(
            "空欄なら本日。西暦または和暦で入力できます（例: 2025-04-01、令和7年4月1日）"
        ),
    )


def _authenticated(user) -> bool:
    return True  # require_policy has already sent anonymous visitors to log in


@require_GET
@require_policy(founders.can_view_founders)
def founder_list(request):
    query = request.GET.get("q", "").strip()[:100]
    with_sessions = request.GET.get("with_sessions") == "1"
    page = Paginator(
        founders.founders_list(query=query, with_sessions=with_sessions), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    rows = [{"business": b, "progress": founders.founder_progress(b)} for b in page]
    return render(
        request,
        "applications/founders/list.html",
        {
            "page": page,
            "rows": rows,
            "query": query,
            "with_sessions": with_sessions,
            "can_manage": founders.can_manage_founders(request.user),
            "areas": FounderSession.AREAS,
        },
    )


@require_http_methods(["GET", "POST"])
@require_policy(founders.can_manage_founders)
def founder_progress(request, business_id: int):
    business = founders.founder_detail(business_id)
    session_form = SessionForm(initial={"token": uuid.uuid4().hex})
    issue_form = IssueForm()
    issue_error = ""
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "record":
            session_form = SessionForm(request.POST)
            if session_form.is_valid():
                data = session_form.cleaned_data
                token = data["token"] or uuid.uuid4().hex
                try:
                    founders.founder_session_record(
                        business=business,
                        date=data["date"],
                        areas=data["areas"],
                        provider=data["provider"],
                        note=data["note"],
                        source=f"staff.founder_session:{token}"[:120],
                        actor=request.user,
                    )
                except founders.FounderError as exc:
                    session_form.add_error(None, str(exc))
                else:
                    messages.success(request, _("受講記録を登録しました。"))
                    return redirect("founders:progress", business_id=business.pk)
        elif action == "issue":
            issue_form = IssueForm(request.POST)
            if issue_form.is_valid():
                try:
                    certificate = founders.founder_certificate_issue(
                        business=business,
                        actor=request.user,
                        issued_on=issue_form.cleaned_data["issued_on"],
                    )
                except founders.FounderError as exc:
                    issue_error = str(exc)
                else:
                    messages.success(
                        request,
                        _("証明書（%(number)s）を交付しました。") % {"number": certificate.number},
                    )
                    return redirect("founders:progress", business_id=business.pk)
        else:
            raise Http404
    progress = founders.founder_progress(business)
    return render(
        request,
        "applications/founders/progress.html",
        {
            "business": business,
            "progress": progress,
            "session_form": session_form,
            "issue_form": issue_form,
            "issue_error": issue_error,
            "required_sessions": founders.REQUIRED_SESSIONS,
        },
    )


@require_GET
@require_policy(_authenticated)
def certificate_pdf(request, pk: int):
    from .pdf import certificate_pdf as render_pdf

    certificate = founders.certificate_for_pdf(pk)
    if not founders.can_download_certificate(request.user, certificate):
        raise Http404
    response = HttpResponse(render_pdf(certificate), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=f"{certificate.number}.pdf"
    )
    response["Cache-Control"] = "private, no-store"
    return response
