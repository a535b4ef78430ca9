from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    name = "healthywork.evaluation"
    label = "evaluation"
    verbose_name = _("Evaluate")

    def home_summary(self, user) -> list[tuple[str, int, str]]:
        from django.urls import NoReverseMatch, reverse

        from healthywork.evaluation.models import Administration, Instrument

        try:
            index = reverse("evaluation:index")
        except NoReverseMatch:  # the evaluation pages are not installed
            return []
        return [
            (_("Instruments"), Instrument.objects.count(), index),
            (_("Administrations you can see"), Administration.objects.visible_to(user).count(), index),
        ]

    def team_panels(self, team, user) -> list:
        from healthywork.evaluation import panels_administrations, panels_indicators

        return panels_indicators.team_panels(team, user) + panels_administrations.team_panels(team, user)
