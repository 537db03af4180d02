"""Staff pages for API tokens: the list with a form to make one (the token is shown once,
in the answer to that POST, never stored), and revocation."""

import datetime

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from sangyo.accounts.elevation import elevation_required
from sangyo.core.decorators import require_policy

from . import policies, services
from .forms import TokenForm
from .models import ApiToken


def _end_of_day(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.max))


@never_cache
@require_policy(policies.can_manage_tokens)
@elevation_required
def tokens(request):
    form = TokenForm(request.POST or None, initial={"owner": request.user.pk})
    created = raw = None
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            created, raw = services.token_create(
                name=d["name"],
                owner=d["owner"],
                scopes=d["scopes"],
                expires_at=_end_of_day(d["expires_on"]) if d["expires_on"] else None,
                actor=request.user,
            )
        except services.TokenError as exc:
            form.add_error(None, str(exc))
        else:
            form = TokenForm(initial={"owner": request.user.pk})
    rows = ApiToken.objects.select_related("owner", "created_by").order_by("-created_at", "-id")
    return render(
        request,
        "integrations/tokens.html",
        {
            "form": form,
            "created": created,
            "raw": raw,
            "tokens": rows,
            "now": timezone.now(),
        },
    )


@require_POST
@require_policy(policies.can_manage_tokens)
@elevation_required
def revoke(request, pk: int):
    token = get_object_or_404(ApiToken, pk=pk)
    services.token_revoke(token=token, actor=request.user)
    messages.success(request, _("トークン「%(name)s」を失効させました。") % {"name": token.name})
    return redirect("integrations:tokens")
