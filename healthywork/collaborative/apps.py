from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CollaborativeConfig(AppConfig):
    name = "healthywork.collaborative"
    label = "collaborative"
    verbose_name = _("Collaborative")
