from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "healthywork.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from healthywork.core.search import ensure_fulltext_indexes

        post_migrate.connect(ensure_fulltext_indexes, dispatch_uid="healthywork-fulltext")
