"""Strategy rows are read-only in the admin: they change only by loading a strategy file,
so the file stays the single source of truth."""

from django.contrib import admin

from .models import Kpi, Measure, Program, Strategy, Vision


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Strategy)
class StrategyAdmin(ReadOnlyAdmin):
    list_display = ("code", "title_ja", "start_fy", "end_fy", "is_current", "loaded_at")


@admin.register(Vision)
class VisionAdmin(ReadOnlyAdmin):
    list_display = ("strategy", "label", "name_ja")


@admin.register(Kpi)
class KpiAdmin(ReadOnlyAdmin):
    list_display = ("name_ja", "printed_baseline", "printed_target", "unit_ja")


@admin.register(Measure)
class MeasureAdmin(ReadOnlyAdmin):
    list_display = ("number", "name_ja", "strategy")


@admin.register(Program)
class ProgramAdmin(ReadOnlyAdmin):
    list_display = ("code", "name_ja", "measure")
