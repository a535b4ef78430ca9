from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from healthywork.accounts.models import ApiToken, Invitation, User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ["username", "email", "role", "is_active"]
    list_filter = ["role", "is_active"]
    fieldsets = DjangoUserAdmin.fieldsets + (("healthywork", {"fields": ["role", "preferred_language"]}),)


admin.site.register(Invitation)
admin.site.register(ApiToken)
