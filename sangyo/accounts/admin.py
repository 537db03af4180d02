from django.contrib import admin

from .models import User


@admin.register(User)
class UserAdmin(admin.ModelAdmin):
    list_display = ("email", "name", "role", "is_active", "date_joined")
    list_filter = ("role", "is_active")
    search_fields = ("email", "name")
    exclude = ("password", "groups", "user_permissions", "is_superuser", "last_login")
    readonly_fields = ("date_joined",)
