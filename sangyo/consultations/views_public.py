"""Public booking pages: desks with open slots, booking a slot, my bookings."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from sangyo.core.security import public_ratelimit

from . import policies, selectors, services
from .forms import BookingForm
from .models import Booking, Slot


def index(request):
    return render(
        request, "consultations/public/index.html", {"desks": selectors.desks_with_open_slots()}
    )


@require_http_methods(["GET", "POST"])
@public_ratelimit("public_form")
def book(request, pk):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    slot = selectors.bookable_slot(pk)
    if slot is None or not policies.can_book(request.user):
        raise Http404
    businesses = selectors.businesses_user_acts_for(request.user)
    initial = {"name": request.user.name, "email": request.user.email}
    form = BookingForm(request.POST or None, businesses=businesses, initial=initial)
    if request.method == "POST" and slot.status == Slot.Status.OPEN and form.is_valid():
        business = next(b for b in businesses if b.pk == form.cleaned_data["business"])
        try:
            services.booking_create(
                slot=slot,
                business=business,
                actor=request.user,
                name=form.cleaned_data["name"],
                email=form.cleaned_data["email"],
                topic=form.cleaned_data["topic"],
                language=(get_language() or "ja")[:2],
            )
        except services.ConsultationError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("相談を予約しました。確認のメールを送りました。"))
            return redirect("consult:my_bookings")
    return render(
        request,
        "consultations/public/book.html",
        {"slot": slot, "form": form, "businesses": businesses},
    )


def my_bookings(request):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    return render(
        request,
        "consultations/public/my_bookings.html",
        {"bookings": selectors.bookings_for_user(request.user)},
    )


@require_POST
def cancel(request, pk):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    booking = get_object_or_404(Booking, pk=pk)
    if not policies.can_cancel_booking(request.user, booking):
        raise Http404
    try:
        services.booking_cancel(booking=booking, actor=request.user)
    except services.ConsultationError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("予約を取り消しました。"))
    return redirect("consult:my_bookings")
