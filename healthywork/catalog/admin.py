from django.contrib import admin

from healthywork.catalog.models import ActionType, Condition, Initiative, InitiativePartner, Tag
from healthywork.core.admin import AuditedModelAdmin


@admin.register(ActionType)
class ActionTypeAdmin(AuditedModelAdmin):
    list_display = ["name", "slug", "position"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Condition)
class ConditionAdmin(AuditedModelAdmin):
    list_display = ["name", "slug", "position"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Tag)
class TagAdmin(AuditedModelAdmin):
    list_display = ["name"]
    search_fields = ["name"]


class InitiativePartnerInline(admin.TabularInline):
    model = InitiativePartner
    autocomplete_fields = ["organization"]
    extra = 1


@admin.register(Initiative)
class InitiativeAdmin(AuditedModelAdmin):
    list_display = ["title", "lead_organization", "action_type", "pse_class", "status", "level"]
    list_filter = ["action_type", "pse_class", "status", "level", "twh_level", "evidence_rating"]
    search_fields = ["title"]
    autocomplete_fields = ["lead_organization", "populations", "tags"]
    filter_horizontal = ["conditions"]
    inlines = [InitiativePartnerInline]
    list_select_related = ["lead_organization", "action_type"]
