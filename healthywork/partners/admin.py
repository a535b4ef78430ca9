from django.contrib import admin
from django.db import models

from healthywork.core.admin import AuditedModelAdmin
from healthywork.partners.models import Affiliation, Organization, Person, Population, Sector


@admin.register(Sector)
class SectorAdmin(AuditedModelAdmin):
    list_display = ["name", "slug", "family"]
    list_filter = ["family"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Population)
class PopulationAdmin(AuditedModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Organization)
class OrganizationAdmin(AuditedModelAdmin):
    list_display = ["name", "sector", "level", "state"]
    list_filter = ["sector", "level"]
    search_fields = ["name"]
    autocomplete_fields = ["sector"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(Person)
class PersonAdmin(AuditedModelAdmin):
    list_display = ["name", "email", "may_be_contacted"]
    search_fields = ["name", "email"]


@admin.register(Affiliation)
class AffiliationAdmin(AuditedModelAdmin):
    list_display = ["person", "organization", "title", "start_date", "end_date"]
    autocomplete_fields = ["person", "organization"]
