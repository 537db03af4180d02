"""Staff screens of the business registry (事業者台帳), and the business side's own pages
(`my/`: the businesses a user acts for, and delegation to a proxy as GビズID does).

Views parse, authorise (policies), call one service or selector, and render. Forbidden and
missing records both answer 404."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sangyo.accounts.elevation import elevation_required
from sangyo.accounts.models import Role
from sangyo.core.decorators import require_policy
from sangyo.core.tabular import TabularError

from . import exports, policies, services
from .classification import founder_stage
from .forms import (
    EXPORT_FORMATS,
    AnonymizeForm,
    BusinessFilterForm,
    BusinessForm,
    ContactForm,
    DelegationForm,
    MemberAddForm,
    add_service_error,
)
from .models import Business, Contact, Delegation, Membership
from .selectors import (
    business_contacts,
    business_delegations,
    business_for_page,
    business_memberships,
    business_support_timeline,
    businesses_of_user,
    district_options,
    duplicate_candidates,
    merge_preview,
    page_of,
    partners_by_kind,
    staff_search,
    tag_names,
)
from .services import RegistryError, jsic_table

PER_PAGE = 50
MAX_PAGE = 200
SORT_COLUMNS = [
    ("kana", gettext_lazy("名称（フリガナ順）")),
    ("established", gettext_lazy("設立・創業日")),
    ("employees", gettext_lazy("従業員数")),
    ("updated", gettext_lazy("更新日時")),
    ("registered", gettext_lazy("登録日")),
]
# The direction a header sorts in when it is first chosen.
FIRST_DIRECTION = {
    "kana": "kana",
    "established": "established",
    "employees": "-employees",
    "updated": "-updated",
    "registered": "-registered",
}
FILTER_KEYS = (
    "q",
    "corporate_number",
    "district",
    "jsic_major",
    "jsic",
    "size",
    "stage",
    "tag",
    "status",
    "in_city",
)


# --- policies of the business side ------------------------------------------------------------
# These belong in policies.py; they live here until the registry's owner moves them.


def can_use_business_area(user) -> bool:
    """The business side (`my/`) is for business accounts."""
    return bool(user and user.is_authenticated and user.is_active and user.role == Role.BUSINESS)


def can_delegate(user, business: Business) -> bool:
    """Only the business's representative (GビズID プライム) may name a proxy."""
    return (
        can_use_business_area(user)
        and Membership.objects.filter(
            user=user, business=business, role=Membership.Role.REPRESENTATIVE
        ).exists()
    )


# --- helpers ----------------------------------------------------------------------------------


def _lang() -> str:
    return (get_language() or "ja")[:2]


def _stage(business: Business, today):
    stage = founder_stage(
        corporate_type=business.corporate_type,
        date_of_establishment=business.date_of_establishment,
        on=today,
    )
    en = _lang() == "en"
    return {
        "key": stage.key,
        "label": stage.label_en if en else stage.label_ja,
        "reason": stage.reason_en if en else stage.reason_ja,
    }


def _jsic_label(code: str) -> str:
    if not code:
        return ""
    try:
        return jsic_table().label(code, _lang())
    except ValueError:
        return code


def _page_number(request) -> int:
    # Deep pages cost an OFFSET walk over everything before them; past MAX_PAGE, staff are
    # better served by a narrower filter (or the export).
    try:
        return min(MAX_PAGE, max(1, int(request.GET.get("page", "1"))))
    except ValueError:
        return 1


def _filter_query(request) -> dict[str, str]:
    """The filter part of the query string (what sort links, pages and exports keep)."""
    return {k: request.GET[k] for k in FILTER_KEYS if request.GET.get(k, "").strip()}


def _get_business(pk: int) -> Business:
    business = business_for_page(pk)
    if business is None:
        raise Http404
    return business


def _districts():
    return district_options()


# --- list and export --------------------------------------------------------------------------


def _filter_form(request) -> BusinessFilterForm:
    form = BusinessFilterForm(
        request.GET if request.GET else None, districts=_districts(), tags=tag_names()
    )
    if form.is_bound:
        form.is_valid()
    return form


@require_policy(policies.can_view_businesses)
def business_list(request):
    form = _filter_form(request)
    f = form.to_filter()
    page = page_of(staff_search(f), _page_number(request), per_page=PER_PAGE)
    today = timezone.localdate()
    rows = [
        {"b": b, "stage": _stage(b, today), "jsic": _jsic_label(b.jsic_code)} for b in page.items
    ]
    query = _filter_query(request)
    current = f.sort
    sort_links = []
    for key, label in SORT_COLUMNS:
        active = current.lstrip("-") == key
        descending = current.startswith("-")
        next_sort = (key if descending else f"-{key}") if active else FIRST_DIRECTION[key]
        sort_links.append(
            {
                "key": key,
                "label": label,
                "href": "?" + urlencode({**query, "sort": next_sort}),
                "aria_sort": ("descending" if descending else "ascending") if active else "",
            }
        )
    keep = {**query, "sort": current}
    context = {
        "form": form,
        "page": page,
        "rows": rows,
        "first_index": page.start_index,
        "last_index": page.start_index + len(page.items) - 1 if page.items else 0,
        "previous_href": "?" + urlencode({**keep, "page": page.number - 1}),
        "next_href": "?" + urlencode({**keep, "page": page.number + 1}),
        "at_page_limit": page.number >= MAX_PAGE and page.has_next,
        "sort_links": {s["key"]: s for s in sort_links},
        "sort_label": _("%(column)s（%(direction)s）")
        % {
            "column": dict(SORT_COLUMNS)[current.lstrip("-")],
            "direction": _("降順") if current.startswith("-") else _("昇順"),
        },
        "export_links": [
            (label, reverse("registry:business_export") + "?" + urlencode({**keep, "format": fmt}))
            for fmt, label in EXPORT_FORMATS.items()
        ],
        "show_personal": policies.can_view_personal_data(request.user),
        "export_personal": policies.can_export_personal_data(request.user),
        "can_edit": policies.can_edit_businesses(request.user),
        "can_merge": policies.can_merge(request.user),
        "filtered": bool(query),
    }
    return render(request, "registry/business_list.html", context)


@require_policy(policies.can_view_businesses)
def business_export(request):
    fmt = request.GET.get("format", "csv_utf8")
    if fmt not in exports.FORMATS:
        raise Http404
    form = _filter_form(request)
    f = form.to_filter()
    today = timezone.localdate()
    personal = policies.can_export_personal_data(request.user)
    cols = exports.columns(personal=personal, today=today, cp932=fmt == "csv_cp932")
    header = [c.header for c in cols]
    qs = staff_search(f, today=today)
    rows = exports.iter_rows(qs, cols)
    if fmt == "csv_utf8":
        if personal:
            exports.record_export(actor=request.user, f=f, fmt=fmt, rows=qs.count())
        response = StreamingHttpResponse(
            exports.stream_csv_utf8(header, rows), content_type=exports.CONTENT_TYPES[fmt]
        )
    else:
        try:
            content, count = exports.build(fmt, header, rows)
        except TabularError as exc:
            return render(
                request,
                "registry/export_error.html",
                {
                    "message": str(exc),
                    "fmt_label": EXPORT_FORMATS[fmt],
                    "utf8_href": reverse("registry:business_export")
                    + "?"
                    + urlencode({**_filter_query(request), "format": "csv_utf8"}),
                    "back_href": reverse("registry:business_list")
                    + "?"
                    + urlencode(_filter_query(request)),
                },
                status=400,
            )
        if personal:
            exports.record_export(actor=request.user, f=f, fmt=fmt, rows=count)
        response = HttpResponse(content, content_type=exports.CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{exports.filename(fmt, today)}"'
    return response


# --- one business -----------------------------------------------------------------------------


def _detail_context(request, business: Business, **extra) -> dict:
    user = request.user
    personal = policies.can_view_personal_data(user)
    can_edit = policies.can_edit_businesses(user)
    today = timezone.localdate()
    context = {
        "business": business,
        "stage": _stage(business, today),
        "jsic": _jsic_label(business.jsic_code),
        "timeline": business_support_timeline(business),
        "show_personal": personal,
        "can_edit": can_edit,
        "can_merge": policies.can_merge(user),
        "tags": list(business.tags.all()),
    }
    if personal:
        context |= {
            "contacts": business_contacts(business),
            "memberships": business_memberships(business),
            "delegations": business_delegations(business),
            "today": today,
        }
    if can_edit:
        context["member_form"] = MemberAddForm(prefix="member")
    return context | extra


@require_policy(policies.can_view_businesses)
def business_detail(request, pk: int):
    business = _get_business(pk)
    return render(request, "registry/business_detail.html", _detail_context(request, business))


@require_policy(policies.can_edit_businesses)
def business_create(request):
    districts = _districts()
    form = BusinessForm(request.POST or None, districts=districts)
    if request.method == "POST" and form.is_valid():
        try:
            business = services.business_create(actor=request.user, **form.service_kwargs())
        except RegistryError as exc:
            add_service_error(form, exc)
        else:
            messages.success(
                request, _("事業者「%(name)s」を登録しました。") % {"name": business.name}
            )
            return redirect("registry:business_detail", pk=business.pk)
    return render(request, "registry/business_form.html", {"form": form, "business": None})


@require_policy(policies.can_edit_businesses)
def business_edit(request, pk: int):
    business = _get_business(pk)
    districts = _districts()
    if request.method == "POST":
        form = BusinessForm(request.POST, districts=districts)
        if form.is_valid():
            try:
                services.business_update(
                    business=business, actor=request.user, **form.service_kwargs()
                )
            except RegistryError as exc:
                add_service_error(form, exc)
            else:
                messages.success(
                    request, _("事業者「%(name)s」を更新しました。") % {"name": business.name}
                )
                return redirect("registry:business_detail", pk=business.pk)
    else:
        form = BusinessForm(initial=BusinessForm.initial_for(business), districts=districts)
    return render(request, "registry/business_form.html", {"form": form, "business": business})


# --- contacts (personal data) -----------------------------------------------------------------


def _get_contact(cid: int) -> Contact:
    contact = Contact.objects.select_related("business").filter(pk=cid).first()
    if contact is None:
        raise Http404
    return contact


@require_policy(policies.can_view_personal_data)
def contact_create(request, pk: int):
    business = _get_business(pk)
    form = ContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.contact_create(business=business, actor=request.user, **form.service_kwargs())
        except RegistryError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("連絡先を登録しました。"))
            return redirect(reverse("registry:business_detail", args=[business.pk]) + "#contacts")
    return render(
        request, "registry/contact_form.html", {"form": form, "business": business, "contact": None}
    )


@require_policy(policies.can_view_personal_data)
def contact_edit(request, cid: int):
    contact = _get_contact(cid)
    business = contact.business
    if request.method == "POST":
        form = ContactForm(request.POST)
        if form.is_valid():
            try:
                services.contact_update(
                    contact=contact, actor=request.user, **form.service_kwargs()
                )
            except RegistryError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("連絡先を更新しました。"))
                return redirect(
                    reverse("registry:business_detail", args=[business.pk]) + "#contacts"
                )
    else:
        form = ContactForm(initial={f: getattr(contact, f) for f in ContactForm.FIELDS})
    return render(
        request,
        "registry/contact_form.html",
        {"form": form, "business": business, "contact": contact},
    )


@require_policy(policies.can_view_personal_data)
def contact_anonymize(request, cid: int):
    contact = _get_contact(cid)
    business = contact.business
    form = AnonymizeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.contact_anonymize(
            contact=contact, actor=request.user, reason=form.cleaned_data["reason"]
        )
        messages.success(
            request,
            _("連絡先を匿名化しました。この連絡先を参照する記録はそのまま残ります。"),
        )
        return redirect(reverse("registry:business_detail", args=[business.pk]) + "#contacts")
    return render(
        request,
        "registry/contact_anonymize.html",
        {"form": form, "business": business, "contact": contact},
    )


# --- members (staff link business accounts) ---------------------------------------------------


@require_POST
@require_policy(policies.can_edit_businesses)
def member_add(request, pk: int):
    business = _get_business(pk)
    form = MemberAddForm(request.POST, prefix="member")
    if form.is_valid():
        try:
            services.membership_add(
                user=form.user,
                business=business,
                role=form.cleaned_data["role"],
                actor=request.user,
            )
        except RegistryError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                _("%(email)s を%(role)sとして登録しました。")
                % {
                    "email": form.user.email,
                    "role": Membership.Role(form.cleaned_data["role"]).label,
                },
            )
            return redirect(reverse("registry:business_detail", args=[business.pk]) + "#members")
    return render(
        request,
        "registry/business_detail.html",
        _detail_context(request, business, member_form=form),
    )


# --- duplicates and merge ---------------------------------------------------------------------


@require_policy(policies.can_merge)
def duplicates(request):
    return render(request, "registry/duplicates.html", {"pairs": duplicate_candidates()})


def _int_param(data, name: str) -> int:
    try:
        value = int(data.get(name, ""))
    except ValueError:
        raise Http404 from None
    if not 0 < value < 2**63:  # ?keep=10**30 would overflow the database's integer
        raise Http404
    return value


@require_policy(policies.can_merge)
@elevation_required  # accounts: re-confirm the password for merges
def business_merge(request):
    data = request.POST if request.method == "POST" else request.GET
    keep = Business.objects.select_related("district").filter(pk=_int_param(data, "keep")).first()
    duplicate = (
        Business.objects.select_related("district").filter(pk=_int_param(data, "duplicate")).first()
    )
    if keep is None or duplicate is None:
        raise Http404
    error = ""
    if request.method == "POST":
        try:
            kept = services.business_merge(keep=keep, duplicate=duplicate, actor=request.user)
        except RegistryError as exc:
            error = str(exc)
        else:
            messages.success(
                request,
                _("「%(dup)s」を「%(keep)s」に統合しました。")
                % {"dup": duplicate.name, "keep": kept.name},
            )
            return redirect("registry:business_detail", pk=kept.pk)
    return render(
        request,
        "registry/merge_confirm.html",
        {
            "keep": keep,
            "duplicate": duplicate,
            "moves": merge_preview(duplicate),
            "error": error,
            "swap_href": reverse("registry:business_merge")
            + "?"
            + urlencode({"keep": duplicate.pk, "duplicate": keep.pk}),
        },
        status=400 if error else 200,
    )


# --- partner organisations --------------------------------------------------------------------


@require_policy(policies.can_view_businesses)
def partners(request):
    return render(request, "registry/partners.html", {"groups": partners_by_kind()})


# --- the business side: my businesses and delegation ------------------------------------------


@require_policy(can_use_business_area)
def my_businesses(request):
    rows = businesses_of_user(request.user)
    return render(request, "registry/my_businesses.html", {"rows": rows})


@require_policy(can_use_business_area)
def my_delegate(request, pk: int):
    business = Business.objects.filter(pk=pk).first()
    if business is None or not can_delegate(request.user, business):
        raise Http404
    form = DelegationForm(granter=request.user)
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            delegation = Delegation.objects.filter(
                pk=_int_param(request.POST, "delegation"), business=business
            ).first()
            if delegation is None:
                raise Http404
            services.delegation_revoke(delegation=delegation, actor=request.user)
            messages.success(request, _("委任を取り消しました。"))
            return redirect("registry:my_delegate", pk=business.pk)
        form = DelegationForm(request.POST, granter=request.user)
        if form.is_valid():
            try:
                services.delegation_grant(
                    business=business,
                    proxy=form.proxy,
                    valid_until=form.cleaned_data["valid_until"],
                    scope=form.cleaned_data["scope"],
                    actor=request.user,
                )
            except RegistryError as exc:
                field = "valid_until" if "有効期限" in str(exc) else None
                form.add_error(field, str(exc))
            else:
                messages.success(request, _("代理人に委任しました。"))
                return redirect("registry:my_delegate", pk=business.pk)
    return render(
        request,
        "registry/my_delegate.html",
        {
            "business": business,
            "form": form,
            "delegations": business_delegations(business),
            "today": timezone.localdate(),
        },
    )
