from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "healthywork.training"
    label = "training"
    verbose_name = _("Train")

    def home_summary(self, user) -> list[tuple[str, int, str]]:
        from django.urls import NoReverseMatch, reverse

        from healthywork.training.models import Registration, Training, TrainingStatus

        try:
            index = reverse("training:index")
        except NoReverseMatch:  # the training pages are not installed
            return []
        rows = [
            (
                _("Published trainings"),
                Training.objects.filter(status=TrainingStatus.PUBLISHED).count(),
                index,
            )
        ]
        if user.can("training.manage"):
            rows.append((_("Registrations"), Registration.objects.visible_to(user).count(), index))
        return rows

    def person_panels(self, person, user) -> list:
        from healthywork.training.panels_records import person_panels

        return person_panels(person, user)

    def organization_panels(self, organization, user) -> list:
        from healthywork.training.panels_records import organization_panels

        return organization_panels(organization, user)
