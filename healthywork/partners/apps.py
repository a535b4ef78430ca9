from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnersConfig(AppConfig):
    name = "healthywork.partners"
    label = "partners"
    verbose_name = _("Partners")

    def home_summary(self, user) -> list[tuple[str, int, str]]:
        from django.urls import reverse

        from healthywork.partners.models import Organization, Person, Sector

        return [
            (
                _("Organizations"),
                Organization.objects.visible_to(user).count(),
                reverse("partners:organization-list"),
            ),
            (_("People"), Person.objects.visible_to(user).count(), reverse("partners:person-list")),
            (_("Sectors"), Sector.objects.count(), reverse("partners:sector-list")),
        ]
