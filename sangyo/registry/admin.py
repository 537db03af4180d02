"""Django admin for the registry. Businesses are saved through the services (so derived
fields are recomputed and every change is audited); contacts, support records and import
runs are read-only here; staff maintain districts, tags and partner organisations."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.models import construct_instance
from django.utils.translation import gettext_lazy as _

from . import services
from .models import (
    Business,
    Contact,
    Delegation,
    District,
    ImportRun,
    Membership,
    PartnerOrganisation,
    SupportRecord,
    Tag,
)

DERIVED = ("size_class", "size_reason", "created_at", "updated_at")


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class BusinessAdminForm(forms.ModelForm):
    company_url = forms.URLField(
        label=Business._meta.get_field("company_url").verbose_name,
        required=False,
        assume_scheme="https",
    )

    class Meta:
        model = Business
        fields = [*services._EDITABLE, "tags"]

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        # Check with the service's own rules (check digit, JSIC code, closing date, a 法人番号
        # registered to another business) so a refusal is shown on the form instead of failing
        # on save.
        probe = Business.objects.get(pk=self.instance.pk) if self.instance.pk else Business()
        construct_instance(self, probe, fields=services._EDITABLE)
        try:
            services._clean(probe)
        except services.RegistryError as exc:
            raise ValidationError(str(exc)) from exc
        return data


@admin.register(Business)
class BusinessAdmin(admin.ModelAdmin):
    form = BusinessAdminForm
    list_display = (
        "name",
        "corporate_number",
        "corporate_type",
        "district",
        "in_city",
        "jsic_code",
        "size_class",
        "status",
        "is_synthetic",
    )
    list_filter = ("status", "size_class", "in_city", "corporate_type", "district", "is_synthetic")
    search_fields = ("name", "kana", "search_name", "search_kana", "corporate_number")
    readonly_fields = DERIVED
    filter_horizontal = ("tags",)
    list_select_related = ("district",)
    show_full_result_count = False  # no COUNT(*) over a million rows on every page

    def has_delete_permission(self, request, obj=None):
        # Businesses leave the registry by being closed or merged, both audited services.
        return False

    def save_model(self, request, obj, form, change):
        fields = {f: form.cleaned_data[f] for f in services._EDITABLE if f in form.cleaned_data}
        tags = [t.name for t in form.cleaned_data.get("tags", [])]
        if change:
            original = Business.objects.get(pk=obj.pk)
            changed = {f: v for f, v in fields.items() if getattr(original, f) != v}
            saved = services.business_update(
                business=original, actor=request.user, tags=tags, **changed
            )
        else:
            saved = services.business_create(actor=request.user, tags=tags, **fields)
        # The admin goes on to use `obj` (messages, redirects): give it the saved state.
        obj.pk = saved.pk
        obj.refresh_from_db()

    def save_related(self, request, form, formsets, change):
        # Tags were set by the service (and audited there); saving the form's many-to-many
        # fields again would bypass it.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)


@admin.register(Contact)
class ContactAdmin(ReadOnlyAdmin):
    list_display = ("name", "business", "role", "consent_at", "anonymized_at")
    list_select_related = ("business",)
    search_fields = ("name", "kana", "email", "business__name")


@admin.register(PartnerOrganisation)
class PartnerOrganisationAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "url", "is_synthetic")
    list_filter = ("kind",)
    search_fields = ("name", "role")


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ("name_ja", "code", "municipality_code", "order")
    list_editable = ("order",)
    search_fields = ("name_ja", "name_en", "code")
    fields = ("municipality_code", "code", "name_ja", "name_en", "address_prefixes", "order")

    def get_form(self, request, obj=None, **kwargs):
        kwargs["help_texts"] = {
            "address_prefixes": _(
                "住所にこの文字列が含まれると、この地区と判定します。JSON の文字列リストで"
                '書きます（例: ["研究学園", "葛城"]）。変更は次に保存・取込した事業者から反映されます。'
            )
        }
        return super().get_form(request, obj, **kwargs)


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ("name",)
    search_fields = ("name",)


@admin.register(SupportRecord)
class SupportRecordAdmin(ReadOnlyAdmin):
    list_display = ("date", "fiscal_year", "business", "program", "kind", "staff")
    list_filter = ("kind", "fiscal_year")
    list_select_related = ("business", "program", "staff")
    search_fields = ("business__name", "summary", "source")
    show_full_result_count = False


@admin.register(ImportRun)
class ImportRunAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "kind", "mode", "file_name", "succeeded", "actor")
    list_filter = ("kind", "mode", "succeeded")
    list_select_related = ("actor",)


@admin.register(Membership)
class MembershipAdmin(ReadOnlyAdmin):
    list_display = ("business", "user", "role", "created_at")
    list_select_related = ("business", "user")


@admin.register(Delegation)
class DelegationAdmin(ReadOnlyAdmin):
    list_display = ("business", "proxy", "valid_until", "revoked_at", "granted_by")
    list_select_related = ("business", "proxy", "granted_by")
