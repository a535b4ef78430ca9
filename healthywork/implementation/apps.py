from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImplementationConfig(AppConfig):
    name = "healthywork.implementation"
    label = "implementation"
    verbose_name = _("Implement")

    def home_summary(self, user) -> list[tuple[str, int, str]]:
        from django.urls import NoReverseMatch, reverse

        from healthywork.implementation.models import Change, Grant

        try:
            index = reverse("implementation:index")
        except NoReverseMatch:  # the implementation pages are not installed
            return []
        return [
            (_("Grants you can see"), Grant.objects.visible_to(user).count(), index),
            (_("PSE changes achieved"), Change.objects.visible_to(user).count(), index),
        ]

    def team_panels(self, team, user) -> list:
        from healthywork.implementation.panels_progress import team_panels

        return team_panels(team, user)

    def organization_panels(self, organization, user) -> list:
        from healthywork.implementation.panels_progress import organization_panels

        return organization_panels(organization, user)
