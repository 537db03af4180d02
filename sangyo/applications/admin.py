"""The admin for applications. Program details and form versions are data the
administrator maintains here (rubrics, eligibility rules, form fields). Everything that
moves money or the workflow — calls' budgets and totals, applications, reviews, payments,
certificates — changes only through the services (audited), so the admin shows it
read-only."""

from django.contrib import admin

from .models import (
    Application,
    Call,
    CertifiedProduct,
    Document,
    FormVersion,
    FounderCertificate,
    FounderSession,
    Payment,
    ProgramDetail,
    Review,
    ReviewerAssignment,
    StatusChange,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ProgramDetail)
class ProgramDetailAdmin(admin.ModelAdmin):
    list_display = ("title_ja", "program", "kind", "workflow", "rate_text", "cap_yen")
    list_filter = ("kind", "workflow", "rate_confirmed")
    search_fields = ("title_ja", "title_en", "program__name_ja")
    list_select_related = ("program",)


@admin.register(FormVersion)
class FormVersionAdmin(admin.ModelAdmin):
    list_display = ("code", "version", "created_at")
    search_fields = ("code",)

    def get_readonly_fields(self, request, obj=None):
        # A version that applications answered is frozen: a change is a new version.
        if obj is not None and Application.objects.filter(form=obj).exists():
            return ("code", "version", "fields")
        return ()

    def has_delete_permission(self, request, obj=None):
        return obj is None or not (
            Application.objects.filter(form=obj).exists() or obj.calls.exists()
        )


class ReviewerAssignmentInline(ReadOnlyInline):
    model = ReviewerAssignment


@admin.register(Call)
class CallAdmin(ReadOnlyAdmin):
    list_display = (
        "title_ja",
        "program",
        "fiscal_year",
        "status",
        "budget_yen",
        "committed_yen",
        "paid_yen",
    )
    list_filter = ("fiscal_year", "status", "is_synthetic")
    search_fields = ("title_ja", "title_en")
    list_select_related = ("program",)
    inlines = [ReviewerAssignmentInline]


class StatusChangeInline(ReadOnlyInline):
    model = StatusChange
    fields = ("at", "action", "source", "target", "actor", "note")
    readonly_fields = fields


class ReviewInline(ReadOnlyInline):
    model = Review
    fields = ("reviewer", "stage", "conflict_declared", "total", "recommendation", "submitted_at")
    readonly_fields = fields


class PaymentInline(ReadOnlyInline):
    model = Payment
    fields = ("amount_yen", "paid_on", "recorded_by")
    readonly_fields = fields


class DocumentInline(ReadOnlyInline):
    model = Document
    fields = ("kind", "original_name", "size", "uploaded_at")
    readonly_fields = fields


@admin.register(Application)
class ApplicationAdmin(ReadOnlyAdmin):
    list_display = ("number", "business", "call", "status", "requested_yen", "decided_yen")
    list_filter = ("status", "workflow", "call__fiscal_year", "is_synthetic")
    search_fields = ("number", "business__name")
    list_select_related = ("business", "call")
    inlines = [StatusChangeInline, ReviewInline, DocumentInline, PaymentInline]


@admin.register(Review)
class ReviewAdmin(ReadOnlyAdmin):
    list_display = (
        "application",
        "reviewer",
        "stage",
        "conflict_declared",
        "total",
        "submitted_at",
    )
    list_filter = ("stage", "conflict_declared")
    list_select_related = ("application__business", "reviewer")


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdmin):
    list_display = ("application", "amount_yen", "paid_on")
    list_select_related = ("application__business",)


@admin.register(FounderSession)
class FounderSessionAdmin(ReadOnlyAdmin):
    list_display = ("business", "date", "areas", "source")
    list_select_related = ("business",)


@admin.register(FounderCertificate)
class FounderCertificateAdmin(ReadOnlyAdmin):
    list_display = ("number", "business", "issued_on")
    list_select_related = ("business",)


@admin.register(CertifiedProduct)
class CertifiedProductAdmin(ReadOnlyAdmin):
    list_display = ("name_ja", "certified_on", "valid_until", "published")
