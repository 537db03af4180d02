from django.contrib import admin

from .models import ChallengeCount, MissedSearch, Need, OutsideProgram, Synonym


@admin.register(Need)
class NeedAdmin(admin.ModelAdmin):
    list_display = ("kind", "code", "label_ja", "use_purpose", "measures", "is_active", "order")
    list_filter = ("kind", "is_active")


@admin.register(Synonym)
class SynonymAdmin(admin.ModelAdmin):
    list_display = ("terms", "note", "is_active")


@admin.register(OutsideProgram)
class OutsideProgramAdmin(admin.ModelAdmin):
    list_display = ("title", "source", "source_id", "institution_name", "acceptance_end")
    list_filter = ("source", "is_synthetic")
    search_fields = ("title", "source_id")


@admin.register(ChallengeCount)
class ChallengeCountAdmin(admin.ModelAdmin):
    list_display = ("fiscal_year", "code", "count")


@admin.register(MissedSearch)
class MissedSearchAdmin(admin.ModelAdmin):
    list_display = ("query", "count", "last_seen")
