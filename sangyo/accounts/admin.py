from django.contrib import admin

from .models import User
from .services import user_set_role


@admin.register(User)
class UserAdmin(admin.ModelAdmin):
    list_display = ("email", "name", "role", "is_active", "date_joined")
    list_filter = ("role", "is_active")
    search_fields = ("email", "name")
    exclude = ("password", "groups", "user_permissions", "is_superuser", "last_login")
    readonly_fields = ("date_joined",)

    def save_model(self, request, obj, form, change):
        # A role change goes through the service so that it is audited (the admin itself
        # needs an elevation: accounts.middleware.AdminElevationMiddleware).
        if change and "role" in form.changed_data:
            role, obj.role = obj.role, form.initial["role"]
            super().save_model(request, obj, form, change)
            user_set_role(user=obj, role=role, actor=request.user)
        else:
            super().save_model(request, obj, form, change)
