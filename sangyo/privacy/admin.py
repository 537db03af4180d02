"""Administrators edit the retention periods here (the figures are the city's decision);
requests are handled on /staff/privacy/, so the admin shows them read-only."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from . import services
from .models import PersonalDataRequest, RetentionRule
from .retention import KINDS


class RetentionRuleForm(forms.ModelForm):
    class Meta:
        model = RetentionRule
        fields = ["kind", "days", "action", "enabled", "legal_basis"]

    def clean(self):
        data = super().clean()
        kind = KINDS.get(data.get("kind", ""))
        if kind is None:
            self.add_error("kind", _("この種類のデータには保存期間を設定できません"))
        elif data.get("action") and data["action"] not in kind.actions:
            self.add_error("action", _("この種類のデータにはこの処理を使えません"))
        if data.get("days") is not None and data["days"] < 1:
            self.add_error("days", _("1日以上を指定してください"))
        return data


@admin.register(RetentionRule)
class RetentionRuleAdmin(admin.ModelAdmin):
    form = RetentionRuleForm
    list_display = ("kind", "days", "action", "enabled", "updated_at")

    def save_model(self, request, obj, form, change):
        services.retention_rule_save(rule=obj, actor=request.user, fields=form.changed_data)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PersonalDataRequest)
class PersonalDataRequestAdmin(admin.ModelAdmin):
    list_display = ("id", "kind", "status", "channel", "received_on", "due_on")
    list_filter = ("status", "kind")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
