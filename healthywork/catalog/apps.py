from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "healthywork.catalog"
    label = "catalog"
    verbose_name = _("Catalog")

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from healthywork.partners.models import Organization

        post_save.connect(_organization_saved, sender=Organization, dispatch_uid="catalog_organization_names")

    def home_summary(self, user) -> list[tuple[str, int, str]]:
        from django.urls import NoReverseMatch, reverse

        from healthywork.catalog.models import Initiative

        try:
            reverse("catalog:index")
        except NoReverseMatch:  # the catalog's pages are not installed
            return []
        return [
            (_("Initiatives"), Initiative.objects.visible_to(user).count(), reverse("catalog:index")),
        ]

    def organization_panels(self, organization, user) -> list:
        from healthywork.catalog.models import Initiative
        from healthywork.core.panels import Panel

        initiatives = list(
            Initiative.objects.visible_to(user)
            .involving(organization)
            .select_related("action_type", "lead_organization")[:50]
        )
        return [
            Panel(
                title=_("Initiatives"),
                template="catalog/_organization_panel.html",
                context={"initiatives": initiatives, "organization": organization},
                count=len(initiatives),
            )
        ]


def _organization_saved(sender, instance, created, update_fields=None, raw=False, **kwargs) -> None:
    """An organization renamed (or given other aliases) renames it in its initiatives' search text:
    the catalog asks when the registry changes; the registry knows nothing of the catalog."""
    if created or raw or (update_fields is not None and not {"name", "aliases"} & set(update_fields)):
        return
    from healthywork.catalog.services import refresh_search_texts_of

    refresh_search_texts_of(instance)
