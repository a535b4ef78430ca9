from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "healthywork.catalog"
    label = "catalog"
    verbose_name = _("Catalog")

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
