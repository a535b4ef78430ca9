from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "healthywork.core"
    label = "core"
    verbose_name = "Core"
