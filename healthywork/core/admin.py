from django.contrib import admin
from django.utils.translation import gettext as _

from healthywork.core.audit import diff, record, snapshot
from healthywork.core.models import AuditEvent


class AuditedModelAdmin(admin.ModelAdmin):
    """A ModelAdmin whose saves and deletes write our audit events too."""

    def save_model(self, request, obj, form, change):
        before = snapshot(type(obj)._default_manager.get(pk=obj.pk)) if change and obj.pk else {}
        obj._audit_before = before
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        # Many-to-many values are saved here, after save_model, so the event is written last.
        super().save_related(request, form, formsets, change)
        obj = form.instance
        action = "change" if change else "create"
        before = getattr(obj, "_audit_before", {})
        record(request.user, action, obj, diff(before, snapshot(obj)), note=_("admin site"))

    def delete_model(self, request, obj):
        record(request.user, "delete", obj, note=_("admin site"))
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            record(request.user, "delete", obj, note=_("admin site"))
        super().delete_queryset(request, queryset)


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["created_at", "actor", "action", "content_type", "object_repr"]
    list_filter = ["action", "content_type"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
